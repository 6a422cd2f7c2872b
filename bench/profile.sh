#!/usr/bin/env bash
# Instruction counts per request under valgrind's callgrind: deterministic,
# so unlike req/s they can be compared on a busy machine.
#
#   bench/profile.sh                 every server, both endpoints
#   bench/profile.sh phial /user     one server, one endpoint
#   REQUESTS=20000 bench/profile.sh
#
# Prints instructions per request (counted from after a 1 s warm-up to the
# end, divided by the requests wrk completed) and leaves the callgrind files in
# target/callgrind/ for `callgrind_annotate`.
set -euo pipefail
cd "$(dirname "$0")"

servers=(${1:-hyper hyper-h1 phial axum actix})
endpoints=(${2:-/ /user})
duration=${DURATION:-5}
port=18180
out=target/callgrind
mkdir -p "$out"
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet --bins

server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

for server in "${servers[@]}"; do
  for endpoint in "${endpoints[@]}"; do
    port=$((port + 1))
    name="$server${endpoint//\//_}"
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.out" \
      "target/release/$server" "127.0.0.1:$port" >/dev/null 2>"$out/$name.log" &
    server_pid=$!
    for _ in $(seq 200); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.1
    done
    header=()
    [ "$endpoint" = /user ] && header=(-H "Cookie: username=bob; theme=dark; session=abc123")
    # Warm up (connections, buffers, lazily built state), then count from zero.
    wrk -t1 -c8 -d1s "${header[@]}" "http://127.0.0.1:$port$endpoint" >/dev/null
    callgrind_control --zero "$server_pid" >/dev/null 2>&1
    output=$(wrk -t1 -c8 -d"${duration}s" "${header[@]}" "http://127.0.0.1:$port$endpoint")
    requests=$(echo "$output" | awk '/requests in/ { print $1 }')
    kill -INT "$server_pid" 2>/dev/null || true
    # A server that ignores SIGINT gets SIGTERM; callgrind writes its file either way.
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    total=$(awk '/^summary:|^totals:/ { print $2; exit }' "$out/$name.out")
    printf '%-6s %-6s %8d requests %14d instructions %8d per request\n' \
      "$server" "$endpoint" "$requests" "$total" "$((total / requests))"
  done
done
