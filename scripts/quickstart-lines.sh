#!/usr/bin/env bash
# Prints the "Flask quickstart in phial" line-count table for README.md:
# non-blank, non-comment lines of each phial example beside its Flask twin
# in examples/flask/ (written to do the same thing). phial's count leaves out
# `main` (Flask's twin is the `flask run` command) but keeps the `app()`
# function that registers the routes, which Flask's decorators do.
set -euo pipefail
cd "$(dirname "$0")/.."
count_rust() { # drop blank lines, comments, doc comments and the #[tokio::main] main
  awk '/^#\[tokio::main\]/ { skip = 1 } skip { if ($0 ~ /^}/) skip = 0; next }
       /^[[:space:]]*$/ || /^[[:space:]]*\/\// { next } { n++ } END { print n + 0 }' "$1"
}
count_python() {
  awk '/^[[:space:]]*$/ || /^[[:space:]]*#/ { next } { n++ } END { print n + 0 }' "$1"
}
echo "| Flask quickstart section | phial example | phial lines | Flask lines |"
echo "|---|---|---|---|"
while IFS='|' read -r section example; do
  printf '| %s | `examples/%s.rs` | %s | %s |\n' "$section" "$example" \
    "$(count_rust "examples/$example.rs")" "$(count_python "examples/flask/$example.py")"
done <<'LIST'
A Minimal Application|hello
Routing, Variable Rules, Unique URLs|routing
Accessing Request Data, HTTP Methods|request_data
File Uploads|uploads
Rendering Templates|templates
Redirects and Errors|redirects_errors
APIs with JSON|json_api
LIST
