#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (fuzz/) and runs each for SECONDS
# (default 60). A crash stops the run and leaves its input in fuzz/findings/;
# add it to fuzz/regressions/<target>/ so it is replayed on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash scripts/setup.sh --fuzz
build=${BUILD_DIR:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACHILLES_FUZZ=ON \
  -DACHILLES_BUILD_TESTS=OFF >/dev/null
targets=(fuzz_filter_params fuzz_import_line fuzz_api_request fuzz_http_request fuzz_bearer_token fuzz_graph_payload)
cmake --build "$build" -j2 --target "${targets[@]}"
mkdir -p fuzz/findings
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  corpus=$(mktemp -d)
  [ -d "fuzz/corpus/$name" ] && cp -r "fuzz/corpus/$name/." "$corpus/"
  if [ -d "fuzz/regressions/$name" ]; then
    "$build/fuzz/$t" -runs=0 "fuzz/regressions/$name"  # every earlier crash input, replayed
  fi
  echo "fuzz: $t for ${seconds}s"
  # -rss_limit_mb: a run whose resident memory passes 2 GB fails (the bound in docs/security.md).
  "$build/fuzz/$t" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/findings/$name-" "$corpus" 2>&1 | grep -E "^(Done|stat::peak_rss_mb|stat::number_of_executed_units)|ERROR|SUMMARY"
  rm -rf "$corpus"
done
echo "fuzz: no crash"
