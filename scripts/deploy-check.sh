#!/usr/bin/env bash
# The deployment of the README's "Deploying" section, for real: three
# flaskr instances on PostgreSQL, sessions on Redis, behind nginx (round
# robin, deploy/nginx.conf with its ports replaced), loopback only.
#
#   bash scripts/deploy-check.sh            # TOTAL=3000 USERS=8 PROFILE=debug
#
# Registers 8 users and logs them in through nginx, then sends 3000 requests
# (reads and posts, scripts/deploy_load.py) and kills one instance (SIGKILL)
# halfway through. Passes when no user was logged out, every error answer
# was a request in flight on the killed instance, and every post that was
# acknowledged is in the database. Then restarts the instance and shows it
# rejoins: nginx sends it requests again, and the users' cookies read their
# sessions there.
#
# Last, stops Redis: a request that needs its session answers 503 (and the
# instance logs why), one that doesn't is served.
#
# Starts its own Redis (scripts/redis.sh) and PostgreSQL
# (scripts/postgres.sh, unless PHIAL_TEST_POSTGRES_URL names a running
# one), and installs nginx if missing. Stops only the processes
# it started, by PID. The instances run with REDIS_URL and DATABASE_URL:
# flaskr's code is the tutorial's, built with the `redis-sessions` feature.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-3000}
USERS=${USERS:-8}
PROFILE=${PROFILE:-debug}

if ! command -v nginx >/dev/null 2>&1; then
  echo "== apt-get install nginx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx)

echo "== building examples/flaskr with redis-sessions ($PROFILE)"
release=()
[ "$PROFILE" = release ] && release=(--release)
cargo build -q "${release[@]}" -p phial --example flaskr --features redis-sessions
FLASKR="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/$PROFILE/examples/flaskr"
[ -x "$FLASKR" ] || { echo "flaskr not built at $FLASKR" >&2; exit 1; }

source scripts/lib.sh
source scripts/postgres.sh
source scripts/redis.sh

WORK=$(mktemp -d)
PIDS=(0 0 0)
NGINX_PID=
cleanup() {
  for pid in "${PIDS[@]}" $NGINX_PID; do
    [ "$pid" != 0 ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}" $NGINX_PID; do
    [ "$pid" != 0 ] && wait "$pid" 2>/dev/null || true
  done
  stop_redis
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -n "${PHIAL_TEST_POSTGRES_URL:-}" ] || start_postgres
# A Redis of its own, always: the last step stops it.
start_redis
export DATABASE_URL=$PHIAL_TEST_POSTGRES_URL
export REDIS_URL=$PHIAL_TEST_REDIS_URL
export PHIAL_SECRET_KEY
PHIAL_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')

PORTS=()
while [ "$(printf '%s\n' "${PORTS[@]}" | sort -u | grep -c .)" != 4 ]; do
  PORTS=("$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)")
done
PROXY=${PORTS[3]}
BASE="http://127.0.0.1:$PROXY"

# Each instance in a folder of its own (flaskr's instance folder is there).
mkdir -p "$WORK/i1" "$WORK/i2" "$WORK/i3"
(cd "$WORK/i1" && "$FLASKR" init-db)

# start_instance N: instance N (1-3) on its port, its log in iN/log.
start_instance() {
  local n=$1
  (cd "$WORK/i$n" && exec env RUST_LOG=info NO_COLOR=1 \
    "$FLASKR" run --host 127.0.0.1 --port "${PORTS[$((n - 1))]}" >>"$WORK/i$n/log" 2>&1) &
  PIDS[$((n - 1))]=$!
  # Up to 30 s: a debug build on a busy machine can be slow to start.
  local url="http://127.0.0.1:${PORTS[$((n - 1))]}/hello"
  wait_for "$url" 2>/dev/null || wait_for "$url" 2>/dev/null || wait_for "$url" || {
    echo "instance $n did not start; its log:" >&2
    cat "$WORK/i$n/log" >&2
    return 1
  }
}

echo "== flaskr on ports ${PORTS[0]} ${PORTS[1]} ${PORTS[2]} (PostgreSQL, Redis), nginx on $PROXY"
for n in 1 2 3; do start_instance "$n"; done

mkdir -p "$WORK/nginx"
sed -e "s/127.0.0.1:5001/127.0.0.1:${PORTS[0]}/" \
  -e "s/127.0.0.1:5002/127.0.0.1:${PORTS[1]}/" \
  -e "s/127.0.0.1:5003/127.0.0.1:${PORTS[2]}/" \
  -e "s/listen 127.0.0.1:8080;/listen 127.0.0.1:$PROXY;/" \
  deploy/nginx.conf >"$WORK/nginx/flaskr.conf"
grep -q "127.0.0.1:${PORTS[2]} " "$WORK/nginx/flaskr.conf" || { echo "deploy/nginx.conf: ports not found" >&2; exit 1; }
{
  nginx_conf_head "$WORK/nginx" 512
  cat <<CONF
  include $WORK/nginx/flaskr.conf;
}
CONF
} >"$WORK/nginx/nginx.conf"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
wait_for "$BASE/hello"

echo "== $TOTAL requests from $USERS users; instance 2 (pid ${PIDS[1]}) killed halfway"
python3 scripts/deploy_load.py 127.0.0.1 "$PROXY" "$USERS" "$TOTAL" "${PIDS[1]}" "${PORTS[1]}" "$WORK"
wait "${PIDS[1]}" 2>/dev/null || true

# Every acknowledged post is in the database.
psql "$DATABASE_URL" -tAc 'SELECT title FROM post' | sort >"$WORK/stored"
sort "$WORK/acknowledged" >"$WORK/acknowledged.sorted"
lost=$(comm -23 "$WORK/acknowledged.sorted" "$WORK/stored" | wc -l)
acked=$(wc -l <"$WORK/acknowledged.sorted")
if [ "$lost" != 0 ] || [ "$acked" = 0 ]; then
  echo "FAIL: $lost of $acked acknowledged posts are not in the database" >&2
  exit 1
fi
echo "ok: all $acked acknowledged posts are in the database ($(wc -l <"$WORK/stored") stored)"

# The sessions live in Redis, not in the instances.
sessions=$(redis-cli -u "$REDIS_URL" --scan --pattern 'session:*' | wc -l)
[ "$sessions" -ge "$USERS" ] || { echo "FAIL: $sessions sessions in Redis" >&2; exit 1; }
echo "ok: $sessions sessions in Redis"

echo "== restarting instance 2"
start_instance 2
COOKIE=$(cat "$WORK/cookie")
status=$(curl -s -o "$WORK/direct" -w '%{http_code}' -b "session=$COOKIE" "http://127.0.0.1:${PORTS[1]}/create")
if [ "$status" != 200 ] || ! grep -q "<span>user-1</span>" "$WORK/direct"; then
  echo "FAIL: user-1's session on the restarted instance: $status" >&2
  exit 1
fi
echo "ok: the restarted instance reads user-1's session"
# nginx tries it again once its fail_timeout is over: requests through
# nginx until the instance's access log shows one (within 30 s).
before=$(grep -c '"GET /create?rejoin' "$WORK/i2/log" || true)
rejoined=
for i in $(seq 1 300); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "session=$COOKIE" "$BASE/create?rejoin=$i")
  [ "$status" = 200 ] || { echo "FAIL: GET /create through nginx answered $status" >&2; exit 1; }
  if [ "$(grep -c '"GET /create?rejoin' "$WORK/i2/log" || true)" -gt "$before" ]; then
    rejoined=$i
    break
  fi
  sleep 0.1
done
[ -n "$rejoined" ] || { echo "FAIL: nginx sent the restarted instance nothing" >&2; exit 1; }
echo "ok: nginx sends the restarted instance requests again (after $rejoined requests)"
echo "== Redis stopped"
stop_redis
status=$(curl -s -o /dev/null -w '%{http_code}' -b "session=$COOKIE" "$BASE/create")
[ "$status" = 503 ] || { echo "FAIL: a logged-in GET /create without Redis answered $status" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/hello")
[ "$status" = 200 ] || { echo "FAIL: GET /hello without Redis answered $status" >&2; exit 1; }
logged=
for _ in $(seq 1 50); do
  logged=$(cat "$WORK"/i*/log | grep "GET /create: the session store is unavailable" | head -n 1) && [ -n "$logged" ] && break
  sleep 0.1
done
[ -n "$logged" ] || { echo "FAIL: no log line says Redis is unavailable" >&2; exit 1; }
echo "ok: without Redis a page that needs the session answers 503, /hello 200; the log says:"
echo "   ${logged#*ERROR }"
echo "== deployment check passed"
