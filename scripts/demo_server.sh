# Sourced by the checks that drive a real server (check_openapi.sh,
# check_dashboard.sh): demo data in a directory, and `achilles serve` on it
# on a free loopback port. Needs $bin (the achilles binary) and $token.

# demo_data DIR NOW_MS: results and Defender demo data ending at NOW_MS.
demo_data() {
  "$bin" demo-data --executions 3000 --seed 7 --now "$2" | "$bin" import --data-dir "$1" - >/dev/null
  "$bin" demo-defender --executions 3000 --seed 7 --now "$2" --data-dir "$1" >/dev/null
}

# start_server DIR LOG: serves DIR with $token as the admin token; sets
# $server (its pid) and $base (its URL) once it answers /api/health.
start_server() {
  local port
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$1" --listen "127.0.0.1:$port" >"$2" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 500); do
      curl -sf "$base/api/health" >/dev/null 2>&1 && return 0
      kill -0 "$server" 2>/dev/null || break  # the port was taken: try another
      sleep 0.02
    done
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  done
  echo "could not start achilles serve; its log:" >&2
  cat "$2" >&2
  return 1
}

stop_server() {
  [ -n "${server:-}" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  server=""
}
