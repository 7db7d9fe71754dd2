/* csv_table.c — record-by-record reading of one catálogo CSV file on top of
 * libcsv (strict mode). The whole file is read into memory and fed to the
 * parser one physical line at a time, so each record knows the line it
 * started on. Does not interpret values: that is catalog_read.c's job. */
#include "catalog/csv_table.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv_fields.h"

#define MAX_FIELDS 256
#define MAX_FILE (1L << 30) /* 1 GiB: far above any real catálogo */

typedef struct {
    const char *file;
    const char *const *cols;
    int ncols;
    prep_csv_row_fn fn;
    void *ctx;
    prep_err *err;
    int failed;          /* an error is in err; ignore further callbacks */
    long cur_line;       /* physical line being fed to the parser */
    long rec_line;       /* line the current record started on */
    int between;         /* no record in progress: the next non-blank line starts one */
    prep_csv_fields fl;  /* fields so far in the current record */
    int have_header;
    int nheader;
    int map[MAX_FIELDS]; /* requested column i -> field index in the record */
    const char *vals[MAX_FIELDS];
} reader;

int prep_csv_fail(prep_err *err, const prep_csv_row *row, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return prep_fail(err, PREP_E_INVALID, "%s:%ld: %s", row->file, row->line, msg);
}

int prep_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        int n;
        unsigned min;
        if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return 0;
        }
        if (i + (size_t)n >= len)
            return 0;
        for (int k = 1; k <= n; k++) {
            if ((s[i + (size_t)k] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (s[i + (size_t)k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += (size_t)n + 1;
    }
    return 1;
}

static void on_field(void *data, size_t len, void *vr)
{
    reader *r = vr;
    if (r->failed)
        return;
    if (r->fl.nf >= MAX_FIELDS) {
        r->failed = 1;
        prep_fail(r->err, PREP_E_INVALID, "%s:%ld: more than %d fields", r->file, r->rec_line,
                  MAX_FIELDS);
        return;
    }
    if (!prep_utf8_valid(data ? data : "", data ? len : 0)) {
        r->failed = 1;
        prep_fail(r->err, PREP_E_INVALID,
                  "%s:%ld: field %d is not valid UTF-8 (save the file as UTF-8)", r->file,
                  r->rec_line, r->fl.nf + 1);
        return;
    }
    prep_csv_fields_add(&r->fl, data, len);
    if (!prep_buf_ok(&r->fl.text)) {
        r->failed = 1;
        prep_fail(r->err, PREP_E_NOMEM, "%s: out of memory", r->file);
    }
}

static int header(reader *r)
{
    prep_csv_row row = {.file = r->file, .line = r->rec_line};
    r->nheader = r->fl.nf;
    for (int i = 0; i < r->fl.nf; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(prep_csv_fields_get(&r->fl, i), prep_csv_fields_get(&r->fl, j)) == 0)
                return prep_csv_fail(r->err, &row, "column %s appears twice in the header",
                                     prep_csv_fields_get(&r->fl, i));
    for (int c = 0; c < r->ncols; c++) {
        const char *name = r->cols[c] + (r->cols[c][0] == '?'); /* "?NAME": optional */
        r->map[c] = -1;
        for (int i = 0; i < r->fl.nf; i++)
            if (strcmp(name, prep_csv_fields_get(&r->fl, i)) == 0)
                r->map[c] = i;
        if (r->map[c] < 0 && name == r->cols[c])
            return prep_csv_fail(r->err, &row, "missing column %s", r->cols[c]);
    }
    return 0;
}

static void on_record(int term, void *vr)
{
    (void)term;
    reader *r = vr;
    r->between = 1;
    if (r->failed || r->fl.nf == 0)
        return;
    int rc = 0;
    if (!r->have_header) {
        r->have_header = 1;
        rc = header(r);
    } else {
        int blank = 1;
        for (int i = 0; i < r->fl.nf && blank; i++)
            blank = prep_csv_fields_get(&r->fl, i)[0] == '\0';
        prep_csv_row row = {.file = r->file, .line = r->rec_line, .n = r->ncols,
                            .cols = r->cols, .v = r->vals};
        if (blank) {
            rc = 0;
        } else if (r->fl.nf != r->nheader) {
            rc = prep_csv_fail(r->err, &row, "%d fields, but the header has %d", r->fl.nf,
                               r->nheader);
        } else {
            for (int c = 0; c < r->ncols; c++)
                r->vals[c] = r->map[c] < 0 ? "" : prep_csv_fields_get(&r->fl, r->map[c]);
            rc = r->fn(r->ctx, &row, r->err);
        }
    }
    if (rc < 0)
        r->failed = 1;
    prep_csv_fields_next(&r->fl);
}

static int slurp(const char *path, const char *file, char **out, size_t *outlen, prep_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return prep_fail(err, errno == ENOENT ? PREP_E_NOT_FOUND : PREP_E_IO,
                         "%s: cannot open: %s", file, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            if (cap > (size_t)MAX_FILE) {
                free(buf);
                fclose(f);
                return prep_fail(err, PREP_E_TOO_LARGE, "%s: larger than %ld bytes", file,
                                 MAX_FILE);
            }
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return prep_fail(err, PREP_E_NOMEM, "%s: out of memory", file);
            }
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return prep_fail(err, PREP_E_IO, "%s: read error", file);
    }
    *out = buf;
    *outlen = len;
    return 0;
}

int prep_csv_read(const char *dir, const char *file, const char *const *cols, int ncols,
                  prep_csv_row_fn fn, void *ctx, prep_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return prep_fail(err, PREP_E_INVALID, "%s: path too long", file);
    if (ncols > MAX_FIELDS)
        return prep_fail(err, PREP_E_INVALID, "%s: too many columns requested", file);
    char *buf = NULL;
    size_t len = 0;
    if (slurp(path, file, &buf, &len, err) < 0)
        return -1;

    reader *r = calloc(1, sizeof *r);
    struct csv_parser p;
    if (!r || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(r);
        free(buf);
        return prep_fail(err, PREP_E_NOMEM, "%s: out of memory", file);
    }
    r->file = file;
    r->cols = cols;
    r->ncols = ncols;
    r->fn = fn;
    r->ctx = ctx;
    r->err = err;
    r->between = 1;
    prep_csv_fields_init(&r->fl, MAX_FIELDS);

    size_t pos = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    int rc = 0;
    while (pos < len && !r->failed) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        r->cur_line++;
        if (r->between && buf[pos] != '\n' && !(buf[pos] == '\r' && end - pos <= 2)) {
            r->rec_line = r->cur_line;
            r->between = 0;
        }
        if (csv_parse(&p, buf + pos, end - pos, on_field, on_record, r) != end - pos &&
            !r->failed) {
            int e = csv_error(&p);
            rc = prep_fail(err, e == CSV_EPARSE ? PREP_E_INVALID : PREP_E_NOMEM,
                           "%s:%ld: %s", file, r->fl.nf ? r->rec_line : r->cur_line,
                           e == CSV_EPARSE ? "malformed CSV (a quote out of place or unbalanced)"
                                           : csv_strerror(e));
            break;
        }
        pos = end;
    }
    if (rc == 0 && !r->failed && csv_fini(&p, on_field, on_record, r) != 0 && !r->failed)
        rc = prep_fail(err, PREP_E_INVALID, "%s:%ld: unterminated quoted field", file,
                       r->rec_line ? r->rec_line : r->cur_line);
    if (rc == 0 && !r->failed && !r->have_header)
        rc = prep_fail(err, PREP_E_INVALID, "%s:1: empty file, expected a header line", file);
    if (r->failed)
        rc = -1;
    csv_free(&p);
    prep_csv_fields_free(&r->fl);
    free(r);
    free(buf);
    return rc;
}
