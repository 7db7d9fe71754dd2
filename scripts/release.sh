#!/usr/bin/env bash
# scripts/release.sh VERSION — make a release the institute can report: on a
# clean tree whose src/util/version.h says VERSION and whose CHANGELOG.md has
# a "## VERSION — ..." section no longer marked "(unreleased)", check that
# two builds are byte-identical (scripts/repro-check.sh), then create the
# annotated tag vVERSION whose message is that section of the release notes
# plus the SHA-256 of the binary the commit builds to. It pushes nothing.
# --check only runs the checks (CI-friendly; creates no tag).
set -euo pipefail
cd "$(dirname "$0")/.."
check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
v=${1:?usage: scripts/release.sh [--check] VERSION (e.g. 0.2.0)}
fail() { echo "release: $*" >&2; exit 1; }
[[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "VERSION is X.Y.Z, not '$v'"
[ -z "$(git status --porcelain)" ] || fail "the tree has uncommitted changes: a release is a commit"
code=$(sed -n 's/^#define PREP_VERSION "\(.*\)"$/\1/p' src/util/version.h)
[ "$code" = "$v" ] || fail "src/util/version.h says $code, not $v"
notes=$(awk -v v="$v" '$0 ~ "^## "v" " {on=1; print; next} on && /^## / {exit} on {print}' CHANGELOG.md)
[ -n "$notes" ] || fail "CHANGELOG.md has no '## $v — ...' section"
! head -1 <<<"$notes" | grep -qi unreleased || fail "CHANGELOG.md still marks $v as unreleased"
! git rev-parse -q --verify "refs/tags/v$v" >/dev/null || fail "tag v$v exists already"
out=$(scripts/repro-check.sh) || fail "two builds differ: not reproducible, not releasable"
sha=$(sed -n 's/^repro-check: \([0-9a-f]\{64\}\) .*/\1/p' <<<"$out" | head -1)
echo "release: $v builds reproducibly to prep SHA-256 $sha"
[ "$check_only" = 1 ] && exit 0
git tag -a "v$v" -F - <<MSG
PREP $v

$notes

prep binary SHA-256 (reproducible build of this commit): $sha
MSG
echo "release: tagged v$v at $(git rev-parse --short HEAD); push it with: git push origin v$v"
