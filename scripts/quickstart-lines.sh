#!/usr/bin/env bash
# Prints the "Flask quickstart in phial" line-count table for README.md:
# each phial example beside its Flask twin in examples/flask/ (written to do
# the same thing), counted as tests/line_counts.rs counts them (issue 16):
# every line the program needs, `use` and `main` included, leaving out blank
# lines, comments, Python docstrings and lines holding only closing
# delimiters (`}`, `});`), which Python doesn't have.
set -euo pipefail
cd "$(dirname "$0")/.."
count_rust() {
  awk '{ sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+$/, "") }
       $0 == "" || /^\/\// || /^[]);},]+$/ { next } { n++ } END { print n + 0 }' "$1"
}
count_python() {
  awk '{ sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+$/, "") }
       { quotes = gsub(/"""/, "&") }
       doc { if (quotes > 0) doc = 0; next }
       /^"""/ { if (quotes == 1) doc = 1; next }
       $0 == "" || /^#/ || /^[]);},]+$/ { next } { n++ } END { print n + 0 }' "$1"
}
echo "| Flask quickstart section | phial example | phial lines | Flask lines | ratio |"
echo "|---|---|---|---|---|"
while IFS='|' read -r section example; do
  phial=$(count_rust "examples/$example.rs")
  flask=$(count_python "examples/flask/$example.py")
  printf '| %s | `examples/%s.rs` | %s | %s | %s |\n' "$section" "$example" \
    "$phial" "$flask" "$(awk -v p="$phial" -v f="$flask" 'BEGIN { printf "%.2f×", p / f }')"
done <<'LIST'
The seed app (cookies)|cookies
A Minimal Application|hello
Routing, Variable Rules, Unique URLs|routing
Accessing Request Data, HTTP Methods|request_data
File Uploads|uploads
Rendering Templates|templates
Redirects and Errors|redirects_errors
APIs with JSON|json_api
LIST
