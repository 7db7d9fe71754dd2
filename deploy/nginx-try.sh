#!/usr/bin/env bash
# deploy/nginx-try.sh DATA PORT UPSTREAM OUTDIR — run deploy/nginx.conf, as
# shipped, on 127.0.0.1:PORT against the prep data directory DATA, proxying
# to prep serve at UPSTREAM (host:port); used by the nginx integration test
# and bench/bench_corte. Writes OUTDIR/nginx.conf (a minimal main config
# that includes the shipped file with those three values substituted),
# starts nginx in the foreground's place (daemon, pid in OUTDIR/nginx.pid)
# and prints the pid. Stop it with: kill "$(cat OUTDIR/nginx.pid)".
set -euo pipefail
data=$(cd "$1" && pwd) port=$2 upstream=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
sed -e "s|root /var/lib/prep;|root $data;|" -e "s|listen 80;|listen 127.0.0.1:$port;|" \
    -e "s|server 127.0.0.1:8080;|server $upstream;|" "$here/nginx.conf" > "$out/prep.conf"
cat > "$out/nginx.conf" <<CONF
worker_processes auto;
user root;
pid $out/nginx.pid;
error_log $out/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path $out/tmp-body;
    proxy_temp_path $out/tmp-proxy;
    fastcgi_temp_path $out/tmp-fcgi;
    uwsgi_temp_path $out/tmp-uwsgi;
    scgi_temp_path $out/tmp-scgi;
    include $out/prep.conf;
}
CONF
nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
"$nginx" -q -t -c "$out/nginx.conf" -p "$out" >&2
"$nginx" -c "$out/nginx.conf" -p "$out"
for _ in $(seq 50); do [ -s "$out/nginx.pid" ] && break; sleep 0.1; done
cat "$out/nginx.pid"
