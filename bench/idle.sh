#!/usr/bin/env bash
# Memory per idle keep-alive connection (issue 24, point 5): each server of
# bench/run.sh answers one `GET /`, then the client (src/bin/idle.rs) opens
# COUNT connections, sends `GET /` on each, reads the answer and keeps
# them open. The server's VmRSS before (after one request) and with all
# the connections open, from /proc/PID/status; the difference divided by
# COUNT is the figure (user-space memory only: the kernel's socket buffers
# are not in RSS). phial closes a keep-alive connection idle for
# `header_read_timeout` (30 s): the reading is taken as soon as the last
# connection is open, well within it. As in bench/run.sh, the server is
# pinned to CPU 1 and the client to CPU 0 (unpinned, the spread of
# connections over the runtime's two threads moved phial's figure by 128
# bytes from one build to the next). Only the processes this script starts
# are stopped, by PID.
#
#   bench/idle.sh                 10,000 connections, each server once
#   COUNT=1000 ROUNDS=3 SERVERS="hyper phial" bench/idle.sh
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-10000}
rounds=${ROUNDS:-1}
# SERVERS="hyper phial" picks some (any binary in target/release).
servers=(${SERVERS:-hyper phial phial-default axum actix})
port=18290
ulimit -n "$((count + 1000))"

cargo build --release --quiet --bins
cargo build --release --quiet --manifest-path default/Cargo.toml --target-dir target --bin phial-default
mkdir -p target
server_pid="" client_pid=""
cleanup() {
  if [ -n "$client_pid" ]; then kill "$client_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
pin_server="" pin_client=""
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 1" pin_client="taskset -c 0"
fi
kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

echo "$count idle connections, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  for server in "${servers[@]}"; do
    port=$((port + 1))
    $pin_server target/release/"$server" "127.0.0.1:$port" >/dev/null 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.05
    done
    curl -sS -o /dev/null "http://127.0.0.1:$port/"
    before=$(kib "$server_pid" VmRSS)
    out=target/idle-client.out
    : >"$out"
    $pin_client target/release/idle "127.0.0.1:$port" "$count" >"$out" &
    client_pid=$!
    until grep -q '^open' "$out"; do
      kill -0 "$client_pid" 2>/dev/null || { echo "the client failed" >&2; exit 1; }
      sleep 0.05
    done
    after=$(kib "$server_pid" VmRSS)
    peak=$(kib "$server_pid" VmHWM)
    kill "$client_pid"
    wait "$client_pid" 2>/dev/null || true
    client_pid=""
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    printf 'round %s %-14s RSS %7s KiB -> %8s KiB (peak %8s): %6.0f bytes per connection\n' \
      "$round" "$server" "$before" "$after" "$peak" "$(echo "($after - $before) * 1024 / $count" | bc -l)"
  done
done
