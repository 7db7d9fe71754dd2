/* test_recount.c — `prep audit`'s recount (src/recount) on: databases written
 * by our own corte writer (consistent, and every summary field equal to the
 * corte's), one hand-made election in every format variant institutes
 * publish (delimiters, sep= line, BOM, Latin-1, clave wrappers, both
 * timestamp formats, INE 2018-2024 and OPL column names, CR / LF / CRLF),
 * one planted error of each kind (each must be found, and only it), and
 * files that cannot be read (each refused with its line and reason). */
#include "test_util.h"
#include "test_site_snap.h"

#include "catalog/catalog_io.h"
#include "core/rules.h"
#include "publish/csv_out.h"
#include "publish/tallies.h"
#include "recount/recount.h"
#include "util/buf.h"

#include <unistd.h>
#include <zip.h>

/* ---- the hand-made election ------------------------------------------- *
 * Vote columns PAN PRI PAN_PRI CAND_IND_1 | NO_REG NULOS; esperadas 10.
 *  r1 090100B0100 LN 500 rep 10: 100 50 5 3 | 1 6            total 165, contabilizada
 *  r2 090100C0100 LN 400 rep 10: 80 Ilegible 0 Sin dato | 0 2 total 82, contab., ALGUN
 *  r3 090100S0100 especial, LN 0 rep 10: 300 200 10 0 | 0 10   total 520, contabilizada
 *                 (boletas 750 → limit 760; with 500 boletas it would exceed 510)
 *  r4 090200B0100 LN 600 rep 8: 500 100 10 - | 0 0             total 610 > 608, EXCEDE
 *  r5 090200C0100 LN 300 rep 8: every field Ilegible / Sin dato → TODOS, total 0
 *  r6 090300B0100 sin acta (paquete no entregado)
 *  r7 fuera de catálogo
 * Summary: registradas 7, fuera 1, capturadas 6 (60.0000), contabilizadas 3
 * (30.0000), inconsistencias r2 r4 r5 = 3 (30.0000), no contabilizadas 3,
 * LN 500+400+0 = 900, C_CS 165+82+520 = 767, S_CS 247; participación during
 * operation 247×100/900 = 27.4444, final 767×100/900 = 85.2222. */

#define NROWS 7
typedef struct {
    const char *clave, *tipo, *v[6], *total, *ln, *rep, *obs, *contab, *hash, *t[3];
} hrow;

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
static const hrow base_rows[NROWS] = {
    {"090100B0100", "B", {"100", "50", "5", "3", "1", "6"}, "165", "500", "10", "", "1", H64,
     {"02/06/2024 19:10:00", "02/06/2024 19:20:00", "02/06/2024 19:30:00"}},
    {"090100C0100", "C", {"80", "Ilegible", "0", "Sin dato", "0", "2"}, "82", "400", "10",
     "ALGUN DATO ILEGIBLE O SIN DATO", "1", H64,
     {"02/06/2024 19:11:00", "02/06/2024 19:21:00", "02/06/2024 19:31:00"}},
    {"090100S0100", "S", {"300", "200", "10", "0", "0", "10"}, "520", "0", "10", "", "1", H64,
     {"02/06/2024 19:12:00", "02/06/2024 19:22:00", "02/06/2024 19:32:00"}},
    {"090200B0100", "B", {"500", "100", "10", "-", "0", "0"}, "610", "600", "8",
     "EXCEDE LISTA NOMINAL", "0", H64,
     {"02/06/2024 19:13:00", "02/06/2024 19:23:00", "02/06/2024 19:33:00"}},
    {"090200C0100", "C", {"Ilegible", "Sin dato", "Ilegible", "-", "Sin dato", "Ilegible"}, "0",
     "300", "8", "TODOS ILEGIBLES O SIN DATO", "0", H64,
     {"02/06/2024 19:14:00", "02/06/2024 19:24:00", "02/06/2024 19:34:00"}},
    {"090300B0100", "B", {"-", "-", "-", "-", "-", "-"}, "-", "450", "6",
     "SIN ACTA POR PAQUETE NO ENTREGADO", "0", "", {"02/06/2024 19:15:00", "", ""}},
    {"-", "-", {"-", "-", "-", "-", "-", "-"}, "-", "-", "-", "FUERA DE CATALOGO", "2", "-",
     {"02/06/2024 19:16:00", "", ""}},
};

static const char *const base_summary[PREP_SUMMARY_NFIELDS] = {
    "10", "7", "1", "6", "60.0000", "3", "30.0000", "30.0000", "3", "900", "767", "247",
    "27.4444"};

/* How a variant writes the same election. */
typedef struct {
    const char *bom;       /* "" or the UTF-8 BOM */
    int sep_line;          /* "sep=|" first line */
    char d;                /* delimiter */
    const char *eol;       /* "\r\n", "\n" or "\r" */
    int latin1;            /* election name and OBSERVACIONES bytes in Latin-1 */
    int clave;             /* 0 '...'  1 ="..."  2 plain */
    int iso_time;          /* AAAA-MM-DD HH:MM:SS */
    int upper;             /* ILEGIBLE / SIN DATO */
    int names;             /* 0 INE 2024 / ours, 1 INE 2018-2021, 2 OPL municipal */
} fmt;

static const fmt ours = {"\xEF\xBB\xBF", 0, ',', "\r\n", 0, 0, 0, 0, 0};

typedef struct {
    hrow rows[NROWS + 2];
    int nrows;
    const char *summary[PREP_SUMMARY_NFIELDS];
    const char *extra_col; /* appended after COTEJADA in every line */
} election;

static void base_election(election *e)
{
    memset(e, 0, sizeof *e);
    memcpy(e->rows, base_rows, sizeof base_rows);
    e->nrows = NROWS;
    memcpy(e->summary, base_summary, sizeof base_summary);
}

static void put_time(prep_buf *b, const fmt *f, const char *t)
{
    if (!*t || !f->iso_time) {
        prep_buf_puts(b, t);
        return;
    }
    /* dd/mm/AAAA HH:MM:SS -> AAAA-MM-DD HH:MM:SS */
    prep_buf_printf(b, "%.4s-%.2s-%.2s%s", t + 6, t + 3, t, t + 10);
}

static void put_val(prep_buf *b, const fmt *f, const char *v)
{
    if (f->upper && strcmp(v, "Ilegible") == 0)
        prep_buf_puts(b, "ILEGIBLE");
    else if (f->upper && strcmp(v, "Sin dato") == 0)
        prep_buf_puts(b, "SIN DATO");
    else
        prep_buf_puts(b, v);
}

static void put_clave(prep_buf *b, const fmt *f, const char *c, const char *suffix)
{
    if (strcmp(c, "-") == 0)
        prep_buf_puts(b, "-");
    else if (f->clave == 0)
        prep_buf_printf(b, "'%s%s'", c, suffix);
    else if (f->clave == 1)
        prep_buf_printf(b, "=\"%s%s\"", c, suffix);
    else
        prep_buf_printf(b, "%s%s", c, suffix);
}

static void render(prep_buf *b, const fmt *f, const election *e)
{
    static const char *const cols[4][17] = {
        {"ID_ENTIDAD", "ENTIDAD", "ID_DISTRITO_LOCAL", "DISTRITO_LOCAL", "NO_REGISTRADAS",
         "TOTAL_VOTOS_CALCULADO", "CODIGO_INTEGRIDAD", "PAN_PRI", "ACTAS_FUERA_CATALOGO",
         "PORCENTAJE_ACTAS_INCONSISTENCIAS", "LISTA_NOMINAL_ACTAS_CONTABILIZADAS",
         "TOTAL_BOLETAS_SOBRANTES", "TOTAL_PERSONAS_VOTARON", "TOTAL_REP_PARTIDO_CI_VOTARON",
         "TOTAL_VOTOS_SACADOS", "TOTAL_VOTOS_ASENTADO", "CONTABILIZADA"},
        {"ID_ESTADO", "ESTADO", "ID_DISTRITO", "NOMBRE_DISTRITO", "NO_REGISTRADOS",
         "TOTAL_VOTOS_CALCULADOS", "SHA", "C_PAN_PRI", "ACTAS_FUERA_DE_CATALOGO",
         "PORCENTAJE_ACTAS_CON_INCONSISTENCIAS", "LISTA_NOMINAL_ACTAS_CONTABILZADAS",
         "NUM_BOLETAS_SOBRANTES", "TOTAL_CIUDADANOS_VOTARON", "TOTAL_REP_PARTIDO_CI_VOTARON",
         "NUM_BOLETAS_EXTRAIDAS", "TOTAL_VOTOS_ASENTADO", "CONTABILIZADA"},
        {"ID_ESTADO", "NOMBRE_ESTADO", "ID_MUNICIPIO", "MUNICIPIO", "NO_REGISTRADOS",
         "TOTAL_VOTOS_CALCULADO", "CODIGO_INTEGRIDAD", "C_PAN_PRI", "ACTAS_FUERA_CATALOGO",
         "PORCENTAJE_ACTAS_INCONSISTENCIAS", "LISTA_NOMINAL_ACTAS_CONTABILIZADAS",
         "BOLETAS_SOBRANTES", "PERSONAS_VOTARON", "TOTAL_REP_PARTIDO_CI_VOTARON",
         "TOTAL_VOTOS_SACADOS", "TOTAL_VOTOS_ASENTADO", "CONTABILIZADA"},
        /* INE 2021 federal spellings */
        {"ID_ESTADO", "ESTADO", "ID_DISTRITO", "DISTRITO", "NO_REGISTRADOS",
         "TOTAL_VOTOS_CALCULADOS", "SHA", "PAN_PRI", "ACTAS_FUERA_DE_CATALOGO",
         "PORCENTAJE_ACTAS_CON_INCONSISTENCIAS", "LISTA_NOMINAL_ACTAS_CONTABILZADAS",
         "BOLETAS_SOBRANTES", "PERSONAS_VOTARON", "REPRESENTANTES_P_VOTARON", "VOTOS_SACADOS",
         "VOTOS_ASENTADOS", "CONTABILIZA"},
    };
    const char *const *n = cols[f->names];
    char d = f->d;
    prep_buf_puts(b, f->bom);
    if (f->sep_line)
        prep_buf_printf(b, "sep=%c%s", d, f->eol);
    prep_buf_printf(b, "%s%s", f->latin1 ? "DIPUTACI\xD3N LOCAL" : "DIPUTACIÓN LOCAL", f->eol);
    prep_buf_printf(b, "02/06/2024 23:00 (UTC-6)%s%s", f->eol, f->eol);
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        const char *name = i == 2 ? n[8] : i == 7 ? n[9] : i == 9 ? n[10] : prep_summary_names[i];
        prep_buf_printf(b, "%s%s", i ? (char[]){d, 0} : "", name);
    }
    prep_buf_puts(b, f->eol);
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
        prep_buf_printf(b, "%s%s", i ? (char[]){d, 0} : "", e->summary[i]);
    prep_buf_printf(b, "%s%s", f->eol, f->eol);
    const char *hdr[] = {"CLAVE_CASILLA", "CLAVE_ACTA", n[0], n[1], n[2], n[3], "SECCION",
                         "ID_CASILLA", "TIPO_CASILLA", "EXT_CONTIGUA", "UBICACION_CASILLA",
                         "TIPO_ACTA", n[11], n[12], n[13], n[14], "PAN", "PRI",
                         n[7], "CAND_IND_1", n[4], "NULOS", n[15], n[5],
                         "LISTA_NOMINAL", "REPRESENTANTES_PP_CI", "OBSERVACIONES",
                         n[16], "MECANISMOS_TRASLADO", n[6], "FECHA_HORA_ACOPIO",
                         "FECHA_HORA_CAPTURA", "FECHA_HORA_VERIFICACION", "ORIGEN",
                         "DIGITALIZACION", "TIPO_DOCUMENTO", "COTEJADA", e->extra_col};
    for (size_t i = 0; i < sizeof hdr / sizeof hdr[0] && hdr[i]; i++)
        prep_buf_printf(b, "%s%s", i ? (char[]){d, 0} : "", hdr[i]);
    prep_buf_puts(b, f->eol);
    for (int k = 0; k < e->nrows; k++) {
        const hrow *r = &e->rows[k];
        int fc = strcmp(r->clave, "-") == 0;
        put_clave(b, f, r->clave, "");
        prep_buf_putc(b, d);
        put_clave(b, f, r->clave, fc ? "" : "02");
        if (fc)
            prep_buf_printf(b, "%c-%c-%c-%c-%c-%c-%c-%c-%c-%c", d, d, d, d, d, d, d, d, d, d);
        else
            prep_buf_printf(b, "%c9%cCIUDAD DE M%cXICO%c%c%c%s%c%.4s%c1%c%s%c0%c1%c2", d, d,
                            f->latin1 ? 0xC9 : 'E', d, r->clave[3], d,
                            r->clave[3] == '1' ? "UNO" : "DOS", d, r->clave + 2, d, d, r->tipo,
                            d, d, d);
        const char *cuadre = fc || strcmp(r->total, "-") == 0 ? "-" : "0";
        for (int i = 0; i < 4; i++)
            prep_buf_printf(b, "%c%s", d, cuadre);
        for (int i = 0; i < 6; i++) {
            prep_buf_putc(b, d);
            put_val(b, f, r->v[i]);
        }
        prep_buf_printf(b, "%c%s%c%s%c%s%c%s%c", d, cuadre, d, r->total, d, r->ln, d, r->rep, d);
        if (f->latin1 && strstr(r->obs, "CATALOGO"))
            prep_buf_puts(b, "FUERA DE CAT\xC1LOGO");
        else if (strchr(r->obs, d))
            prep_buf_printf(b, "\"%s\"", r->obs);
        else
            prep_buf_puts(b, r->obs);
        prep_buf_printf(b, "%c%s%c%c%s", d, r->contab, d, d, r->hash);
        for (int i = 0; i < 3; i++) {
            prep_buf_putc(b, d);
            put_time(b, f, r->t[i]);
        }
        prep_buf_printf(b, "%cCATD%cESCANER%cActa PREP%c0", d, d, d, d);
        if (e->extra_col)
            prep_buf_printf(b, "%cx", d);
        prep_buf_puts(b, f->eol);
    }
    assert_true(prep_buf_ok(b));
}

static char *render_text(const election *e, const fmt *f, size_t *len)
{
    prep_buf b;
    prep_buf_init(&b);
    render(&b, f, e);
    *len = b.len;
    return b.data;
}

static prep_recount_opts opts_default = {.final = 0, .max_boletas_especial = -1};

/* Render e in f and recount it; the test fails if the file cannot be read. */
static void recount(const fmt *f, const election *e, const prep_recount_opts *o,
                    prep_recount_report *r)
{
    prep_buf b;
    prep_buf_init(&b);
    render(&b, f, e);
    prep_err err = {0};
    int rc = prep_recount_buffer(b.data, b.len, "test.csv", o, r, &err);
    if (rc != 0)
        fail_msg("cannot read: %s\n%s", err.msg, b.data);
    prep_buf_free(&b);
}

/* Render and expect a refusal whose message contains want. */
static void refused(const char *text, size_t len, const char *want)
{
    prep_recount_report r;
    prep_err err = {0};
    int rc = prep_recount_buffer(text, len, "bad.csv", &opts_default, &r, &err);
    assert_int_equal(rc, -1);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' does not say '%s'", err.msg, want);
    assert_null(r.f);
    assert_int_equal(r.ndiff, 0);
}

static void assert_summary(const prep_recount_report *r, const char *const *want)
{
    for (int i = 1; i < PREP_SUMMARY_NFIELDS; i++) {
        char v[32];
        prep_summary_field(&r->s, i, v, sizeof v);
        assert_string_equal(v, want[i]);
    }
}

static void assert_consistent(const prep_recount_report *r)
{
    if (r->ndiff != 0)
        fail_msg("%lld differences, first: line %ld %s %s: %s", (long long)r->ndiff,
                 r->nf ? r->f[0].line : 0, r->nf ? r->f[0].clave : "",
                 r->nf ? r->f[0].field : "", r->nf ? r->f[0].reason : "");
}

/* ---- format variants: the same election, consistent every time --------- */

static void check_variant(const fmt *f, const char *encoding, char delim, int sep)
{
    election e;
    base_election(&e);
    prep_recount_report r;
    recount(f, &e, &opts_default, &r);
    assert_consistent(&r);
    assert_summary(&r, base_summary);
    assert_string_equal(r.encoding, encoding);
    assert_int_equal(r.delim, delim);
    assert_int_equal(r.sep_line, sep);
    assert_int_equal(r.ncols, 4);
    assert_int_equal(r.filas, NROWS);
    assert_int_equal(r.fuera, 1);
    assert_int_equal(r.sin_acta, 1);
    assert_int_equal(r.especiales, 1);
    assert_int_equal(r.sin_limite, 1); /* the especial, without --max-boletas-especial */
    assert_string_equal(r.col[0], "PAN");
    assert_int_equal(r.coltype[2], PREP_RC_COMBINACION);
    assert_int_equal(r.coltype[3], PREP_RC_INDEPENDIENTE);
    assert_non_null(strstr(r.eleccion, "DIPUTACI\xC3\x93N")); /* Latin-1 became UTF-8 */
    assert_string_equal(r.corte, "02/06/2024 23:00 (UTC-6)");
    assert_int_equal(r.summary_line, sep ? 6 : 5);
    prep_recount_report_free(&r);
}

static void test_variant_ours(void **s)
{
    (void)s;
    check_variant(&ours, "UTF-8 with BOM", ',', 0);
}

static void test_variant_ine2024_bare_cr(void **s)
{
    (void)s;
    fmt f = ours; /* INE's generator: utf_8_sig, lineterminator '\r' */
    f.eol = "\r";
    check_variant(&f, "UTF-8 with BOM", ',', 0);
}

static void test_variant_ine2018_pipe_latin1(void **s)
{
    (void)s;
    fmt f = {"", 1, '|', "\r\n", 1, 1, 1, 0, 1};
    check_variant(&f, "Latin-1", '|', 1);
}

static void test_variant_ieqroo_pipe_no_sep_line(void **s)
{
    (void)s;
    fmt f = {"", 0, '|', "\n", 0, 1, 1, 1, 1};
    check_variant(&f, "UTF-8", '|', 0);
}

static void test_variant_opl_municipal(void **s)
{
    (void)s;
    fmt f = {"", 0, ',', "\n", 0, 2, 0, 1, 2};
    check_variant(&f, "UTF-8", ',', 0);
}

static void test_variant_bom_latin1_names_2021(void **s)
{
    (void)s;
    fmt f = {"\xEF\xBB\xBF", 0, ',', "\r\n", 0, 0, 1, 1, 1};
    check_variant(&f, "UTF-8 with BOM", ',', 0);
}

static void test_variant_ine2021_federal_names(void **s)
{
    (void)s;
    /* BOLETAS_SOBRANTES, PERSONAS_VOTARON, REPRESENTANTES_P_VOTARON and
     * VOTOS_SACADOS before the parties are not vote columns; CONTABILIZA is
     * CONTABILIZADA. */
    fmt f = {"\xEF\xBB\xBF", 0, ',', "\n", 0, 0, 0, 0, 3};
    check_variant(&f, "UTF-8 with BOM", ',', 0);
}

static void test_variant_unknown_trailing_column_ignored(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.extra_col = "FOLIO_INTERNO";
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    assert_consistent(&r);
    assert_int_equal(r.ncols, 4); /* after NULOS: not a vote column */
    assert_int_equal(r.nignored, 1);
    assert_string_equal(r.ignored, "FOLIO_INTERNO");
    prep_recount_report_free(&r);
}

/* INE 2018 shape: no cuadre fields, parties right after NUM_ACTA_IMPRESO,
 * CNR / VN, LISTA_NOMINAL_CASILLA, a header with only some summary fields
 * (the absent ones are not compared), "VOTOS NULOS" spelled with a space. */
static void test_variant_ine2018_short_header(void **s)
{
    (void)s;
    const char *t =
        "sep=|\n"
        "PRESIDENCIA\n"
        "2018-07-01 20:00\n"
        "ACTAS_ESPERADAS|ACTAS_REGISTRADAS|ACTAS_CAPTURADAS|ACTAS_CONTABILIZADAS|TOTAL_VOTOS_C_CS\n"
        "3|2|2|1|30\n"
        "CLAVE_CASILLA|CLAVE_ACTA|ID_ESTADO|NOMBRE_ESTADO|ID_DISTRITO|NOMBRE_DISTRITO|SECCION|"
        "ID_CASILLA|TIPO_CASILLA|EXT_CONTIGUA|CASILLA|NUM_ACTA_IMPRESO|PAN|PRI|PAN_PRI|"
        "CAND_IND_01|CNR|VOTOS NULOS|TOTAL_VOTOS_CALCULADOS|LISTA_NOMINAL_CASILLA|OBSERVACIONES|"
        "CONTABILIZADA|SHA|FECHA_HORA_ACOPIO|FECHA_HORA_CAPTURA\n"
        "=\"010338B0100\"|=\"010338B010001\"|1|AGUASCALIENTES|1|JESUS MARIA|338|1|B|0|1|1|"
        "10|12|3|-|1|4|30|500||1||2018-07-01 21:10:00|2018-07-01 21:30:00\n"
        "=\"010338C0100\"|=\"010338C010001\"|1|AGUASCALIENTES|1|JESUS MARIA|338|1|C|0|1|1|"
        "400|300|0|-|0|0|700|500|Excede Lista Nominal|0||2018-07-01 21:11:00|"
        "2018-07-01 21:31:00\n";
    prep_recount_report r;
    prep_err err = {0};
    assert_int_equal(prep_recount_buffer(t, strlen(t), "2018.csv", &opts_default, &r, &err), 0);
    assert_consistent(&r);
    assert_int_equal(r.ncols, 4);
    assert_string_equal(r.col[3], "CAND_IND_01");
    assert_int_equal(r.present[1] + r.present[2] + r.present[4], 1); /* only REGISTRADAS */
    assert_int_equal(r.s.contabilizadas, 1);
    assert_int_equal(r.s.votos_c_cs, 30);
    prep_recount_report_free(&r);
}

/* Every occurrence of from in text replaced by to (new allocation). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    prep_buf b;
    prep_buf_init(&b);
    size_t n = strlen(from);
    for (const char *p = text, *q; *p; p = q + n) {
        q = strstr(p, from);
        if (!q) {
            prep_buf_puts(&b, p);
            break;
        }
        prep_buf_append(&b, p, (size_t)(q - p));
        prep_buf_puts(&b, to);
    }
    assert_true(prep_buf_ok(&b));
    return b.data;
}

static void test_variant_unknown_column_among_identification(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    size_t len;
    char *t = render_text(&e, &ours, &len);
    char *a = replace_all(t, "CLAVE_ACTA,", "CLAVE_ACTA,ZONA_RURAL,");
    char *b = replace_all(a, "02',9,", "02',7,9,");
    char *c = replace_all(b, "\r\n-,-,", "\r\n-,-,-,");
    prep_recount_report r;
    prep_err err = {0};
    assert_int_equal(prep_recount_buffer(c, strlen(c), "t.csv", &opts_default, &r, &err), 0);
    assert_consistent(&r);
    assert_int_equal(r.ncols, 4); /* ZONA_RURAL is not next to the votes */
    assert_string_equal(r.ignored, "ZONA_RURAL");
    prep_recount_report_free(&r);
    free(a);
    free(b);
    free(c);
    free(t);
}

static void test_final_corte(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.summary[12] = "85.2222";
    prep_recount_opts o = {.final = 1, .max_boletas_especial = -1};
    prep_recount_report r;
    recount(&ours, &e, &o, &r);
    assert_consistent(&r);
    prep_recount_report_free(&r);
}

static void test_max_boletas_especial(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    prep_recount_opts o = {.final = 0, .max_boletas_especial = 750};
    prep_recount_report r;
    recount(&ours, &e, &o, &r);
    assert_consistent(&r);
    assert_int_equal(r.sin_limite, 0);
    prep_recount_report_free(&r);
    /* With 500 boletas the especial (520 votes) exceeds 500 + 10. */
    o.max_boletas_especial = 500;
    recount(&ours, &e, &o, &r);
    assert_int_equal(r.count[PREP_RC_CONTABILIZADA], 1);
    assert_int_equal(r.count[PREP_RC_OBSERVACIONES], 1);
    assert_int_equal(r.f[0].line, 10);
    assert_string_equal(r.f[0].clave, "090100S010002");
    assert_non_null(strstr(r.f[0].reason, "excede el límite 510"));
    prep_recount_report_free(&r);
}

static void test_especial_excede_taken_as_published(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[2].obs = "EXCEDE LISTA NOMINAL";
    e.rows[2].contab = "0";
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    /* The rows are consistent with the published verdict; only the header,
     * written for r3 contabilizada, now differs. */
    assert_int_equal(r.count[PREP_RC_CONTABILIZADA], 0);
    assert_int_equal(r.count[PREP_RC_OBSERVACIONES], 0);
    assert_int_equal(r.count[PREP_RC_TOTAL], 0);
    assert_int_equal(r.s.contabilizadas, 2);
    prep_recount_report_free(&r);
}

/* ---- planted errors: each found, and only it --------------------------- */

static void one_planted(const election *e, const prep_recount_opts *o, prep_recount_kind kind,
                        long line, const char *field, const char *reason)
{
    prep_recount_report r;
    recount(&ours, e, o ? o : &opts_default, &r);
    if (r.ndiff != 1 || r.count[kind] != 1)
        fail_msg("expected one %s difference, got %lld (first: %s %s)",
                 prep_recount_kind_name(kind), (long long)r.ndiff, r.nf ? r.f[0].field : "",
                 r.nf ? r.f[0].reason : "");
    assert_int_equal(r.f[0].line, line);
    assert_string_equal(r.f[0].field, field);
    if (!strstr(r.f[0].reason, reason))
        fail_msg("reason '%s' does not say '%s'", r.f[0].reason, reason);
    prep_recount_report_free(&r);
}

/* Expect a consistent recount where convention c applies once, on line. The
 * report is returned for more checks (free it). */
static prep_recount_report one_convention(const election *e, const prep_recount_opts *o,
                                          prep_recount_conv c, long line)
{
    prep_recount_report r;
    recount(&ours, e, o ? o : &opts_default, &r);
    if (r.ndiff != 0)
        fail_msg("expected no difference, got %lld (first: %s %s)", (long long)r.ndiff,
                 r.f[0].field, r.f[0].reason);
    assert_int_equal(r.conv[c].count, 1);
    assert_int_equal(r.conv[c].lines[0], line);
    return r;
}

static void test_planted_summary_field(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.summary[5] = "4";
    one_planted(&e, NULL, PREP_RC_RESUMEN, 5, "ACTAS_CONTABILIZADAS", "las filas dan 3");
}

static void test_planted_summary_rounded_not_truncated(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.summary[12] = "27.4445"; /* 27.44444... rounded up: neither truncated nor rounded
                                * (IECM's rounding is a convention, tested on its file) */
    one_planted(&e, NULL, PREP_RC_RESUMEN, 5, "PORCENTAJE_PARTICIPACION_CIUDADANA",
                "las filas dan 27.4444");
}

static void test_summary_more_decimals_or_fewer(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.summary[12] = "27.444444"; /* more decimals, same 4 first ones: fine */
    e.summary[4] = "60";         /* 60 is 60.0000 */
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    assert_consistent(&r);
    prep_recount_report_free(&r);
    e.summary[12] = "27.44"; /* too few: 27.4400 */
    one_planted(&e, NULL, PREP_RC_RESUMEN, 5, "PORCENTAJE_PARTICIPACION_CIUDADANA",
                "las filas dan 27.4444");
}

static void test_planted_participacion_formula(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.summary[12] = "85.2222"; /* the final formula in a corte during operation */
    prep_recount_report r = one_convention(&e, NULL, PREP_RCV_PARTICIPACION, 5);
    assert_non_null(strstr(r.conv[PREP_RCV_PARTICIPACION].detail, "use --final"));
    prep_recount_report_free(&r);
}

static void test_planted_total(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[0].total = "166";
    one_planted(&e, NULL, PREP_RC_TOTAL, 8, "TOTAL_VOTOS_CALCULADO", "suman 165");
}

static void test_planted_excede_contabilizada(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[3].contab = "1"; /* 610 votes over 600 + 8, published as counted */
    one_planted(&e, NULL, PREP_RC_CONTABILIZADA, 11, "CONTABILIZADA",
                "el total calculado 610 excede el límite 608");
}

static void test_planted_todos_ilegibles_contabilizada(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[4].contab = "1";
    one_planted(&e, NULL, PREP_RC_CONTABILIZADA, 12, "CONTABILIZADA", "ningún campo de votos");
}

static void test_planted_valid_acta_not_counted(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[0].contab = "0";
    one_planted(&e, NULL, PREP_RC_CONTABILIZADA, 8, "CONTABILIZADA", "dentro del límite 510");
}

static void test_planted_sin_acta_counted(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[5].contab = "1";
    one_planted(&e, NULL, PREP_RC_CONTABILIZADA, 13, "CONTABILIZADA", "nunca se contabiliza");
}

static void test_planted_observaciones(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[1].obs = ""; /* an Ilegible field not observed */
    one_planted(&e, NULL, PREP_RC_OBSERVACIONES, 9, "OBSERVACIONES",
                "ALGUN DATO ILEGIBLE O SIN DATO");
}

static void test_planted_observaciones_other_wording(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    /* INE wordings of the same reasons are accepted ... */
    e.rows[1].obs = "Ilegible, Sin dato";
    e.rows[3].obs = "Excede Lista Nominal";
    e.rows[4].obs = "Todos los campos ilegibles";
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    assert_consistent(&r);
    prep_recount_report_free(&r);
    /* ... a wrong reason is not. */
    e.rows[3].obs = "Ilegible";
    one_planted(&e, NULL, PREP_RC_OBSERVACIONES, 11, "OBSERVACIONES", "EXCEDE LISTA NOMINAL");
}

static void test_planted_duplicate(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[7] = e.rows[6];  /* keep fuera de catálogo last */
    e.rows[6] = e.rows[0];  /* r1 again, on line 14 */
    e.nrows = 8;
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    assert_int_equal(r.count[PREP_RC_DUPLICADA], 1);
    for (size_t i = 0; i < r.nf; i++)
        if (r.f[i].kind == PREP_RC_DUPLICADA) {
            assert_int_equal(r.f[i].line, 14);
            assert_string_equal(r.f[i].clave, "090100B010002");
            assert_non_null(strstr(r.f[i].reason, "también en la línea 8"));
        }
    /* the duplicate also counted twice: the header no longer matches */
    assert_true(r.count[PREP_RC_RESUMEN] > 0);
    prep_recount_report_free(&r);
}

static void test_planted_captura_before_acopio(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[1].t[1] = "02/06/2024 19:00:00";
    one_planted(&e, NULL, PREP_RC_ORDEN, 9, "FECHA_HORA_CAPTURA", "capturada antes de su acopio");
}

static void test_planted_verificacion_before_captura(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[2].t[2] = "02/06/2024 19:21:59";
    one_planted(&e, NULL, PREP_RC_ORDEN, 10, "FECHA_HORA_VERIFICACION",
                "verificada antes de su captura");
}

static void test_planted_bad_timestamp(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[0].t[0] = "31/02/2024 19:10:00";
    one_planted(&e, NULL, PREP_RC_FECHA, 8, "FECHA_HORA_ACOPIO", "no es una fecha y hora");
}

static void test_planted_bad_hash(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[3].hash = "0123456789abcdef"; /* 16 digits */
    one_planted(&e, NULL, PREP_RC_HASH, 11, "CODIGO_INTEGRIDAD", "no es un SHA-256");
    e.rows[3].hash = H64 "0";
    one_planted(&e, NULL, PREP_RC_HASH, 11, "CODIGO_INTEGRIDAD", "64 dígitos hexadecimales");
    e.rows[3].hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg";
    one_planted(&e, NULL, PREP_RC_HASH, 11, "CODIGO_INTEGRIDAD", "no es un SHA-256");
}

static void test_planted_contabilizada_not_a_flag(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[0].contab = "SI";
    one_planted(&e, NULL, PREP_RC_CONTABILIZADA, 8, "CONTABILIZADA", "no es 0, 1 ni 2");
}

static void test_findings_on_bare_cr_lines(void **s)
{
    (void)s;
    fmt f = ours;
    f.eol = "\r";
    election e;
    base_election(&e);
    e.rows[4].total = "7";
    prep_recount_report r;
    recount(&f, &e, &opts_default, &r);
    assert_int_equal(r.ndiff, 1);
    assert_int_equal(r.f[0].line, 12);
    prep_recount_report_free(&r);
}

/* ---- files that cannot be read ---------------------------------------- */


/* Replace the first occurrence of from in *text by to (new allocation). */
static char *replace(char *text, const char *from, const char *to, size_t *len)
{
    char *p = strstr(text, from);
    assert_non_null(p);
    size_t a = (size_t)(p - text), n = strlen(from), m = strlen(to);
    char *out = malloc(*len - n + m + 1);
    assert_non_null(out);
    memcpy(out, text, a);
    memcpy(out + a, to, m);
    memcpy(out + a + m, p + n, *len - a - n + 1);
    *len = *len - n + m;
    free(text);
    return out;
}

static void test_unreadable_empty_and_not_prep(void **s)
{
    (void)s;
    refused("", 0, "no hay encabezado de resumen");
    const char *t = "a,b,c\n1,2,3\n";
    refused(t, strlen(t), "no hay encabezado de resumen");
    const char bin[] = {'P', 'K', 3, 4, 0, 0, 1, 2};
    refused(bin, sizeof bin, "línea 1: byte NUL");
    const char *two = "x\ny\n\0z";
    refused(two, 6, "línea 3: byte NUL");
}

static void test_unreadable_truncated(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    size_t len;
    char *t = render_text(&e, &ours, &len);
    /* Cut after the summary names (line 4). */
    char *l5 = strstr(t, "10,7,1");
    refused(t, (size_t)(l5 - t), "termina después de los nombres del resumen");
    /* Cut before the acta column names. */
    char *l7 = strstr(t, "CLAVE_CASILLA");
    refused(t, (size_t)(l7 - t), "no hay nombres de columnas de actas");
    /* Cut in the middle of row 3: that row has too few fields. */
    char *r3 = strstr(t, "'090100S0100'");
    size_t cut = (size_t)(r3 - t) + 40;
    t[cut] = '\0';
    refused(t, cut, "línea 10: ");
    free(t);
}

static void test_unreadable_row_field_count(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    size_t len;
    char *t = render_text(&e, &ours, &len);
    t = replace(t, ",CATD,", ",CATD,extra,", &len);
    refused(t, len, "línea 8: 38 campos, pero los nombres de columna (línea 7) son 37");
    free(t);
}

static void test_unreadable_vote_value(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    e.rows[1].v[0] = "8O"; /* letter O: a value difference, the file is still read */
    prep_recount_report r;
    recount(&ours, &e, &opts_default, &r);
    assert_int_equal(r.count[PREP_RC_VALOR], 1);
    size_t k = 0;
    while (r.f[k].kind != PREP_RC_VALOR)
        k++;
    assert_int_equal(r.f[k].line, 9);
    assert_string_equal(r.f[k].clave, "090100C010002");
    assert_string_equal(r.f[k].field, "PAN");
    assert_string_equal(r.f[k].published, "8O");
    assert_string_equal(prep_recount_kind_name(r.f[k].kind), "value");
    prep_recount_report_free(&r);
}

static void test_unreadable_missing_columns(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    size_t len;
    char *t = render_text(&e, &ours, &len);
    char *u = replace(strdup(t), "CONTABILIZADA,", "CONTAB,", &(size_t){len});
    refused(u, strlen(u), "línea 7: no hay columna CONTABILIZADA");
    free(u);
    u = replace(strdup(t), "NULOS,", "NUL,", &(size_t){len});
    refused(u, strlen(u), "no hay columna NULOS");
    free(u);
    u = replace(strdup(t), "LISTA_NOMINAL,", "LN,", &(size_t){len});
    refused(u, strlen(u), "no hay columna LISTA_NOMINAL");
    free(u);
    u = replace(strdup(t), "ACTAS_ESPERADAS,", "ESPERADAS,", &(size_t){len});
    refused(u, strlen(u), "línea 5: el resumen no trae ACTAS_ESPERADAS");
    free(u);
    u = replace(strdup(t), "\r\n10,7,", "\r\ndiez,7,", &(size_t){len});
    refused(u, strlen(u), "línea 5: el resumen no trae ACTAS_ESPERADAS");
    free(u);
    free(t);
}

static void test_unreadable_too_many_vote_columns(void **s)
{
    (void)s;
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_puts(&b, "ELECCION\nCORTE\nACTAS_ESPERADAS\n1\nCLAVE_CASILLA");
    for (int i = 0; i < PREP_RECOUNT_MAX_COLS + 1; i++)
        prep_buf_printf(&b, ",P%d", i);
    prep_buf_puts(&b, ",NO_REGISTRADOS,NULOS,LISTA_NOMINAL,CONTABILIZADA\n");
    refused(b.data, b.len, "línea 5: más de 240 columnas de votos");
    prep_buf_free(&b);
}

static void test_unreadable_acta_columns_first(void **s)
{
    (void)s;
    const char *t = "CLAVE_CASILLA,PAN,NULOS\n'090100B0100',1,2\n";
    refused(t, strlen(t), "línea 1: columnas de actas antes del encabezado del resumen");
}

/* Seeded mutations of valid files (bytes changed, inserted, cut): every
 * outcome is a report or a refusal with a message, never a crash or a leak
 * (the sanitizer build runs this too). A stand-in until issue 8's fuzzer. */
static void test_seeded_mutations(void **s)
{
    (void)s;
    static const char pick[] = {',', '|', '"', '\'', '=', '\r', '\n', '\0', '-', '0', '9', 'S',
                                'x', (char)0xC3, (char)0xFF, ' ', ';'};
    const fmt variants[3] = {ours, {"", 1, '|', "\r\n", 1, 1, 1, 0, 1},
                             {"", 0, ',', "\r", 0, 2, 0, 1, 2}};
    uint64_t rng = 20240602;
    int read = 0, refusedn = 0;
    for (int v = 0; v < 3; v++) {
        election e;
        base_election(&e);
        size_t len;
        char *base = render_text(&e, &variants[v], &len);
        char *m = malloc(len + 8);
        assert_non_null(m);
        for (int i = 0; i < 1500; i++) {
            memcpy(m, base, len);
            size_t n = len;
            int k = 1 + (int)(ts_rand(&rng) % 4);
            for (int j = 0; j < k; j++) {
                size_t at = ts_rand(&rng) % n;
                char c = pick[ts_rand(&rng) % sizeof pick];
                switch (ts_rand(&rng) % 3) {
                case 0: m[at] = c; break;
                case 1: /* insert */
                    memmove(m + at + 1, m + at, n - at);
                    m[at] = c;
                    n++;
                    break;
                default: n = at + 1; break; /* cut */
                }
                if (n > len + 4)
                    break;
            }
            prep_recount_report r;
            prep_err err = {0};
            int rc = prep_recount_buffer(m, n, "mut.csv", &opts_default, &r, &err);
            if (rc == 0) {
                read++;
                assert_true(r.ndiff >= 0 && r.nf == (size_t)r.ndiff); /* every difference is listed */
                prep_buf b;
                prep_buf_init(&b);
                assert_int_equal(prep_recount_json(&r, "mut.csv", &b, &err), 0);
                assert_int_equal(prep_recount_text(&r, "mut.csv", &b, &err), 0);
                prep_buf_free(&b);
                prep_recount_report_free(&r);
            } else {
                assert_int_equal(rc, -1);
                assert_true(err.msg[0] != '\0');
                assert_null(r.f);
                refusedn++;
            }
        }
        free(m);
        free(base);
    }
    assert_true(read > 100 && refusedn > 100); /* the mutations bite both ways */
}

/* ---- ZIP inputs -------------------------------------------------------- */

/* Write a ZIP with entries (name, bytes) at path, with libzip. */
static void write_zip(const char *path, int n, const char *const *names,
                      const char *const *datas, const size_t *lens)
{
    int ze;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, datas[i], lens[i], 0);
        assert_non_null(src);
        assert_true(zip_file_add(za, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    prep_buf b;
    prep_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        prep_buf_append(&b, chunk, n);
    fclose(fp);
    *len = b.len;
    return b.data;
}

static void test_zip_nested_as_ine_publishes(void **s)
{
    (void)s;
    election e;
    base_election(&e);
    size_t len;
    char *csv = render_text(&e, &ours, &len);
    char dir[] = "/tmp/prep-recount-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char inner[256], outer[256];
    snprintf(inner, sizeof inner, "%s/inner.zip", dir);
    snprintf(outer, sizeof outer, "%s/20240603_2005_PREP.zip", dir);
    const char *n1[] = {"DIP_LOC_2024.csv", "DIP_LOC_CANDIDATURAS_2024.csv", "LEEME.txt"};
    const char *d1[] = {csv, "ID_ENTIDAD,PARTIDO_CI\n", "leeme"};
    const size_t l1[] = {len, strlen(d1[1]), 5};
    write_zip(inner, 3, n1, d1, l1);
    size_t ilen;
    char *ibytes = slurp(inner, &ilen);
    const char *n2[] = {"20240603_2005_PREP_DIP_LOC.zip", "README.txt"};
    const char *d2[] = {ibytes, "x"};
    const size_t l2[] = {ilen, 1};
    write_zip(outer, 2, n2, d2, l2);

    prep_recount_input *in;
    int n;
    prep_err err = {0};
    assert_int_equal(prep_recount_inputs(outer, &in, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_non_null(strstr(in[0].name, "PREP.zip:20240603_2005_PREP_DIP_LOC.zip:DIP_LOC_2024.csv"));
    assert_int_equal(in[0].len, len);
    assert_memory_equal(in[0].data, csv, len);
    prep_recount_inputs_free(in, n);

    /* Only candidaturas: nothing to audit. */
    write_zip(inner, 1, n1 + 1, d1 + 1, l1 + 1);
    assert_int_equal(prep_recount_inputs(inner, &in, &n, &err), -1);
    assert_non_null(strstr(err.msg, "no contiene ningún CSV de resultados"));
    /* A plain CSV is itself the input; a missing file is an error. */
    FILE *fp = fopen(inner, "wb");
    fwrite(csv, 1, len, fp);
    fclose(fp);
    assert_int_equal(prep_recount_inputs(inner, &in, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(in[0].name, inner);
    prep_recount_inputs_free(in, n);
    unlink(inner);
    unlink(outer);
    assert_int_equal(prep_recount_inputs(outer, &in, &n, &err), -1);
    assert_non_null(strstr(err.msg, "no se puede abrir"));
    rmdir(dir);
    free(ibytes);
    free(csv);
}

/* ---- databases written by our own corte --------------------------------- */

static void own_corte(int final, uint64_t seed, int every)
{
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_generate("small", seed, &cat, &err), 0);
    prep_snapshot snap;
    prep_time at = (prep_time)1717380000000; /* 02/06/2024 20:00 */
    assert_int_equal(ts_snapshot(&cat, seed, every, at, &snap), 0);
    snap.final = final;
    for (int e = 0; e < cat.nelecciones; e++) {
        prep_snap_eleccion *se = &snap.el[e];
        se->nfc = 2;
        se->fc = calloc(2, sizeof *se->fc);
        assert_non_null(se->fc);
        for (int k = 0; k < 2; k++) {
            se->fc[k].id = k + 1;
            se->fc[k].eleccion = e;
            se->fc[k].at = at - 600000 + k * 1000;
        }
        prep_pub_tally t;
        assert_int_equal(prep_pub_tally_build(&snap, e, &t, &err), 0);
        prep_buf b;
        prep_buf_init(&b);
        assert_int_equal(prep_csv_resultados(&snap, &t, &b, NULL, &err), 0);
        prep_recount_opts o = {.final = final, .max_boletas_especial = -1};
        prep_recount_report r;
        if (prep_recount_buffer(b.data, b.len, "corte.csv", &o, &r, &err) != 0)
            fail_msg("our own corte cannot be read: %s", err.msg);
        assert_consistent(&r);
        assert_int_equal(r.filas, se->n + se->nfc);
        assert_int_equal(r.fuera, 2);
        assert_int_equal(r.ncols, cat.elecciones[e].ncols);
        for (int c = 0; c < r.ncols; c++)
            assert_string_equal(r.col[c], cat.elecciones[e].cols[c].nombre);
        /* Every summary field equals what the corte itself counted. */
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
            char a[32], w[32];
            prep_summary_field(&r.s, i, a, sizeof a);
            prep_summary_field(&t.total.s, i, w, sizeof w);
            assert_string_equal(a, w);
        }
        prep_recount_report_free(&r);
        /* The other participación formula: a convention, explained. */
        o.final = !final;
        assert_int_equal(prep_recount_buffer(b.data, b.len, "corte.csv", &o, &r, &err), 0);
        if (t.total.s.votos_c_cs != t.total.s.votos_s_cs) {
            assert_int_equal(r.ndiff, 0);
            assert_int_equal(r.conv[PREP_RCV_PARTICIPACION].count, 1);
            assert_non_null(strstr(r.conv[PREP_RCV_PARTICIPACION].detail,
                                   final ? "use --final" : "quite --final"));
        }
        prep_recount_report_free(&r);
        prep_buf_free(&b);
        prep_pub_tally_free(&t);
    }
    prep_snapshot_free(&snap);
    prep_catalog_free(&cat);
}

static void test_own_corte_operation(void **s)
{
    (void)s;
    own_corte(0, 11, 1);
}

static void test_own_corte_final(void **s)
{
    (void)s;
    own_corte(1, 12, 1);
}

static void test_own_corte_partial(void **s)
{
    (void)s;
    own_corte(0, 13, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_ours),
        cmocka_unit_test(test_variant_ine2024_bare_cr),
        cmocka_unit_test(test_variant_ine2018_pipe_latin1),
        cmocka_unit_test(test_variant_ieqroo_pipe_no_sep_line),
        cmocka_unit_test(test_variant_opl_municipal),
        cmocka_unit_test(test_variant_bom_latin1_names_2021),
        cmocka_unit_test(test_variant_ine2021_federal_names),
        cmocka_unit_test(test_variant_unknown_trailing_column_ignored),
        cmocka_unit_test(test_variant_ine2018_short_header),
        cmocka_unit_test(test_variant_unknown_column_among_identification),
        cmocka_unit_test(test_final_corte),
        cmocka_unit_test(test_max_boletas_especial),
        cmocka_unit_test(test_especial_excede_taken_as_published),
        cmocka_unit_test(test_planted_summary_field),
        cmocka_unit_test(test_planted_summary_rounded_not_truncated),
        cmocka_unit_test(test_summary_more_decimals_or_fewer),
        cmocka_unit_test(test_planted_participacion_formula),
        cmocka_unit_test(test_planted_total),
        cmocka_unit_test(test_planted_excede_contabilizada),
        cmocka_unit_test(test_planted_todos_ilegibles_contabilizada),
        cmocka_unit_test(test_planted_valid_acta_not_counted),
        cmocka_unit_test(test_planted_sin_acta_counted),
        cmocka_unit_test(test_planted_observaciones),
        cmocka_unit_test(test_planted_observaciones_other_wording),
        cmocka_unit_test(test_planted_duplicate),
        cmocka_unit_test(test_planted_captura_before_acopio),
        cmocka_unit_test(test_planted_verificacion_before_captura),
        cmocka_unit_test(test_planted_bad_timestamp),
        cmocka_unit_test(test_planted_bad_hash),
        cmocka_unit_test(test_planted_contabilizada_not_a_flag),
        cmocka_unit_test(test_findings_on_bare_cr_lines),
        cmocka_unit_test(test_unreadable_empty_and_not_prep),
        cmocka_unit_test(test_unreadable_truncated),
        cmocka_unit_test(test_unreadable_row_field_count),
        cmocka_unit_test(test_unreadable_vote_value),
        cmocka_unit_test(test_unreadable_missing_columns),
        cmocka_unit_test(test_unreadable_too_many_vote_columns),
        cmocka_unit_test(test_unreadable_acta_columns_first),
        cmocka_unit_test(test_seeded_mutations),
        cmocka_unit_test(test_zip_nested_as_ine_publishes),
        cmocka_unit_test(test_own_corte_operation),
        cmocka_unit_test(test_own_corte_final),
        cmocka_unit_test(test_own_corte_partial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
