#!/usr/bin/env bash
# Installs npm packages from the committed lock when node_modules is missing or stale.
# (`npm ci` fails on these machines: the registry lacks other platforms' optional binaries.)
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.caseboard-install-stamp
if [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
echo "installing npm packages..." >&2
npm install --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
