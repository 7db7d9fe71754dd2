/* err.h — how every fallible function in PREP reports failure.
 * Functions return 0 on success and -1 on failure, filling a prep_err with a
 * stable code (used by the HTTP API and the CLI exit paths) and a human
 * message. Nothing below the CLI/HTTP layers prints or exits. */
#ifndef PREP_ERR_H
#define PREP_ERR_H

typedef enum {
    PREP_OK = 0,
    PREP_E_INVALID,      /* malformed input (bad field, bad JSON, bad clave) */
    PREP_E_NOT_FOUND,    /* unknown acta, user, image, corte */
    PREP_E_STATE,        /* illegal transition for the acta's current state */
    PREP_E_CONFLICT,     /* duplicate, same user twice, lease held by another */
    PREP_E_FORBIDDEN,    /* role or CATD/CAE scope does not allow it */
    PREP_E_UNAUTHORIZED, /* no or expired session, wrong password */
    PREP_E_HASH,         /* image bytes do not match the declared SHA-256 */
    PREP_E_TOO_LARGE,    /* body or field over its limit */
    PREP_E_IO,           /* disk, database or network failure */
    PREP_E_NOMEM,
    PREP_E_CORRUPT,      /* tampered or inconsistent stored data */
    PREP_E_RATE,         /* throttled */
    PREP_E_NOSPACE,      /* the data directory's disk is full (nothing was written) */
    PREP_E__COUNT
} prep_errcode;

typedef struct {
    prep_errcode code;
    char msg[512];
} prep_err;

/* Fill err (if not NULL) and return -1. printf-style message. */
int prep_fail(prep_err *err, prep_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Stable lowercase identifier for a code, e.g. "invalid", "state". */
const char *prep_errcode_name(prep_errcode code);

/* HTTP status that goes with a code (400, 404, 409, ...). */
int prep_errcode_http(prep_errcode code);

void prep_err_clear(prep_err *err);

/* The code for a failed system call's errno: PREP_E_NOSPACE for ENOSPC and
 * EDQUOT, PREP_E_IO otherwise. */
prep_errcode prep_errno_code(int e);

#endif
