/* err.c — error filling and the stable code table shared by CLI and HTTP. */
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static const struct {
    const char *name;
    int http;
} codes[PREP_E__COUNT] = {
    [PREP_OK] = {"ok", 200},
    [PREP_E_INVALID] = {"invalid", 400},
    [PREP_E_NOT_FOUND] = {"not_found", 404},
    [PREP_E_STATE] = {"state", 409},
    [PREP_E_CONFLICT] = {"conflict", 409},
    [PREP_E_FORBIDDEN] = {"forbidden", 403},
    [PREP_E_UNAUTHORIZED] = {"unauthorized", 401},
    [PREP_E_HASH] = {"hash_mismatch", 422},
    [PREP_E_TOO_LARGE] = {"too_large", 413},
    [PREP_E_IO] = {"io", 503},
    [PREP_E_NOMEM] = {"nomem", 503},
    [PREP_E_CORRUPT] = {"corrupt", 500},
    [PREP_E_RATE] = {"rate_limited", 429},
    [PREP_E_NOSPACE] = {"no_space", 507},
};

int prep_fail(prep_err *err, prep_errcode code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return -1;
}

const char *prep_errcode_name(prep_errcode code)
{
    if (code < 0 || code >= PREP_E__COUNT)
        return "unknown";
    return codes[code].name;
}

int prep_errcode_http(prep_errcode code)
{
    if (code < 0 || code >= PREP_E__COUNT)
        return 500;
    return codes[code].http;
}

void prep_err_clear(prep_err *err)
{
    if (err) {
        err->code = PREP_OK;
        err->msg[0] = '\0';
    }
}

prep_errcode prep_errno_code(int e)
{
    return e == ENOSPC || e == EDQUOT ? PREP_E_NOSPACE : PREP_E_IO;
}
