#!/usr/bin/env bash
# Sets up, builds (Release) and runs the server on the embedded store.
# On first run (an empty data dir) it loads demo data. Environment:
#   DATA_DIR (./data)  LISTEN (127.0.0.1:8080)  DEMO_EXECUTIONS (50000)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target achilles_cli

data_dir=${DATA_DIR:-./data}
bin=build/server/achilles
if [ ! -s "$data_dir/results.db" ]; then
  echo "run: first start, loading ${DEMO_EXECUTIONS:-50000} demo executions and their Defender data into $data_dir"
  # One instant for both, so the alerts fall where their executions are.
  now=$(date +%s%3N)
  "$bin" demo-data --executions "${DEMO_EXECUTIONS:-50000}" --now "$now" | "$bin" import --data-dir "$data_dir" -
  "$bin" demo-defender --executions "${DEMO_EXECUTIONS:-50000}" --now "$now" --data-dir "$data_dir"
fi
exec "$bin" serve --data-dir "$data_dir" --listen "${LISTEN:-127.0.0.1:8080}"
