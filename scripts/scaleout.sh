#!/usr/bin/env bash
# Scale-out proof: sessions live in signed cookies, so instances that share
# the secret key serve one user whichever of them answers.
#
# Starts 3 instances of examples/login.rs behind nginx (round-robin, loopback
# only), logs in through nginx, checks that 100 follow-up requests land on
# all 3 instances and all see the login; then restarts the instances with a
# new key and the old one as fallback (the old cookie still works), then
# without the old key (the old cookie no longer does). Last, starts one
# instance with no key at all: a release build says so at startup and
# answers 500 where the session is needed.
#
# The examples are built in release, as they would be deployed (a release
# build is also what refuses to run sessions without a key).
#
# Installs nginx from Debian's packages if it is missing. Stops only the
# processes it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib.sh
need curl curl
need nginx nginx
NGINX=$(command -v nginx)

echo "== building examples/login.rs and examples/secret_key.rs (release)"
cargo build -q --release -p phial --example login --example secret_key
LOGIN="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/examples/login"
[ -x "$LOGIN" ] || { echo "login example not built at $LOGIN" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
NGINX_PID=
cleanup() {
  for pid in "${PIDS[@]}" $NGINX_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}" $NGINX_PID; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT


PORTS=()
while [ "$(printf '%s\n' "${PORTS[@]}" | sort -u | grep -c .)" != 4 ]; do
  PORTS=("$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)")
done
PROXY=${PORTS[3]}

# start_instances KEY [FALLBACKS]
start_instances() {
  local key=$1 fallbacks=${2:-}
  PIDS=()
  for i in 0 1 2; do
    PHIAL_SECRET_KEY=$key PHIAL_SECRET_KEY_FALLBACKS=$fallbacks INSTANCE="instance-$((i + 1))" \
      RUST_LOG=warn "$LOGIN" "127.0.0.1:${PORTS[$i]}" >>"$WORK/instances.log" 2>&1 &
    PIDS+=($!)
  done
  for i in 0 1 2; do
    wait_for "http://127.0.0.1:${PORTS[$i]}/"
  done
}

stop_instances() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

{
  nginx_conf_head "$WORK"
  cat <<CONF
  upstream login {
    server 127.0.0.1:${PORTS[0]};
    server 127.0.0.1:${PORTS[1]};
    server 127.0.0.1:${PORTS[2]};
  }
  server {
    listen 127.0.0.1:$PROXY;
    location / {
      proxy_pass http://login;
      proxy_set_header Host \$host;
    }
  }
}
CONF
} >"$WORK/nginx.conf"

KEY1=$("${LOGIN%/login}/secret_key")
KEY2=$("${LOGIN%/login}/secret_key")
BASE="http://127.0.0.1:$PROXY"

echo "== 3 instances on ports ${PORTS[0]} ${PORTS[1]} ${PORTS[2]} with key 1, nginx on $PROXY"
start_instances "$KEY1"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" &
NGINX_PID=$!
wait_for "$BASE/"

JAR="$WORK/jar"
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" \
  --data 'username=ann&password=secret' "$BASE/login")
[ "$status" = 302 ] || { echo "login through nginx answered $status" >&2; exit 1; }
cp "$JAR" "$WORK/jar-key1"
echo "logged in through nginx (302), session cookie signed with key 1"

# requests JAR COUNT [update]: COUNT GETs of /private; prints how many saw
# the login, then the instances that answered with their counts.
requests() {
  local jar=$1 count=$2 update=${3:-} seen=0 headers body
  : >"$WORK/instances"
  for _ in $(seq 1 "$count"); do
    if [ -n "$update" ]; then
      body=$(curl -s -D "$WORK/headers" -c "$jar" -b "$jar" "$BASE/private")
    else
      body=$(curl -s -D "$WORK/headers" -b "$jar" "$BASE/private")
    fi
    case $body in *"private page, ann."*) seen=$((seen + 1)) ;; esac
    tr -d '\r' <"$WORK/headers" | sed -n 's/^[Xx]-[Ii]nstance: //p' >>"$WORK/instances"
  done
  echo "$seen $(sort "$WORK/instances" | uniq -c | awk '{printf "%s=%s ", $2, $1}')"
}

check() {
  local what=$1 got=$2 want=$3 instances
  instances=$(echo "$got" | cut -d' ' -f2- | wc -w)
  if [ "${got%% *}" != "$want" ] || [ "$instances" != 3 ]; then
    echo "FAIL: $what: $got (wanted $want logged in, over 3 instances)" >&2
    exit 1
  fi
  echo "ok: $what: ${got%% *} logged in; by instance: ${got#* }"
}

check "100 requests after login" "$(requests "$JAR" 100 update)" 100

echo "== restart with key 2, key 1 as fallback"
stop_instances
start_instances "$KEY2" "$KEY1"
check "30 requests replaying the key-1 cookie" "$(requests "$WORK/jar-key1" 30)" 30
cp "$WORK/jar-key1" "$JAR"
check "30 requests, cookie rewritten with key 2" "$(requests "$JAR" 30 update)" 30
cp "$JAR" "$WORK/jar-key2"

echo "== restart with key 2 only (key 1 removed)"
stop_instances
start_instances "$KEY2"
check "30 requests replaying the key-1 cookie" "$(requests "$WORK/jar-key1" 30)" 0
status=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$WORK/jar-key1" "$BASE/private")
[ "$status" = "302 $BASE/login?next=/private" ] || { echo "FAIL: old cookie got: $status" >&2; exit 1; }
echo "ok: the key-1 cookie is sent to the login form ($status)"
check "30 requests with the key-2 cookie" "$(requests "$WORK/jar-key2" 30)" 30

echo "== release build with no key at all"
stop_instances
PORT=${PORTS[0]}
env -u PHIAL_SECRET_KEY -u PHIAL_SECRET_KEY_FALLBACKS RUST_LOG=info NO_COLOR=1 \
  "$LOGIN" "127.0.0.1:$PORT" >"$WORK/nokey.log" 2>&1 &
PIDS=($!)
wait_for "http://127.0.0.1:$PORT/"
# No error at start (the app can't know it will use the session: issue
# 17's "no false alarms"); the first request that needs a key says it.
if grep -q "no secret key" "$WORK/nokey.log"; then
  echo "FAIL: an error about the key before any request needed one; the log says:" >&2
  cat "$WORK/nokey.log" >&2
  exit 1
fi
echo "ok: no error at start"
status=$(curl -s -o /dev/null -w '%{http_code}' --data 'username=ann&password=secret' \
  "http://127.0.0.1:$PORT/login")
[ "$status" = 500 ] || { echo "FAIL: login without a key answered $status, wanted 500" >&2; exit 1; }
# The log is written in batches (at least every 100 ms): give it a second.
for _ in $(seq 20); do
  grep -q "no secret key: this request" "$WORK/nokey.log" && break
  sleep 0.1
done
grep -q "no secret key: this request and every later one that uses the session" "$WORK/nokey.log" || {
  echo "FAIL: the 500 was not logged with the error about the key; the log says:" >&2
  cat "$WORK/nokey.log" >&2
  exit 1
}
grep -q "App::secret_key" "$WORK/nokey.log" || {
  echo "FAIL: the 500 was not logged with the fix" >&2
  exit 1
}
echo "ok: a login without a key answers 500 and the log names the fix"

echo "== scale-out proof passed"
