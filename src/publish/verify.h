/* verify.h — check a published corte offline (`prep verify`): the MANIFEST's
 * Ed25519 signature, every file's SHA-256 with none missing and none extra,
 * each election's 13 summary fields recomputed from the CSV rows
 * (csv_check.h) and compared with the CSV header and corte.json, and the
 * database ZIPs holding the very bytes of the CSV files. Works on a corte
 * directory or on a difusor package (paquetes/<dir>.zip). Reads only; the
 * first difference fails with the file (and line and field) where it is. */
#ifndef PREP_VERIFY_H
#define PREP_VERIFY_H

#include <stdint.h>

#include "publish/keys.h"
#include "util/err.h"
#include "util/timefmt.h"

typedef struct {
    char pk_hex[2 * PREP_PK_LEN + 1]; /* the key the MANIFEST is signed with */
    int key_given;                    /* 1: checked against the caller's key */
    char manifest_sha[65];            /* SHA-256 of the MANIFEST text */
    char dir[160];                    /* corte directory name */
    int numero, final;
    prep_time at;
    long files;                       /* files listed in the MANIFEST */
    long images;                      /* package only: acta images checked */
    int elecciones;
    int64_t filas;                    /* CSV data rows recomputed, all elections */
} prep_verify_result;

/* path: a corte directory, or a difusor package ZIP (when it ends in
 * ".zip"). pk: the key the corte must be signed with, or NULL to take the
 * corte's own corte.pub (the result says which). */
int prep_verify(const char *path, const uint8_t *pk, prep_verify_result *out, prep_err *err);

#endif
