#!/usr/bin/env bash
# Replays the seed app's session with curl and curl's own cookie jar:
#   GET /      -> 200, text/html, "Hello, World!" and "Set-Cookie: username=bob; Path=/"
#   GET /user  -> "Hello, bob!" with the jar (and no Set-Cookie), "Hello, Guest!" without.
# Starts the example on a free loopback port and stops it (by PID) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }
cargo build --quiet --example cookies

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

RUST_LOG=warn ./target/debug/examples/cookies 127.0.0.1:0 2>"$work/stderr" &
server_pid=$!
for _ in $(seq 100); do
  grep -q "Running on" "$work/stderr" 2>/dev/null && break
  sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/stderr" | head -n 1)
[ -n "$base" ] || { echo "the seed app did not start:"; cat "$work/stderr"; exit 1; }

failures=0
passes=0
check() { # name expected actual
  if [ "$2" == "$3" ]; then
    echo "ok: $1"
    passes=$((passes + 1))
  else
    echo "FAILED: $1: expected [$2], got [$3]"
    failures=$((failures + 1))
  fi
}

# The README's "Quick start" output: status line, content type, one Set-Cookie.
check "GET / body" "Hello, World!" "$(curl -s -c "$work/jar" -D "$work/headers" "$base/")"
check "GET / status line" "HTTP/1.1 200 OK" "$(head -n 1 "$work/headers" | tr -d '\r')"
check "GET / content-type" "content-type: text/html; charset=utf-8" \
  "$(grep -i '^content-type:' "$work/headers" | tr -d '\r')"
check "GET / Set-Cookie" "set-cookie: username=bob; Path=/" \
  "$(grep -i '^set-cookie:' "$work/headers" | tr -d '\r')"
check "GET /user with the jar" "Hello, bob!" \
  "$(curl -s -b "$work/jar" -c "$work/jar" -D "$work/user-headers" "$base/user")"
check "GET /user sets no cookie" "" "$(grep -i '^set-cookie:' "$work/user-headers" || true)"
check "GET /user without cookies" "Hello, Guest!" "$(curl -s "$base/user")"
check "the jar holds username=bob" "bob" "$(awk '$6 == "username" { print $7 }' "$work/jar")"
check "the jar's cookie: host-only 127.0.0.1, path /, session" "127.0.0.1 FALSE / 0" \
  "$(awk '$6 == "username" { print $1, $2, $3, $5 }' "$work/jar")"

echo "curl-seed: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
