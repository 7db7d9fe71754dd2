/* compare.c — the end of a drill: read the final corte's results CSVs and
 * compare them with the truth, acta by acta and field by field, and every
 * summary field. Finds rows that are missing, extra, repeated, of an unknown
 * clave or wrong in any checked column. The expected numbers come from
 * expect.c (rules.h and tally.h); this file only reads and compares text.
 * It does not fetch cortes over the network or decide the exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish/csv_form.h"
#include "publish/csv_out.h"
#include "publish/names.h"
#include "sim/sim.h"
#include "sim/sim_internal.h"
#include "util/hash.h"
#include "util/timefmt.h"

#define DIFF_CAP 500

/* Named columns the comparison reads (besides the captured fields), found
 * by the names the catálogo's form gives them (csv_out.h, csv_form.h). */
enum {
    K_CLAVE, K_SECCION, K_ID_CASILLA, K_TIPO, K_EXT, K_CALC, K_LN, K_REP, K_OBS, K_CONTAB,
    K_SHA, K_ACOPIO, K_CAPTURA, K_VERIF, K_ORIGEN, K_DIG, K__COUNT
};
/* Their columns in the INE layout: head columns, or tail offsets + TAIL. */
#define TAIL 1000
static const int klogical[K__COUNT] = {
    PREP_CSV_CLAVE_CASILLA, PREP_CSV_SECCION, PREP_CSV_ID_CASILLA, PREP_CSV_TIPO_CASILLA,
    PREP_CSV_EXT_CONTIGUA, TAIL + PREP_CSV_TOTAL_CALCULADO, TAIL + PREP_CSV_LISTA_NOMINAL,
    TAIL + PREP_CSV_REPRESENTANTES, TAIL + PREP_CSV_OBSERVACIONES, TAIL + PREP_CSV_CONTABILIZADA,
    TAIL + PREP_CSV_CODIGO_INTEGRIDAD, TAIL + PREP_CSV_FECHA_ACOPIO, TAIL + PREP_CSV_FECHA_CAPTURA,
    TAIL + PREP_CSV_FECHA_VERIFICACION, TAIL + PREP_CSV_ORIGEN, TAIL + PREP_CSV_DIGITALIZACION};

typedef struct {
    const sim_truth *t;
    const sim_compare_hooks *h;
    sim_compare_result *r;
    int e, nf;
    const char *path;
    int state;               /* 0 before summary names, 1 summary values, 2 columns, 3 rows */
    int col[K__COUNT];
    int fcol[PREP_MAX_FIELDS];
    int ncols_csv;
    uint8_t *seen;
    int64_t nfuera;
    int tampered;
    char tbuf[24];
    const char *names[PREP_CSV_NCOLUMNS(PREP_MAX_COLS)]; /* the form's column names */
} cmp;

/* The form's name of a column of the INE layout. */
static const char *colname(const cmp *k, int logical)
{
    return k->names[prep_csv_col(k->t->cat, k->e, logical)];
}

static void diff(sim_compare_result *r, const char *el, const char *clave, const char *field,
                 const char *exp, const char *pub)
{
    r->ndiffs++;
    if (r->n >= r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        if (cap > DIFF_CAP)
            cap = DIFF_CAP;
        if (r->n >= cap)
            return;
        sim_diff *d = realloc(r->diffs, (size_t)cap * sizeof *d);
        if (!d)
            return;
        r->diffs = d;
        r->cap = cap;
    }
    sim_diff *d = &r->diffs[r->n++];
    snprintf(d->eleccion, sizeof d->eleccion, "%s", el);
    snprintf(d->clave, sizeof d->clave, "%s", clave);
    snprintf(d->field, sizeof d->field, "%s", field);
    snprintf(d->expected, sizeof d->expected, "%s", exp);
    snprintf(d->published, sizeof d->published, "%s", pub);
}

static const char *elcode(const cmp *k)
{
    return k->t->cat->elecciones[k->e].codigo;
}

static void check_text(cmp *k, const char *clave, const char *field, const char *exp,
                       const char *pub)
{
    k->r->fields_checked++;
    if (strcmp(exp, pub) != 0)
        diff(k->r, elcode(k), clave, field, exp, pub);
}

/* A number as the form writes it (width: IECM's zero-padding). */
static void check_int(cmp *k, const char *clave, const char *field, int64_t exp, int width,
                      const char *pub)
{
    char b[32];
    check_text(k, clave, field, prep_csv_num(k->t->cat, exp, width, b), pub);
}

/* A timestamp column: present (and well-formed) or empty, as expected. */
static void check_time(cmp *k, const char *clave, const char *field, int want, const char *pub)
{
    prep_time tm;
    k->r->fields_checked++;
    if (want && prep_csv_time_parse(k->t->cat, pub, &tm) < 0)
        diff(k->r, elcode(k), clave, field,
             k->t->cat->formato == PREP_FORMATO_IECM ? "dd/mm/AAAA HH:MM:SS (UTC-6)"
                                                     : "dd/mm/AAAA HH:MM:SS",
             pub[0] ? pub : "(vacío)");
    else if (!want && pub[0])
        diff(k->r, elcode(k), clave, field, "(vacío)", pub);
}

static void strip_clave(const prep_catalog *cat, const char *in, char *out, size_t cap)
{
    if (prep_csv_clave_parse(cat, in, out) == 0)
        return;
    snprintf(out, cap, "%s", in); /* not a clave: shown as published */
}

static int find_col(char **f, int nf, const char *name)
{
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i], name) == 0)
            return i;
    return -1;
}

static int on_header(cmp *k, int nf, char **f, prep_err *err)
{
    const prep_eleccion *el = &k->t->cat->elecciones[k->e];
    int t0 = PREP_CSV_TAIL0(el->ncols);
    prep_csv_columns(k->t->cat, k->e, k->names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS));
    for (int i = 0; i < K__COUNT; i++) {
        const char *name = colname(k, klogical[i] >= TAIL ? t0 + klogical[i] - TAIL
                                                          : klogical[i]);
        if ((k->col[i] = find_col(f, nf, name)) < 0)
            return prep_fail(err, PREP_E_INVALID, "%s: no column %s", k->path, name);
    }
    for (int fi = 0; fi < k->nf; fi++) {
        const char *name = colname(k, PREP_CSV_FIELDS0 + fi);
        if ((k->fcol[fi] = find_col(f, nf, name)) < 0)
            return prep_fail(err, PREP_E_INVALID, "%s: no column %s", k->path, name);
    }
    k->ncols_csv = nf;
    return 0;
}

static void mark_bad(cmp *k, int c)
{
    if (k->r->bad)
        k->r->bad[(size_t)k->e * (size_t)k->t->cat->ncasillas + (size_t)c] = 1;
}

/* Test fault tamper-csv: the first vote field holding a number, plus one. */
static void tamper(cmp *k, char **f)
{
    const prep_eleccion *el = &k->t->cat->elecciones[k->e];
    for (int fi = PREP_F_COL0; fi <= PREP_F_NULOS(el->ncols); fi++) {
        prep_val v;
        if (prep_csv_val_parse(k->t->cat, f[k->fcol[fi]], &v) == 0 && v >= 0) {
            snprintf(k->tbuf, sizeof k->tbuf, "%lld", (long long)v + 1);
            f[k->fcol[fi]] = k->tbuf;
            k->tampered = 1;
            return;
        }
    }
}

static void check_row(cmp *k, int nf, char **f)
{
    const sim_truth *t = k->t;
    const prep_catalog *cat = t->cat;
    sim_compare_result *r = k->r;
    char clave[32], what[96], buf[256];
    strip_clave(cat, f[k->col[K_CLAVE]], clave, sizeof clave);
    r->rows++;
    if (nf != k->ncols_csv) {
        snprintf(what, sizeof what, "%d", k->ncols_csv);
        snprintf(buf, sizeof buf, "%d", nf);
        diff(r, elcode(k), clave, "(número de columnas)", what, buf);
        return;
    }
    if (strcmp(clave, "-") == 0) { /* fuera de catálogo */
        k->nfuera++;
        check_text(k, "-", "OBSERVACIONES", PREP_CSV_OBS_FUERA, f[k->col[K_OBS]]);
        check_text(k, "-", "CONTABILIZADA", PREP_CSV_CONTAB_FUERA, f[k->col[K_CONTAB]]);
        return;
    }
    int c = prep_catalog_find_casilla(cat, clave);
    if (c < 0) {
        diff(r, elcode(k), clave, "CLAVE_CASILLA", "(una casilla del catálogo)", clave);
        return;
    }
    if (k->seen[c]++) {
        diff(r, elcode(k), clave, "(fila)", "una sola fila", "fila repetida");
        return;
    }
    sim_expect x;
    sim_expect_acta(t, k->e, c, &x);
    if (x.kind == SIM_EXP_NONE) {
        diff(r, elcode(k), clave, "(fila)", "sin registro (paquete perdido: ESPERADA)",
             "publicada");
        mark_bad(k, c);
        return;
    }
    if (k->h && k->h->tamper && !k->tampered && x.kind == SIM_EXP_PUBLICADA &&
        x.res.contabilizada)
        tamper(k, f);
    const prep_casilla *ca = &cat->casillas[c];
    const prep_eleccion *el = &cat->elecciones[k->e];
    int ndiffs0 = r->ndiffs;
    int t0 = PREP_CSV_TAIL0(el->ncols), hidden = prep_csv_total_hidden(cat, &x.res);
    check_int(k, clave, "SECCION", ca->seccion, PREP_W_SECCION, f[k->col[K_SECCION]]);
    check_int(k, clave, "ID_CASILLA", ca->numero, PREP_W_CASILLA, f[k->col[K_ID_CASILLA]]);
    snprintf(buf, sizeof buf, "%c", ca->tipo);
    check_text(k, clave, "TIPO_CASILLA", buf, f[k->col[K_TIPO]]);
    check_int(k, clave, "EXT_CONTIGUA", ca->ext, PREP_W_EXT, f[k->col[K_EXT]]);
    for (int fi = 0; fi < k->nf; fi++) {
        const char *pub = f[k->fcol[fi]], *name = colname(k, PREP_CSV_FIELDS0 + fi);
        if (x.kind != SIM_EXP_PUBLICADA) { /* sin acta: the form's fill text */
            check_text(k, clave, name,
                       fi == PREP_F_ASENTADO(el->ncols) ? prep_csv_no_total(cat)
                                                        : prep_csv_sin_acta_val(cat),
                       pub);
            continue;
        }
        prep_val want = x.vals[fi], got;
        r->fields_checked++;
        if (prep_csv_val_parse(cat, pub, &got) < 0 || got != want) {
            char wb[16];
            diff(r, elcode(k), clave, name, prep_val_fmt(want, wb), pub);
        }
    }
    const char *calc = colname(k, t0 + PREP_CSV_TOTAL_CALCULADO);
    if (!hidden)
        check_int(k, clave, calc, x.res.total_calculado, 0, f[k->col[K_CALC]]);
    else
        check_text(k, clave, calc, prep_csv_no_total(cat), f[k->col[K_CALC]]);
    check_int(k, clave, "LISTA_NOMINAL", ca->lista_nominal, 0, f[k->col[K_LN]]);
    if (hidden && cat->formato == PREP_FORMATO_IECM)
        check_text(k, clave, "REPRESENTANTES_PP_CI", "", f[k->col[K_REP]]);
    else
        check_int(k, clave, "REPRESENTANTES_PP_CI", ca->representantes, 0, f[k->col[K_REP]]);
    check_text(k, clave, "OBSERVACIONES", prep_csv_obs(cat, &x.res, buf, sizeof buf),
               f[k->col[K_OBS]]);
    check_text(k, clave, "CONTABILIZADA", x.res.contabilizada ? "1" : "0", f[k->col[K_CONTAB]]);
    int pubd = x.kind == SIM_EXP_PUBLICADA;
    /* FECHA_HORA_ACOPIO of an acta only a casilla photo brought in is the
     * time the image was received (as OPLs publish it), so it is always set. */
    check_time(k, clave, "FECHA_HORA_ACOPIO", pubd, f[k->col[K_ACOPIO]]);
    check_time(k, clave, "FECHA_HORA_CAPTURA", pubd, f[k->col[K_CAPTURA]]);
    check_time(k, clave, "FECHA_HORA_VERIFICACION", pubd, f[k->col[K_VERIF]]);
    const char *sha = f[k->col[K_SHA]];
    if (!pubd) {
        check_text(k, clave, "CODIGO_INTEGRIDAD", prep_csv_none(cat), sha);
        check_text(k, clave, "ORIGEN", prep_csv_none(cat), f[k->col[K_ORIGEN]]);
    } else {
        int origen = 0, dig = 0;
        const char *want = k->h && k->h->active_sha
                               ? k->h->active_sha(k->h->ctx, k->e, c, &origen, &dig)
                               : NULL;
        if (want) {
            check_text(k, clave, "CODIGO_INTEGRIDAD", want, sha);
            check_text(k, clave, "ORIGEN", prep_origen_name(origen), f[k->col[K_ORIGEN]]);
            check_text(k, clave, "DIGITALIZACION", prep_digitalizacion_name(dig),
                       f[k->col[K_DIG]]);
        } else if (r->fields_checked++, !prep_is_sha256_hex(sha)) {
            diff(r, elcode(k), clave, "CODIGO_INTEGRIDAD", "(SHA-256 de la imagen)", sha);
        }
    }
    if (r->ndiffs == ndiffs0)
        r->actas_ok++;
    else
        mark_bad(k, c);
}

static int on_record(void *ctx, int nf, char **f, long recno, prep_err *err)
{
    (void)recno;
    cmp *k = ctx;
    switch (k->state) {
    case 0: /* election name, corte time, then the summary names */
        if (nf > 0 && strcmp(f[0], prep_summary_names[0]) == 0)
            k->state = 1;
        return 0;
    case 1: {
        prep_summary s;
        sim_expect_summary(k->t, k->e, &s);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
            char b[32];
            prep_summary_field(&s, i, b, sizeof b);
            check_text(k, "-", prep_summary_names[i], b, i < nf ? f[i] : "(falta)");
        }
        k->state = 2;
        return 0;
    }
    case 2:
        if (on_header(k, nf, f, err) < 0)
            return -1;
        k->state = 3;
        return 0;
    default:
        check_row(k, nf, f);
        return 0;
    }
}

static int compare_election(const sim_truth *t, int e, const char *corte_dir,
                            const sim_compare_hooks *h, sim_compare_result *r, prep_err *err)
{
    const prep_catalog *cat = t->cat;
    char rel[PREP_NAME_CAP], path[1024];
    prep_path_csv(cat, e, rel);
    snprintf(path, sizeof path, "%s/%s", corte_dir, rel);
    cmp k = {.t = t, .h = h, .r = r, .e = e, .nf = t->el[e].nfields, .path = path};
    k.seen = calloc((size_t)cat->ncasillas + 1, 1);
    if (!k.seen)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    int rc = sim_csv_stream(path, on_record, &k, err);
    if (rc == 0 && k.state < 3)
        rc = prep_fail(err, PREP_E_INVALID, "%s: no acta table", path);
    if (rc == 0) {
        const char *code = cat->elecciones[e].codigo;
        for (int c = 0; c < cat->ncasillas; c++) {
            if (k.seen[c])
                continue;
            sim_expect x;
            sim_expect_acta(t, e, c, &x);
            if (x.kind == SIM_EXP_PUBLICADA)
                diff(r, code, cat->casillas[c].clave, "(fila)", "publicada", "falta");
            else if (x.kind == SIM_EXP_SIN_ACTA)
                diff(r, code, cat->casillas[c].clave, "(fila)",
                     prep_sin_acta_texto(t->cas[c].motivo), "falta");
            if (x.kind != SIM_EXP_NONE)
                mark_bad(&k, c);
        }
        int64_t want = 0;
        for (int i = 0; i < t->nfuera; i++)
            want += t->fuera[i].eleccion == e;
        char a[32], b[32];
        snprintf(a, sizeof a, "%lld", (long long)want);
        snprintf(b, sizeof b, "%lld", (long long)k.nfuera);
        r->fields_checked++;
        if (want != k.nfuera)
            diff(r, code, "-", "(filas fuera de catálogo)", a, b);
    }
    free(k.seen);
    return rc;
}

int sim_compare_corte(const sim_truth *t, const char *corte_dir, const sim_compare_hooks *h,
                      sim_compare_result *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    out->ncasillas = t->cat->ncasillas;
    out->bad = calloc((size_t)t->cat->nelecciones * (size_t)t->cat->ncasillas + 1, 1);
    if (!out->bad)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int e = 0; e < t->cat->nelecciones; e++)
        if (compare_election(t, e, corte_dir, h, out, err) < 0)
            return -1;
    return 0;
}

void sim_compare_free(sim_compare_result *r)
{
    free(r->diffs);
    free(r->bad);
    memset(r, 0, sizeof *r);
}
