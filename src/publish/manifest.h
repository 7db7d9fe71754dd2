/* manifest.h — the MANIFEST of a corte: one line per file,
 * "<sha256>  <relative path>\n", sorted by path (the format of sha256sum, so
 * `sha256sum -c MANIFEST` works by hand), covering every file of the corte
 * except MANIFEST and MANIFEST.sig themselves. Files written by the corte
 * are hashed from their bytes as they are written; any other file found
 * under the corte root (the public site's) is hashed by reading it.
 * Signing is keys.h's job; this file only builds, parses and compares. */
#ifndef PREP_MANIFEST_H
#define PREP_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

typedef struct {
    char *path;     /* relative, '/'-separated */
    char sha[65];
    int64_t size;   /* -1 when unknown (parsed from text) */
    int linked;     /* hard-linked from the previous corte's same path (site files) */
} prep_manifest_entry;

typedef struct {
    prep_manifest_entry *e;
    size_t n, cap;
    int sorted;
} prep_manifest;

void prep_manifest_init(prep_manifest *m);
void prep_manifest_free(prep_manifest *m);
/* Record a file from its bytes. */
int prep_manifest_add(prep_manifest *m, const char *rel, const void *data, size_t len,
                      prep_err *err);
int prep_manifest_add_hash(prep_manifest *m, const char *rel, const char sha[65], int64_t size,
                           prep_err *err);
/* Walk root and add every regular file not listed yet (hashing it). Fails on
 * symlinks, special files, and names the MANIFEST format cannot hold
 * (newline, backslash, leading/trailing space). MANIFEST and MANIFEST.sig at
 * the root are skipped. */
int prep_manifest_scan(prep_manifest *m, const char *root, prep_err *err);
/* Sort by path; -1 (PREP_E_INVALID) on a duplicate path. */
int prep_manifest_sort(prep_manifest *m, prep_err *err);
/* MANIFEST text (sorts first). */
int prep_manifest_text(prep_manifest *m, prep_buf *out, prep_err *err);
/* Parse MANIFEST text strictly: sorted, unique, lowercase hex, two spaces,
 * relative paths without "." or ".." components, LF line ends. */
int prep_manifest_parse(const char *text, size_t len, prep_manifest *m, prep_err *err);
/* Entry for path, or NULL (binary search; m sorted). */
const prep_manifest_entry *prep_manifest_find(const prep_manifest *m, const char *rel);
/* 1 when rel is a safe relative path (no "", ".", ".." components, no leading
 * '/', no backslash or control characters). */
int prep_manifest_path_ok(const char *rel);

#endif
