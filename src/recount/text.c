/* text.c — turn the bytes of a published CSV into UTF-8 text and find its
 * delimiter: drop a UTF-8 BOM, keep valid UTF-8 as it is, read anything
 * else as Latin-1 (INE 2018, several OPLs) through glibc's iconv, drop an
 * Excel `sep=X` first line. It does not split records (rows.c does). */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "recount/recount_int.h"

/* Convert len bytes from `from` to UTF-8. 0 ok, 1 invalid input, -1 no memory. */
static int convert(const char *from, const char *in, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return -1;
    size_t cap = len * 2 + 1; /* Latin-1 -> UTF-8 at most doubles */
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return -1;
    }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap - 1;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    int bad = rc == (size_t)-1;
    if (!bad)
        bad = iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1;
    iconv_close(cd);
    if (bad) {
        free(buf);
        return errno == E2BIG ? -1 : 1;
    }
    *op = '\0';
    *out = buf;
    *outlen = (size_t)(op - buf);
    return 0;
}

/* The first line containing one of the structural names decides the
 * delimiter: whichever of '|' and ',' it holds more of. */
static char detect_delim(const char *t, size_t len)
{
    const char *p = t, *end = t + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        const char *eol = !nl ? (cr ? cr : end) : (cr && cr < nl ? cr : nl);
        size_t n = (size_t)(eol - p);
        if (memmem(p, n, "ACTAS_ESPERADAS", 15) || memmem(p, n, "CLAVE_CASILLA", 13) ||
            memmem(p, n, "CLAVE_ACTA", 10)) {
            size_t bars = 0, commas = 0;
            for (size_t i = 0; i < n; i++) {
                bars += p[i] == '|';
                commas += p[i] == ',';
            }
            return bars > commas ? '|' : ',';
        }
        p = eol + 1;
    }
    return ',';
}

int rc_text_decode(const char *data, size_t len, const char *name, rc_text *out,
                   prep_err *err)
{
    memset(out, 0, sizeof *out);
    out->first_line = 1;
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        long line = 1;
        for (const char *p = data; p < nul; p++)
            line += *p == '\n';
        return prep_fail(err, PREP_E_INVALID,
                         "%s línea %ld: byte NUL: no es un archivo de texto (CSV)", name, line);
    }
    int bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    const char *in = bom ? data + 3 : data;
    size_t inlen = bom ? len - 3 : len;
    int rc = convert("UTF-8", in, inlen, &out->text, &out->len);
    out->encoding = bom ? "UTF-8 with BOM" : "UTF-8";
    if (rc == 1) {
        rc = convert("ISO-8859-1", in, inlen, &out->text, &out->len);
        out->encoding = "Latin-1";
    }
    if (rc != 0)
        return prep_fail(err, PREP_E_NOMEM, "%s: memoria insuficiente para decodificar el archivo", name);

    /* Excel's hint line: "sep=|" alone on the first line. */
    char *t = out->text;
    if (strncmp(t, "sep=", 4) == 0 && t[4] && t[4] != '\r' && t[4] != '\n') {
        size_t k = 5;
        while (t[k] == ' ' || t[k] == '\t')
            k++;
        if (t[k] == '\r' || t[k] == '\n' || t[k] == '\0') {
            out->delim = t[4];
            out->sep_line = 1;
            if (t[k] == '\r' && t[k + 1] == '\n')
                k++;
            if (t[k])
                k++;
            memmove(t, t + k, out->len - k + 1);
            out->len -= k;
            out->first_line = 2;
            return 0;
        }
    }
    out->delim = detect_delim(t, out->len);
    return 0;
}

void rc_text_free(rc_text *t)
{
    free(t->text);
    memset(t, 0, sizeof *t);
}
