# Sourced by the checks that drive a real server (check_openapi.sh,
# check_dashboard.sh): demo data in a directory, and `achilles serve` on it
# on a port the kernel picks. Needs $bin (the achilles binary) and $token.

# demo_data DIR NOW_MS: results and Defender demo data ending at NOW_MS.
demo_data() {
  "$bin" demo-data --executions 3000 --seed 7 --now "$2" | "$bin" import --data-dir "$1" - >/dev/null || return 1
  "$bin" demo-defender --executions 3000 --seed 7 --now "$2" --data-dir "$1" >/dev/null || return 1
}

# start_server DIR LOG: serves DIR with $token as the admin token on
# 127.0.0.1:0; sets $server (its pid) and $base (its URL, from the port the
# server prints) once it answers /api/health. On failure, prints its log.
start_server() {
  ACHILLES_ADMIN_TOKEN=$token ACHILLES_ACCESS_LOG=0 "$bin" serve --data-dir "$1" --listen 127.0.0.1:0 >"$2" 2>&1 &
  server=$!
  base=""
  local port
  for _ in $(seq 1 1000); do
    if ! kill -0 "$server" 2>/dev/null; then break; fi
    port=$(sed -n 's|^achilles: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$2")
    if [ -n "$port" ] && curl -sf --max-time 2 "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then
      base="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.02
  done
  echo "could not start achilles serve; its log:" >&2
  cat "$2" >&2
  stop_server
  return 1
}

stop_server() {
  if [ -n "${server:-}" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=""
}
