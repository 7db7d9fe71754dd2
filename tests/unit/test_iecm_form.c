/* test_iecm_form.c — PREP's IECM publication form against IECM's own 2024
 * files (tests/fixtures/iecm-2024/, copied from IECM's simulacro ZIP; see
 * SOURCES.txt there): the names of the ZIP, its CSVs and its leeme.txt;
 * the header lines and column names byte for byte; every cell of the real
 * rows re-written through csv_form.h (quoting, zero-padded ids, ILEGIBLE
 * with its trailing space, SIN ACTA, "(UTC-6)" timestamps, "--", N/A); and
 * the candidaturas CSV. The INE form of the same catálogo keeps its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_io.h"
#include "core/tally.h"
#include "publish/csv_form.h"
#include "publish/csv_out.h"
#include "publish/names.h"
#include "util/hash.h"

#define FIXTURES "tests/fixtures/iecm-2024/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root)", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Split text into lines at "\n" (in place); returns how many. */
static int lines_of(char *text, char **lines, int max)
{
    int n = 0;
    for (char *p = text; *p && n < max;) {
        char *nl = strchr(p, '\n');
        lines[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

/* Split one CSV line into cells (quotes removed, "" unescaped), in place. */
static int cells_of(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        assert_true(n < max);
        char *out = p;
        cells[n++] = out;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    assert_true(*p != '\0');
                    *out++ = *p;
                }
            }
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        char next = *p;
        *out = '\0';
        if (next != ',')
            return n;
        p++;
    }
}

static int setup(void **state)
{
    prep_catalog *cat = calloc(1, sizeof *cat);
    prep_err err = {0};
    if (prep_catalog_generate("small", 1, cat, &err) != 0)
        fail_msg("small preset: %s", err.msg);
    *state = cat;
    return 0;
}

static int teardown(void **state)
{
    prep_catalog_free(*state);
    free(*state);
    return 0;
}

static prep_time simulacro_corte(void)
{
    prep_time at;
    assert_int_equal(prep_time_parse("12/05/2024 21:20", &at), 0);
    return at;
}

static void test_names_follow_iecm(void **state)
{
    prep_catalog *cat = *state;
    char n[PREP_NAME_CAP];
    assert_int_equal(cat->formato, PREP_FORMATO_IECM);
    assert_string_equal(cat->elecciones[0].codigo, "GUB");
    prep_name_zip(cat, 0, simulacro_corte(), n);
    assert_string_equal(n, "20240512_2120_PREP_GUB_CDMX.zip"); /* IECM's own ZIP */
    prep_name_csv(cat, 0, n);
    assert_string_equal(n, "CDMX_GUB_2024.csv");
    prep_name_csv_candidaturas(cat, 0, n);
    assert_string_equal(n, "CDMX_GUB_CANDIDATURAS_2024.csv");
    assert_string_equal(prep_name_leeme(cat), "leeme.txt");
    prep_path_leeme(cat, 1, n);
    assert_string_equal(n, "datos/DIP_LOC/leeme.txt");
    prep_name_zip(cat, 1, simulacro_corte(), n);
    assert_string_equal(n, "20240512_2120_PREP_DIP_LOC_CDMX.zip");
    prep_name_csv(cat, 2, n);
    assert_string_equal(n, "CDMX_ALC_2024.csv");
    /* The year comes from the proceso, the codes from the catálogo. */
    cat->anio = 2027;
    snprintf(cat->elecciones[0].codigo, sizeof cat->elecciones[0].codigo, "GOB");
    prep_name_csv(cat, 0, n);
    assert_string_equal(n, "CDMX_GOB_2027.csv");
    /* The INE form keeps Anexo 18.5's LEEME.txt. */
    cat->formato = PREP_FORMATO_INE;
    assert_string_equal(prep_name_leeme(cat), "LEEME.txt");
}

static void test_header_lines_match_fixture(void **state)
{
    prep_catalog *cat = *state;
    size_t len;
    char *text = slurp(FIXTURES "CDMX_GUB_2024.head.csv", &len), *l[32];
    assert_true(memcmp(text, PREP_CSV_BOM, 3) != 0);
    assert_int_equal(prep_csv_has_bom(cat), 0);
    assert_string_equal(prep_csv_eol(cat), "\n");
    assert_null(strchr(text, '\r'));
    int n = lines_of(text, l, 32);
    assert_true(n >= 9);
    char want[4096], t[64];
    snprintf(want, sizeof want, "\"%s\"", prep_csv_corte_time(cat, simulacro_corte(), t));
    assert_string_equal(l[1], want); /* "12/05/2024 21:20(UTC-6)" */
    assert_string_equal(l[2], prep_csv_blank_line(cat));
    assert_string_equal(l[5], prep_csv_blank_line(cat));
    prep_summary_header_line(want, sizeof want);
    assert_string_equal(l[3], want);
    /* Column names: our GUB has IECM's fifteen vote columns in its order. */
    const char *names[PREP_CSV_NCOLUMNS(PREP_MAX_COLS)];
    int nc = prep_csv_columns(cat, 0, names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS));
    prep_buf b;
    prep_buf_init(&b);
    for (int i = 0; i < nc; i++) {
        if (i)
            prep_buf_putc(&b, ',');
        prep_csv_cell(&b, cat, names[i]);
    }
    prep_buf_putc(&b, '\0');
    assert_string_equal(b.data, l[6]);
    prep_buf_free(&b);
    /* The INE form of the same catálogo has its own names and layout. */
    cat->formato = PREP_FORMATO_INE;
    assert_int_equal(prep_csv_columns(cat, 0, names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS)), nc + 2);
    assert_string_equal(names[PREP_CSV_ID_UNIDAD], "ID_DISTRITO_LOCAL");
    assert_string_equal(prep_csv_eol(cat), "\r\n");
    cat->formato = PREP_FORMATO_IECM;
    free(text);
}

/* Is s one of the observations the IECM form writes? */
static int known_obs(const prep_catalog *cat, const char *s)
{
    static const unsigned obs[] = {0, PREP_OBS_EXCEDE_LN, PREP_OBS_TODOS_ILEGIBLES,
                                   PREP_OBS_ALGUN_ILEGIBLE,
                                   PREP_OBS_EXCEDE_LN | PREP_OBS_ALGUN_ILEGIBLE};
    char buf[128];
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; i++) {
        prep_rule_result r = {.obs = obs[i]};
        if (strcmp(prep_csv_obs(cat, &r, buf, sizeof buf), s) == 0)
            return 1;
    }
    for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++) {
        prep_rule_result r = {.obs = PREP_OBS_SIN_ACTA, .sin_acta_motivo = m};
        if (strcmp(prep_csv_obs(cat, &r, buf, sizeof buf), s) == 0)
            return 1;
    }
    return 0;
}

static int col_named(char **head, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(head[i], name) == 0)
            return i;
    fail_msg("no column %s in the fixture", name);
    return -1;
}

/* Every cell of IECM's rows, re-written through csv_form.h, gives back the
 * published bytes. */
static void test_rows_round_trip(void **state)
{
    prep_catalog *cat = *state;
    size_t len;
    char *text = slurp(FIXTURES "CDMX_GUB_2024.head.csv", &len), *l[32];
    int n = lines_of(text, l, 32);
    char *head[64];
    int nh = cells_of(l[6], head, 64);
    assert_int_equal(nh, 46);
    static const struct { const char *name; int width; } ids[] = {
        {"ID_ENTIDAD", PREP_W_ENTIDAD}, {"DISTRITO_LOCAL", PREP_W_UNIDAD},
        {"SECCION", PREP_W_SECCION},    {"ID_CASILLA", PREP_W_CASILLA},
        {"EXT_CONTIGUA", PREP_W_EXT},   {"UBICACION_CASILLA", PREP_W_UBICACION}};
    int f0 = col_named(head, nh, "TOTAL_BOLETAS_SOBRANTES"), fn = col_named(head, nh, "NULOS");
    int asentado = col_named(head, nh, "TOTAL_VOTOS_ASENTADO");
    int calc = col_named(head, nh, "TOTAL_VOTOS_CALCULADOS");
    int seen_ilegible = 0, seen_sin_acta = 0, seen_sin_dato = 0;
    for (int i = 7; i < n; i++) {
        if (!*l[i])
            continue;
        char orig[4096], *c[64], t[64];
        snprintf(orig, sizeof orig, "%s", l[i]);
        int nc = cells_of(l[i], c, 64);
        assert_int_equal(nc, nh);
        /* Quoting: exactly the cells IECM quoted are quoted again. */
        prep_buf b;
        prep_buf_init(&b);
        for (int k = 0; k < nc; k++) {
            if (k)
                prep_buf_putc(&b, ',');
            prep_csv_cell(&b, cat, c[k]);
        }
        prep_buf_putc(&b, '\0');
        assert_string_equal(b.data, orig);
        prep_buf_free(&b);

        char clave[16];
        assert_int_equal(prep_csv_clave_parse(cat, c[0], clave), 0);
        assert_string_equal(prep_csv_clave(cat, clave, NULL, t), c[0]);
        assert_string_equal(prep_csv_clave(cat, clave, c[col_named(head, nh, "TIPO_ACTA")], t),
                            c[1]);
        for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
            const char *v = c[col_named(head, nh, ids[k].name)];
            assert_string_equal(prep_csv_num(cat, atoll(v), ids[k].width, t), v);
        }
        for (int k = f0; k <= fn; k++) {
            prep_val v;
            if (strcmp(c[k], prep_csv_sin_acta_val(cat)) == 0) {
                seen_sin_acta++;
                continue;
            }
            if (prep_csv_val_parse(cat, c[k], &v) != 0)
                fail_msg("line %d, %s: '%s' does not parse", i + 1, head[k], c[k]);
            assert_string_equal(prep_csv_val(cat, v, t), c[k]);
            seen_ilegible += v == PREP_V_ILEGIBLE;
            seen_sin_dato += v == PREP_V_SIN_DATO;
        }
        for (int k = asentado; k <= calc; k++)
            if (!*c[k])
                assert_string_equal(prep_csv_no_total(cat), c[k]);
        const char *obs = c[col_named(head, nh, "OBSERVACIONES")];
        if (!known_obs(cat, obs))
            fail_msg("line %d: OBSERVACIONES '%s' is not a text of the IECM form", i + 1, obs);
        const char *sha = c[col_named(head, nh, "CODIGO_INTEGRIDAD")];
        assert_true(prep_is_sha256_hex(sha) || strcmp(sha, prep_csv_none(cat)) == 0);
        static const char *const times[] = {"FECHA_HORA_ACOPIO", "FECHA_HORA_CAPTURA",
                                            "FECHA_HORA_VERIFICACION"};
        for (int k = 0; k < 3; k++) {
            const char *v = c[col_named(head, nh, times[k])];
            prep_time at;
            if (!*v)
                continue;
            assert_int_equal(prep_csv_time_parse(cat, v, &at), 0);
            assert_string_equal(prep_csv_time(cat, at, t), v);
        }
        const char *td = c[col_named(head, nh, "TIPO_DOCUMENTO")];
        assert_true(strcmp(td, prep_csv_tipo_doc(cat)) == 0 || strcmp(td, "ACTA UE") == 0);
    }
    assert_true(seen_ilegible > 0 && seen_sin_acta > 0 && seen_sin_dato > 0);
    /* Texts IECM's file has that the INE form writes otherwise. */
    char t[64];
    assert_string_equal(prep_csv_val(cat, PREP_V_ILEGIBLE, t), "ILEGIBLE ");
    cat->formato = PREP_FORMATO_INE;
    assert_string_equal(prep_csv_val(cat, PREP_V_ILEGIBLE, t), "Ilegible");
    assert_string_equal(prep_csv_num(cat, 9, PREP_W_ENTIDAD, t), "9");
    assert_string_equal(prep_csv_clave(cat, "090056C0100", NULL, t), "'090056C0100'");
    prep_val v;
    assert_int_equal(prep_csv_val_parse(cat, "", &v), -1); /* empty is not a value there */
    cat->formato = PREP_FORMATO_IECM;
    assert_int_equal(prep_csv_val_parse(cat, "Ilegible", &v), -1); /* nor INE's word here */
    assert_int_equal(prep_csv_val_parse(cat, "ILEGIBLE", &v), -1);
    prep_time at;
    assert_int_equal(prep_csv_time_parse(cat, "12/05/2024 07:17:06", &at), -1);
    free(text);
}

static void test_candidaturas_match_fixture(void **state)
{
    prep_catalog *cat = *state;
    size_t len;
    char *text = slurp(FIXTURES "CDMX_GUB_CANDIDATURAS_2024.csv", &len);
    prep_buf b;
    prep_buf_init(&b);
    prep_err err = {0};
    assert_int_equal(prep_csv_candidaturas(cat, 0, &b, &err), 0);
    prep_buf_putc(&b, '\0');
    /* The header line, BOM and CRLF included, is IECM's. */
    size_t hl = (size_t)(strstr(text, "\r\n") - text) + 2;
    assert_memory_equal(b.data, text, hl);
    /* One row per candidatura, coalitions under their own code, in IECM's
     * order; names with spaces stay unquoted. */
    char *l[16], *ours[16];
    int n = lines_of(text, l, 16), m = lines_of(b.data, ours, 16);
    assert_int_equal(m, n);
    for (int i = 1; i < n; i++) {
        if (!*l[i])
            continue;
        char *c1[8], *c2[8];
        assert_int_equal(cells_of(l[i], c1, 8), 3);
        assert_int_equal(cells_of(ours[i], c2, 8), 3);
        assert_string_equal(c2[0], c1[0]); /* 09 */
        assert_string_equal(c2[1], c1[1]); /* PAN_PRI_PRD, PVEM_PT_MORENA, MC */
        assert_non_null(strchr(c2[2], ' '));
        assert_null(strchr(c2[2], '"'));
    }
    prep_buf_free(&b);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names_follow_iecm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_lines_match_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_candidaturas_match_fixture, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
