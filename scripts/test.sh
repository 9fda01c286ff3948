#!/usr/bin/env bash
# The one test command (`npm test`): installs what it needs, then lint, typecheck, build,
# unit, integration and end-to-end tests. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server for integration tests, chromium for end-to-end tests (the SAML IdP's
# SimpleSAMLphp packages are installed by test/e2e/idp/start itself); prometheus (promtool) and
# docker-compose check the deployment files.
bash scripts/ensure-system-deps.sh redis-server chromium prometheus docker-compose
bash scripts/ensure-npm-deps.sh

run() { echo; echo "== $*"; "$@"; }
run npx eslint --max-warnings 0 .
run npx prettier --check .
run npx tsc -p tsconfig.json --noEmit
run npm run --silent build
run bash scripts/check-deploy.sh
mkdir -p .test-artifacts
run env NODE_OPTIONS=--experimental-vm-modules npx jest --config jest.config.cjs --ci "$@"
