#!/usr/bin/env bash
# scripts/repro-check.sh — the reproducible-build check CI runs: clone the
# committed tree twice into directories of different names and depths,
# build each from scratch with the same SOURCE_DATE_EPOCH, and require
# byte-identical `prep` binaries. Prints both SHA-256s; exits 1 if they differ.
# What keeps builds reproducible (Makefile): -ffile-prefix-map/-fdebug-prefix-map
# strip the build path, no __DATE__/__TIME__, the commit comes from git, and
# static archives are made with `ar D` (no timestamps, uid or gid).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
a="$tmp/a/prep"
b="$tmp/otro/directorio/mas/largo/prep"
git clone -q . "$a"
git clone -q . "$b"
(cd "$a" && make -j"$(nproc)" >/dev/null)
(cd "$b" && make -j"$(nproc)" >/dev/null)
sa=$(sha256sum "$a/build/prep" | cut -d' ' -f1)
sb=$(sha256sum "$b/build/prep" | cut -d' ' -f1)
echo "repro-check: $sa  ($a)"
echo "repro-check: $sb  ($b)"
if [ "$sa" != "$sb" ]; then
  echo "repro-check: FAILED: two builds of commit $(git rev-parse --short HEAD) differ" >&2
  exit 1
fi
echo "repro-check: identical builds of commit $(git rev-parse --short HEAD)"
