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
now=$(date +%s%3N)
"$bin" demo-data --executions 3000 --seed 7 --now "$now" | "$bin" import --data-dir "$work/data" - >/dev/null
"$bin" demo-defender --executions 3000 --seed 7 --now "$now" --data-dir "$work/data" >/dev/null
token=openapi-check-openapi-check-openapi-check
port=$((20000 + RANDOM % 20000))
ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 500); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.02; done
node tests/openapi/check.mjs "http://127.0.0.1:$port" "$token"
