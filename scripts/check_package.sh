#!/usr/bin/env bash
# What an integrator and an operator get, checked from a built tree (BUILD_DIR, default build):
# 1. `cmake --install --component development` into a scratch prefix, then the
#    example in examples/defense_score configured with find_package(achilles)
#    against it, built and run;
# 2. `cpack -G DEB`: the package holds the binary, the hardened unit and the
#    environment file; the binary's --help and the environment file list
#    every setting the sources read.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "check_package: $*" >&2; exit 1; }

# 1. The installed library and its CMake package.
cmake --install "$build" --prefix "$scratch/prefix" --component development >/dev/null
for f in lib/libachilles.a lib/libachilles_column_store.a include/achilles/services/defense_score_service.hpp \
         include/achilles/embedded/column_store.hpp lib/cmake/achilles/achillesConfig.cmake \
         lib/cmake/achilles/achillesConfigVersion.cmake lib/cmake/achilles/achillesTargets.cmake; do
  [ -f "$scratch/prefix/$f" ] || fail "cmake --install left out $f"
done
[ ! -e "$scratch/prefix/include/achilles/embedded/sqlite_results_file.hpp" ] || fail "an adapter header was installed"
cmake -S examples/defense_score -B "$scratch/example" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/example" -j2 >/dev/null
out=$("$scratch/example/defense_score")
[ "$out" = "defense score 66.67% (2 protected of 3 executions)" ] || fail "the example printed: $out"
echo "check_package: examples/defense_score built with find_package(achilles): $out"

# 2. The Debian package.
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/achilles_*.deb | head -1)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/achilles ./usr/lib/systemd/system/achilles.service ./etc/default/achilles \
         ./usr/share/doc/achilles/README.md; do
  grep -q " $f\$" <<<"$contents" || fail "$deb lacks $f"
done
grep -q "include/achilles" <<<"$contents" && fail "$deb carries development headers"
dpkg-deb -f "$deb" Package | grep -qx achilles || fail "package name"
dpkg-deb -f "$deb" Depends | grep -q "libsqlite3" || fail "Depends lacks the shared libraries: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -e "$deb" "$scratch/control"
grep -qx /etc/default/achilles "$scratch/control/conffiles" || fail "/etc/default/achilles is not a conffile"
dpkg-deb -x "$deb" "$scratch/root"
unit="$scratch/root/usr/lib/systemd/system/achilles.service"
for line in DynamicUser=yes StateDirectory=achilles ProtectSystem=strict NoNewPrivileges=yes ProtectHome=yes \
            PrivateTmp=yes CapabilityBoundingSet= "ExecStart=/usr/bin/achilles serve" \
            "EnvironmentFile=-/etc/default/achilles"; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
if command -v systemd-analyze >/dev/null; then
  # The unit's syntax, with the packaged binary where the unit expects it, and its exposure score.
  sed "s|/usr/bin/achilles|$scratch/root/usr/bin/achilles|" "$unit" > "$scratch/achilles.service"
  systemd-analyze verify "$scratch/achilles.service" || fail "systemd-analyze verify refused the unit"
  exposure=$(systemd-analyze security --offline=true "$scratch/achilles.service" 2>/dev/null | grep -o "exposure level for achilles.service: [0-9.]*" || true)
  echo "check_package: systemd-analyze: unit verified; ${exposure:-exposure not scored here}"
fi
# Every environment variable the sources read is documented in --help and the environment file.
help=$("$scratch/root/usr/bin/achilles" --help)
envfile="$scratch/root/etc/default/achilles"
read_names=$(grep -rhoE '(getenv\(|value_of\(env, *|positive\(|env\()"[A-Z][A-Z0-9_]+"' server adapters \
               | grep -oE '"[A-Z][A-Z0-9_]+"' | tr -d '"' | sort -u | grep -vx STATE_DIRECTORY)
[ -n "$read_names" ] || fail "found no settings in the sources"
for name in $read_names; do
  grep -q "^  $name\$" <<<"$help" || fail "achilles --help does not list $name"
  grep -q "^#$name=" "$envfile" || fail "the environment file does not list $name"
done
echo "check_package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KB): binary, hardened unit, $(wc -w <<<"$read_names") settings documented"
