#!/usr/bin/env bash
# Installs the Debian 12 packages Achilles C++ needs to build, test and benchmark.
# Idempotent: only missing packages are installed. Runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libfmt-dev catch2 libsqlite3-dev
  libbenchmark-dev curl
  dpkg-dev file
)

for option in "$@"; do
  case "$option" in
    # clang and its libFuzzer runtime (scripts/fuzz.sh).
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    # wrk, the HTTP load generator of bench/engine.sh.
    --bench) packages+=(wrk) ;;
    # Debian's Chromium and Firefox ESR and a font, for the dashboard's
    # browser tests (scripts/check_dashboard.sh); Node.js and npm are the machine's.
    --browser) packages+=(chromium firefox-esr fonts-dejavu-core) ;;
    *) echo "setup: unknown option $option (--fuzz, --bench, --browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
