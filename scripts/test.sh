#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, contract, http), then
# checks the installed library (examples/) and the Debian package.
# Warnings are errors here. BUILD_DIR (build) picks the build directory.
# --sanitize: the same suite built with AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
if [ "${1:-}" = "--sanitize" ]; then
  # The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in
  # a build directory of its own (build-sanitize unless BUILD_DIR says).
  build=${BUILD_DIR:-build-sanitize}
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACHILLES_WERROR=ON -DACHILLES_SANITIZE=ON \
        -DACHILLES_CHECK_HEADERS=OFF >/dev/null
  cmake --build "$build" -j2
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  ctest --test-dir "$build" --output-on-failure -j2 --timeout 600
  exit 0
fi
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACHILLES_WERROR=ON >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
# The installed library with an example consumer, and the Debian package.
BUILD_DIR="$build" bash scripts/check_package.sh
# The OpenAPI document: a standard validator, and real responses against its schemas.
BUILD_DIR="$build" bash scripts/check_openapi.sh
# The built-in dashboard in headless Chromium and Firefox; screenshots in $build/dashboard-screenshots.
BUILD_DIR="$build" bash scripts/check_dashboard.sh
