#!/usr/bin/env bash
# scripts/demo.sh — the README's first command: installs what PREP needs and
# builds it (scripts/setup.sh), then runs a demo election night: the `cdmx`
# catálogo (≈13,500 casillas × 3 elections) and a drill paced so actas arrive
# for about twenty minutes with a corte every minute, served on
# http://localhost:8080 (public site at /, operator pages at /operacion/).
# At the end the drill checks the final corte against its truth and the
# server keeps serving until Ctrl-C. Nothing outside a fresh temporary data
# directory is touched.
#   PREP_DEMO_PORT=8080      where to listen (loopback)
#   PREP_DEMO_MINUTES=20     how long the night lasts
#   PREP_DEMO_PRESET=cdmx    small | cdmx | national
#   PREP_DEMO_DATA=DIR       data directory (must be empty or missing; default: a new temp dir)
#   PREP_DEMO_SKIP_SETUP=1   do not run scripts/setup.sh (already installed and built)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PREP_DEMO_PORT:-8080}
minutes=${PREP_DEMO_MINUTES:-20}
preset=${PREP_DEMO_PRESET:-cdmx}
[ "${PREP_DEMO_SKIP_SETUP:-0}" = 1 ] || scripts/setup.sh
data=${PREP_DEMO_DATA:-$(mktemp -d /tmp/prep-demo-XXXXXX)/data}
# The virtual night runs 13 hours (18:00 to 07:00, late paquetes last):
# pace = night seconds per real second.
pace=$(( 13 * 3600 / (minutes * 60) ))
[ "$pace" -ge 1 ] || pace=1
cat <<EOF
PREP demo: a ${preset} election night in about ${minutes} minutes.
  public site      http://localhost:${port}/
  operator pages   http://localhost:${port}/operacion/  (accounts and password: ${data}/simulacros/cuentas.json)
  data directory   ${data}
A corte lands every minute; Ctrl-C stops the demo.
EOF
exec ./build/prep simulate --preset "$preset" --data "$data" --pace "$pace" \
  --corte-every 60 --listen "127.0.0.1:${port}" --keep-serving
