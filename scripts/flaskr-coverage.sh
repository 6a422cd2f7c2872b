#!/usr/bin/env bash
# Line coverage of examples/flaskr by its tests (tests/flaskr/), as Flask's
# tutorial measures its own with `coverage run -m pytest`: the tests and the
# `flaskr init-db` binary they start, instrumented by rustc
# (-C instrument-coverage), read with LLVM's tools (Debian's llvm-19 reads
# the profiles of rustc's LLVM 22). Lines counted in either binary count.
#
#   scripts/flaskr-coverage.sh     # needs PHIAL_TEST_POSTGRES_URL for the
#                                  # PostgreSQL half (see scripts/postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v llvm-profdata-19 >/dev/null; then
  apt-get install -y -qq llvm-19 >/dev/null
fi
target=${COVERAGE_TARGET:-target/coverage}
profiles=$(mktemp -d)
trap 'rm -rf "$profiles"' EXIT
export RUSTFLAGS="-C instrument-coverage" CARGO_TARGET_DIR="$target"
export LLVM_PROFILE_FILE="$profiles/flaskr-%p-%m.profraw"
cargo build --quiet -p phial --example flaskr
cargo test --quiet -p phial --test integration flaskr >/dev/null
llvm-profdata-19 merge -sparse "$profiles"/*.profraw -o "$profiles/flaskr.profdata"
tests=$(ls -t "$target"/debug/deps/integration-* | grep -v '\.d$' | head -n 1)
for binary in "$tests" "$target/debug/examples/flaskr"; do
  llvm-cov-19 show "$binary" -instr-profile="$profiles/flaskr.profdata" 2>/dev/null
done | python3 -c '
import re, sys
counts, path = {}, None
for line in sys.stdin:
    header = re.match(r"^(/\S+\.rs):$", line.strip())
    if header:
        path = header.group(1)
        continue
    row = re.match(r"^\s*(\d+)\|\s*([0-9.]+[kMG]?)\|", line)
    if path and "examples/flaskr/" in path and row:
        key = (path.split("/")[-1], int(row.group(1)))
        counts[key] = counts.get(key, False) or row.group(2) not in ("0",)
files = sorted({name for name, _ in counts})
total = missed = 0
for name in files:
    lines = [n for (f, n) in counts if f == name]
    gaps = sorted(n for n in lines if not counts[(name, n)])
    total += len(lines); missed += len(gaps)
    print(f"{name}: {len(lines) - len(gaps)}/{len(lines)} lines" + (f", missed {gaps}" if gaps else ""))
print(f"flaskr: {total - missed}/{total} lines, {100 * (total - missed) / max(total, 1):.1f}%")
'
