#!/usr/bin/env bash
# Time from saving an edited handler to the first answer from the new
# build, under debug mode's reloader (tests/reload.rs does the edit and
# prints the time). Usage: bench/reload.sh [ROUNDS] (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo test -q -p phial --test reload --no-run
for round in $(seq 1 "$rounds"); do
  cargo test -q -p phial --test reload -- --nocapture 2>/dev/null |
    sed -n 's/^reload: save to first new answer \([0-9.]*\) s.*/\1/p'
done | sort -n | awk '{ t[NR] = $1 } END {
  printf "save to first new answer over %d rounds: min %.2f s, median %.2f s, max %.2f s\n",
    NR, t[1], t[int((NR + 1) / 2)], t[NR] }'
