/* compare.c — the end of a drill: read the final corte's results CSVs and
 * compare them with the truth, acta by acta and field by field, and every
 * summary field. Finds rows that are missing, extra, repeated, of an unknown
 * clave or wrong in any checked column. The expected numbers come from
 * expect.c (rules.h and tally.h); this file only reads and compares text.
 * It does not fetch cortes over the network or decide the exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish/csv_out.h"
#include "publish/names.h"
#include "sim/sim.h"
#include "sim/sim_internal.h"
#include "util/hash.h"
#include "util/timefmt.h"

#define DIFF_CAP 500

/* Named columns the comparison reads (besides the captured fields). */
enum {
    K_CLAVE, K_SECCION, K_ID_CASILLA, K_TIPO, K_EXT, K_CALC, K_LN, K_REP, K_OBS, K_CONTAB,
    K_SHA, K_ACOPIO, K_CAPTURA, K_VERIF, K_ORIGEN, K_DIG, K__COUNT
};
static const char *const knames[K__COUNT] = {
    "CLAVE_CASILLA", "SECCION", "ID_CASILLA", "TIPO_CASILLA", "EXT_CONTIGUA",
    "TOTAL_VOTOS_CALCULADO", "LISTA_NOMINAL", "REPRESENTANTES_PP_CI", "OBSERVACIONES",
    "CONTABILIZADA", "CODIGO_INTEGRIDAD", "FECHA_HORA_ACOPIO", "FECHA_HORA_CAPTURA",
    "FECHA_HORA_VERIFICACION", "ORIGEN", "DIGITALIZACION"};

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
} cmp;

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

static void check_int(cmp *k, const char *clave, const char *field, int64_t exp, const char *pub)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)exp);
    check_text(k, clave, field, b, pub);
}

/* A timestamp column: present (and well-formed) or empty, as expected. */
static void check_time(cmp *k, const char *clave, const char *field, int want, const char *pub)
{
    prep_time tm;
    k->r->fields_checked++;
    if (want && prep_time_parse(pub, &tm) < 0)
        diff(k->r, elcode(k), clave, field, "dd/mm/AAAA HH:MM:SS", pub[0] ? pub : "(vacío)");
    else if (!want && pub[0])
        diff(k->r, elcode(k), clave, field, "(vacío)", pub);
}

static void strip_clave(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (n >= 2 && in[0] == '\'' && in[n - 1] == '\'') {
        in++;
        n -= 2;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, in, n);
    out[n] = '\0';
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
    for (int i = 0; i < K__COUNT; i++)
        if ((k->col[i] = find_col(f, nf, knames[i])) < 0)
            return prep_fail(err, PREP_E_INVALID, "%s: no column %s", k->path, knames[i]);
    for (int fi = 0; fi < k->nf; fi++) {
        const char *name = prep_field_fixed_name(fi, el->ncols);
        if (!name)
            name = el->cols[fi - PREP_F_COL0].nombre;
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
        if (prep_val_parse(f[k->fcol[fi]], &v) == 0 && v >= 0) {
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
    strip_clave(f[k->col[K_CLAVE]], clave, sizeof clave);
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
    check_int(k, clave, "SECCION", ca->seccion, f[k->col[K_SECCION]]);
    check_int(k, clave, "ID_CASILLA", ca->numero, f[k->col[K_ID_CASILLA]]);
    snprintf(buf, sizeof buf, "%c", ca->tipo);
    check_text(k, clave, "TIPO_CASILLA", buf, f[k->col[K_TIPO]]);
    check_int(k, clave, "EXT_CONTIGUA", ca->ext, f[k->col[K_EXT]]);
    for (int fi = 0; fi < k->nf; fi++) {
        prep_val want = x.kind == SIM_EXP_PUBLICADA ? x.vals[fi] : PREP_V_NA, got;
        const char *pub = f[k->fcol[fi]];
        r->fields_checked++;
        if (prep_val_parse(pub, &got) < 0 || got != want) {
            char wb[16];
            const char *name = prep_field_fixed_name(fi, el->ncols);
            diff(r, elcode(k), clave, name ? name : el->cols[fi - PREP_F_COL0].nombre,
                 prep_val_fmt(want, wb), pub);
        }
    }
    if (x.kind == SIM_EXP_PUBLICADA)
        check_int(k, clave, "TOTAL_VOTOS_CALCULADO", x.res.total_calculado, f[k->col[K_CALC]]);
    else
        check_text(k, clave, "TOTAL_VOTOS_CALCULADO", "-", f[k->col[K_CALC]]);
    check_int(k, clave, "LISTA_NOMINAL", ca->lista_nominal, f[k->col[K_LN]]);
    check_int(k, clave, "REPRESENTANTES_PP_CI", ca->representantes, f[k->col[K_REP]]);
    check_text(k, clave, "OBSERVACIONES", prep_rules_observaciones(&x.res, buf, sizeof buf),
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
        check_text(k, clave, "CODIGO_INTEGRIDAD", "", sha);
        check_text(k, clave, "ORIGEN", "", f[k->col[K_ORIGEN]]);
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
