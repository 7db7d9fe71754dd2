/* rows.c — split decoded text into CSV records with libcsv (tolerant mode:
 * stray quotes are kept as text, spaces around fields trimmed), knowing the
 * file line of each record: the text is fed one physical line at a time
 * (ended by CR LF, LF or a bare CR, as INE's 2024 generator writes), so a
 * record ends on the line being fed. Blank lines (and lines of empty or
 * whitespace-only cells) produce no record. What the
 * fields mean is recount.c's business. */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "recount/recount_int.h"
#include "util/csv_fields.h"

typedef struct {
    prep_csv_fields fl;
    int stop;
    long line;
    const char *name;
    rc_row_fn fn;
    void *ctx;
    prep_err *err;
} reader;

/* s without leading and trailing spaces and tabs (cut in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    prep_csv_fields_add(&r->fl, s, len);
}

static void on_record(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (r->stop)
        return;
    if (!prep_buf_ok(&r->fl.text)) {
        prep_fail(r->err, PREP_E_NOMEM, "%s: memoria insuficiente para leer el archivo", r->name);
        r->stop = 1;
        return;
    }
    if (r->fl.overflow) {
        prep_fail(r->err, PREP_E_INVALID, "%s línea %ld: más de %d campos", r->name, r->line,
                  RC_MAX_FIELDS);
        r->stop = 1;
        return;
    }
    char *f[RC_MAX_FIELDS];
    int nf = prep_csv_fields_view(&r->fl, f), blank = 1;
    for (int i = 0; i < nf; i++) {
        f[i] = trim(f[i]);
        blank = blank && !f[i][0];
    }
    if (!blank && r->fn(r->ctx, r->line, nf, f, r->err) < 0)
        r->stop = 1;
    prep_csv_fields_next(&r->fl);
}

int rc_rows(const rc_text *t, const char *name, rc_row_fn fn, void *ctx, prep_err *err)
{
    struct csv_parser p;
    if (csv_init(&p, 0) != 0)
        return prep_fail(err, PREP_E_NOMEM, "%s: memoria insuficiente (csv)", name);
    csv_set_delim(&p, (unsigned char)t->delim);
    reader r = {.line = t->first_line, .name = name, .fn = fn, .ctx = ctx, .err = err};
    prep_csv_fields_init(&r.fl, RC_MAX_FIELDS);
    const char *s = t->text, *end = t->text + t->len;
    int rc = 0;
    while (s < end && !r.stop) {
        const char *e = s;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        if (e < end)
            e += (*e == '\r' && e + 1 < end && e[1] == '\n') ? 2 : 1;
        if (csv_parse(&p, s, (size_t)(e - s), on_field, on_record, &r) != (size_t)(e - s) &&
            !r.stop) {
            rc = prep_fail(err, PREP_E_INVALID, "%s línea %ld: CSV mal formado (%s)", name, r.line,
                           csv_strerror(csv_error(&p)));
            break;
        }
        s = e;
        if (s < end)
            r.line++;
    }
    if (rc == 0 && !r.stop && csv_fini(&p, on_field, on_record, &r) != 0)
        rc = prep_fail(err, PREP_E_INVALID, "%s línea %ld: el último registro está mal formado", name, r.line);
    if (rc == 0 && r.stop)
        rc = -1;
    csv_free(&p);
    prep_csv_fields_free(&r.fl);
    return rc;
}
