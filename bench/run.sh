#!/usr/bin/env bash
# Load test: phial, raw hyper (hyper-util's auto server, and hyper's own
# HTTP/1 server as hyper-h1), axum and actix-web serving the seed endpoints,
# run interleaved (A B C D, repeated) so machine noise hits all alike.
# Server pinned to CPU 1, wrk to CPU 0, loopback only; only the processes
# this script starts are stopped, by PID.
#
#   bench/run.sh            3 rounds of 10 s per server and endpoint
#   bench/run.sh --quick    1 round of 2 s (CI: keeps the harness working)
#   ROUNDS=5 DURATION=15 bench/run.sh
#   bench/run.sh --report   the table again, from the last run's samples
#   SERVERS="hyper phial-default" bench/run.sh   only those servers
set -euo pipefail
cd "$(dirname "$0")"
results=target/run-results.tsv

rounds=${ROUNDS:-3}
duration=${DURATION:-10}
if [ "${1:-}" = "--quick" ]; then rounds=1; duration=2; fi
if [ "${1:-}" = "--report" ]; then rounds=0; fi
# phial: the lean build (default-features = false, no log subscriber);
# phial-default: default features and App::run, as users build and run it,
# its access log to a file; phial-default-quiet: the same with RUST_LOG=warn.
# SERVERS="hyper phial-default phial-default-before" picks some; a binary
# placed in target/release by hand (an older build, say) runs as any other.
read -r -a servers <<<"${SERVERS:-hyper hyper-h1 phial phial-default phial-default-quiet axum actix}"
port=18080

if [ "$rounds" -gt 0 ] && ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk"
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
if [ "$rounds" -gt 0 ]; then
  cargo build --release --quiet --bins
  cargo build --release --quiet --manifest-path default/Cargo.toml --target-dir target
fi

pin_server="" pin_client=""
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 1" pin_client="taskset -c 0"
fi

# Raw samples (one line per server, endpoint and round, wrk's output
# inline) stay in target/ for a second look.
mkdir -p target
[ "$rounds" -gt 0 ] && : >"$results"
server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

for round in $(seq "$rounds"); do
  for server in "${servers[@]}"; do
    port=$((port + 1))
    binary=$server log=/dev/null quiet=()
    case $server in
      phial-default) log=target/phial-default-access.log ;;
      phial-default-quiet) binary=phial-default quiet=(RUST_LOG=warn) ;;
    esac
    env "${quiet[@]}" $pin_server "target/release/$binary" "127.0.0.1:$port" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.05
    done
    for endpoint in / /user; do
      header=()
      [ "$endpoint" = /user ] && header=(-H "Cookie: username=bob; theme=dark; session=abc123")
      before=$(cpu_ticks "$server_pid")
      output=$($pin_client wrk -t1 -c64 -d"${duration}s" --latency "${header[@]}" "http://127.0.0.1:$port$endpoint")
      after=$(cpu_ticks "$server_pid")
      rss=$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$endpoint" "$((after - before))" "$rss" \
        "$(echo "$output" | tr '\n' '|')" >>"$results"
      echo "round $round: $server $endpoint done" >&2
    done
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  done
done

python3 - "$results" "$(getconf CLK_TCK)" <<'PY'
import re, statistics, sys

path, clk_tck = sys.argv[1], int(sys.argv[2])

def seconds(text):
    # wrk prints latencies as 812.00us, 1.25ms, 2.01s or 1.02m.
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]

rows = {}
for line in open(path):
    round_, server, endpoint, ticks, rss, output = line.rstrip("\n").split("\t")
    out = output.replace("|", "\n")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # Anchored: the "+/- Stdev" column (e.g. "90.50%") ends in "50%" too.
    p50 = seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    cpu_us = int(ticks) / clk_tck * 1e6 / max(requests, 1)
    rows.setdefault((server, endpoint), []).append((rps, p50, p99, cpu_us, int(rss), errors))

def median(values):
    return statistics.median(values)

summary = {}
for key, samples in rows.items():
    summary[key] = {
        "rps": median([s[0] for s in samples]),
        "p50": median([s[1] for s in samples]),
        "p99": median([s[2] for s in samples]),
        "cpu": median([s[3] for s in samples]),
        "rss": max(s[4] for s in samples),
        "errors": sum(s[5] for s in samples),
        "rounds": len(samples),
    }

print("| server | endpoint | req/s (median) | p50 | p99 | CPU us/req | peak RSS KiB | errors | req/s vs hyper | CPU vs hyper | p99 vs hyper | RSS vs hyper |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for endpoint in ["/", "/user"]:
    base = summary.get(("hyper", endpoint))
    known = ["hyper", "hyper-h1", "phial", "phial-default", "phial-default-quiet", "axum", "actix"]
    others = sorted({server for server, _ in summary} - set(known))
    for server in known + others:
        s = summary.get((server, endpoint))
        if not s:
            continue
        ratio = lambda k: f"{s[k] / base[k]:.3f}" if base and base[k] else "-"
        print(f"| {server} | {endpoint} | {s['rps']:.0f} | {s['p50']*1e3:.2f} ms | {s['p99']*1e3:.2f} ms | "
              f"{s['cpu']:.2f} | {s['rss']} | {s['errors']} | {ratio('rps')} | {ratio('cpu')} | {ratio('p99')} | {ratio('rss')} |")
print(f"\n{next(iter(summary.values()))['rounds']} round(s) per server and endpoint; CPU from /proc (utime+stime) over the wrk run.")
PY
