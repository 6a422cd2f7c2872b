#!/usr/bin/env bash
# HTTP/2 floods against a build of examples/slow.rs: Rapid Reset
# and CONTINUATION floods (scripts/h2flood.py), with a probe client served
# and the server's RSS bounded throughout. About 30 s; run by .ci/run.
#
#   scripts/floods.sh                 100,000 reset streams
#   STREAMS=20000 scripts/floods.sh   fewer
#   PROFILE=debug scripts/floods.sh   against a debug build (CI)
#
# Installs Python's `h2` package if missing; stops only the server it
# started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import h2' 2>/dev/null; then
  echo "installing the h2 package for Python"
  # A Debian-managed Python refuses plain pip installs: fall back to its
  # own package.
  python3 -m pip install --quiet h2 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages h2 2>/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-h2 >/dev/null
  }
fi

# PROFILE=debug reuses what `cargo test` built (CI); the figures in the
# docs are from release builds.
profile=${PROFILE:-release}
echo "== building examples/slow.rs ($profile)"
cargo build -q --profile "$([ "$profile" = debug ] && echo dev || echo "$profile")" -p phial --example slow
SLOW="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/$profile/examples/slow"

LOG=$(mktemp)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap cleanup EXIT

RUST_LOG=warn "$SLOW" 127.0.0.1:0 2>"$LOG" >/dev/null &
SERVER_PID=$!
PORT=
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/^ \* Running on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$LOG")
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "$PORT" ] || { echo "the server printed no banner:" >&2; cat "$LOG" >&2; exit 1; }
echo "== server PID $SERVER_PID on port $PORT"

python3 scripts/h2flood.py "$PORT" "$SERVER_PID" --streams "${STREAMS:-100000}"

kill -0 "$SERVER_PID" 2>/dev/null || { echo "FAIL: the server died" >&2; exit 1; }
