# Helpers shared by the scripts in this folder: `source "$(dirname "$0")/lib.sh"`.

# Installs Debian's PACKAGE unless TOOL is on the PATH (or in /usr/sbin,
# where nginx lives).
need() {
  local tool=$1 package=$2
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "installing $package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
}

# A random loopback port nothing listens on, below Linux's ephemeral
# range (32768-60999): a port in it may be taken by an outgoing
# connection between this check and the server's bind (the soak once
# failed so, "Address already in use", after the floods' connections).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# Waits up to 10 s for URL to answer at all; on failure prints the LOG
# files given after it (the server's output, so the cause is not lost).
wait_for() {
  local url=$1
  shift
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.05
  done
  echo "nothing answers at $url" >&2
  local log
  for log in "$@"; do
    echo "--- $log" >&2
    tail -n 40 "$log" >&2 || true
  done
  return 1
}

# Prints the start of a standalone nginx's config whose files (pid, error
# log, temp folders, made here) live in DIR: the main context, then
# `http {` with the access log off and the temp paths. The caller appends
# its own directives and servers, and the closing brace. CONNECTIONS is
# worker_connections (default 256).
nginx_conf_head() {
  local dir=$1 connections=${2:-256}
  mkdir -p "$dir/temp"
  if [ "$(id -u)" = 0 ]; then echo "user root;"; fi
  cat <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $connections; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
CONF
}
