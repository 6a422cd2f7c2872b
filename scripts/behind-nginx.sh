#!/usr/bin/env bash
# phial behind a real nginx (tests/behind_nginx.rs): nginx terminates TLS
# on loopback and forwards with X-Forwarded-For / X-Forwarded-Proto; the
# test reads phial's access log for the client's address and `https`, and
# checks that an X-Forwarded-For the client sent itself is ignored.
#
# Installs nginx, openssl and curl from Debian's packages if missing, then
# runs the test with CI=true (so it fails, rather than skips, if nginx
# can't be reached). The test starts and stops its own nginx, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib.sh
need curl curl
need nginx nginx
need openssl openssl

CI=true cargo test -q -p phial --test integration behind_nginx
