#!/usr/bin/env bash
# Installs the Debian packages Caseboard's demo and tests run for real (Redis, ...), once.
# Usage: scripts/ensure-system-deps.sh [package ...]; each package is installed only if its
# command is missing. Needs root (or passwordless sudo) on a Debian/Ubuntu machine.
set -euo pipefail

declare -A COMMAND_OF=(
  [redis-server]=redis-server
  [chromium]=chromium
  [prometheus]=promtool
  [docker-compose]=docker-compose
  [simplesamlphp]=php
)

missing=()
for pkg in "$@"; do
  cmd=${COMMAND_OF[$pkg]:-$pkg}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need root to install: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no apt-get here; install these yourself: ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts redis-server as a service on install; Caseboard runs its own instances.
if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
