#!/usr/bin/env bash
# The seed app built with `default-features = false`: it serves the two
# seed endpoints, and `App::run` says on stderr that no log subscriber is
# installed (the `logging` feature is off). Kills only the server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo build -q -p phial --no-default-features --example cookies
port=$(free_port)
log=$(mktemp)
"$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/examples/cookies" "127.0.0.1:$port" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
wait_for "http://127.0.0.1:$port/" "$log"
fail() { echo "lean seed app: $*" >&2; cat "$log" >&2; exit 1; }
[ "$(curl -s "http://127.0.0.1:$port/")" = "Hello, World!" ] || fail "GET / did not say Hello, World!"
curl -s -D - -o /dev/null "http://127.0.0.1:$port/" | grep -qi '^set-cookie: username=bob; Path=/' ||
  fail "GET / did not set the username cookie"
[ "$(curl -s -H 'Cookie: username=ann' "http://127.0.0.1:$port/user")" = "Hello, ann!" ] ||
  fail "GET /user did not read the cookie"
grep -q "No log subscriber" "$log" || fail "no word on stderr about the missing log subscriber"
echo "lean seed app: 3 answers and the log-subscriber notice as expected"
