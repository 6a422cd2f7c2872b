#!/usr/bin/env bash
# Load test: phial's flaskr (examples/flaskr) beside Flask's own flaskr
# (the tutorial in Flask's sdist) served as Flask is deployed: gunicorn,
# one sync worker per core. Both serve GET / (the index, anonymous) over
# the same 20 posts of one user, from SQLite and from PostgreSQL, in
# interleaved rounds (phial, flask, phial, flask, ...) so machine noise
# hits both alike. On PostgreSQL a third server, `flaskpool`, is Flask's
# flaskr again with a connection pool (psycopg_pool) where the tutorial
# connects once per request.
#
#   bench/flaskr.sh               3 rounds of 10 s per server and database
#   bench/flaskr.sh --quick       1 round of 2 s (CI: keeps the harness working)
#   ROUNDS=5 DURATION=15 bench/flaskr.sh
#   DATABASES=sqlite bench/flaskr.sh        SQLite only (no PostgreSQL)
#   bench/flaskr.sh --report      the table again, from the last run's samples
#
# What it sets up, all under bench/target/flaskr/ (bench/target/venv for
# Python):
# - a venv with flask, gunicorn, psycopg[binary] and psycopg_pool from PyPI;
# - Flask's flaskr from the sdist of the installed Flask (`pip download`),
#   used unchanged for SQLite; for PostgreSQL a copy whose db.py and
#   schema.sql are bench/flaskr-postgres/'s (psycopg; nothing else
#   changed);
# - phial's flaskr, `cargo build --release -p phial --example flaskr`;
# - for PostgreSQL a throwaway cluster from scripts/postgres.sh, one
#   database per app.
# Each app's `init-db` makes its tables; the same user and 20 posts are
# then inserted with SQL. Before measuring, GET / must answer 200 with
# all 20 titles.
#
# Pinning (when taskset exists and there are 2 CPUs or more): the server
# on CPU 1, wrk and PostgreSQL on CPU 0. "One per core" is counted inside
# the server's CPU set: gunicorn gets `-w $(nproc)` as nproc sees it under
# the pin (1), phial's tokio runtime sizes itself the same way. PIN=0
# pins nothing (then gunicorn gets one worker per CPU of the machine).
# Server CPU per request is utime+stime from /proc/PID/stat over the wrk
# run, for gunicorn of the master and all its workers (plus what reaped
# children used); PostgreSQL's CPU is counted the same way over the
# postmaster and its backends, in its own column. Only the processes this
# script starts are stopped, by PID (PostgreSQL by scripts/postgres.sh's
# stop_postgres, by its data folder).
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
root=$(cd .. && pwd)
work=$bench/target/flaskr
venv=$bench/target/venv
results=$work/results.tsv

rounds=${ROUNDS:-3}
duration=${DURATION:-10}
connections=${CONNECTIONS:-64}
read -r -a databases <<<"${DATABASES:-sqlite postgres}"
if [ "${1:-}" = "--quick" ]; then rounds=1; duration=2; fi
if [ "${1:-}" = "--report" ]; then rounds=0; fi
port=18180
secret="bench-only secret key: 32 bytes or more, not for production"

pin_server="" pin_client="" pin_cpu_client=""
if [ "${PIN:-1}" != 0 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 1" pin_client="taskset -c 0" pin_cpu_client=0
fi
workers=${WORKERS:-$($pin_server nproc)}

# --- Processes this script started: stopped by PID on exit. -------------
server_pid=""
postgres_started=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$postgres_started" ]; then stop_postgres; fi
}
trap cleanup EXIT

# The servers per database: Flask's tutorial connects to the database once
# per request; on PostgreSQL `flaskpool` is the same app with a pool.
apps() {
  if [ "$1" = postgres ]; then echo "phial flask flaskpool"; else echo "phial flask"; fi
}

mkdir -p "$work"
if [ "$rounds" -gt 0 ]; then
  if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk"
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
  fi

  # --- Python, Flask, gunicorn, psycopg. ---------------------------------
  if [ ! -x "$venv/bin/gunicorn" ] || ! "$venv/bin/python" -c 'import flask, psycopg, psycopg_pool' 2>/dev/null; then
    echo "== venv: pip install flask gunicorn psycopg[binary] psycopg_pool" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check flask gunicorn 'psycopg[binary]' psycopg_pool
  fi
  py=$venv/bin/python
  flask_version=$("$py" -c 'import importlib.metadata as m; print(m.version("flask"))')

  # --- Flask's flaskr, from Flask's sdist. --------------------------------
  tutorial=$work/flask-$flask_version/examples/tutorial
  if [ ! -d "$tutorial/flaskr" ]; then
    echo "== Flask $flask_version's sdist (examples/tutorial)" >&2
    "$venv/bin/pip" download -q --disable-pip-version-check --no-binary :all: --no-deps \
      "flask==$flask_version" -d "$work/sdist"
    tar -xzf "$work/sdist/flask-$flask_version.tar.gz" -C "$work" "flask-$flask_version/examples/tutorial"
  fi
  for db in "${databases[@]}"; do
    mkdir -p "$work/phial-$db"
    for app in $(apps "$db"); do
      [ "$app" = phial ] && continue
      rm -rf "${work:?}/$app-$db"
      mkdir -p "$work/$app-$db/instance"
      cp -r "$tutorial/flaskr" "$work/$app-$db/flaskr"
      if [ "$db" = postgres ]; then
        cp "$bench/flaskr-postgres/db.py" "$bench/flaskr-postgres/schema.sql" "$work/$app-$db/flaskr/"
      fi
    done
  done

  # --- phial's flaskr. ----------------------------------------------------
  echo "== cargo build --release -p phial --example flaskr" >&2
  (cd "$root" && cargo build --release --quiet -p phial --example flaskr)
  target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
    "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  flaskr=$target_dir/release/examples/flaskr

  # --- PostgreSQL: scripts/postgres.sh's throwaway cluster. ---------------
  if [[ " ${databases[*]} " == *" postgres "* ]]; then
    # shellcheck source=../scripts/postgres.sh
    source "$root/scripts/postgres.sh"
    postgres_started=yes # before: a start that fails half-way is stopped too
    start_postgres >&2
    pg_port=${PHIAL_TEST_POSTGRES_URL##*:}
    pg_port=${pg_port%%/*}
    postmaster=$(head -n 1 "$PHIAL_PG_DATA/data/postmaster.pid")
    # Backends fork from the postmaster and keep its CPU set.
    if [ -n "$pin_cpu_client" ]; then taskset -a -p -c "$pin_cpu_client" "$postmaster" >/dev/null; fi
    _phial_pg_as_owner "$PHIAL_PG_BIN/psql" -h "$PHIAL_PG_DATA" -p "$pg_port" -U postgres \
      -v ON_ERROR_STOP=1 -q -d postgres \
      -c "CREATE DATABASE flaskr_phial OWNER phial" \
      -c "CREATE DATABASE flaskr_flask OWNER phial" \
      -c "CREATE DATABASE flaskr_flaskpool OWNER phial" >/dev/null
    postgres_version=$("$PHIAL_PG_BIN/postgres" --version | awk '{ print $3 }')
  fi

  database_url() { # app database
    case "$2" in
      sqlite) [ "$1" = phial ] && echo "sqlite://$work/phial-sqlite/flaskr.sqlite" ||
        echo "$work/$1-sqlite/instance/flaskr.sqlite" ;;
      postgres) echo "postgresql://phial:phial@127.0.0.1:$pg_port/flaskr_$1" ;;
    esac
  }

  # --- Tables (each app's init-db), then the same user and 20 posts. ------
  for db in "${databases[@]}"; do
    (cd "$work/phial-$db" && PHIAL_SECRET_KEY=$secret DATABASE_URL=$(database_url phial "$db") \
      "$flaskr" init-db) >&2
    for app in $(apps "$db"); do
      [ "$app" = phial ] && continue
      printf 'SECRET_KEY = %s\nDATABASE = %s\n' "'$secret'" "'$(database_url "$app" "$db")'" \
        >"$work/$app-$db/instance/config.py"
      [ "$app" = flaskpool ] && echo "DATABASE_POOL = True" >>"$work/$app-$db/instance/config.py"
      (cd "$work/$app-$db" && "$venv/bin/flask" --app flaskr init-db) >&2
    done
    for app in $(apps "$db"); do
      "$py" - "$db" "$(database_url "$app" "$db")" <<'PY'
import sys
from werkzeug.security import generate_password_hash

kind, url = sys.argv[1], sys.argv[2]
if kind == "sqlite":
    import sqlite3
    conn = sqlite3.connect(url.removeprefix("sqlite://"))
    mark = "?"
else:
    import psycopg
    conn = psycopg.connect(url)
    mark = "%s"
conn.execute(
    f'INSERT INTO "user" (id, username, password) VALUES (1, {mark}, {mark})',
    ("bench", generate_password_hash("bench")),
)
body = ("A post of the load test: a paragraph of plain text, as a blog shows "
        "under each title, long enough to look like one. ") * 3
for n in range(1, 21):
    conn.execute(
        f"INSERT INTO post (author_id, created, title, body) VALUES (1, {mark}, {mark}, {mark})",
        (f"2026-01-{n:02d} 12:00:00", f"Load test post {n:02d}", body.strip()),
    )
conn.commit()
conn.close()
PY
    done
  done

  # --- Versions, for the report. ------------------------------------------
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
    echo "pinning: ${pin_server:-none} for servers, ${pin_client:-none} for wrk${pin_cpu_client:+ and PostgreSQL}"
    echo "python: $("$py" -c 'import platform; print(platform.python_version())'), $("$venv/bin/pip" list --disable-pip-version-check 2>/dev/null |
      awk '/^(Flask|gunicorn|Werkzeug|Jinja2|psycopg|psycopg-pool) / { printf "%s %s, ", $1, $2 }' | sed 's/, $//')"
    echo "sqlite: python's $("$py" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
    [ -n "${postgres_version:-}" ] && echo "postgresql: $postgres_version"
    echo "rustc: $(rustc --version)"
    echo "gunicorn: -w $workers (sync workers); wrk -t1 -c$connections, $rounds round(s) of ${duration}s"
  } >"$work/versions.txt"
  : >"$results"
fi

# --- Measuring. ------------------------------------------------------------

# utime+stime of process $1 and its children, plus what its reaped
# children used (cutime+cstime), in clock ticks.
tree_ticks() {
  local parent=$1 total=0 line rest
  local -a f
  for stat in /proc/[0-9]*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    rest=${line##*) } # the fields after "(comm)": state is f[0]
    read -r -a f <<<"$rest"
    if [ "${stat#/proc/}" = "$parent/stat" ]; then
      total=$((total + f[11] + f[12] + f[13] + f[14]))
    elif [ "${f[1]}" = "$parent" ]; then
      total=$((total + f[11] + f[12]))
    fi
  done
  echo "$total"
}

# Peak RSS (VmHWM, KiB) summed over process $1 and its children, and how
# many threads they run.
tree_memory() {
  local parent=$1 rss=0 threads=0 line rest
  local -a f
  for stat in /proc/[0-9]*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    rest=${line##*) }
    read -r -a f <<<"$rest"
    if [ "${stat#/proc/}" = "$parent/stat" ] || [ "${f[1]}" = "$parent" ]; then
      rss=$((rss + $(awk '/^VmHWM/ { print $2 }' "${stat%stat}status")))
      threads=$((threads + f[17]))
    fi
  done
  echo "$rss $threads"
}

start_server() { # app database
  local dir=$work/$1-$2
  port=$((port + 1))
  if [ "$1" = phial ]; then
    # As it runs by default: `run`, which logs each request (to a file here).
    (cd "$dir" && PHIAL_SECRET_KEY=$secret DATABASE_URL=$(database_url phial "$2") \
      exec $pin_server "$flaskr" run --host 127.0.0.1 --port "$port") >"$dir/server.log" 2>&1 &
  else
    (cd "$dir" && exec $pin_server "$venv/bin/gunicorn" -w "$workers" -b "127.0.0.1:$port" \
      'flaskr:create_app()') >"$dir/server.log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "$1 ($2) did not listen on 127.0.0.1:$port; its log:" >&2
  cat "$dir/server.log" >&2
  return 1
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# GET / answers 200 with the 20 titles, else the run stops.
check_index() { # app database
  local body status
  body=$(curl -sS -o - -w '\n%{http_code}' "http://127.0.0.1:$port/")
  status=${body##*$'\n'}
  if [ "$status" != 200 ]; then
    echo "$1 ($2): GET / answered $status" >&2
    return 1
  fi
  for n in $(seq -w 1 20); do
    if ! grep -q "Load test post $n" <<<"$body"; then
      echo "$1 ($2): GET / lacks \"Load test post $n\"" >&2
      return 1
    fi
  done
}

for round in $(seq "$rounds"); do
  for db in "${databases[@]}"; do
    for app in $(apps "$db"); do
      start_server "$app" "$db"
      check_index "$app" "$db"
      # Warm-up, not measured: pools filled, workers' code paths run.
      $pin_client wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$port/" >/dev/null
      before=$(tree_ticks "$server_pid")
      db_before=0
      [ "$db" = postgres ] && db_before=$(tree_ticks "$postmaster")
      output=$($pin_client wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/")
      after=$(tree_ticks "$server_pid")
      db_after=0
      [ "$db" = postgres ] && db_after=$(tree_ticks "$postmaster")
      read -r rss threads < <(tree_memory "$server_pid")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$app" "$db" "$((after - before))" \
        "$((db_after - db_before))" "$rss" "$threads" "$(echo "$output" | tr '\n' '|')" >>"$results"
      echo "round $round: $app ($db) done" >&2
      stop_server
    done
  done
done

cat "$work/versions.txt"
[ "$rounds" -gt 0 ] && echo "end: $(date -u '+%H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"${venv}/bin/python" - "$results" "$(getconf CLK_TCK)" <<'PY'
import re, statistics, sys

path, clk_tck = sys.argv[1], int(sys.argv[2])

def seconds(text):
    # wrk prints latencies as 812.00us, 1.25ms, 2.01s or 1.02m.
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]

rows = {}
for line in open(path):
    round_, app, db, ticks, db_ticks, rss, threads, output = line.rstrip("\n").split("\t")
    out = output.replace("|", "\n")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # Anchored: the "+/- Stdev" column (e.g. "90.50%") ends in "50%" too.
    p50 = seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    per_request = lambda t: int(t) / clk_tck * 1e6 / max(requests, 1)
    rows.setdefault((app, db), []).append(
        (rps, p50, p99, per_request(ticks), per_request(db_ticks), int(rss), int(threads), errors))

summary = {}
for key, samples in rows.items():
    column = lambda i: [s[i] for s in samples]
    summary[key] = {
        "rps": statistics.median(column(0)),
        "p50": statistics.median(column(1)),
        "p99": statistics.median(column(2)),
        "cpu": statistics.median(column(3)),
        "cpu_range": (min(column(3)), max(column(3))),
        "db_cpu": statistics.median(column(4)),
        "rss": max(column(5)),
        "threads": max(column(6)),
        "errors": sum(column(7)),
        "rounds": len(samples),
    }

print("| server | database | req/s (median) | p50 | p99 | server CPU µs/req (min-max) | PostgreSQL CPU µs/req | peak RSS MiB | threads | errors |")
print("|---|---|---|---|---|---|---|---|---|---|")
for db in ["sqlite", "postgres"]:
    for app in ["phial", "flask", "flaskpool"]:
        s = summary.get((app, db))
        if not s:
            continue
        name = {"phial": "phial flaskr", "flask": "Flask flaskr (gunicorn)",
                "flaskpool": "Flask flaskr (gunicorn), pooled"}[app]
        db_cpu = f"{s['db_cpu']:.0f}" if db == "postgres" else "-"
        low, high = s["cpu_range"]
        print(f"| {name} | {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {s['rps']:.0f} | "
              f"{s['p50']*1e3:.2f} ms | {s['p99']*1e3:.2f} ms | {s['cpu']:.0f} ({low:.0f}-{high:.0f}) | "
              f"{db_cpu} | {s['rss']/1024:.1f} | {s['threads']} | {s['errors']} |")
print()
for db in ["sqlite", "postgres"]:
    for flask in ["flask", "flaskpool"]:
        p, f = summary.get(("phial", db)), summary.get((flask, db))
        if not (p and f):
            continue
        print(f"{db}, {flask} vs phial: server CPU per request {f['cpu'] / p['cpu']:.1f}x, "
              f"req/s {f['rps'] / p['rps']:.3f}x", end="")
        if db == "postgres":
            print(f", server+PostgreSQL CPU per request "
                  f"{(f['cpu'] + f['db_cpu']) / (p['cpu'] + p['db_cpu']):.1f}x", end="")
        print()
print(f"\n{next(iter(summary.values()))['rounds']} round(s) per server and database; CPU from /proc "
      "(utime+stime, gunicorn's master and workers summed) over the wrk run; RSS = VmHWM summed "
      "over the server's processes.")
PY
