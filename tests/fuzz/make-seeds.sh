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
mkdir -p $C/{clave,values,time,image,json_body,catalog,csv_check}
seed() { local t=$1 n=$2; shift 2; printf "$@" > "$C/$t/seed-$n"; } # target name format [args]

seed clave plain '090123B0100';  seed clave qrtext 'PREP|JG|091234S0101|x'
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

"$PREP" init --data "$tmp/data" >/dev/null
"$PREP" catalog load "$tmp/cat" --data "$tmp/data" >/dev/null
"$PREP" corte --data "$tmp/data" >/dev/null
i=0
for csv in $(find "$tmp/data/cortes" -name '*_[A-Z]*_20[0-9][0-9].csv' ! -name '*CANDIDATURAS*' | sort); do
  { printf "\\x0$i"; cat "$csv"; } > "$C/csv_check/seed-empty-$i"; i=$((i + 1))
done
ls "$C"/* | wc -l
