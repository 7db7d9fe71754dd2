/* zipw.h — deterministic ZIP archives (libzip): entries sorted by name,
 * every entry stamped with the same given time (DOS date-time in UTC-6,
 * never the host's time zone or the current time), Unix mode 0644, no
 * extra fields, so the same inputs give byte-identical archives on any host.
 * Used for the per-election database ZIPs and the difusor packages. */
#ifndef PREP_ZIPW_H
#define PREP_ZIPW_H

#include <stddef.h>

#include "util/err.h"
#include "util/timefmt.h"

typedef struct prep_zipw prep_zipw;

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
/* Sort, write and close; the archive appears at path only when complete.
 * Frees z whatever happens. */
int prep_zipw_close(prep_zipw *z, prep_err *err);
/* Deflate on this many worker threads at close (default: one per online
 * CPU, up to 8; 0: on the closing thread). The bytes do not depend on it. */
void prep_zipw_set_threads(prep_zipw *z, int threads);
/* Abandon without writing. */
void prep_zipw_discard(prep_zipw *z);

/* Level for a file by name: store .zip/.jpg/.png/.webp/.gz, else `level`. */
int prep_zipw_level_for(const char *name, int level);

#endif
