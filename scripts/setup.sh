#!/usr/bin/env bash
# scripts/setup.sh — install what PREP needs on Debian (apt + npm) and build it.
# Safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs=$(grep -v '^#' scripts/debian-packages.txt | tr '\n' ' ')
# Node.js and npm: Debian's, unless the machine already has a Node.js with npm
# (a NodeSource nodejs conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
missing=$(dpkg-query -W -f='${Status} ${Package}\n' $pkgs 2>/dev/null | grep -v '^install ok installed' | awk '{print $NF}' || true)
# dpkg-query prints nothing for packages it has never heard of: treat those as missing too.
for p in $pkgs; do dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "${missing// /}" ]; then
  echo "setup: installing Debian packages:$missing"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs
fi
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
make -j"$(nproc)" >/dev/null
echo "setup: built $(./build/prep version | head -1)"
