#!/usr/bin/env bash
# `npm run demo`: the whole product on this machine with demo data — Redis, the GLPI, JIRA and
# Bugzilla simulators, a first sync, then Caseboard's web, worker and scheduler roles.
# Ctrl-C stops everything this script started. Settings: DEMO_CASES (GLPI tickets, default
# 2000; JIRA and Bugzilla get a fifth each), PORT (default 3000), REDIS_URL (use your own Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=$ROOT/.demo
mkdir -p "$DEMO"

bash scripts/ensure-npm-deps.sh
if [ -z "${REDIS_URL:-}" ]; then bash scripts/ensure-system-deps.sh redis-server; fi
echo "building..."
npm run --silent build

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "stopping demo..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # wait_for <seconds> <description> <command...>
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "error: $what did not come up; see $DEMO/*.log" >&2
  exit 1
}

if [ -z "${REDIS_URL:-}" ]; then
  REDIS_PORT=${DEMO_REDIS_PORT:-6380}
  mkdir -p "$DEMO/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DEMO/redis" \
    --appendonly yes --save '' >"$DEMO/redis.log" 2>&1 &
  pids+=($!)
  export REDIS_URL=redis://127.0.0.1:$REDIS_PORT
  wait_for 10 "redis-server" redis-cli -p "$REDIS_PORT" ping
fi

CASES=${DEMO_CASES:-2000}
rm -f "$DEMO/upstreams.env"
node -- dist/simulators/cli.js --cases "$CASES" --host 127.0.0.1 \
  --glpi-port "${DEMO_GLPI_PORT:-8081}" --jira-port "${DEMO_JIRA_PORT:-8082}" \
  --bugzilla-port "${DEMO_BUGZILLA_PORT:-8083}" --env-file "$DEMO/upstreams.env" \
  >"$DEMO/simulators.log" 2>&1 &
pids+=($!)
wait_for 60 "the upstream simulators" test -s "$DEMO/upstreams.env"
set -a
# shellcheck disable=SC1091
. "$DEMO/upstreams.env"
set +a

export HOST=${HOST:-127.0.0.1} PORT=${PORT:-3000} LOG_LEVEL=${LOG_LEVEL:-info}
echo "first sync (GLPI $CASES tickets, JIRA and Bugzilla $((CASES / 5)) each)..."
LOG_LEVEL=warn bin/sync --source all

CASEBOARD_ROLES=web,worker,scheduler node dist/main.js >"$DEMO/app.log" 2>&1 &
pids+=($!)
wait_for 30 "Caseboard" node -e "fetch('http://127.0.0.1:$PORT/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

cat <<INFO

Caseboard demo is running.
  Web:            http://$HOST:$PORT/   (health: /health/live)
  Redis:          $REDIS_URL   (data in $DEMO/redis)
  GLPI simulator: $GLPI_URL
  JIRA simulator: $JIRA_URL ($JIRA_FLAVOR)
  Bugzilla sim.:  $BUGZILLA_URL
  Logs:           $DEMO/app.log, $DEMO/simulators.log
  Try:            REDIS_URL=$REDIS_URL bin/export-cases --format ndjson | head
                  set -a; . $DEMO/upstreams.env; set +a; REDIS_URL=$REDIS_URL bin/sync

Press Ctrl-C to stop everything.
INFO
wait -n "${pids[@]}" || true
echo "a demo process exited; see $DEMO/*.log" >&2
