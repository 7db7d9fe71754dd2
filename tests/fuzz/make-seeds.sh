#!/usr/bin/env bash
# tests/fuzz/make-seeds.sh — (re)writes the hand-made seed inputs of every
# fuzz target into tests/fuzz/corpus/<target>/seed-* from real sources: the
# `small` catálogo of build/prep, a corte of it, QR images (seed_images.c),
# and typical claves, values, times and API bodies. Run once after a format
# change; `make fuzz-merge` adds what fuzzing found. Needs build/prep.
set -euo pipefail
cd "$(dirname "$0")/../.."
C=tests/fuzz/corpus
PREP=${PREP:-build/prep}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p $C/{clave,values,time,image,json_body,catalog,csv_check,audit}
seed() { local t=$1 n=$2; shift 2; printf "$@" > "$C/$t/seed-$n"; } # target name format [args]

seed clave plain '090123B0100';  seed clave qrtext 'PREP|GUB|091234S0101|x'
seed clave zeros '000000E9999';  seed clave lower '090123b0100'

seed values capture '\x05%s' '12,Ilegible,-,Sin dato,0'
seed values max '\x00%s' '9999999';  seed values sindato '\x00%s' 'SIN DATO'
seed values emptyfield '\x03%s' '1,,2'

seed time dmy '%s' '02/06/2024 20:00';  seed time iso '%s' '2024-06-02 23:59:59'
seed time leap '%s' '29/02/2024 00:00:00';  seed time far '%s' '31/12/9999 23:59:59'

seed json_body array '\x00\x05%s' '{"valores":[1,2,3,"Ilegible","Sin dato","-",0,0,0,0,0,0,0,0,0,0,0,0]}'
seed json_body object '\x01\x07%s' '{"valores":{"TOTAL_BOLETAS_SOBRANTES":10,"NULOS":"Ilegible","PAN":3}}'
seed json_body verif '\x02\x00%s' '{"resultado":"resuelve","elegida":2}'
seed json_body empty '\x80\x00%s' ''
seed json_body session '\x00\x00%s' '{"usuario":"ana","password":"x","estacion":"catd-1","a":{"b":[[[]]]}}'

cc -O1 -o "$tmp/seed_images" tests/fuzz/seed_images.c \
  $(pkg-config --cflags --libs libpng libqrencode libjpeg)
"$tmp/seed_images" "$C/image"
for f in "$C"/image/qr*; do mv "$f" "$C/image/seed-$(basename "$f")"; done

"$PREP" catalog gen --preset small --out "$tmp/cat" >/dev/null
join_catalog() { # dir → NUL-separated files in prep_catalog_files order
  local first=1
  for f in proceso entidades distritos demarcaciones secciones casillas elecciones \
           asociaciones coaliciones candidaturas; do
    [ $first = 1 ] || printf '\0'; first=0
    cat "$1/$f.csv"
  done
}
join_catalog "$tmp/cat" > "$C/catalog/seed-small"

# Capture bodies with every field of the catálogo's GUB, DIP_LOC and ALC actas.
node -e '
const fs = require("fs");
const rows = fs.readFileSync(process.argv[1] + "/asociaciones.csv", "utf8").trim().split(/\r?\n/).slice(1);
const fixed = ["TOTAL_BOLETAS_SOBRANTES", "TOTAL_PERSONAS_VOTARON", "TOTAL_REP_PARTIDO_CI_VOTARON", "TOTAL_VOTOS_SACADOS"];
["GUB", "DIP_LOC", "ALC"].forEach((e, i) => {
  const cols = rows.map((r) => r.split(",")).filter((f) => f[0] === e).sort((a, b) => a[1] - b[1]).map((f) => f[2]);
  const names = [...fixed, ...cols, "NO_REGISTRADAS", "NULOS", "TOTAL_VOTOS_ASENTADO"];
  const arr = names.map((n, k) => (k % 5 === 4 ? "Ilegible" : k * 3));
  const obj = Object.fromEntries(names.map((n, k) => [n, k % 7 === 6 ? "Sin dato" : k]));
  fs.writeFileSync(process.argv[2] + "/seed-full-array-" + e, Buffer.concat([Buffer.from([i, 5]), Buffer.from(JSON.stringify({ valores: arr }))]));
  fs.writeFileSync(process.argv[2] + "/seed-full-object-" + e, Buffer.concat([Buffer.from([i, 9]), Buffer.from(JSON.stringify({ resultado: "resuelve", valores: obj }))]));
});' "$tmp/cat" "$C/json_body"

# A corte with actas in it, through a real prep serve (acopio, image with
# its QR, two equal captures, verification), for the published-CSV seeds.
"$PREP" init --data "$tmp/data" >/dev/null
"$PREP" catalog load "$tmp/cat" --data "$tmp/data" >/dev/null
for u in dig:digitalizacion c1:captura c2:captura ver:verificacion aud:auditor; do
  echo 'contraseña-larga-1' | "$PREP" user add "${u%%:*}" --role "${u#*:}" --password-stdin --data "$tmp/data" >/dev/null
done
"$PREP" serve --data "$tmp/data" --listen 127.0.0.1:0 --corte-every 0 --web "$tmp" >"$tmp/serve.out" 2>&1 &
spid=$!
for _ in $(seq 100); do grep -q listening "$tmp/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
tok() { curl -sf "$url/api/v1/session" -H 'Content-Type: application/json' \
  -d "{\"usuario\":\"$1\",\"password\":\"contraseña-larga-1\",\"estacion\":\"s\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'; }
declare -A T; for u in dig c1 c2 ver aud; do T[$u]=$(tok $u); done
n=0
for clave in $(cut -d, -f1-5 "$tmp/cat/casillas.csv" | tail -n +2 | head -4 | \
               awk -F, '{printf "%02d%04d%s%02d%02d\n", $1, $2, $3, $4, $5}'); do
  "$tmp/seed_images" "$tmp" "$clave"
  for e in GUB DIP_LOC ALC; do
    p="$url/api/v1/elecciones/$e/actas/$clave"
    curl -sf "$p/imagenes" -H "Authorization: Bearer ${T[dig]}" -H 'Content-Type: image/png' -H 'X-Origen: CATD' \
      -H "X-Content-SHA256: $(sha256sum "$tmp/qr.png" | cut -c1-64)" --data-binary @"$tmp/qr.png" >/dev/null
    vals=$(curl -sf "$p" -H "Authorization: Bearer ${T[aud]}" | node -e '
      let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => {
        const a = JSON.parse(s); const n = +process.argv[1];
        console.log(JSON.stringify({ valores: a.campos.map((c, i) => c.aplica ? (i === n % 7 ? "Ilegible" : (i * 3 + n) % (n % 3 ? 20 : 90)) : "-") })); });' $n)
    for c in c1 c2; do curl -sf "$p/capturas" -H "Authorization: Bearer ${T[$c]}" -H 'Content-Type: application/json' -d "$vals" >/dev/null; done
    curl -sf "$p/verificacion" -H "Authorization: Bearer ${T[ver]}" -H 'Content-Type: application/json' -d '{"resultado":"acepta"}' >/dev/null
    n=$((n + 1))
  done
done
kill $spid; wait $spid || true
"$PREP" corte --data "$tmp/data" >/dev/null
for csv in $(find "$tmp/data/cortes" -name '*_[A-Z]*_20[0-9][0-9].csv' ! -name '*CANDIDATURAS*'); do
  case $csv in *_GUB_*) i=0 ;; *_DIP_LOC_*) i=1 ;; *) i=2 ;; esac
  { printf "\\x0$i"; cat "$csv"; } > "$C/csv_check/seed-corte-$i"
done
# prep audit: the same CSVs (bit 0 of the first byte: final), pipe-separated
# Latin-1 with a sep= line, and a corte's database ZIP.
for e in 0 1 2; do
  { printf '\x00'; tail -c +2 "$C/csv_check/seed-corte-$e"; } > "$C/audit/seed-corte-$e"
done
{ printf '\x01sep=|\r\n'; tail -c +5 "$C/csv_check/seed-corte-0" | tr ',' '|' | iconv -f UTF-8 -t LATIN1 -c; } \
  > "$C/audit/seed-pipe-latin1"
zip=$(find "$tmp/data/cortes" -name '*_PREP_GUB_*.zip' | head -1)
{ printf '\x00'; cat "$zip"; } > "$C/audit/seed-zip"
# Real institutes' files (tests/fixtures/realdata): the first 50 lines of each
# CSV (header block, column line, acta rows), the cómputos head, and the two
# small ZIPs; and the values those files write, for fuzz_audit_values.
R=tests/fixtures/realdata
mkdir -p "$C/audit_values"
for f in $(cd $R && find . -name '*.csv' | sort); do
  n=$(echo "$f" | tr -c 'A-Za-z0-9_.\n' '-' | sed 's/^[-.]*//')
  { printf '\x02'; head -n 50 "$R/$f"; } > "$C/audit/seed-real-$n"
done
for f in ine-puebla-2019/20190603_0915_PREP_AYUN_PUE.zip iecm-2024-prototipo/20240602_2000_PREP_CDMX.zip; do
  { printf '\x00'; cat "$R/$f"; } > "$C/audit/seed-real-$(basename "$f")"
done
v=0
for s in '\x00'7,672 '\x00'"'"4,569,608 '\x00'13495 '\x01'"'"100.0000% '\x01'97.9588 '\x01'2.214 \
         '\x02'"12/05/2024 07:17:06 (UTC-6)" '\x02'"2021-06-07 13:08:00.000000" '\x02'45445.75071 \
         '\x02'"02/06/2019 20:44" '\x02'"2018-07-02 06:47:00" '\x03'"ALGÚN CAMPO ILEGIBLE O SIN DATO" \
         '\x03'"='090001B0100'" '\x03'"ILEGIBLE " '\x03'ACTAS_FUERA_CATÁLOGO; do
  printf '%b' "$s" > "$C/audit_values/seed-$v"; v=$((v + 1))
done
ls "$C"/* | wc -l
