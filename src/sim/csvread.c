/* csvread.c — read a published Anexo 18.5 results CSV record by record
 * (libcsv, strict), streaming: a national database is read in chunks, never
 * whole. Blank lines are skipped by the parser, and so are lines whose
 * cells hold only tabs or spaces (IECM writes lines 3 and 6 as four tab
 * cells); a leading UTF-8 BOM is dropped. It knows nothing of what the columns mean (compare.c does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "sim/sim.h"
#include "sim/sim_internal.h"
#include "util/csv_fields.h"

#define MAXF 256

typedef struct {
    prep_csv_fields fl;
    long recno;
    int stop, failed;
    sim_csv_rec_fn fn;
    void *ctx;
    prep_err *err;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    const char *p = s ? s : "";
    if (r->recno == 0 && r->fl.nf == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        len -= 3;
    }
    prep_csv_fields_add(&r->fl, p, len);
}

static int blank_cells(char **f, int nf)
{
    for (int i = 0; i < nf; i++)
        if (f[i][strspn(f[i], " \t")] != '\0')
            return 0;
    return 1;
}

static void on_record(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (r->stop)
        return;
    char *f[MAXF];
    if (!prep_buf_ok(&r->fl.text)) {
        prep_fail(r->err, PREP_E_NOMEM, "out of memory reading CSV");
        r->stop = r->failed = 1;
        return;
    }
    if (r->fl.overflow) {
        prep_fail(r->err, PREP_E_INVALID, "record %ld has more than %d fields", r->recno + 1,
                  MAXF);
        r->stop = r->failed = 1;
        return;
    }
    int nf = prep_csv_fields_view(&r->fl, f);
    if (nf > 0 && blank_cells(f, nf)) {
        prep_csv_fields_next(&r->fl);
        return;
    }
    int rc = r->fn(r->ctx, nf, f, r->recno, r->err);
    if (rc < 0)
        r->stop = r->failed = 1;
    else if (rc > 0)
        r->stop = 1;
    r->recno++;
    prep_csv_fields_next(&r->fl);
}

int sim_csv_stream(const char *path, sim_csv_rec_fn fn, void *ctx, prep_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return prep_fail(err, PREP_E_NOT_FOUND, "cannot open %s", path);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(fp);
        return prep_fail(err, PREP_E_NOMEM, "out of memory (csv)");
    }
    reader r = {.fn = fn, .ctx = ctx, .err = err};
    prep_csv_fields_init(&r.fl, MAXF);
    char chunk[1 << 16];
    size_t n;
    int rc = 0;
    while (!r.stop && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (csv_parse(&p, chunk, n, on_field, on_record, &r) != n && !r.stop) {
            rc = prep_fail(err, PREP_E_INVALID, "%s: record %ld: %s", path, r.recno + 1,
                           csv_strerror(csv_error(&p)));
            break;
        }
    }
    if (rc == 0 && !r.stop && ferror(fp))
        rc = prep_fail(err, PREP_E_IO, "cannot read %s", path);
    if (rc == 0 && !r.stop && csv_fini(&p, on_field, on_record, &r) != 0)
        rc = prep_fail(err, PREP_E_INVALID, "%s: malformed last record", path);
    if (rc == 0 && r.failed)
        rc = -1;
    csv_free(&p);
    prep_csv_fields_free(&r.fl);
    fclose(fp);
    return rc;
}

/* ---- the header block ---------------------------------------------------- */

typedef struct {
    sim_csv_summary *out;
    int state;               /* 0 name, 1 corte, 2 waiting for names, 3 values */
    const char *path;
} sum_ctx;

static int on_summary(void *ctx, int nf, char **f, long recno, prep_err *err)
{
    (void)recno;
    sum_ctx *s = ctx;
    switch (s->state) {
    case 0:
        snprintf(s->out->nombre, sizeof s->out->nombre, "%s", nf ? f[0] : "");
        s->state = 1;
        return 0;
    case 1:
        snprintf(s->out->corte, sizeof s->out->corte, "%s", nf ? f[0] : "");
        s->state = 2;
        return 0;
    case 2:
        if (nf != PREP_SUMMARY_NFIELDS)
            return prep_fail(err, PREP_E_INVALID, "%s: summary header has %d fields, not %d",
                             s->path, nf, PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < nf; i++)
            if (strcmp(f[i], prep_summary_names[i]) != 0)
                return prep_fail(err, PREP_E_INVALID, "%s: summary field %d is %s, not %s",
                                 s->path, i + 1, f[i], prep_summary_names[i]);
        s->state = 3;
        return 0;
    default:
        if (nf != PREP_SUMMARY_NFIELDS)
            return prep_fail(err, PREP_E_INVALID, "%s: summary values: %d fields, not %d",
                             s->path, nf, PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < nf; i++)
            snprintf(s->out->v[i], sizeof s->out->v[i], "%s", f[i]);
        s->state = 4;
        return 1;
    }
}

int sim_csv_read_summary(const char *path, sim_csv_summary *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    sum_ctx s = {.out = out, .path = path};
    if (sim_csv_stream(path, on_summary, &s, err) < 0)
        return -1;
    if (s.state != 4)
        return prep_fail(err, PREP_E_INVALID, "%s: no summary block", path);
    return 0;
}
