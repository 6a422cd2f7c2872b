#!/usr/bin/env bash
# Runs slowhttptest (Debian package `slowhttptest`) against the seed app in
# its three slow-client modes, one after the other, with phial's default
# timeouts: slow headers (-H, Slowloris), slow body (-B, R-U-Dead-Yet) and
# slow read (-X). For each it prints slowhttptest's last status lines (was
# the service available? how many connections did the server close?) and
# the count of the server's own log lines for the closes. The record of a
# run is in docs/hostile-input.md. Not part of .ci/run: it takes minutes.
#
#   scripts/slowhttptest.sh            # 100 s a mode, 100 connections
#   LENGTH=120 CONNECTIONS=200 scripts/slowhttptest.sh
#
# Starts the example on a free loopback port, in a folder whose static/ holds
# an 8 MiB file for the slow reads to ask for: the seed app's own pages, or
# anything under the 4 MiB the kernel may buffer for a socket, are written
# out at once and never stall a write. Stops it (by PID) at the end;
# slowhttptest's CSV and HTML reports go to target/slowhttptest/.
set -euo pipefail
cd "$(dirname "$0")/.."

LENGTH=${LENGTH:-100}
CONNECTIONS=${CONNECTIONS:-100}

command -v slowhttptest >/dev/null || {
  echo "slowhttptest is missing: apt-get install slowhttptest" >&2
  exit 1
}
cargo build --quiet --release --example cookies

out=target/slowhttptest
mkdir -p "$out/site/static"
head -c 8388608 /dev/zero >"$out/site/static/big.bin"
binary=$PWD/target/release/examples/cookies
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  true
}
trap cleanup EXIT

(cd "$out/site" && RUST_LOG=info NO_COLOR=1 exec "$binary" 127.0.0.1:0) \
  >"$out/server.log" 2>"$out/server.stderr" &
server_pid=$!
for _ in $(seq 100); do
  grep -q "Running on" "$out/server.stderr" 2>/dev/null && break
  sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$out/server.stderr" | head -n 1)
[ -n "$base" ] || { echo "the seed app did not start:"; cat "$out/server.stderr"; exit 1; }
echo "seed app at $base (pid $server_pid), $CONNECTIONS connections, $LENGTH s a mode"

# name, mode, path, the server's log line for its close, extra arguments
run() {
  local name=$1 mode=$2 path=$3 closes=$4
  shift 4
  local before
  before=$(grep -c -- "$closes" "$out/server.log" || true)
  echo
  echo "== $name: slowhttptest $mode -c $CONNECTIONS -r 50 -l $LENGTH $* -u $base$path"
  slowhttptest "$mode" -c "$CONNECTIONS" -r 50 -l "$LENGTH" "$@" -u "$base$path" \
    -g -o "$out/$name" >"$out/$name.txt" 2>&1 &
  local attack=$!
  # The server's side of the connections shortly before the end: a socket
  # phial has closed while the kernel still holds data the client hasn't
  # taken is in FIN-WAIT-1, and the client still counts it as connected.
  local port=${base##*:} states=""
  for _ in $(seq $((LENGTH - 5))); do
    sleep 1
    kill -0 "$attack" 2>/dev/null || break
    states=$(ss -tn "( sport = :$port )" | tail -n +2 | awk '{print $1}' | sort | uniq -c | xargs)
  done
  wait "$attack" || true
  # slowhttptest redraws a status block every second: keep the last one.
  sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out/$name.txt" | grep -E \
    "status on|pending:|connected:|error:|closed:|service available:|Test ended|Exit status:" |
    tail -n 8
  # The CSV has a row a second: Seconds,Closed,Pending,Connected,Service Available.
  awk -F, 'NR > 1 {
      if ($2 > 0 && first == "") first = $1
      last = $1; closed = $2
      if ($5 == 0) down++
    }
    END {
      printf "closed by then: %d, the first at second %s; seconds unavailable: %d of %d\n",
        closed, first, down, last + 1
    }' "$out/$name.csv"
  local after
  after=$(grep -c -- "$closes" "$out/server.log" || true)
  echo "server log lines \"$closes\": $((after - before))"
  echo "server-side sockets, last look before the end: ${states:-none}"
  curl -s -o /dev/null -w "afterwards: GET / -> %{http_code} in %{time_total} s\n" "$base/"
}

run slow-headers -H / "request head not received within" -i 10
run slow-body -B / "body not received within" -i 10 -s 8192
run slow-read -X /static/big.bin "read none of the response for" -n 10 -w 1 -y 32 -z 32
