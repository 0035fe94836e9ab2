#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, contract, http).
# Warnings are errors here. BUILD_DIR (build) picks the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACHILLES_WERROR=ON >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
