#!/usr/bin/env bash
# A 1 GiB download through phial (the static folder and send_file, in
# examples/files.rs, release build) and through nginx serving the same file
# on loopback: the phial process's peak RSS (VmHWM in /proc/PID/status)
# and each server's throughput as curl sees it (-o /dev/null).
#
# Usage: bench/bigfile.sh [RUNS]   (default 3 downloads per row; the file
# is in the page cache after the first read, for both servers alike)
#
# Installs curl and nginx from Debian's packages if missing. Stops only the
# processes it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}

source scripts/lib.sh
need curl curl
need nginx nginx
NGINX=$(command -v nginx)

echo "== building examples/files.rs (release)"
cargo build -q --release -p phial --example files
FILES="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/examples/files"
[ -x "$FILES" ] || { echo "files example not built at $FILES" >&2; exit 1; }

WORK=$(mktemp -d)
PHIAL_PID=
NGINX_PID=
cleanup() {
  for pid in $PHIAL_PID $NGINX_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $PHIAL_PID $NGINX_PID; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT


mkdir -p "$WORK/files" "$WORK/temp"
echo "== writing a 1 GiB file of random bytes"
head -c $((1 << 30)) /dev/urandom >"$WORK/files/big.bin"
SIZE=$(stat -c %s "$WORK/files/big.bin")

PORTS=()
while [ "$(printf '%s\n' "${PORTS[@]}" | sort -u | grep -c .)" != 3 ]; do
  PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
done
PHIAL_PORT=${PORTS[0]}
NGINX_PORT=${PORTS[1]}
NGINX_OFF_PORT=${PORTS[2]}

FILES_DIR="$WORK/files" RUST_LOG=warn "$FILES" "127.0.0.1:$PHIAL_PORT" >"$WORK/phial.log" 2>&1 &
PHIAL_PID=$!

# A one-worker nginx on loopback serving the folder at /static/ twice:
# with sendfile on (Debian's default nginx.conf) and off (nginx reads the
# file into its buffers, as phial does). Started before any download, so
# no client's ephemeral port can take its ports.
{
  nginx_conf_head "$WORK"
  cat <<CONF
  tcp_nopush on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    sendfile on;
    location /static/ { alias $WORK/files/; }
  }
  server {
    listen 127.0.0.1:$NGINX_OFF_PORT;
    sendfile off;
    location /static/ { alias $WORK/files/; }
  }
}
CONF
} >"$WORK/nginx.conf"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!

hwm() { awk '/VmHWM/ {print $2}' "/proc/$PHIAL_PID/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$PHIAL_PID/status"; }

# download URL: one download, checked complete; prints MB/s.
download() {
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{speed_download}' "$1")
  set -- $out
  [ "$1" = 200 ] || { echo "status $1 for a download" >&2; exit 1; }
  [ "$2" = "$SIZE" ] || { echo "got $2 of $SIZE bytes" >&2; exit 1; }
  awk -v s="$3" 'BEGIN { printf "%.0f", s / 1e6 }'
}

# row NAME URL: RUNS downloads one after the other; prints each speed.
row() {
  local name=$1 url=$2 speeds=()
  for _ in $(seq "$RUNS"); do
    speeds+=("$(download "$url")")
  done
  local median
  median=$(printf '%s\n' "${speeds[@]}" | sort -n | awk '{ v[NR] = $1 } END {
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '%-30s median %5s MB/s  (runs: %s)\n' "$name" "$median" "${speeds[*]}"
}

wait_for "http://127.0.0.1:$PHIAL_PORT/static/missing"
wait_for "http://127.0.0.1:$NGINX_PORT/static/"
wait_for "http://127.0.0.1:$NGINX_OFF_PORT/static/"
echo "== phial started: VmRSS $(rss) kB, VmHWM $(hwm) kB"
# Warms the page cache for both servers.
cat "$WORK/files/big.bin" >/dev/null

echo "== throughput (1 GiB, one download at a time; load average: $(cut -d' ' -f1 /proc/loadavg))"
row "phial, static folder" "http://127.0.0.1:$PHIAL_PORT/static/big.bin"
row "phial, send_from_directory" "http://127.0.0.1:$PHIAL_PORT/download/big.bin"
echo "phial peak RSS after sequential downloads: VmHWM $(hwm) kB"

echo "== four downloads at once through phial"
pids=()
for _ in 1 2 3 4; do
  curl -s -o /dev/null "http://127.0.0.1:$PHIAL_PORT/static/big.bin" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "phial peak RSS after 4 concurrent downloads: VmHWM $(hwm) kB"

row "nginx 1 worker, sendfile on" "http://127.0.0.1:$NGINX_PORT/static/big.bin"
row "nginx 1 worker, sendfile off" "http://127.0.0.1:$NGINX_OFF_PORT/static/big.bin"

echo "== a range: the last MiB"
curl -s -o /dev/null -w 'phial 206: %{http_code} %{size_download} bytes\n' \
  -H "Range: bytes=-1048576" "http://127.0.0.1:$PHIAL_PORT/static/big.bin"
echo "phial final VmHWM $(hwm) kB"
