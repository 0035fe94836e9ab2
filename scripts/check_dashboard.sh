#!/usr/bin/env bash
# The built-in dashboard in real browsers: starts `achilles serve` on demo
# data, then tests/browser/dashboard.test.mjs drives Debian's Chromium
# (/usr/bin/chromium) through it with playwright-core, and firefox.test.mjs
# Debian's Firefox ESR (/usr/bin/firefox-esr) with puppeteer-core over
# WebDriver BiDi. Both browsers come from `scripts/setup.sh --browser`; the
# npm packages from tests/browser/package-lock.json (neither downloads a browser).
# Screenshots of every view land in $BUILD_DIR/dashboard-screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
bin="$build/server/achilles"
command -v node >/dev/null && command -v npm >/dev/null || { echo "check_dashboard: Node.js and npm are needed" >&2; exit 1; }
# node --test --test-concurrency needs Node.js 20.10 or later.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)' ||
  { echo "check_dashboard: Node.js 20.10 or later is needed (found $(node -v))" >&2; exit 1; }
for b in /usr/bin/chromium /usr/bin/firefox-esr; do
  [ -x "$b" ] || { echo "check_dashboard: $b is missing (bash scripts/setup.sh --browser)" >&2; exit 1; }
done
(cd tests/browser && npm ci --no-audit --no-fund --silent >/dev/null)

work=$(mktemp -d)
server=""
token=dashboard-check-dashboard-check-dashboard
source scripts/demo_server.sh
cleanup() {
  local status=$?
  [ $status -eq 0 ] || { echo "check_dashboard: failed; the server's log:" >&2; cat "$work/serve.log" >&2 2>/dev/null || true; }
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

demo_data "$work/data" "$(date +%s%3N)"
start_server "$work/data" "$work/serve.log"
screenshots="$build/dashboard-screenshots"
mkdir -p "$screenshots"
ACHILLES_URL=$base ACHILLES_TOKEN=$token SCREENSHOT_DIR=$(cd "$screenshots" && pwd) \
  node --test --test-concurrency=1 tests/browser/dashboard.test.mjs tests/browser/firefox.test.mjs
