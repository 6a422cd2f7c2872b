# Helpers shared by the scripts in this folder: `source "$(dirname "$0")/lib.sh"`.

# A random loopback port nothing listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# Waits up to 10 s for URL to answer at all; on failure prints the LOG
# files given after it (the server's output, so the cause is not lost).
wait_for() {
  local url=$1
  shift
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.05
  done
  echo "nothing answers at $url" >&2
  local log
  for log in "$@"; do
    echo "--- $log" >&2
    tail -n 40 "$log" >&2 || true
  done
  return 1
}
