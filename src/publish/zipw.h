/* zipw.h — deterministic ZIP archives (libzip): entries sorted by name,
 * every entry stamped with the same given time (DOS date-time in UTC-6,
 * never the host's time zone or the current time), Unix mode 0644, no
 * extra fields, so the same inputs give byte-identical archives on any host.
 * An entry can also be copied from another ZIP as it is compressed there
 * (prep_zipr, prep_zipw_add_copy), without inflating or deflating it.
 * Used for the per-election database ZIPs and the difusor packages. */
#ifndef PREP_ZIPW_H
#define PREP_ZIPW_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/timefmt.h"

typedef struct prep_zipw prep_zipw;
/* An existing ZIP, open read-only, to copy entries from. */
typedef struct prep_zipr prep_zipr;

/* Compression per entry: PREP_ZIP_STORE for data already compressed
 * (ZIP files, images), else a deflate level 1..9. */
#define PREP_ZIP_STORE 0

/* Start an archive that will be written to path at prep_zipw_close(). */
int prep_zipw_open(prep_zipw **out, const char *path, prep_time mtime, prep_err *err);
/* Add bytes that stay valid until prep_zipw_close(). */
int prep_zipw_add_mem(prep_zipw *z, const char *name, const void *data, size_t len, int level,
                      prep_err *err);
/* Add a file read at close time. */
int prep_zipw_add_file(prep_zipw *z, const char *name, const char *path, int level,
                       prep_err *err);
/* Add entry `index` of `from` under `name`, its compressed bytes copied as
 * they are (same method, CRC-32 and sizes; never recompressed), with this
 * archive's time and mode like every other entry. `level` is the one it was
 * deflated with (PREP_ZIP_STORE for a stored entry), which the entry's flags
 * record. Fails at once if the index is not an entry of `from` or the entry
 * is encrypted. `from` must stay open until prep_zipw_close() or
 * prep_zipw_discard() of z. */
int prep_zipw_add_copy(prep_zipw *z, const char *name, prep_zipr *from, int64_t index,
                       int level, prep_err *err);
/* Sort, write and close; the archive appears at path only when complete.
 * Frees z whatever happens. */
int prep_zipw_close(prep_zipw *z, prep_err *err);
/* Deflate on this many worker threads at close (default: one per online
 * CPU, up to 8; 0: on the closing thread). The bytes do not depend on it. */
void prep_zipw_set_threads(prep_zipw *z, int threads);
/* Abandon without writing. */
void prep_zipw_discard(prep_zipw *z);

/* Open path read-only for prep_zipw_add_copy (only the central directory
 * is read; use the archive's own hash to trust its data). */
int prep_zipr_open(prep_zipr **out, const char *path, prep_err *err);
/* The index of the entry called name (-1: none), with its uncompressed
 * size and whether it is stored (not compressed). */
int64_t prep_zipr_find(const prep_zipr *r, const char *name, int64_t *size, int *stored);
/* Close (NULL is fine), after every archive copying from r is closed. */
void prep_zipr_close(prep_zipr *r);

/* Level for a file by name: store .zip/.jpg/.png/.webp/.gz, else `level`. */
int prep_zipw_level_for(const char *name, int level);

#endif
