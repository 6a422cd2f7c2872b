# A throwaway Redis server for the session tests (tests/sessions_redis.rs)
# and the deployment check (scripts/deploy-check.sh): sourced by .ci/run,
# which calls `start_redis` before `cargo test` and `stop_redis` when it
# exits.
#
#   source scripts/redis.sh && start_redis   # exports PHIAL_TEST_REDIS_URL
#   cargo test -p phial --features redis-sessions --test integration sessions_redis
#   stop_redis
#
# Installs Debian's `redis-server` if it is missing (as root), then runs
# its own server in a temporary folder on 127.0.0.1 and a free port, no
# persistence. It never touches a server that was there before, and stops
# only the one it started, by its pid.

PHIAL_REDIS_DIR=""
PHIAL_REDIS_PID=""

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "Redis is missing: apt-get install redis-server (as root)" >&2
      return 1
    fi
    echo "== apt-get install redis-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  PHIAL_REDIS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/phial-redis.XXXXXX")
  # A port on 127.0.0.1: a random one, another if it is taken.
  local port attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    redis-server --bind 127.0.0.1 --port "$port" --dir "$PHIAL_REDIS_DIR" \
      --save "" --appendonly no --daemonize no \
      --logfile "$PHIAL_REDIS_DIR/server.log" &
    PHIAL_REDIS_PID=$!
    local waited
    for waited in $(seq 1 50); do
      if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        export PHIAL_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
        echo "== Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port (pid $PHIAL_REDIS_PID)"
        return 0
      fi
      if ! kill -0 "$PHIAL_REDIS_PID" 2>/dev/null; then
        break
      fi
      sleep 0.1
    done
    kill "$PHIAL_REDIS_PID" 2>/dev/null || true
    wait "$PHIAL_REDIS_PID" 2>/dev/null || true
  done
  cat "$PHIAL_REDIS_DIR/server.log" >&2
  return 1
}

stop_redis() {
  if [ -n "$PHIAL_REDIS_PID" ]; then
    kill "$PHIAL_REDIS_PID" 2>/dev/null || true
    wait "$PHIAL_REDIS_PID" 2>/dev/null || true
  fi
  if [ -n "$PHIAL_REDIS_DIR" ]; then
    rm -rf "$PHIAL_REDIS_DIR"
  fi
  PHIAL_REDIS_PID=""
  PHIAL_REDIS_DIR=""
}
