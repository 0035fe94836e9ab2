#!/usr/bin/env bash
# Benchmark: demo data of N executions, import, then every dashboard endpoint.
#   bash bench/run.sh [N...]        (default: 100000 1000000)
# Prints, per size: import rate, resident memory once loaded, and the median,
# p95 and max latency of each endpoint in bench/endpoints.txt (REPEAT runs
# each, default 15, after 2 warm-ups). Results also go to bench/results-N.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
repeat=${REPEAT:-15}

bash scripts/setup.sh >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DACHILLES_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target achilles_cli >/dev/null
bin=build-bench/server/achilles
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for n in "${sizes[@]}"; do
  out="bench/results-$n.md"
  data="$work/data-$n"
  "$bin" demo-data --executions "$n" --seed 42 > "$work/demo.ndjson"
  summary=$("$bin" import --data-dir "$data" "$work/demo.ndjson")
  rm -f "$work/demo.ndjson"
  seconds=$(echo "$summary" | sed -E 's/.* ([0-9.]+) s$/\1/')
  rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%d", n / s }')

  port=$((20000 + RANDOM % 20000))
  ACHILLES_ADMIN_TOKEN=bench-bench-bench-bench-bench-bench ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
  rss_mb=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status")

  {
    echo "## $n executions"
    echo
    echo "- import: $summary ($rate documents/s)"
    echo "- server resident memory after load: ${rss_mb} MB"
    echo
    echo "| endpoint | median ms | p95 ms | max ms | status |"
    echo "|---|---|---|---|---|"
  } | tee "$out"
  grep -v '^#' bench/endpoints.txt | grep -v '^$' | while read -r path; do
    url="http://127.0.0.1:$port/api/analytics$path"
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer bench-bench-bench-bench-bench-bench" "$url")
    curl -s -o /dev/null -H "Authorization: Bearer bench-bench-bench-bench-bench-bench" "$url"
    for _ in $(seq 1 "$repeat"); do
      curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer bench-bench-bench-bench-bench-bench" "$url"
    done | sort -n | awk -v p="$path" -v s="$status" '{ t[NR] = $1 * 1000 } END {
      printf "| `%s` | %.1f | %.1f | %.1f | %s |\n", p, t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.5)], t[NR], s }'
  done | tee -a "$out"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  rm -rf "$data"
  echo
done
