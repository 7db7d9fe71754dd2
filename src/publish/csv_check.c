/* csv_check.c — recompute a published results CSV from its rows (see
 * csv_check.h). Parsing is libcsv's (no space trimming, so the text is
 * checked exactly as published); the rules are core/rules.h's and the
 * summary core/tally.h's, never re-implemented here. */
#include "publish/csv_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "core/rules.h"
#include "publish/csv_form.h"
#include "publish/csv_out.h"
#include "util/buf.h"
#include "util/csv_fields.h"
#include "util/hash.h"

#define MAXF (PREP_CSV_NCOLUMNS(PREP_MAX_COLS) + 8)
_Static_assert(MAXF <= PREP_CSV_MAX_FIELDS, "a results CSV row must fit prep_csv_fields");

typedef struct {
    const prep_catalog *cat;
    const prep_eleccion *el;
    int e, final;
    prep_time at;
    const char *name;
    prep_err *err;
    int failed;
    /* Current row. */
    prep_csv_fields fl;
    long row;            /* non-empty rows seen */
    /* Header. */
    char header_vals[PREP_SUMMARY_NFIELDS][32];
    const char *cols[MAXF];
    int ncols;
    /* Data. */
    prep_summary s;
    uint8_t *seen;
    int last_u, last_c, in_fc;
    int64_t filas, fuera;
    const char *ent_nombre[100];
} ctx_t;

#define F(i) prep_csv_fields_get(&x->fl, i)
/* Cell of a column of the INE layout (csv_out.h) in this form; "" if absent. */
#define C(i) cell(x, i)

static int fail_row(ctx_t *x, const char *clave, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_row(ctx_t *x, const char *clave, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = x->row >= 5 ? x->row + 3 : x->row >= 2 ? x->row + 2 : x->row + 1;
    if (clave)
        prep_fail(x->err, PREP_E_CORRUPT, "%s line %ld (%s): %s", x->name, line, clave, msg);
    else
        prep_fail(x->err, PREP_E_CORRUPT, "%s line %ld: %s", x->name, line, msg);
    x->failed = 1;
    return -1;
}

static void on_field(void *data, size_t len, void *p)
{
    ctx_t *x = p;
    if (x->failed)
        return;
    prep_csv_fields_add(&x->fl, data, len);
}

static const char *cell(ctx_t *x, int logical)
{
    int col = prep_csv_col(x->cat, x->e, logical);
    return col < 0 ? "" : F(col);
}

/* logical: a column of the INE layout; a column the form lacks is skipped. */
static int expect(ctx_t *x, const char *clave, int logical, const char *want)
{
    int col = prep_csv_col(x->cat, x->e, logical);
    if (col >= 0 && strcmp(F(col), want) != 0)
        return fail_row(x, clave, "%s is '%s', expected '%s'", x->cols[col], F(col), want);
    return 0;
}

/* A number as the form writes it (width: IECM zero-padding, 0 none). */
static int expect_num(ctx_t *x, const char *clave, int logical, long long want, int width)
{
    char b[24];
    return expect(x, clave, logical, prep_csv_num(x->cat, want, width, b));
}

static int parse_nonneg(const char *s, long long *out)
{
    if (!*s || strlen(s) > 12)
        return -1;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (s[0] == '0' && s[1])
        return -1; /* no leading zeros: one text per number */
    *out = v;
    return 0;
}

static int header_row(ctx_t *x)
{
    char want[40];
    switch (x->row) {
    case 0:
        if (x->fl.nf != 1 || strcmp(F(0), x->el->nombre) != 0)
            return fail_row(x, NULL, "the election name should be '%s'", x->el->nombre);
        return 0;
    case 1:
        if (x->fl.nf != 1)
            return fail_row(x, NULL, "the corte date line has %d fields", x->fl.nf);
        if (x->at) {
            prep_csv_corte_time(x->cat, x->at, want);
            if (strcmp(F(0), want) != 0)
                return fail_row(x, NULL, "the corte date is '%s', corte.json says '%s'", F(0),
                                want);
        }
        return 0;
    case 2:
        if (x->fl.nf != PREP_SUMMARY_NFIELDS)
            return fail_row(x, NULL, "%d summary field names, expected %d", x->fl.nf,
                            PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
            if (strcmp(F(i), prep_summary_names[i]) != 0)
                return fail_row(x, NULL, "summary field %d is '%s', expected %s", i + 1, F(i),
                                prep_summary_names[i]);
        return 0;
    case 3:
        if (x->fl.nf != PREP_SUMMARY_NFIELDS)
            return fail_row(x, NULL, "%d summary values, expected %d", x->fl.nf,
                            PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
            snprintf(x->header_vals[i], sizeof x->header_vals[i], "%s", F(i));
        return 0;
    default:
        if (x->fl.nf != x->ncols)
            return fail_row(x, NULL, "%d column names, expected %d", x->fl.nf, x->ncols);
        for (int i = 0; i < x->ncols; i++)
            if (strcmp(F(i), x->cols[i]) != 0)
                return fail_row(x, NULL, "column %d is '%s', expected %s", i + 1, F(i),
                                x->cols[i]);
        return 0;
    }
}

static int fuera_row(ctx_t *x)
{
    int t0 = PREP_CSV_TAIL0(x->el->ncols);
    for (int i = 0; i < t0 + PREP_CSV_OBSERVACIONES; i++)
        if (expect(x, "fuera de catálogo", i, "-") < 0)
            return -1;
    if (expect(x, "fuera de catálogo", t0 + PREP_CSV_OBSERVACIONES, PREP_CSV_OBS_FUERA) < 0 ||
        expect(x, "fuera de catálogo", t0 + PREP_CSV_CONTABILIZADA, PREP_CSV_CONTAB_FUERA) < 0)
        return -1;
    prep_summary_add_fuera(&x->s);
    x->in_fc = 1;
    x->fuera++;
    return 0;
}

static int check_tail(ctx_t *x, const char *clave)
{
    int t0 = PREP_CSV_TAIL0(x->el->ncols);
    const char *none = prep_csv_none(x->cat);
    const char *sha = C(t0 + PREP_CSV_CODIGO_INTEGRIDAD);
    if (*sha && strcmp(sha, none) != 0 && !prep_is_sha256_hex(sha))
        return fail_row(x, clave, "CODIGO_INTEGRIDAD '%s' is not a lowercase SHA-256", sha);
    for (int k = PREP_CSV_FECHA_ACOPIO; k <= PREP_CSV_FECHA_VERIFICACION; k++) {
        prep_time t;
        const char *v = C(t0 + k);
        if (*v && prep_csv_time_parse(x->cat, v, &t) < 0)
            return fail_row(x, clave, "%s '%s' is not %s",
                            x->cols[prep_csv_col(x->cat, x->e, t0 + k)], v,
                            x->cat->formato == PREP_FORMATO_IECM ? "dd/mm/AAAA HH:MM:SS (UTC-6)"
                                                                 : "dd/mm/AAAA HH:MM:SS");
    }
    const char *o = C(t0 + PREP_CSV_ORIGEN), *d = C(t0 + PREP_CSV_DIGITALIZACION),
               *td = C(t0 + PREP_CSV_TIPO_DOCUMENTO);
    if (*o && strcmp(o, none) != 0 && strcmp(o, "CASILLA") != 0 && strcmp(o, "CATD") != 0)
        return fail_row(x, clave, "ORIGEN '%s' is not CASILLA or CATD", o);
    if (*d && strcmp(d, none) != 0 && strcmp(d, "MOVIL") != 0 && strcmp(d, "ESCANER") != 0)
        return fail_row(x, clave, "DIGITALIZACION '%s' is not MOVIL or ESCANER", d);
    if (*td && strcmp(td, none) != 0 && strcmp(td, prep_csv_tipo_doc(x->cat)) != 0)
        return fail_row(x, clave, "TIPO_DOCUMENTO '%s' is not %s", td,
                        prep_csv_tipo_doc(x->cat));
    if (prep_csv_col(x->cat, x->e, t0 + PREP_CSV_COTEJADA) >= 0) {
        const char *co = C(t0 + PREP_CSV_COTEJADA);
        if (strlen(co) != 1 || co[0] < '0' || co[0] > '3')
            return fail_row(x, clave, "COTEJADA '%s' is not 0, 1, 2 or 3", co);
    }
    return 0;
}

static int acta_row(ctx_t *x)
{
    const prep_catalog *cat = x->cat;
    const prep_eleccion *el = x->el;
    int ncols = el->ncols, nf = PREP_NFIELDS(ncols), t0 = PREP_CSV_TAIL0(ncols);
    int iecm = cat->formato == PREP_FORMATO_IECM;
    const char *q = C(PREP_CSV_CLAVE_CASILLA);
    char clave[16];
    if (prep_csv_clave_parse(cat, q, clave) < 0)
        return fail_row(x, NULL, "CLAVE_CASILLA '%s' is not a clave like %s", q,
                        iecm ? "090123B0100" : "'090123B0100'");
    if (x->in_fc)
        return fail_row(x, clave, "acta row after the fuera de catálogo rows");
    int c = prep_catalog_find_casilla(cat, clave);
    if (c < 0)
        return fail_row(x, clave, "CLAVE_CASILLA is not a casilla of the catalog");
    if (x->seen[c])
        return fail_row(x, clave, "the acta appears twice");
    x->seen[c] = 1;
    int u = prep_catalog_unidad_of(cat, x->e, c);
    if (u < x->last_u || (u == x->last_u && c < x->last_c))
        return fail_row(x, clave, "rows are not sorted by unit, sección, tipo, casilla, ext");
    x->last_u = u;
    x->last_c = c;

    const prep_casilla *k = &cat->casillas[c];
    const prep_seccion *sec = &cat->secciones[k->seccion_idx];
    const prep_unidad *un = el->unidad == PREP_UNIDAD_DEMARCACION
                                ? &cat->demarcaciones[sec->demarcacion]
                                : &cat->distritos[sec->distrito];
    const char *tipo_acta = prep_eleccion_tipo_acta(el, k);
    char want[64], tipo[2] = {k->tipo, 0}, mec[2] = {k->mecanismo, 0};
    if (expect(x, clave, PREP_CSV_CLAVE_ACTA, prep_csv_clave(cat, clave, tipo_acta, want)) < 0 ||
        expect_num(x, clave, PREP_CSV_ID_ENTIDAD, k->entidad, PREP_W_ENTIDAD) < 0 ||
        expect(x, clave, PREP_CSV_ENTIDAD,
               k->entidad >= 0 && k->entidad < 100 && x->ent_nombre[k->entidad]
                   ? x->ent_nombre[k->entidad]
                   : "") < 0 ||
        expect_num(x, clave, PREP_CSV_ID_UNIDAD, un->id, PREP_W_UNIDAD) < 0 ||
        expect(x, clave, PREP_CSV_UNIDAD, un->nombre) < 0 ||
        expect_num(x, clave, PREP_CSV_SECCION, k->seccion, PREP_W_SECCION) < 0 ||
        expect_num(x, clave, PREP_CSV_ID_CASILLA, k->numero, PREP_W_CASILLA) < 0 ||
        expect(x, clave, PREP_CSV_TIPO_CASILLA, tipo) < 0 ||
        expect_num(x, clave, PREP_CSV_EXT_CONTIGUA, k->ext, PREP_W_EXT) < 0 ||
        expect_num(x, clave, PREP_CSV_UBICACION_CASILLA, k->ubicacion, PREP_W_UBICACION) < 0 ||
        expect(x, clave, PREP_CSV_TIPO_ACTA, tipo_acta) < 0 ||
        expect_num(x, clave, t0 + PREP_CSV_LISTA_NOMINAL, k->lista_nominal, 0) < 0 ||
        expect(x, clave, t0 + PREP_CSV_MECANISMOS, mec) < 0 || check_tail(x, clave) < 0)
        return -1;

    /* The rule inputs as published. IECM leaves REPRESENTANTES_PP_CI empty on
     * rows without a total (checked below); their rules do not use it. */
    long long ln, rep = k->representantes;
    const char *rep_text = C(t0 + PREP_CSV_REPRESENTANTES);
    if (parse_nonneg(C(t0 + PREP_CSV_LISTA_NOMINAL), &ln) < 0 ||
        ((*rep_text || !iecm) && parse_nonneg(rep_text, &rep) < 0))
        return fail_row(x, clave, "LISTA_NOMINAL / REPRESENTANTES_PP_CI are not numbers");
    int especial = strcmp(C(PREP_CSV_TIPO_CASILLA), "S") == 0;
    const char *obs = C(t0 + PREP_CSV_OBSERVACIONES);
    prep_rule_result r;
    if (strncmp(obs, "SIN ACTA", 8) == 0) {
        int motivo = -1;
        for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
            if (strcmp(obs, prep_sin_acta_texto(m)) == 0)
                motivo = m;
        if (motivo < 0)
            return fail_row(x, clave, "OBSERVACIONES '%s' is not a known sin acta motivo", obs);
        for (int f = 0; f < nf; f++)
            if (expect(x, clave, PREP_CSV_FIELDS0 + f,
                       f == PREP_F_ASENTADO(ncols) ? prep_csv_no_total(cat)
                                                   : prep_csv_sin_acta_val(cat)) < 0)
                return -1;
        prep_rules_sin_acta(motivo, &r);
    } else {
        prep_val vals[PREP_MAX_FIELDS];
        for (int f = 0; f < nf; f++) {
            const char *v = C(PREP_CSV_FIELDS0 + f);
            const char *name = x->cols[prep_csv_col(cat, x->e, PREP_CSV_FIELDS0 + f)];
            if (prep_csv_val_parse(cat, v, &vals[f]) < 0)
                return fail_row(x, clave, "%s '%s' is not a number, %s", name, v,
                                iecm ? "'ILEGIBLE ', SIN DATO or empty"
                                     : "Ilegible, Sin dato or -");
            if (f >= PREP_F_COL0 && f < PREP_F_COL0 + ncols) {
                int applies = prep_eleccion_aplica(el, u, f - PREP_F_COL0);
                if (applies == (vals[f] == PREP_V_NA))
                    return fail_row(x, clave, "%s is '%s' but the column %s in this unit", name,
                                    v, applies ? "applies" : "does not apply");
            }
        }
        prep_rule_limits lim = {.especial = especial, .lista_nominal = (int)ln,
                                .representantes = (int)rep, .boletas = k->boletas};
        prep_rules_eval(vals, ncols, &lim, &r);
    }
    int hidden = prep_csv_total_hidden(cat, &r);
    if ((hidden ? expect(x, clave, t0 + PREP_CSV_TOTAL_CALCULADO, prep_csv_no_total(cat))
                : expect_num(x, clave, t0 + PREP_CSV_TOTAL_CALCULADO, r.total_calculado, 0)) < 0)
        return -1;
    if ((hidden && iecm ? expect(x, clave, t0 + PREP_CSV_REPRESENTANTES, "")
                        : expect_num(x, clave, t0 + PREP_CSV_REPRESENTANTES, k->representantes,
                                     0)) < 0)
        return -1;
    char obs_want[256];
    prep_csv_obs(cat, &r, obs_want, sizeof obs_want);
    if (expect(x, clave, t0 + PREP_CSV_OBSERVACIONES, obs_want) < 0 ||
        expect(x, clave, t0 + PREP_CSV_CONTABILIZADA, r.contabilizada ? "1" : "0") < 0)
        return -1;
    prep_summary_add(&x->s, &r, ln, especial);
    return 0;
}

/* IECM's lines 3 and 6: four cells holding a tab each (check_layout has
 * matched their bytes already). */
static int tab_line(ctx_t *x)
{
    if (x->cat->formato != PREP_FORMATO_IECM || x->fl.nf != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(F(i), "\t") != 0)
            return 0;
    return 1;
}

static void on_row(int term, void *p)
{
    ctx_t *x = p;
    (void)term;
    if (x->failed)
        return;
    if ((x->row == 2 || x->row == 4) && tab_line(x)) {
        prep_csv_fields_next(&x->fl);
        return;
    }
    if (x->fl.overflow)
        fail_row(x, NULL, "more than %d fields", MAXF);
    else if (x->row <= 4)
        header_row(x);
    else if (x->fl.nf != x->ncols)
        fail_row(x, NULL, "%d fields, expected %d", x->fl.nf, x->ncols);
    else if (strcmp(C(PREP_CSV_CLAVE_CASILLA), "-") == 0)
        fuera_row(x);
    else
        acta_row(x);
    if (x->row >= 5)
        x->filas++;
    x->row++;
    prep_csv_fields_next(&x->fl);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Raw layout: BOM and CRLF line ends (INE form) or no BOM and LF (IECM),
 * lines 3 and 6 empty (INE) or IECM's tab cells. *skip: the BOM's length. */
static int check_layout(const char *text, size_t len, const char *name, const prep_catalog *cat,
                        size_t *skip, prep_err *err)
{
    int crlf = strcmp(prep_csv_eol(cat), "\r\n") == 0;
    const char *blank = prep_csv_blank_line(cat);
    *skip = 0;
    if (prep_csv_has_bom(cat)) {
        if (len < 3 || memcmp(text, PREP_CSV_BOM, 3) != 0)
            return prep_fail(err, PREP_E_CORRUPT, "%s does not start with the UTF-8 BOM", name);
        *skip = 3;
    } else if (len >= 3 && memcmp(text, PREP_CSV_BOM, 3) == 0) {
        return prep_fail(err, PREP_E_CORRUPT, "%s starts with a BOM; this form has none", name);
    }
    size_t start = *skip;
    for (int line = 1; line <= 6; line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        if (!nl || nl == text + start || (crlf && nl[-1] != '\r'))
            return prep_fail(err, PREP_E_CORRUPT, "%s line %d does not end with %s", name, line,
                             crlf ? "CR LF" : "LF");
        size_t n = (size_t)(nl - (text + start)) - (size_t)crlf;
        if ((line == 3 || line == 6) &&
            (n != strlen(blank) || memcmp(text + start, blank, n) != 0))
            return prep_fail(err, PREP_E_CORRUPT, "%s line %d should be %s", name, line,
                             *blank ? "four tab cells" : "empty");
        start = (size_t)(nl - text) + 1;
    }
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        if (crlf ? p == text || p[-1] != '\r' : p > text && p[-1] == '\r')
            return prep_fail(err, PREP_E_CORRUPT, "%s has a line ending %s", name,
                             crlf ? "without CR" : "with CR (this form ends lines with LF)");
    return 0;
}

int prep_csv_check(const char *text, size_t len, const char *name, const prep_catalog *cat,
                   int e, int final, prep_time at, prep_csv_check_result *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    if (e < 0 || e >= cat->nelecciones)
        return prep_fail(err, PREP_E_INVALID, "%s: no such election", name);
    size_t skip;
    if (check_layout(text, len, name, cat, &skip, err) < 0)
        return -1;
    ctx_t *x = calloc(1, sizeof *x);
    if (!x || !(x->seen = calloc((size_t)cat->ncasillas + 1, 1))) {
        free(x);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    x->cat = cat;
    x->e = e;
    x->el = &cat->elecciones[e];
    x->final = final;
    x->at = at;
    x->name = name;
    x->err = err;
    x->last_u = -1;
    x->last_c = -1;
    prep_csv_fields_init(&x->fl, MAXF);
    x->ncols = prep_csv_columns(cat, e, x->cols, MAXF);
    for (int i = 0; i < cat->nentidades; i++)
        if (cat->entidades[i].id >= 0 && cat->entidades[i].id < 100)
            x->ent_nombre[cat->entidades[i].id] = cat->entidades[i].nombre;
    prep_summary_init(&x->s, cat->ncasillas);

    struct csv_parser p;
    int rc = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
    } else {
        csv_set_space_func(&p, no_space);
        if (csv_parse(&p, text + skip, len - skip, on_field, on_row, x) != len - skip ||
            csv_fini(&p, on_field, on_row, x) != 0) {
            if (!x->failed)
                rc = prep_fail(err, PREP_E_CORRUPT, "%s is not valid CSV: %s", name,
                               csv_strerror(csv_error(&p)));
        }
        csv_free(&p);
    }
    if (rc == 0 && x->failed)
        rc = -1;
    if (rc == 0 && x->row < 5)
        rc = prep_fail(err, PREP_E_CORRUPT, "%s ends before its column names", name);
    if (!prep_buf_ok(&x->fl.text) && rc == 0)
        rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
    if (rc == 0) {
        prep_summary_compute(&x->s, final);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
            char v[32];
            prep_summary_field(&x->s, i, v, sizeof v);
            if (strcmp(v, x->header_vals[i]) != 0) {
                rc = prep_fail(err, PREP_E_CORRUPT,
                               "%s line 5: %s is %s in the header, the rows give %s", name,
                               prep_summary_names[i], x->header_vals[i], v);
                break;
            }
        }
    }
    if (rc == 0) {
        out->s = x->s;
        out->filas = x->filas;
        out->fuera = x->fuera;
    }
    prep_csv_fields_free(&x->fl);
    free(x->seen);
    free(x);
    return rc;
}
