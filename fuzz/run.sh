#!/usr/bin/env bash
# Runs every fuzz target for N seconds (default 30), starting from the
# committed seed corpora (corpus/<target>, read only): what libFuzzer finds
# goes to target/corpus/<target>, crashes to artifacts/<target>, logs to
# target/logs/<target>.log. Exits non-zero if any target failed.
#
#   fuzz/run.sh [seconds]
#
# Uses the nightly toolchain when rustup has one, else stable with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly-only flags); installs
# cargo-fuzz if it is missing.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  echo "fuzz/run.sh: no nightly toolchain, using stable with RUSTC_BOOTSTRAP=1"
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

cargo "${toolchain[@]}" fuzz build
mkdir -p target/logs
failed=()
for target in $(cargo "${toolchain[@]}" fuzz list); do
  echo "== fuzz $target for ${seconds}s"
  mkdir -p "target/corpus/$target"
  if cargo "${toolchain[@]}" fuzz run "$target" "target/corpus/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"target/logs/$target.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec' \
      "target/logs/$target.log" || true
  else
    echo "fuzz target $target FAILED: see fuzz/target/logs/$target.log and fuzz/artifacts/$target/"
    tail -n 40 "target/logs/$target.log"
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed fuzz targets: ${failed[*]}" >&2
  exit 1
fi
