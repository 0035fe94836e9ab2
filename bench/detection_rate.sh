#!/usr/bin/env bash
# Benchmark of the detection rate (issue 14): N demo executions and A alerts
# on the embedded store, then GET /api/analytics/defender/correlation/detection-rate
# (REPEAT runs, default 15, after 2 warm-ups), and the method's own cost
# without HTTP beside the original's hour buckets (detection_rate_compare).
#   bash bench/detection_rate.sh [N=1000000] [A=200000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
alerts=${2:-200000}
repeat=${REPEAT:-15}
token=bench-bench-bench-bench-bench-bench

bash scripts/setup.sh >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DACHILLES_BUILD_TESTS=OFF -DACHILLES_BUILD_BENCH=ON >/dev/null
cmake --build build-bench -j2 --target achilles_cli detection_rate_compare >/dev/null
bin=build-bench/server/achilles
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

now=$(date +%s%3N)
"$bin" demo-data --executions "$n" --seed 42 --now "$now" | "$bin" import --data-dir "$work/data" - >/dev/null
"$bin" demo-defender --executions "$n" --seed 42 --now "$now" --alerts "$alerts" --data-dir "$work/data"
port=$((20000 + RANDOM % 20000))
ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
echo "server resident memory after load: $(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status") MB"
echo "| request | median ms | p95 ms | max ms |"
echo "|---|---|---|---|"
for query in "" "?windowMinutes=5" "?days=7" "?matchHost=true"; do
  url="http://127.0.0.1:$port/api/analytics/defender/correlation/detection-rate$query"
  for _ in 1 2; do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  for _ in $(seq 1 "$repeat"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
  done | sort -n | awk -v p="detection-rate$query" '{ t[NR] = $1 * 1000 } END {
    printf "| `%s` | %.1f | %.1f | %.1f |\n", p, t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.5)], t[NR] }'
done
echo "server resident memory after the requests: $(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status") MB"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
echo
build-bench/bench/detection_rate_compare "$n" "$alerts"
