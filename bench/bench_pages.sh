#!/usr/bin/env bash
# bench_pages.sh — runs bench_pages.mjs (the operator pages' reads against
# /api/v1/avance, same run) with the build's prep.
cd "$(dirname "$0")/.." && exec node bench/bench_pages.mjs
