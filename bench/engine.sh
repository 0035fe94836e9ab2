#!/usr/bin/env bash
# The embedded engine's benchmark (issue 16), every figure beside its
# reference, measured in the same run:
#   bash bench/engine.sh [N...]        (default: 100000 1000000)
# For each size: demo data (seed 42, 30 days ending now), `achilles import`
# (documents/s), `achilles serve` (time until it answers, resident memory),
# then every path of bench/engine_endpoints.txt with `wrk -t1 -c1` (keep-alive,
# DURATION seconds each, default 3; the median latency) beside the bare-scan
# reference of the same question (bench/engine_reference.cpp) and their ratio;
# /defense-score under 64 connections; /api/health against the minimal Beast
# server (bench/bare_http_server.cpp) and, where Node and the npm registry are
# there, an Express "hello" server. The fixed cost of a request is measured
# on a 100-document store. Results: bench/engine-results.md.
# LOAD_ONLY=1 measures only import and start-up (a few minutes up to 5M).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
duration=${DURATION:-3}
token=bench-bench-bench-bench-bench-bench
out=bench/engine-results.md

bash scripts/setup.sh --bench >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DACHILLES_BUILD_TESTS=OFF -DACHILLES_BUILD_BENCH=ON >/dev/null
cmake --build build-bench -j2 --target achilles_cli engine_reference bare_http_server >/dev/null
bin=build-bench/server/achilles
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 ACHILLES_RATE_LIMIT_PER_15MIN=1000000000

# wrk's median latency in ms, or its requests/s.
median_ms() {
  wrk -t1 -c1 -d"${duration}s" --latency "$@" | awk '$1 == "50%" {
    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    printf "%.3f", (u == "us" ? v / 1000 : (u == "s" ? v * 1000 : v)) }'
}
per_second() { wrk -t1 -c64 -d"${duration}s" "$@" | awk '/Requests\/sec/ { printf "%d", $2 }'; }
# Waits for an answer (a first start at 10M decodes for about a minute).
wait_for() { for _ in $(seq 1 60000); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1; }
# Starts the server on $data and port $p; sets $server and $started_ms (until it answers).
start_server() {
  local start
  start=$(date +%s%N)
  "$bin" serve --data-dir "$data" --listen "127.0.0.1:$p" >"$work/serve.log" 2>&1 &
  server=$!
  pids+=($server)
  wait_for "http://127.0.0.1:$p/api/health"
  started_ms=$(( ($(date +%s%N) - start) / 1000000 ))
}
port() { echo $((20000 + RANDOM % 20000)); }

now=$(date +%s%3N)
{
  echo "# bench/engine.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo
} > "$out"

# The fixed cost of a request: the same routes on a 100-document store.
"$bin" demo-data --executions 100 --seed 42 --now "$now" | "$bin" import --data-dir "$work/small" - >/dev/null
p=$(port)
"$bin" serve --data-dir "$work/small" --listen "127.0.0.1:$p" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$p/api/health"
{
  echo "## Fixed cost of a request (100 documents, wrk -t1 -c1 median)"
  echo
  echo "| request | median ms |"
  echo "|---|---|"
  echo "| \`/api/health\` (HTTP alone) | $(median_ms "http://127.0.0.1:$p/api/health") |"
  for path in "/defense-score?from=now-30d" "/defense-score/by-technique?from=now-30d" "/executions/paginated?from=now-30d&page=1&pageSize=25"; do
    echo "| \`$path\` | $(median_ms -H "Authorization: Bearer $token" "http://127.0.0.1:$p/api/analytics$path") |"
  done
  echo
} | tee -a "$out"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

days=${DAYS:-30}  # the span of the demo data; the endpoints ask for the last 30 days (or 1)
for n in "${sizes[@]}"; do
  data="$work/data-$n"
  "$bin" demo-data --executions "$n" --seed 42 --days "$days" --now "$now" > "$work/demo.ndjson"
  summary=$("$bin" import --data-dir "$data" "$work/demo.ndjson")
  rm -f "$work/demo.ndjson"
  seconds=$(echo "$summary" | sed -E 's/.* ([0-9.]+) s$/\1/')
  rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%d", n / s }')
  disk_mb=$(du -sm "$data" | cut -f1)

  p=$(port)
  start_server
  ready_ms=$started_ms
  rss_mb=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server/status")

  if [ -n "${LOAD_ONLY:-}" ]; then  # import and start-up only
    {
      echo "## $n executions over $days days (import and start-up only)"
      echo
      echo "- import: $summary ($rate documents/s); $disk_mb MB on disk"
      echo "- first start-up until the server answers (decoding every row from SQLite; the snapshot is written meanwhile): $ready_ms ms; resident memory then: $rss_mb MB"
    } | tee -a "$out"
    kill "$server"; wait "$server" 2>/dev/null || true
    start_server
    echo "- start-up again, from the columnar snapshot ($(du -m "$data/results.db.columns" | cut -f1) MB): $started_ms ms" | tee -a "$out"
    echo | tee -a "$out"
    kill "$server"; wait "$server" 2>/dev/null || true
    rm -rf "$data"
    continue
  fi
  build-bench/bench/engine_reference "$n" "$now" 42 "$days" > "$work/reference.txt"
  {
    echo "## $n executions over $days days"
    echo
    echo "- import: $summary ($rate documents/s); $disk_mb MB on disk"
    echo "- first start-up until the server answers (decoding every row from SQLite; the snapshot is written meanwhile): $ready_ms ms; resident memory then: $rss_mb MB"
    echo
    echo "| endpoint (under /api/analytics) | median ms | bare-scan reference ms | ratio |"
    echo "|---|---|---|---|"
  } | tee -a "$out"
  grep -v '^#' bench/engine_endpoints.txt | grep -v '^$' | while read -r reference path; do
    url="http://127.0.0.1:$p/api/analytics$path"
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url" || echo "  (status $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url") for $path)" >&2
    ms=$(median_ms -H "Authorization: Bearer $token" "$url")
    ref=$(awk -v r="$reference" '$1 == r { print $2 }' "$work/reference.txt")
    if [ -n "$ref" ]; then
      ratio=$(awk -v a="$ms" -v b="$ref" 'BEGIN { printf "%.1f", a / b }')
      echo "| \`$path\` | $ms | $ref ($reference) | $ratio |"
    else
      echo "| \`$path\` | $ms | — | — |"
    fi
  done | tee -a "$out"
  {
    echo
    echo "- \`/defense-score?from=now-30d\` under 64 keep-alive connections (wrk -t1 -c64): $(per_second -H "Authorization: Bearer $token" "http://127.0.0.1:$p/api/analytics/defense-score?from=now-30d") requests/s"
  } | tee -a "$out"
  rss_after=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server/status")
  echo "- resident memory after the requests: $rss_after MB" | tee -a "$out"

  # /api/health beside the minimal Beast server (and Express), one after the other.
  health=$(per_second "http://127.0.0.1:$p/api/health")
  kill "$server"; wait "$server" 2>/dev/null || true

  # A second start reads the columnar snapshot the first one wrote.
  start_server
  again_ms=$started_ms
  echo "- start-up again, from the columnar snapshot the first start wrote ($(du -m "$data/results.db.columns" | cut -f1) MB): $again_ms ms; resident memory then: $(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server/status") MB" | tee -a "$out"
  kill "$server"; wait "$server" 2>/dev/null || true
  bp=$(port)
  build-bench/bench/bare_http_server "$bp" &
  pids+=($!)
  wait_for "http://127.0.0.1:$bp/"
  bare=$(per_second "http://127.0.0.1:$bp/")
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  line="- \`/api/health\` under 64 connections: $health requests/s; the bare Beast server: $bare requests/s ($(awk -v a="$health" -v b="$bare" 'BEGIN { printf "%d", 100 * a / b }') %)"
  if command -v node >/dev/null && [ ! -f "$work/express.failed" ]; then
    if [ -d "$work/express/node_modules/express" ] || (mkdir -p "$work/express" && cd "$work/express" && npm install --silent --no-audit --no-fund express@4 >/dev/null 2>&1); then
      ep=$(port)
      (cd "$work/express" && node -e "const e=require('express')();e.get('/',(q,r)=>r.json({status:'ok'}));e.listen($ep,'127.0.0.1')") &
      pids+=($!)
      wait_for "http://127.0.0.1:$ep/"
      express=$(per_second "http://127.0.0.1:$ep/")
      kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
      line="$line; an Express hello server: $express requests/s ($(awk -v a="$health" -v b="$express" 'BEGIN { printf "%.1f", a / b }')x)"
    else
      touch "$work/express.failed"
    fi
  fi
  echo "$line" | tee -a "$out"
  echo | tee -a "$out"
  rm -rf "$data"
done
