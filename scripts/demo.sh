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
stop_idp() { :; }
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "stopping demo..."
  stop_idp
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
BASE_URL=http://127.0.0.1:$PORT

# A real SAML IdP (SimpleSAMLphp on PHP's built-in server) with one user per role.
IDP_PORT=${DEMO_IDP_PORT:-8090}
export IDP_STATE_DIR=$DEMO/idp
bash test/e2e/idp/stop >/dev/null 2>&1 || true
IDP_PORT=$IDP_PORT SP_BASEURL=$BASE_URL bash test/e2e/idp/start >"$DEMO/idp.env" 2>"$DEMO/idp.log" ||
  { echo "error: the SAML IdP did not start; see $DEMO/idp.log" >&2; exit 1; }
stop_idp() { bash test/e2e/idp/stop >/dev/null 2>&1 || true; }
set -a
# shellcheck disable=SC1091
. "$DEMO/idp.env"
set +a
export BASE_URL SAML_ENTRY_POINT=$IDP_SSO_URL SAML_LOGOUT_URL=$IDP_SLO_URL \
  SAML_ISSUER=$BASE_URL/saml/metadata SAML_IDP_ISSUER=$IDP_ENTITYID SAML_IDP_CERT=$IDP_CERT_FILE \
  SAML_GROUPS_ATTRIBUTE=groups SAML_ACCOUNTS_ATTRIBUTE=accounts \
  ROLE_MAP=engineers:engineer,leads:lead,admins:admin,partners:partner
if [ ! -s "$DEMO/session-secret" ]; then head -c 32 /dev/urandom | base64 >"$DEMO/session-secret"; fi
SESSION_SECRET=$(cat "$DEMO/session-secret")
if [ ! -s "$DEMO/metrics-token" ]; then head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DEMO/metrics-token"; fi
METRICS_TOKEN=$(cat "$DEMO/metrics-token")
export SESSION_SECRET METRICS_TOKEN
echo "first sync (GLPI $CASES tickets, JIRA and Bugzilla $((CASES / 5)) each)..."
LOG_LEVEL=warn bin/sync --source all

CASEBOARD_ROLES=web,worker,scheduler node dist/main.js >"$DEMO/app.log" 2>&1 &
pids+=($!)
wait_for 30 "Caseboard" node -e "fetch('http://127.0.0.1:$PORT/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

cat <<INFO

Caseboard demo is running.
  Web:            $BASE_URL/   (health: /health/live; API document: /api/docs)
  Sign in at the demo IdP ($IDP_SSO_URL) as:
                  alice / alicepass   engineer
                  bob   / bobpass     lead (and engineer)
                  carol / carolpass   admin
                  dave  / davepass    partner, account Globex only
                  erin  / erinpass    in no Caseboard group: refused
  Redis:          $REDIS_URL   (data in $DEMO/redis)
  GLPI simulator: $GLPI_URL
  JIRA simulator: $JIRA_URL ($JIRA_FLAVOR)
  Bugzilla sim.:  $BUGZILLA_URL
  Queues:         $BASE_URL/admin/queues   (sign in as carol)
  Readiness:      $BASE_URL/health/ready
  Metrics:        curl -H "Authorization: Bearer \$(cat $DEMO/metrics-token)" $BASE_URL/metrics
  Logs:           $DEMO/app.log (JSON lines), $DEMO/simulators.log
  API token:      REDIS_URL=$REDIS_URL bin/token create --name me --role lead
  Try:            REDIS_URL=$REDIS_URL bin/export-cases --format ndjson | head
                  set -a; . $DEMO/upstreams.env; set +a; REDIS_URL=$REDIS_URL bin/sync
                  set -a; . $DEMO/upstreams.env; set +a; bin/sprint-report --board 7  (also /reports/sprint)

Press Ctrl-C to stop everything.
INFO
wait -n "${pids[@]}" || true
echo "a demo process exited; see $DEMO/*.log" >&2
