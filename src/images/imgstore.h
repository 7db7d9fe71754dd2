/* imgstore.h — the content-addressed store of acta images:
 * DATADIR/images/ab/cd/<sha256>, each file named by the SHA-256 of its exact
 * bytes, written to a temporary file, fsync'd, renamed into place and its
 * directory fsync'd before the call returns. Paths are built only from a
 * validated hash, never from user input. Metadata (which acta, origin) is in
 * the store (prep_imagen); QR decoding is in qr.h. */
#ifndef PREP_IMGSTORE_H
#define PREP_IMGSTORE_H

#include <stddef.h>

#include "util/err.h"

#define PREP_IMG_MAX_BYTES (8u << 20) /* largest image accepted: 8 MiB */

typedef enum { PREP_IMG_UNKNOWN = 0, PREP_IMG_PNG = 1, PREP_IMG_JPEG = 2 } prep_img_type;

/* Type from the first bytes (PNG signature, JPEG SOI marker). */
prep_img_type prep_img_sniff(const void *data, size_t len);
const char *prep_img_mime(prep_img_type t); /* "image/png", "image/jpeg", "application/octet-stream" */

/* Path of an image (whether or not it exists). -1 if sha is not 64 lowercase hex. */
int prep_img_path(const char *datadir, const char *sha, char *out, size_t cap, prep_err *err);

/* Store data under sha, which the caller has computed over exactly these
 * bytes. Durable on return. Idempotent: an existing file is kept. */
int prep_img_put(const char *datadir, const char *sha, const void *data, size_t len,
                 prep_err *err);

/* Open a stored image read-only: fd and size. PREP_E_NOT_FOUND when absent. */
int prep_img_open(const char *datadir, const char *sha, int *fd, size_t *size, prep_err *err);

#endif
