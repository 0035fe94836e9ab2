#!/usr/bin/env bash
# The API's description against the server that serves it (BUILD_DIR, default build):
# starts `achilles serve` on demo data (results and Defender), then
# tests/openapi/check.mjs validates GET /api/openapi.json with a standard
# OpenAPI 3.1 validator and every GET operation's real responses against the
# schemas it declares. Node.js and npm are the machine's; the two npm
# packages are installed from package-lock.json into tests/openapi/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
bin="$build/server/achilles"
command -v node >/dev/null && command -v npm >/dev/null || { echo "check_openapi: Node.js and npm are needed" >&2; exit 1; }
(cd tests/openapi && npm ci --no-audit --no-fund --silent >/dev/null)

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
token=openapi-check-openapi-check-openapi-check

# One server per data set; the checks of each must pass. Schemas drafted from
# one sample missed the values a quieter day gives (a day with a Secure Score
# but no execution has a null defense score), so the answers are checked on
# data ending now, on data ending a minute after midnight UTC, and on an
# empty store.
check_on() {  # $1: label, $2: the demo data's now in ms, or "empty"
  local data="$work/$1"
  mkdir -p "$data"
  if [ "$2" != empty ]; then
    "$bin" demo-data --executions 3000 --seed 7 --now "$2" | "$bin" import --data-dir "$data" - >/dev/null
    "$bin" demo-defender --executions 3000 --seed 7 --now "$2" --data-dir "$data" >/dev/null
  fi
  local port=$((20000 + RANDOM % 20000))
  ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" \
    >"$work/$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 500); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.02; done
  echo "check_openapi: data $1"
  local status=0
  node tests/openapi/check.mjs "http://127.0.0.1:$port" "$token" || status=$?
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=""
  return $status
}

now=${ACHILLES_CHECK_NOW_MS:-$(date +%s%3N)}
failed=0
check_on ending-now "$now" || failed=1
check_on ending-after-midnight $(( (now / 86400000) * 86400000 + 60000 )) || failed=1
check_on empty empty || failed=1
exit $failed
