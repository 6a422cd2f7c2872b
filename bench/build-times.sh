#!/usr/bin/env bash
# Build times of the seed app: phial with its default features, phial lean
# (default-features = false: the seed app needs none of them), lean plus
# `templates`, and axum (+ axum-extra cookies), each as its own one-file
# crate with the versions bench/Cargo.lock pins.
# Measures a clean release build (every dependency compiled, nothing
# cached), with the CPU time it took (divided by the cores: the floor no
# build order can beat), and an incremental release rebuild after editing
# one handler's string. Works offline once bench/ has built (the registry
# cache is warm).
#
#   bench/build-times.sh            1 round
#   ROUNDS=3 bench/build-times.sh   median of 3
#   BASELINE=../../old/framework bench/build-times.sh
#                                   adds phial-baseline: the seed app with
#                                   default features on another checkout
#                                   of phial (a before/after in one run)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
framework=$(cd ../framework && pwd)
rounds=${ROUNDS:-1}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_crate() { # name, dependencies, main.rs source
  mkdir -p "$work/$1/src"
  printf '[workspace]\n\n[package]\nname = "seed-%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\n' \
    "$1" "$2" >"$work/$1/Cargo.toml"
  printf '%s\n' "$3" >"$work/$1/src/main.rs"
  cp Cargo.lock "$work/$1/Cargo.lock"
}

phial_seed='
use phial::prelude::*;

#[route("/")]
async fn index() -> Response {
    let mut response = make_response("Hello, World!");
    response.set_cookie("username", "bob");
    response
}

#[route("/user")]
async fn user(request: &Request) -> String {
    let username = request.cookies.get("username", "Guest");
    format!("Hello, {username}!")
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await.unwrap();
    App::new().route(index).route(user).serve(listener).await.unwrap();
}'
make_crate phial "phial = { path = \"$framework\" }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"net\", \"macros\"] }" "$phial_seed"
if [ -n "${BASELINE:-}" ]; then
  baseline=$(cd "$BASELINE" && pwd)
  make_crate phial-baseline "phial = { path = \"$baseline\" }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"net\", \"macros\"] }" "$phial_seed"
fi
make_crate phial-lean "phial = { path = \"$framework\", default-features = false }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"net\", \"macros\"] }" "$phial_seed"
# Lean plus the one default feature the quickstart can least do without
# (render_template): how far the default build can fall while templates
# stay in it.
make_crate phial-templates "phial = { path = \"$framework\", default-features = false, features = [\"templates\"] }
tokio = { version = \"1\", features = [\"rt-multi-thread\", \"net\", \"macros\"] }" "$phial_seed"

make_crate axum 'axum = { version = "0.8", default-features = false, features = ["http1", "tokio"] }
axum-extra = { version = "0.10", features = ["cookie"] }
tokio = { version = "1", features = ["rt-multi-thread", "net", "macros"] }' '
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};

async fn index(jar: CookieJar) -> impl IntoResponse {
    let jar = jar.add(Cookie::build(("username", "bob")).path("/"));
    (jar, Html("Hello, World!"))
}

async fn user(jar: CookieJar) -> Html<String> {
    let username = jar.get("username").map_or("Guest", |cookie| cookie.value());
    Html(format!("Hello, {username}!"))
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await.unwrap();
    let app = Router::new().route("/", get(index)).route("/user", get(user));
    axum::serve(listener, app).await.unwrap();
}'

seconds() { # runs the command, prints its wall-clock and CPU (user + system) seconds
  local TIMEFORMAT='%R %U %S' timed
  timed=$({ time "$@" >/dev/null 2>&1; } 2>&1)
  read -r wall user system <<<"$timed"
  echo "$wall $(echo "$user + $system" | bc)"
}

apps=(phial phial-templates phial-lean axum)
[ -n "${BASELINE:-}" ] && apps=(phial-baseline "${apps[@]}")
declare -A clean cpu incremental
# Rounds interleave the apps (A B C, A B C, ...), so load from others on
# this shared machine falls on all of them alike.
for round in $(seq "$rounds"); do
  for name in "${apps[@]}"; do
    rm -rf "$work/$name/target"
    read -r wall used < <(seconds cargo build --release --offline --manifest-path "$work/$name/Cargo.toml")
    clean[$name]+="$wall " cpu[$name]+="$used "
    sed -i "s/Hello, World[^!]*!/Hello, World $round!/" "$work/$name/src/main.rs"
    read -r wall _ < <(seconds cargo build --release --offline --manifest-path "$work/$name/Cargo.toml")
    incremental[$name]+="$wall "
  done
done

# The middle value; of an even count, the lower of the two middle ones.
median() { printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rounded() { printf '%.1f ' $1; }
# CPU / cores is the floor no scheduling of the build can go below.
cores=$(nproc)
echo "| app | clean release build (s), median | its CPU time (s), median | CPU / $cores cores (s) | incremental rebuild after editing a handler's string (s), median | each round (clean / incremental) |"
echo "|---|---|---|---|---|---|"
for name in "${apps[@]}"; do
  used=$(median "${cpu[$name]}")
  printf '| %s | %.1f | %.1f | %.1f | %.1f | %s/ %s|\n' "$name" "$(median "${clean[$name]}")" "$used" \
    "$(echo "$used / $cores" | bc -l)" "$(median "${incremental[$name]}")" \
    "$(rounded "${clean[$name]}")" "$(rounded "${incremental[$name]}")"
done
echo
echo "$(nproc) cores; load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
