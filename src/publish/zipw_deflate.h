/* zipw_deflate.h — deflating a ZIP's entries on worker threads ahead of
 * libzip (internal to zipw.c). Each entry becomes a libzip source that
 * reports its data as already deflated (method, sizes, CRC-32), so libzip
 * copies the bytes instead of compressing them on the writing thread. The
 * deflate parameters are libzip's own (raw deflate, memLevel 9, default
 * strategy), so the archive is byte-identical to one libzip compresses
 * itself, whatever the number of threads. */
#ifndef PREP_ZIPW_DEFLATE_H
#define PREP_ZIPW_DEFLATE_H

#include <stddef.h>

#include <zip.h>

#include "util/err.h"

typedef struct prep_zipw_pool prep_zipw_pool;

/* A pool for n entries, none described yet. */
int prep_zipw_pool_new(prep_zipw_pool **out, size_t n, prep_err *err);
/* Describe entry i: a file read by a worker (path) or bytes (data, len)
 * valid until prep_zipw_pool_free; level 1..9. The strings are not copied. */
void prep_zipw_pool_set(prep_zipw_pool *p, size_t i, const char *path, const void *data,
                        size_t len, int level);
/* The libzip source of entry i (to hand to zip_file_add). */
zip_source_t *prep_zipw_pool_source(prep_zipw_pool *p, zip_t *za, size_t i);
/* What a source of already compressed bytes supports, and its
 * ZIP_SOURCE_STAT answer (sizes, method, CRC-32): the pool's entries and
 * zipw.c's copies. */
zip_int64_t prep_zipw_compressed_supports(void);
zip_int64_t prep_zipw_compressed_stat(void *data, zip_uint64_t len, zip_uint64_t size,
                                      zip_uint64_t comp_size, zip_uint16_t method,
                                      zip_uint32_t crc, zip_error_t *ze);
/* ZIP_SOURCE_GET_FILE_ATTRIBUTES of an entry deflated at `level`, as libzip's
 * own deflate would report it (also for entries copied already deflated). */
int prep_zipw_deflate_attributes(int level, void *data, zip_uint64_t len, zip_error_t *ze);
/* Start `threads` workers (0: every entry is deflated when libzip asks for
 * it, on the calling thread). Workers run at most a bounded window ahead
 * of libzip, so memory stays bounded whatever the archive's size. */
int prep_zipw_pool_start(prep_zipw_pool *p, int threads, prep_err *err);
/* The first entry that could not be read or deflated, as an error (0 if
 * none): a clearer message than libzip's "Read error". */
int prep_zipw_pool_error(prep_zipw_pool *p, prep_err *err);
/* Stop and join the workers, free every buffer. After zip_close or
 * zip_discard (the sources must be gone). NULL is fine. */
void prep_zipw_pool_free(prep_zipw_pool *p);

/* Entries deflated since the program started, every pool together (for
 * the tests: each entry must be deflated exactly once). */
extern _Atomic unsigned long prep_zipw_deflate_runs;

/* Worker threads for an archive: the online CPUs, 1..8. */
int prep_zipw_pool_threads(void);

#endif
