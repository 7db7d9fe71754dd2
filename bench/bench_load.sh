#!/usr/bin/env bash
# bench/bench_load.sh — the API under load while the public site is flooded,
# loopback only. One `prep serve` (SQLite) and nginx serving the same data
# directory. The writes need more distinct actas than cdmx has (≈15,000
# durable acopios a second here), so the data directory holds the national
# catálogo; its public site is a cdmx corte copied in (a national corte takes
# minutes and GBs; the site's size per page is what matters for the flood). wrk drives 64
# keep-alive clients of durable writes (acopio of distinct actas, every one
# a commit with its bitácora entry) in three phases of BENCH_SECS seconds:
#   1. the API alone (the reference of the same run),
#   2. the API while 256 clients flood the site through nginx,
#   3. the API while 256 clients flood the site served by prep serve itself.
# (after a discarded one-second warm-up). Prints p50/p99 of the API and the flood's requests/s, the ratios against
# phase 1, and whether the target holds: API write p99 < 100 ms at 64
# clients while the site is flooded through nginx. It does not test
# correctness (the tests do) and never runs in make check.
set -euo pipefail
cd "$(dirname "$0")/.."
PREP=${PREP_BIN:-$PWD/${BUILD:-build}/prep}
SECS=${BENCH_SECS:-3}
CLIENTS=64 FLOOD=256 TARGET_MS=100
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "bench_load: wrk is not installed (scripts/debian-packages.txt)" >&2; exit 2; }
[ -x "$NGINX" ] || { echo "bench_load: nginx is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${BENCH_DIR:-/tmp}/prep-load-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

data=$tmp/data site=$tmp/site
for d in "$site:cdmx" "$data:national"; do
  "$PREP" init --data "${d%%:*}" >/dev/null
  "$PREP" catalog gen --preset "${d##*:}" --out "$tmp/cat-${d##*:}" --force >/dev/null
  "$PREP" catalog load "$tmp/cat-${d##*:}" --data "${d%%:*}" >/dev/null
done
"$PREP" corte --data "$site" >/dev/null
cp -a "$site/cortes" "$data/"   # recorded by prep serve's start-up recovery
echo 'contraseña-de-carga-1' | "$PREP" user add carga --role acopio --password-stdin --data "$data" >/dev/null
: >"$tmp/serve.log"

api_port=$(free_port)
"$PREP" serve --data "$data" --listen "127.0.0.1:$api_port" --rate 0 --corte-every 0 \
  >"$tmp/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$tmp/serve.log" && break; sleep 0.1; done
api=http://127.0.0.1:$api_port

ngx_port=$(free_port)
mkdir -p "$tmp/nginx"
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root root;"
cat >"$tmp/nginx/nginx.conf" <<CONF
$user_line
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fcgi; uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  types { text/html html; }
  server { listen 127.0.0.1:$ngx_port; root $data; }
}
CONF
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
pids+=($!)
site_path=/cortes/latest/sitio/index.html
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ngx_port$site_path" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$ngx_port$site_path" >/dev/null || { echo "bench_load: nginx does not serve the site" >&2; exit 1; }
curl -sf "$api$site_path" >/dev/null || { echo "bench_load: prep serve does not serve the site" >&2; exit 1; }

TOKEN=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"usuario":"carga","password":"contraseña-de-carga-1","estacion":"carga"}' \
  "$api/api/v1/session" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
export TOKEN THREADS=2 SITE_PATH=$site_path

# Acopio paths of every acta of one election (one election per phase, so
# no acta is written twice).
claves=$tmp/claves
awk -F, 'NR==1{for(i=1;i<=NF;i++){gsub(/\r|\xef\xbb\xbf/,"",$i);c[$i]=i};next}
  {gsub(/\r/,"");printf "%02d%04d%s%02d%02d\n",$c["ID_ENTIDAD"],$c["SECCION"],$c["TIPO_CASILLA"],$c["ID_CASILLA"],$c["EXT_CONTIGUA"]}' \
  "$tmp/cat-national/casillas.csv" >"$claves"
mapfile -t elecciones < <(tail -n +2 "$tmp/cat-national/elecciones.csv" | cut -d, -f1 | tr -d '\r')
for e in "${elecciones[@]}"; do sed "s|.*|/api/v1/elecciones/$e/actas/&/acopio|" "$claves" >"$tmp/paths.$e"; done

api_run() { # election -> RESULT line of the API
  PATHS=$tmp/paths.$1 wrk -t2 -c$CLIENTS -d${SECS}s -s bench/load/acopio.lua "$api" | grep '^RESULT'
}
flood() { # base url -> RESULT line of the flood (runs a second longer than the API phase)
  wrk -t1 -c$FLOOD -d$((SECS + 1))s -s bench/load/site.lua "$1" | grep '^RESULT'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# Warm-up (discarded): the first second of durable writes pays the WAL's
# growth; it takes the first election's actas from the end, so no acta of
# the measured phases is touched.
tac "$tmp/paths.${elecciones[0]}" >"$tmp/paths.warm"
PATHS=$tmp/paths.warm wrk -t2 -c$CLIENTS -d1s -s bench/load/acopio.lua "$api" >/dev/null
alone=$(api_run "${elecciones[0]}")
flood "http://127.0.0.1:$ngx_port" >"$tmp/flood.nginx" & fp=$!
sleep 0.3; with_nginx=$(api_run "${elecciones[1]}"); wait $fp
flood "$api" >"$tmp/flood.prep" & fp=$!
sleep 0.3; with_prep=$(api_run "${elecciones[2]}"); wait $fp

[ "$(field non2xx "$alone")" = 0 ] || { echo "bench_load: non-2xx replies alone: $alone" >&2; exit 1; }
p99_0=$(field p99_ms "$alone")
printf '%-34s %10s %10s %10s %8s %14s\n' phase requests p50_ms p99_ms p99_x site_req_s
printf '%-34s %10s %10s %10s %8s %14s\n' "API alone" "$(field requests "$alone")" \
  "$(field p50_ms "$alone")" "$p99_0" 1.00 -
for ph in nginx prep; do
  r=$([ $ph = nginx ] && echo "$with_nginx" || echo "$with_prep")
  f=$(cat "$tmp/flood.$ph")
  label=$([ $ph = nginx ] && echo "API + site flooded via nginx" || echo "API + site flooded via prep serve")
  printf '%-34s %10s %10s %10s %8.2f %14s\n' "$label" "$(field requests "$r")" "$(field p50_ms "$r")" \
    "$(field p99_ms "$r")" "$(echo "$(field p99_ms "$r") / $p99_0" | bc -l)" "$(field rps "$f")"
  for x in "$r" "$f"; do
    [ "$(field non2xx "$x")" = 0 ] || { echo "bench_load: non-2xx replies in $ph phase: $x" >&2; exit 1; }
  done
done
p99_n=$(field p99_ms "$with_nginx")
if [ "$(echo "$p99_n < $TARGET_MS" | bc -l)" = 1 ]; then
  echo "target (API write p99 < ${TARGET_MS} ms at $CLIENTS clients, site flooded via nginx): met ($p99_n ms)"
else
  echo "target (API write p99 < ${TARGET_MS} ms at $CLIENTS clients, site flooded via nginx): MISSED ($p99_n ms)"
fi
