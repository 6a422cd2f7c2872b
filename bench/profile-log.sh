#!/usr/bin/env bash
# Instruction counts per request of the seed app as users build and run it:
# examples/cookies.rs, phial's default features, `App::run` (its log
# subscriber, the access log on), stdout redirected to a file; then the same
# binary with `RUST_LOG=warn` (no access log). Callgrind counts every thread
# of the process (the log writer's too), so the figures include the cost of
# writing the log, not only of formatting it.
#
#   bench/profile-log.sh                 both endpoints, log on and off
#   BINARY=/tmp/cookies bench/profile-log.sh   another build of the seed app
#
# Counted from after a 1 s warm-up to the end, divided by the requests wrk
# completed, as bench/profile.sh does.
set -euo pipefail
cd "$(dirname "$0")"

duration=${DURATION:-5}
port=18280
out=target/callgrind
mkdir -p "$out"
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
if [ -z "${BINARY:-}" ]; then
  (cd .. && cargo build --release --quiet --example cookies)
  BINARY=../target/release/examples/cookies
fi

server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

for log in info warn; do
  for endpoint in / /user; do
    port=$((port + 1))
    name="seed-log-$log${endpoint//\//_}"
    RUST_LOG=$log valgrind --tool=callgrind --callgrind-out-file="$out/$name.out" \
      "$BINARY" "127.0.0.1:$port" >"$out/$name.stdout" 2>"$out/$name.log" &
    server_pid=$!
    for _ in $(seq 200); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.1
    done
    header=()
    [ "$endpoint" = /user ] && header=(-H "Cookie: username=bob; theme=dark; session=abc123")
    wrk -t1 -c8 -d1s "${header[@]}" "http://127.0.0.1:$port$endpoint" >/dev/null
    callgrind_control --zero "$server_pid" >/dev/null 2>&1
    output=$(wrk -t1 -c8 -d"${duration}s" "${header[@]}" "http://127.0.0.1:$port$endpoint")
    requests=$(echo "$output" | awk '/requests in/ { print $1 }')
    # SIGTERM: the graceful shutdown (SIGINT is ignored by a background
    # job of a script). The log is flushed before the process exits.
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    total=$(awk '/^summary:|^totals:/ { print $2; exit }' "$out/$name.out")
    lines=$(grep -c 'phial::access' "$out/$name.stdout" || true)
    printf 'RUST_LOG=%-4s %-6s %8d requests %14d instructions %8d per request %8d access lines\n' \
      "$log" "$endpoint" "$requests" "$total" "$((total / requests))" "$lines"
  done
done
