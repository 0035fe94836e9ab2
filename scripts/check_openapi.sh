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
token=openapi-check-openapi-check-openapi-check
source scripts/demo_server.sh
cleanup() { stop_server; rm -rf "$work"; }  # stop_server never fails: the directory always goes
trap cleanup EXIT

# One server per data set; the checks of each must pass. Schemas drafted from
# one sample missed the values a quieter day gives (a day with a Secure Score
# but no execution has a null defense score), so the answers are checked on
# data ending now, on data ending a minute after midnight UTC, and on an
# empty store.
check_on() {  # $1: label, $2: the demo data's now in ms, or "empty"
  local data="$work/$1"
  mkdir -p "$data"
  if [ "$2" != empty ]; then demo_data "$data" "$2" || { echo "check_openapi: demo data for $1 failed" >&2; return 1; }; fi
  start_server "$data" "$work/$1.log" || return 1
  echo "check_openapi: data $1"
  local status=0
  node tests/openapi/check.mjs "$base" "$token" || status=$?
  stop_server
  return $status
}

now=${ACHILLES_CHECK_NOW_MS:-$(date +%s%3N)}
failed=0
check_on ending-now "$now" || failed=1
check_on ending-after-midnight $(( (now / 86400000) * 86400000 + 60000 )) || failed=1
check_on empty empty || failed=1
exit $failed
