#!/usr/bin/env bash
# Peak RSS of phial receiving one large multipart upload (issue 24, point
# 5): bench/default's `phial-upload` (default features, App::run, body
# limit 4 GiB), curl -F posting a file of random bytes, the server's
# VmRSS before and VmHWM after read from /proc/PID/status. Three runs:
# with a Content-Length, chunked (no length: parsed as it arrives all the
# same), and with the spool threshold raised over the file's size (the
# body read whole, as before uploads were spooled) for comparison.
# Only the server this script starts is stopped, by PID; the file and the
# spool folder live under WORK_PARENT (bench/target by default) and are
# removed at the end. A file written with write() is not in the writer's
# RSS, on a disk or on a tmpfs alike (WORK_PARENT=/dev/shm when the disk
# lacks the room: twice the upload's size).
#
#   bench/bigupload.sh               1 GiB
#   SIZE_MIB=256 bench/bigupload.sh
set -euo pipefail
cd "$(dirname "$0")"
size_mib=${SIZE_MIB:-1024}
port=18190

cargo build --release --quiet --manifest-path default/Cargo.toml --target-dir target --bin phial-upload
mkdir -p target
work=$(mktemp -d -p "${WORK_PARENT:-$PWD/target}" bigupload.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

file=$work/upload.bin
head -c "$((size_mib << 20))" /dev/urandom >"$file"
mkdir "$work/spool"

kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# run LABEL THRESHOLD [curl arguments...]
run() {
  local label=$1 threshold=$2
  shift 2
  port=$((port + 1))
  SPOOL_DIR=$work/spool SPOOL_THRESHOLD=$threshold RUST_LOG=warn \
    target/release/phial-upload "127.0.0.1:$port" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
  done
  local before after answer seconds left
  before=$(kib "$server_pid" VmRSS)
  answer=$(curl -sS -w ' %{time_total}' "$@" -F "file=@$file" "http://127.0.0.1:$port/upload")
  after=$(kib "$server_pid" VmHWM)
  seconds=${answer##* }
  left=$(find "$work/spool" -type f | wc -l)
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  printf '%-28s RSS before %7s KiB, peak %8s KiB, %6.1f s (%5.0f MiB/s), answer: %s, files left in the spool folder: %s\n' \
    "$label" "$before" "$after" "$seconds" "$(echo "$size_mib / $seconds" | bc -l)" \
    "$(echo "${answer% *}" | tr -d '\n')" "$left"
}

echo "upload of $size_mib MiB, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), in $(df --output=fstype "$work" | tail -1)"
run "Content-Length" 512000
run "chunked" 512000 -H "Transfer-Encoding: chunked"
run "read whole (threshold > size)" "$(((size_mib + 1) << 20))"
