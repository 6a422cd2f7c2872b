# A throwaway PostgreSQL server for the flaskr tests (tests/flaskr/):
# sourced by .ci/run, which calls `start_postgres` before `cargo test` and
# `stop_postgres` when it exits.
#
#   source scripts/postgres.sh && start_postgres   # exports PHIAL_TEST_POSTGRES_URL
#   cargo test -p phial --test integration flaskr
#   stop_postgres
#
# Installs Debian's `postgresql` if it is missing (as root), then runs its
# own cluster in a temporary folder on 127.0.0.1 and a free port: role
# `phial` (password `phial`, SCRAM), database `phial_test`. It never
# touches a cluster that was there before. As root the server runs as the
# `postgres` user (PostgreSQL refuses root); otherwise as the caller.
# Stops only the server it started, by its data folder.

PHIAL_PG_DATA=""
PHIAL_PG_BIN=""

_phial_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is missing: apt-get install postgresql (as root)" >&2
      return 1
    fi
    echo "== apt-get install postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PHIAL_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

  PHIAL_PG_DATA=$(mktemp -d "${TMPDIR:-/tmp}/phial-postgres.XXXXXX")
  chmod 700 "$PHIAL_PG_DATA"
  local pwfile="$PHIAL_PG_DATA.pw"
  echo postgres-superuser-pw > "$pwfile"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PHIAL_PG_DATA" "$pwfile"
  fi
  _phial_pg_as_owner "$PHIAL_PG_BIN/initdb" -D "$PHIAL_PG_DATA/data" -U postgres \
    --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$PHIAL_PG_DATA/initdb.log" 2>&1 || {
      cat "$PHIAL_PG_DATA/initdb.log" >&2
      return 1
    }
  rm -f "$pwfile"

  # A port on 127.0.0.1: a random one, another if it is taken.
  local port attempt started=""
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if _phial_pg_as_owner "$PHIAL_PG_BIN/pg_ctl" -D "$PHIAL_PG_DATA/data" -w -t 60 \
      -l "$PHIAL_PG_DATA/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PHIAL_PG_DATA" start >/dev/null; then
      started=yes
      break
    fi
  done
  if [ -z "$started" ]; then
    cat "$PHIAL_PG_DATA/server.log" >&2
    return 1
  fi

  _phial_pg_as_owner "$PHIAL_PG_BIN/psql" -h "$PHIAL_PG_DATA" -p "$port" -U postgres \
    -v ON_ERROR_STOP=1 -q -d postgres \
    -c "CREATE ROLE phial LOGIN PASSWORD 'phial'" \
    -c "CREATE DATABASE phial_test OWNER phial" >/dev/null

  export PHIAL_TEST_POSTGRES_URL="postgres://phial:phial@127.0.0.1:$port/phial_test"
  echo "== PostgreSQL $("$PHIAL_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PHIAL_PG_DATA)"
}

stop_postgres() {
  if [ -n "$PHIAL_PG_DATA" ] && [ -d "$PHIAL_PG_DATA/data" ]; then
    _phial_pg_as_owner "$PHIAL_PG_BIN/pg_ctl" -D "$PHIAL_PG_DATA/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PHIAL_PG_DATA"
  fi
  PHIAL_PG_DATA=""
}
