#!/usr/bin/env bash
# Soak test: wrk at 256 connections for SECONDS (default 600) against the
# seed example's cookie endpoints (`/` sets a cookie, `/user` reads one) and
# the login example's session endpoint (`/private` reads and re-signs the
# session cookie on every request). Passes if wrk saw no errors (no socket
# errors, no answer outside 2xx/3xx) and neither server grew: the mean RSS
# of the last minute is within 5% of the second minute's (runs shorter
# than 3 minutes compare the second and the last fifth instead).
#
#   scripts/soak.sh         10 minutes (the figures in docs/floods-and-soak.md)
#   scripts/soak.sh 20      a 20-second smoke run
#   PROFILE=debug scripts/soak.sh 20   the same against a debug build (CI)
#
# Throughput is not the point (other work may share the CPU): wrk's timeout
# is a generous 10 s. Installs wrk from Debian's packages if missing; stops
# only the processes it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
connections=256
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
fi

# PROFILE=debug reuses what `cargo test` built (CI); the figures in the
# docs are from release builds.
profile=${PROFILE:-release}
echo "== building the cookies and login examples ($profile)"
cargo build -q --profile "$([ "$profile" = debug ] && echo dev || echo "$profile")" \
  -p phial --example cookies --example login --example secret_key
EXAMPLES="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/$profile/examples"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

source scripts/lib.sh

COOKIES_PORT=$(free_port)
LOGIN_PORT=$(free_port)
while [ "$LOGIN_PORT" = "$COOKIES_PORT" ]; do LOGIN_PORT=$(free_port); done
RUST_LOG=warn "$EXAMPLES/cookies" "127.0.0.1:$COOKIES_PORT" >"$WORK/cookies.log" 2>&1 &
COOKIES_PID=$!
PIDS+=("$COOKIES_PID")
PHIAL_SECRET_KEY=$("$EXAMPLES/secret_key") RUST_LOG=warn \
  "$EXAMPLES/login" "127.0.0.1:$LOGIN_PORT" >"$WORK/login.log" 2>&1 &
LOGIN_PID=$!
PIDS+=("$LOGIN_PID")
wait_for "http://127.0.0.1:$COOKIES_PORT/" "$WORK/cookies.log"
wait_for "http://127.0.0.1:$LOGIN_PORT/" "$WORK/login.log"

# Log in once; every wrk request replays the session cookie.
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$WORK/jar" \
  --data 'username=ann&password=secret' "http://127.0.0.1:$LOGIN_PORT/login")
[ "$status" = 302 ] || { echo "FAIL: login answered $status" >&2; exit 1; }
SESSION=$(awk '$6 == "session" { print $7 }' "$WORK/jar")
[ -n "$SESSION" ] || { echo "FAIL: no session cookie after login" >&2; exit 1; }
body=$(curl -s -H "Cookie: session=$SESSION" "http://127.0.0.1:$LOGIN_PORT/private")
case $body in *"private page, ann."*) ;; *) echo "FAIL: /private: $body" >&2; exit 1 ;; esac

# Samples: one every tenth of the run, at most every 10 s.
interval=$((seconds / 10))
[ "$interval" -gt 10 ] && interval=10
[ "$interval" -lt 1 ] && interval=1
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

echo "== wrk: $connections connections for ${seconds}s over /, /user (cookies) and /private (session)"
per=$((connections / 3))
WRK=()
wrk -t1 -c"$per" -d"${seconds}s" --timeout 10s \
  "http://127.0.0.1:$COOKIES_PORT/" >"$WORK/wrk-index" 2>&1 &
WRK+=($!)
wrk -t1 -c"$per" -d"${seconds}s" --timeout 10s -H "Cookie: username=bob; theme=dark" \
  "http://127.0.0.1:$COOKIES_PORT/user" >"$WORK/wrk-user" 2>&1 &
WRK+=($!)
wrk -t1 -c"$((connections - 2 * per))" -d"${seconds}s" --timeout 10s -H "Cookie: session=$SESSION" \
  "http://127.0.0.1:$LOGIN_PORT/private" >"$WORK/wrk-private" 2>&1 &
WRK+=($!)
PIDS+=("${WRK[@]}")

printf '%8s %14s %14s\n' "second" "cookies KiB" "login KiB" | tee "$WORK/samples"
start=$SECONDS
while :; do
  sleep "$interval"
  elapsed=$((SECONDS - start))
  [ "$elapsed" -gt "$seconds" ] && break
  printf '%8s %14s %14s\n' "$elapsed" "$(rss "$COOKIES_PID")" "$(rss "$LOGIN_PID")" | tee -a "$WORK/samples"
done
failed=0
for pid in "${WRK[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || { echo "FAIL: wrk failed" >&2; cat "$WORK"/wrk-* >&2; exit 1; }

for name in cookies login; do
  pid_var=${name^^}_PID
  kill -0 "${!pid_var}" 2>/dev/null || { echo "FAIL: the $name server died" >&2; exit 1; }
done

python3 - "$seconds" "$WORK/samples" "$WORK"/wrk-index "$WORK"/wrk-user "$WORK"/wrk-private <<'PY'
import re, sys

seconds, samples_path, *wrk_paths = sys.argv[1:]
seconds = int(seconds)
failures = []

print("\n== wrk")
print(f"{'endpoint':<10} {'requests':>10} {'req/s':>9} {'errors':>7}  details")
for path in wrk_paths:
    text = open(path).read()
    endpoint = "/" + path.rsplit("wrk-", 1)[1].replace("index", "")
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = [int(n) for n in socket.groups()] if socket else [0, 0, 0, 0]
    bad_status = int(non_2xx.group(1)) if non_2xx else 0
    errors = sum(socket_errors) + bad_status
    details = "connect/read/write/timeout {} {} {} {}, non-2xx/3xx {}".format(*socket_errors, bad_status)
    print(f"{endpoint:<10} {requests:>10} {rate:>9.0f} {errors:>7}  {details}")
    if requests == 0 or errors:
        failures.append(f"{endpoint}: {requests} requests, {details}")

rows = [line.split() for line in open(samples_path).read().splitlines()[1:]]
rows = [(int(t), int(a), int(b)) for t, a, b in rows]
if seconds >= 180:
    window, first_start = 60, 60
    labels = ("second minute", "last minute")
else:
    window = first_start = max(seconds // 5, 1)
    labels = ("second fifth", "last fifth")
early = [r for r in rows if first_start < r[0] <= first_start + window]
late = [r for r in rows if r[0] > seconds - window]
print(f"\n== RSS (KiB, mean of the samples in each window)")
print(f"{'server':<8} {labels[0]:>16} {labels[1]:>16} {'change':>8}")
for column, name in ((1, "cookies"), (2, "login")):
    if not early or not late:
        failures.append("too few RSS samples")
        break
    before = sum(r[column] for r in early) / len(early)
    after = sum(r[column] for r in late) / len(late)
    change = (after - before) / before * 100
    print(f"{name:<8} {before:>16.0f} {after:>16.0f} {change:>+7.1f}%")
    if abs(change) > 5:
        failures.append(f"{name}: RSS changed {change:+.1f}% ({before:.0f} -> {after:.0f} KiB)")

if failures:
    print("\nFAIL:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("\n== soak passed: no errors, RSS flat")
PY
