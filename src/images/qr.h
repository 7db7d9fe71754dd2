/* qr.h — read the QR code printed on an acta from its image (PNG through
 * libpng's simplified API, JPEG through libjpeg-turbo, symbols through libzbar),
 * so an image sent for one casilla whose QR names another is caught before
 * it becomes anyone's active image. Does not judge the image otherwise. */
#ifndef PREP_QR_H
#define PREP_QR_H

#include <stddef.h>

#include "util/err.h"

#define PREP_QR_MAX_PIXELS 30000000L /* decoded images larger than this are not scanned */

/* Decode every QR symbol; copy the first one's text into text (cap bytes,
 * truncated). Returns 1 when a QR was found, 0 when none, -1 when the bytes
 * are not a decodable PNG/JPEG (PREP_E_INVALID) or too large to scan
 * (PREP_E_TOO_LARGE). */
int prep_qr_decode(const void *data, size_t len, char *text, size_t cap, prep_err *err);

/* The same, saying how: full_only = 1 scans only the whole image at full
 * resolution (the reference of bench/bench_qr.c); *pass (may be NULL) gets
 * where it was found: 1 top-right corner, 2 whole image reduced (large
 * images), 3 whole image at full resolution, 0 not found. */
int prep_qr_decode_how(const void *data, size_t len, char *text, size_t cap, int full_only,
                       int *pass, prep_err *err);

/* Find a CLAVE_CASILLA (EE SSSS T NN XX: 6 digits, B/C/E/S, 4 digits, not
 * glued to other letters or digits) in a QR's text: "090123B0100" or
 * "PREP|GUB|090123B0100|..." both give 090123B0100. 0 found, -1 none. */
int prep_qr_clave(const char *text, char out[12]);

#endif
