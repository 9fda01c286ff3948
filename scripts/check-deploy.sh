#!/usr/bin/env bash
# Static checks of the deployment files with the real tools (there is no Docker engine here):
# docker-compose (v1) config, dockerfilelint, promtool check config|rules and test rules.
# Usage: scripts/check-deploy.sh [ROOT] (ROOT holds Dockerfile, docker-compose.yml, deploy/;
# default the repository). `npm test` runs it; failures print the tool's own message.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "${1:-$REPO}" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

failures=0
check() {
  local what="$1"
  shift
  local out
  if out="$("$@" 2>&1)"; then
    echo "ok   $what"
  else
    echo "FAIL $what: $*" >&2
    echo "$out" | sed 's/^/     /' >&2
    failures=$((failures + 1))
  fi
}

: >"$TMP/empty.env"
# An ambient .env must not decide the outcome: the plain check sees no settings at all.
check 'docker-compose.yml (no settings)' \
  docker-compose --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" --env-file "$TMP/empty.env" config -q
check 'docker-compose.yml (demo profile, deploy/demo.env)' \
  docker-compose --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
  --env-file "$ROOT/deploy/demo.env" --profile demo config -q

check 'Dockerfiles (dockerfilelint)' \
  "$REPO/node_modules/.bin/dockerfilelint" "$ROOT/Dockerfile" "$ROOT/deploy/idp/Dockerfile"

# credentials_file names the tmpfs file the container writes at start; promtool insists that it
# exists, so a copy names a scratch file instead. Everything else is checked as shipped.
cp "$ROOT"/deploy/prometheus/*.yml "$TMP/"
echo 'scratch-token' >"$TMP/metrics_token"
sed -i "s#credentials_file: /tmp/caseboard/metrics_token#credentials_file: $TMP/metrics_token#" \
  "$TMP/prometheus.yml"
check 'prometheus.yml (promtool check config, rules included)' \
  promtool check config "$TMP/prometheus.yml"
check 'alerts.yml (promtool check rules)' promtool check rules "$ROOT/deploy/prometheus/alerts.yml"
check 'alerts.yml behaviour (promtool test rules alerts.test.yml)' \
  promtool test rules "$ROOT/deploy/prometheus/alerts.test.yml"

check 'Grafana provisioning and dashboard JSON parse' node -e '
  const { readFileSync, readdirSync } = require("node:fs");
  const { parse } = require(process.argv[2]);
  const root = process.argv[1] + "/deploy/grafana";
  for (const dir of ["provisioning/datasources", "provisioning/dashboards"])
    for (const f of readdirSync(`${root}/${dir}`)) parse(readFileSync(`${root}/${dir}/${f}`, "utf8"));
  for (const f of readdirSync(`${root}/dashboards`)) JSON.parse(readFileSync(`${root}/dashboards/${f}`, "utf8"));
' "$ROOT" "$REPO/node_modules/yaml"

if [ "$failures" -gt 0 ]; then
  echo "check-deploy: $failures check(s) failed" >&2
  exit 1
fi
