/* test_corte.c — a corte of a hand-computed election on a real data
 * directory: the results CSV field by field (BOM, CRLF, header block, every
 * summary field, sort, fuera de catálogo last, "-", Ilegible / Sin dato,
 * truncated percentages, participación S_CS during operation and C_CS on
 * the final corte), the candidaturas CSV, the CSV read by pandas with its
 * leading zeros, the feed and change lists, and a corte stopped after each
 * of its steps. Timing-free: prep_corte_run is only asked what it wrote.
 *
 * The election (catalog of test_util.h, 5 esperadas):
 *   090100B0100  LN 500  430 votes              contabilizada
 *   090100C0100  LN 400  210 votes, Ilegible    contabilizada, inconsistente
 *   090100S0100  especial, LN 0, 150 votes      contabilizada (C_CS only)
 *   090200B0100  LN 600 rep 8, 700 votes        EXCEDE LISTA NOMINAL, inconsistente
 *   090200C0100  sin acta (casilla no instalada)
 *   099999B0100  fuera de catálogo
 * ESPERADAS 5, REGISTRADAS 6, FUERA 1, CAPTURADAS 5 (100.0000 %),
 * CONTABILIZADAS 3 (60.0000 %), INCONSISTENCIAS 2/5 = 40.0000 %,
 * NO_CONTABILIZADAS 2, LN contabilizadas 500 + 400 + 0 = 900,
 * C_CS 430 + 210 + 150 = 790, S_CS 640; participación 640 × 100 / 900 =
 * 71.1111 during operation, 790 × 100 / 900 = 87.7777… → 87.7777 on the
 * final corte (truncated: rounding would give 87.7778). */
#include "test_corte_fx.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sodium.h>

#include "publish/manifest.h"
#include "publish/verify.h"

/* ---- A results CSV split into lines and fields ---------------------------- */

#define MAXL 32
#define MAXC 64

typedef struct {
    char *text;
    int nlines;
    char *line[MAXL];
    int nf[MAXL];
    char *f[MAXL][MAXC];
    int ncols;
} csvt;

/* Every line must end with CR LF; fields split on ',' (the test data has no
 * quoted fields: the test fails if one appears). */
static void csv_load(const char *path, csvt *t)
{
    size_t len;
    memset(t, 0, sizeof *t);
    t->text = cx_read(path, &len);
    assert_memory_equal(t->text, "\xEF\xBB\xBF", 3);
    assert_null(strchr(t->text, '"'));
    char *p = t->text + 3, *end = t->text + len;
    while (p < end) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl > p && nl[-1] == '\r'); /* CRLF, never a bare LF */
        nl[-1] = '\0';
        assert_true(t->nlines < MAXL);
        t->line[t->nlines++] = p;
        p = nl + 1;
    }
    for (int i = 0; i < t->nlines; i++) {
        char *save, *s = strdup(t->line[i]), *q = s;
        assert_non_null(s);
        /* strsep keeps empty fields. */
        while ((save = strsep(&q, ",")) != NULL) {
            assert_true(t->nf[i] < MAXC);
            t->f[i][t->nf[i]++] = save;
        }
    }
    t->ncols = t->nf[6];
}

static void csv_free(csvt *t)
{
    for (int i = 0; i < t->nlines; i++)
        free(t->f[i][0]);
    free(t->text);
}

static int col(const csvt *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->f[6][i], name) == 0)
            return i;
    fail_msg("no column %s", name);
    return -1;
}

/* Field `name` of data row r (0 = first acta row). */
static const char *cell(const csvt *t, int r, const char *name)
{
    assert_true(7 + r < t->nlines);
    assert_int_equal(t->nf[7 + r], t->ncols);
    return t->f[7 + r][col(t, name)];
}

#define CELL(r, name, want) assert_string_equal(cell(&t, r, name), want)

static void csv_path(cfx *f, const prep_corte_info *info, char *out, size_t cap)
{
    char rel[PREP_NAME_CAP], sub[512];
    prep_path_csv(&f->cat, 0, rel);
    snprintf(sub, sizeof sub, "%s/%s", info->dir, rel);
    cx_path(f, sub, out, cap);
}

/* ---- The results CSV ------------------------------------------------------ */

static void test_results_csv_by_hand(void **state)
{
    cfx *f = *state;
    cx_election(f, 31, 1);
    prep_corte_info info;
    cx_corte(f, 0, &info);
    char path[512], when[24], want[64];
    csv_path(f, &info, path, sizeof path);
    csvt t;
    csv_load(path, &t);
    assert_int_equal(t.nlines, 7 + 6);
    /* Header block. */
    assert_string_equal(t.line[0], "DIPUTACIONES LOCALES");
    prep_time_fmt_min(info.at, when);
    snprintf(want, sizeof want, "%s (UTC-6)", when);
    assert_string_equal(t.line[1], want);
    assert_string_equal(t.line[2], "");
    assert_string_equal(t.line[3],
                        "ACTAS_ESPERADAS,ACTAS_REGISTRADAS,ACTAS_FUERA_CATALOGO,ACTAS_CAPTURADAS,"
                        "PORCENTAJE_ACTAS_CAPTURADAS,ACTAS_CONTABILIZADAS,"
                        "PORCENTAJE_ACTAS_CONTABILIZADAS,PORCENTAJE_ACTAS_INCONSISTENCIAS,"
                        "ACTAS_NO_CONTABILIZADAS,LISTA_NOMINAL_ACTAS_CONTABILIZADAS,"
                        "TOTAL_VOTOS_C_CS,TOTAL_VOTOS_S_CS,PORCENTAJE_PARTICIPACION_CIUDADANA");
    assert_string_equal(t.line[4], "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,790,640,71.1111");
    assert_string_equal(t.line[5], "");
    assert_string_equal(t.line[6],
                        "CLAVE_CASILLA,CLAVE_ACTA,ID_ENTIDAD,ENTIDAD,ID_DISTRITO_LOCAL,"
                        "DISTRITO_LOCAL,SECCION,ID_CASILLA,TIPO_CASILLA,EXT_CONTIGUA,"
                        "UBICACION_CASILLA,TIPO_ACTA,TOTAL_BOLETAS_SOBRANTES,"
                        "TOTAL_PERSONAS_VOTARON,TOTAL_REP_PARTIDO_CI_VOTARON,TOTAL_VOTOS_SACADOS,"
                        "PAN,PRI,PRD,MC,MORENA,PAN_PRI_PRD,PAN_PRI,PAN_PRD,PRI_PRD,CAND_IND_1,"
                        "NO_REGISTRADAS,NULOS,TOTAL_VOTOS_ASENTADO,TOTAL_VOTOS_CALCULADO,"
                        "LISTA_NOMINAL,REPRESENTANTES_PP_CI,OBSERVACIONES,CONTABILIZADA,"
                        "MECANISMOS_TRASLADO,CODIGO_INTEGRIDAD,FECHA_HORA_ACOPIO,"
                        "FECHA_HORA_CAPTURA,FECHA_HORA_VERIFICACION,ORIGEN,DIGITALIZACION,"
                        "TIPO_DOCUMENTO,COTEJADA");
    /* Sorted by unit, sección, tipo, casilla, ext; fuera de catálogo last. */
    const char *order[] = {"'090100B0100'", "'090100C0100'", "'090100S0100'", "'090200B0100'",
                           "'090200C0100'", "-"};
    for (int r = 0; r < 6; r++)
        CELL(r, "CLAVE_CASILLA", order[r]);

    /* 090100B0100: every field. */
    CELL(0, "CLAVE_ACTA", "'090100B01002'");
    CELL(0, "ID_ENTIDAD", "9");
    CELL(0, "ENTIDAD", "CIUDAD DE MEXICO");
    CELL(0, "ID_DISTRITO_LOCAL", "1");
    CELL(0, "DISTRITO_LOCAL", "DISTRITO 1");
    CELL(0, "SECCION", "100");
    CELL(0, "ID_CASILLA", "1");
    CELL(0, "TIPO_CASILLA", "B");
    CELL(0, "EXT_CONTIGUA", "0");
    CELL(0, "UBICACION_CASILLA", "1");
    CELL(0, "TIPO_ACTA", "2");
    CELL(0, "TOTAL_BOLETAS_SOBRANTES", "0");
    CELL(0, "PAN", "100");
    CELL(0, "MORENA", "200");
    CELL(0, "PAN_PRI_PRD", "5");
    CELL(0, "PRI_PRD", "1");
    CELL(0, "CAND_IND_1", "10");
    CELL(0, "NO_REGISTRADAS", "1");
    CELL(0, "NULOS", "8");
    CELL(0, "TOTAL_VOTOS_ASENTADO", "0");
    CELL(0, "TOTAL_VOTOS_CALCULADO", "430");
    CELL(0, "LISTA_NOMINAL", "500");
    CELL(0, "REPRESENTANTES_PP_CI", "10");
    CELL(0, "OBSERVACIONES", "");
    CELL(0, "CONTABILIZADA", "1");
    CELL(0, "MECANISMOS_TRASLADO", "D");
    CELL(0, "CODIGO_INTEGRIDAD", f->sha[0]);
    CELL(0, "FECHA_HORA_ACOPIO", "02/06/2024 14:00:00");
    CELL(0, "FECHA_HORA_CAPTURA", "02/06/2024 14:02:00");
    CELL(0, "FECHA_HORA_VERIFICACION", "02/06/2024 14:03:00");
    CELL(0, "ORIGEN", "CATD");
    CELL(0, "DIGITALIZACION", "ESCANER");
    CELL(0, "TIPO_DOCUMENTO", "Acta PREP");
    CELL(0, "COTEJADA", "0");
    /* Ilegible and Sin dato count 0 and mark the acta. */
    CELL(1, "PAN", "Ilegible");
    CELL(1, "PRD", "Sin dato");
    CELL(1, "TOTAL_VOTOS_CALCULADO", "210");
    CELL(1, "OBSERVACIONES", "ALGUN DATO ILEGIBLE O SIN DATO");
    CELL(1, "CONTABILIZADA", "1");
    CELL(1, "MECANISMOS_TRASLADO", "");
    CELL(1, "FECHA_HORA_ACOPIO", "02/06/2024 14:10:00");
    /* The casilla especial: its own acta type, lista nominal 0. */
    CELL(2, "CLAVE_ACTA", "'090100S01002E'");
    CELL(2, "TIPO_CASILLA", "S");
    CELL(2, "LISTA_NOMINAL", "0");
    CELL(2, "TOTAL_VOTOS_CALCULADO", "150");
    CELL(2, "CONTABILIZADA", "1");
    /* Distrito 2: no coalition, no CI there: "-". */
    CELL(3, "ID_DISTRITO_LOCAL", "2");
    CELL(3, "SECCION", "200");
    CELL(3, "PAN_PRI_PRD", "-");
    CELL(3, "PRI_PRD", "-");
    CELL(3, "CAND_IND_1", "-");
    CELL(3, "MORENA", "700");
    CELL(3, "TOTAL_VOTOS_CALCULADO", "700");
    CELL(3, "OBSERVACIONES", "EXCEDE LISTA NOMINAL");
    CELL(3, "CONTABILIZADA", "0");
    /* Sin acta: every captured field "-", no capture or verification time. */
    CELL(4, "PAN", "-");
    CELL(4, "TOTAL_BOLETAS_SOBRANTES", "-");
    CELL(4, "TOTAL_VOTOS_CALCULADO", "-");
    CELL(4, "LISTA_NOMINAL", "300");
    CELL(4, "OBSERVACIONES", "SIN ACTA POR CASILLA NO INSTALADA");
    CELL(4, "CONTABILIZADA", "0");
    CELL(4, "FECHA_HORA_ACOPIO", ""); /* no acta arrived: no acopio, no hash */
    CELL(4, "FECHA_HORA_CAPTURA", "");
    CELL(4, "CODIGO_INTEGRIDAD", "");
    CELL(4, "TIPO_DOCUMENTO", "");
    /* Fuera de catálogo: "-" wherever the casilla would say something. */
    CELL(5, "CLAVE_ACTA", "-");
    CELL(5, "ID_DISTRITO_LOCAL", "-");
    CELL(5, "PAN", "-");
    CELL(5, "LISTA_NOMINAL", "-");
    CELL(5, "OBSERVACIONES", "FUERA DE CATALOGO");
    CELL(5, "CONTABILIZADA", "2");
    CELL(5, "FECHA_HORA_ACOPIO", "02/06/2024 14:50:00");
    csv_free(&t);

    /* The final corte: participación with the casillas especiales,
     * truncated (87.7777…, not rounded up). */
    cx_corte(f, 1, &info);
    csv_path(f, &info, path, sizeof path);
    csv_load(path, &t);
    assert_string_equal(t.line[4], "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,790,640,87.7777");
    csv_free(&t);
    /* prep verify recomputes it as a final corte (corte.json says so). */
    prep_err err = {0};
    prep_verify_result vr;
    char dir[512];
    cx_path(f, info.dir, dir, sizeof dir);
    if (prep_verify(dir, NULL, &vr, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(vr.final, 1);
    /* and nothing follows a final corte. */
    assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &info, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
}

/* A corte part-way through the night: only what is registered counts,
 * percentages stay over the 5 esperadas. */
static void test_partial_corte(void **state)
{
    cfx *f = *state;
    cx_election(f, 1 | 8, 0); /* 090100B0100 and the excede one */
    prep_corte_info info;
    cx_corte(f, 0, &info);
    char path[512];
    csv_path(f, &info, path, sizeof path);
    csvt t;
    csv_load(path, &t);
    /* 2 registered: capturadas 40 %, 1 contabilizada 20 %, 1 inconsistente
     * 20 %; participación 430 × 100 / 500 = 86.0000. */
    assert_string_equal(t.line[4], "5,2,0,2,40.0000,1,20.0000,20.0000,1,500,430,430,86.0000");
    assert_int_equal(t.nlines, 7 + 2);
    csv_free(&t);
}

/* ---- Candidaturas ----------------------------------------------------------- */

static void test_candidaturas_csv(void **state)
{
    cfx *f = *state;
    prep_corte_info info;
    cx_corte(f, 0, &info);
    char rel[PREP_NAME_CAP], sub[512], path[512];
    prep_path_csv_candidaturas(&f->cat, 0, rel);
    assert_string_equal(rel, "datos/DIP/CDMX_DIP_CANDIDATURAS_2024.csv");
    snprintf(sub, sizeof sub, "%s/%s", info.dir, rel);
    cx_path(f, sub, path, sizeof path);
    char *text = cx_read(path, NULL);
    const char *want =
        "\xEF\xBB\xBF"
        "ID_ENTIDAD,ID_DISTRITO_LOCAL,PARTIDO_CI,CANDIDATURA_PROPIETARIA,CANDIDATURA_SUPLENTE\r\n"
        "9,1,PAN,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,PRI,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,PRD,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,MC,PROPIETARIA D1 C3,SUPLENTE D1 C3\r\n"
        "9,1,MORENA,PROPIETARIA D1 C4,SUPLENTE D1 C4\r\n"
        "9,1,PAN_PRI_PRD,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,PAN_PRI,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,PAN_PRD,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,PRI_PRD,PROPIETARIA COALICION D1,SUPLENTE COALICION D1\r\n"
        "9,1,CAND_IND_1,PROPIETARIA D1 C9,SUPLENTE D1 C9\r\n"
        "9,2,PAN,PROPIETARIA D2 C0,\r\n"
        "9,2,PRI,PROPIETARIA D2 C1,\r\n"
        "9,2,PRD,PROPIETARIA D2 C2,\r\n"
        "9,2,MC,PROPIETARIA D2 C3,\r\n"
        "9,2,MORENA,PROPIETARIA D2 C4,\r\n";
    assert_string_equal(text, want);
    free(text);
}

/* ---- pandas ----------------------------------------------------------------- */

/* The way analysts read the INE file: pandas.read_csv(header=4) (blank lines
 * skipped), dtype=str so claves keep their leading zeros. */
static void test_pandas_reads_it(void **state)
{
    cfx *f = *state;
    cx_election(f, 31, 1);
    prep_corte_info info;
    cx_corte(f, 0, &info);
    char path[512], cmd[2048];
    csv_path(f, &info, path, sizeof path);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"\n"
             "import sys, pandas as pd\n"
             "p = sys.argv[1]\n"
             "h = pd.read_csv(p, header=2, nrows=1, dtype=str, encoding='utf-8-sig')\n"
             "assert h.columns[0] == 'ACTAS_ESPERADAS', list(h.columns)\n"
             "assert h.iloc[0]['PORCENTAJE_PARTICIPACION_CIUDADANA'] == '71.1111'\n"
             "d = pd.read_csv(p, header=4, dtype=str, keep_default_na=False, encoding='utf-8-sig')\n"
             "assert len(d) == 6, len(d)\n"
             "assert len(d.columns) == 43, len(d.columns)\n"
             "assert list(d['CLAVE_CASILLA'])[:2] == [\\\"'090100B0100'\\\", \\\"'090100C0100'\\\"]\n"
             "assert d.iloc[0]['CLAVE_ACTA'] == \\\"'090100B01002'\\\"\n"
             "assert d.iloc[1]['PAN'] == 'Ilegible'\n"
             "assert d.iloc[5]['CONTABILIZADA'] == '2'\n"
             "assert d.iloc[0]['FECHA_HORA_ACOPIO'] == '02/06/2024 14:00:00'\n"
             "\" '%s'",
             path);
    assert_int_equal(system(cmd), 0);
}

/* ---- Feed and change lists -------------------------------------------------- */

static json_t *load(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s", path, je.text);
    return j;
}

static void file_sha(const char *path, char out[65])
{
    size_t len;
    char *d = cx_read(path, &len);
    prep_sha256_hex(d, len, out);
    free(d);
}

static void assert_claves(json_t *arr, const char *const *want, size_t n)
{
    assert_int_equal(json_array_size(arr), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(arr, i)), want[i]);
}

static void test_feed_lists_cortes_and_changes(void **state)
{
    cfx *f = *state;
    prep_corte_info c[3];
    cx_election(f, 1 | 2 | 4 | 8, 1);
    cx_corte(f, 0, &c[0]);
    cx_election(f, 16, 0); /* the sin acta arrives */
    cx_corte(f, 0, &c[1]);
    cx_corte(f, 0, &c[2]); /* nothing new */

    char path[512], sha[65];
    cx_path(f, PREP_FEED, path, sizeof path);
    size_t flen;
    char *ftext = cx_read(path, &flen);
    json_error_t je;
    json_t *feed = json_loadb(ftext, flen, 0, &je);
    assert_non_null(feed);
    /* feed.sig signs feed.json's exact bytes with the corte key. */
    uint8_t pk[32], sig[64];
    prep_err err = {0};
    assert_int_equal(prep_keys_public(f->dir, pk, &err), 0);
    cx_path(f, "feed.sig", path, sizeof path);
    char *sigh = cx_read(path, NULL);
    sigh[128] = '\0';
    assert_int_equal(prep_unhex(sigh, sig, 64), 0);
    assert_int_equal(prep_sign_verify(pk, ftext, flen, sig), 0);
    ftext[flen / 2] ^= 1;
    assert_int_equal(prep_sign_verify(pk, ftext, flen, sig), -1);
    free(sigh);
    free(ftext);

    assert_string_equal(json_string_value(json_object_get(feed, "latest")), c[2].dir);
    json_t *list = json_object_get(feed, "cortes");
    assert_int_equal(json_array_size(list), 3);
    for (int i = 0; i < 3; i++) {
        json_t *e = json_array_get(list, (size_t)i);
        assert_int_equal(json_integer_value(json_object_get(e, "numero")), c[i].numero);
        assert_string_equal(json_string_value(json_object_get(e, "dir")), c[i].dir);
        /* The MANIFEST hash and the package hash are those of the files. */
        char rel[300];
        snprintf(rel, sizeof rel, "%s/" PREP_MANIFEST, c[i].dir);
        cx_path(f, rel, path, sizeof path);
        file_sha(path, sha);
        assert_string_equal(json_string_value(json_object_get(e, "manifest_sha256")), sha);
        assert_string_equal(c[i].manifest_sha, sha);
        json_t *pq = json_object_get(e, "paquete");
        snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.zip", c[i].dir);
        assert_string_equal(json_string_value(json_object_get(pq, "archivo")), rel);
        cx_path(f, rel, path, sizeof path);
        file_sha(path, sha);
        assert_string_equal(json_string_value(json_object_get(pq, "sha256")), sha);
        /* Each package verifies on its own. */
        prep_verify_result r;
        if (prep_verify(path, pk, &r, &err) != 0)
            fail_msg("%s: %s", path, err.msg);
    }
    /* Changed actas: all of them first, then only the sin acta, then none. */
    const char *all[] = {"090100B0100", "090100C0100", "090100S0100", "090200B0100"};
    const char *sin[] = {"090200C0100"};
    json_t *ch0 = json_object_get(json_object_get(json_array_get(list, 0), "cambios"), "DIP");
    json_t *ch1 = json_object_get(json_object_get(json_array_get(list, 1), "cambios"), "DIP");
    json_t *ch2 = json_object_get(json_object_get(json_array_get(list, 2), "cambios"), "DIP");
    assert_claves(json_object_get(ch0, "actas"), all, 4);
    assert_int_equal(json_array_size(json_object_get(ch0, "fuera_catalogo")), 1);
    assert_claves(json_object_get(ch1, "actas"), sin, 1);
    assert_int_equal(json_array_size(json_object_get(ch1, "fuera_catalogo")), 0);
    assert_claves(json_object_get(ch2, "actas"), NULL, 0);
    /* The first package carries the four new images, the others none. */
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(list, 0), "imagenes_nuevas_en_paquete")),
        4);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(list, 1), "imagenes_nuevas_en_paquete")),
        0);
    json_decref(feed);
    /* Images are published under their hash, byte for byte, with the
     * extension of their type; the sección page links that very file. */
    char rel[300], page[600];
    snprintf(rel, sizeof rel, PREP_IMAGENES_DIR "/%s.png", f->sha[0]);
    cx_path(f, rel, path, sizeof path);
    file_sha(path, sha);
    assert_string_equal(sha, f->sha[0]);
    snprintf(rel, sizeof rel, PREP_IMAGENES_DIR "/%s.jpg", f->sha[1]);
    cx_path(f, rel, path, sizeof path);
    file_sha(path, sha);
    assert_string_equal(sha, f->sha[1]);
    snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/DIP/09/seccion/100.html", c[2].dir);
    cx_path(f, rel, page, sizeof page);
    char *html = cx_read(page, NULL);
    char want[200];
    snprintf(want, sizeof want, "imagenes/%s.png\"", f->sha[0]);
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof want, "imagenes/%s.jpg\"", f->sha[1]);
    assert_non_null(strstr(html, want));
    free(html);
}

/* ---- A corte stopped after each step ------------------------------------- */

/* Every visible corte directory verifies; returns how many there are. */
static int verify_all(cfx *f)
{
    char cortes[256];
    cx_path(f, "", cortes, sizeof cortes);
    DIR *d = opendir(cortes);
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    uint8_t pk[32];
    prep_err err = {0};
    assert_int_equal(prep_keys_public(f->dir, pk, &err), 0);
    while ((de = readdir(d)) != NULL) {
        if (prep_name_corte_numero(de->d_name) < 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s%s", cortes, de->d_name);
        prep_verify_result r;
        if (prep_verify(path, pk, &r, &err) != 0)
            fail_msg("%s: %s", path, err.msg);
        n++;
    }
    closedir(d);
    return n;
}

/* The last bitácora entry's action and after text (what log_failure and
 * record wrote), and how many entries name corte/<numero> with action. */
typedef struct {
    char action[64], after[512];
    int numero, count;
    const char *want;
} last_log;

static int on_log(void *ctx, const prep_chain_entry *e)
{
    last_log *l = ctx;
    snprintf(l->action, sizeof l->action, "%s", e->action);
    snprintf(l->after, sizeof l->after, "%s", e->after);
    char object[32];
    snprintf(object, sizeof object, "corte/%d", l->numero);
    if (l->want && strcmp(e->action, l->want) == 0 && strcmp(e->object, object) == 0)
        l->count++;
    return 0;
}

static void log_scan(cfx *f, int numero, const char *want, last_log *l)
{
    prep_err err = {0};
    memset(l, 0, sizeof *l);
    l->numero = numero;
    l->want = want;
    assert_int_equal(f->st->vt->log_iter(f->st, 0, on_log, l, &err), 0);
}

static int count_cortes(void *ctx, const prep_corte_info *c)
{
    (void)c;
    (*(int *)ctx)++;
    return 0;
}

/* How many cortes the store records, and how many private publication
 * lists (.publica-*) sit beside them. */
static int recorded_cortes(cfx *f)
{
    int n = 0;
    prep_err err = {0};
    assert_int_equal(f->st->vt->corte_iter(f->st, count_cortes, &n, &err), 0);
    return n;
}

static int marks_files(cfx *f)
{
    char cortes[256];
    cx_path(f, "", cortes, sizeof cortes);
    DIR *d = opendir(cortes);
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, ".publica-", 9) == 0;
    closedir(d);
    return n;
}

/* A corte that fails at any step before the store records it leaves the
 * store exactly as it was (no acta marked published, no corte row, no
 * `corte.publica`), takes back `latest`, its directory and its package,
 * and says why in the bitácora (corte.fallido, in Spanish). The next run
 * publishes the same actas under the same number. A failure after the
 * record (the feed) leaves a complete corte. */
static void test_corte_stopped_at_each_step(void **state)
{
    cfx *f = *state;
    static const char *const steps[] = {"snapshot", "files",  "manifest", "rename",
                                        "package",  "latest", "record"};
    const int nsteps = (int)(sizeof steps / sizeof steps[0]);
    prep_corte_info first, info;
    cx_election(f, 1, 0);
    cx_corte(f, 0, &first);
    char latest[256], junk[512];
    unsigned more[] = {2, 4, 8, 16, 0, 0, 0};
    for (int i = 0; i < nsteps; i++) {
        char before[256];
        cx_latest(f, before, sizeof before);
        if (more[i])
            cx_election(f, more[i], i == 2);
        int ncortes = recorded_cortes(f), ndirs = verify_all(f);
        prep_err err = {0};
        prep_corte_fail_after = steps[i];
        assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &info, &err), -1);
        prep_corte_fail_after = NULL;
        assert_non_null(strstr(err.msg, steps[i]));
        cx_latest(f, latest, sizeof latest);
        last_log l;
        int numero = ncortes + 1;
        if (strcmp(steps[i], "record") == 0) {
            /* Recorded: only the feed is missing, the next run rewrites it. */
            assert_int_equal(recorded_cortes(f), ncortes + 1);
            assert_string_not_equal(latest, before);
            log_scan(f, numero, "corte.publica", &l);
            assert_int_equal(l.count, 1);
        } else {
            assert_string_equal(latest, before);
            assert_int_equal(recorded_cortes(f), ncortes);
            assert_int_equal(verify_all(f), ndirs);
            /* Every acta registered since the last corte is still unpublished. */
            for (int c = 0; c < f->cat.ncasillas; c++) {
                prep_acta a;
                int got = f->st->vt->acta_get(f->st, 0, c, &a, NULL, 0, &err);
                assert_true(got >= 0);
                if (got == 0 && (a.estado == PREP_EST_PUBLICADA || a.estado == PREP_EST_SIN_ACTA))
                    assert_true(a.corte == 0 || a.corte <= ncortes);
            }
            log_scan(f, numero, "corte.publica", &l);
            assert_int_equal(l.count, 0);
            assert_string_equal(l.action, "corte.fallido");
            assert_non_null(strstr(l.after, "\"motivo\":\"error de disco o de la base de datos"));
            assert_non_null(strstr(l.after, steps[i]));
        }
        assert_int_equal(marks_files(f), 0);
        /* A kill would also leave the temporary directory: the next run removes it. */
        cx_path(f, ".tmp-20240602_1400_c0999", junk, sizeof junk);
        assert_int_equal(mkdir(junk, 0755), 0);
        cx_corte(f, 0, &info);
        assert_int_equal(info.numero, strcmp(steps[i], "record") == 0 ? numero + 1 : numero);
        assert_int_equal(prep_fs_exists(junk), 0);
        cx_latest(f, latest, sizeof latest);
        assert_string_equal(latest, info.dir);
        log_scan(f, info.numero, "corte.publica", &l);
        assert_int_equal(l.count, 1);
        verify_all(f);
    }
    /* Every acta registered along the way is in the last corte, published
     * in a corte that exists. */
    char path[512];
    csv_path(f, &info, path, sizeof path);
    csvt t;
    csv_load(path, &t);
    assert_int_equal(t.nlines, 7 + 5 + 1); /* and the fuera de catálogo */
    assert_string_equal(t.line[4], "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,790,640,71.1111");
    csv_free(&t);
    for (int c = 0; c < 5; c++) {
        prep_acta a;
        prep_err err = {0};
        assert_int_equal(f->st->vt->acta_get(f->st, 0, c, &a, NULL, 0, &err), 0);
        assert_true(a.corte >= 1 && a.corte <= info.numero);
    }
    /* The feed lists every recorded corte, each once, in order. */
    char fp[256];
    cx_path(f, PREP_FEED, fp, sizeof fp);
    json_t *feed = load(fp);
    json_t *list = json_object_get(feed, "cortes");
    int last = 0;
    for (size_t k = 0; k < json_array_size(list); k++) {
        int n = (int)json_integer_value(json_object_get(json_array_get(list, k), "numero"));
        assert_true(n > last);
        last = n;
    }
    assert_int_equal(last, info.numero);
    assert_int_equal((int)json_array_size(list), verify_all(f));
    assert_int_equal((int)json_array_size(list), recorded_cortes(f));
    json_decref(feed);
}

/* A corte killed after its directory appeared (rename, package, latest
 * done; the store not told) is recorded by the next run from the
 * publication list kept beside it: exactly the actas its files hold are
 * marked, not one verified later. */
static void test_killed_corte_is_recovered_from_its_list(void **state)
{
    cfx *f = *state;
    prep_corte_info info;
    cx_election(f, 1 | 2, 1);
    /* Simulate the kill: a run whose record step is skipped. */
    prep_err err = {0};
    prep_corte_fail_after = "latest";
    prep_corte_kill_simulate = 1;
    assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &info, &err), -1);
    prep_corte_kill_simulate = 0;
    prep_corte_fail_after = NULL;
    assert_int_equal(recorded_cortes(f), 0);
    assert_int_equal(marks_files(f), 1);
    char latest[256];
    cx_latest(f, latest, sizeof latest);
    assert_true(latest[0] != '\0');
    /* Verified after the kill: not in corte 1's files, so not marked in it. */
    cx_election(f, 4, 0);
    assert_int_equal(prep_corte_recover(f->dir, f->st, &f->cat, &err), 0);
    assert_int_equal(recorded_cortes(f), 1);
    assert_int_equal(marks_files(f), 0);
    prep_acta a;
    for (int c = 0; c < 3; c++) {
        assert_int_equal(f->st->vt->acta_get(f->st, 0, c, &a, NULL, 0, &err), 0);
        assert_int_equal(a.corte, c < 2 ? 1 : 0);
        assert_int_equal(a.estado, c < 2 ? PREP_EST_PUBLICADA : PREP_EST_VERIFICADA);
    }
    last_log l;
    log_scan(f, 1, "corte.publica", &l);
    assert_int_equal(l.count, 1);
    cx_corte(f, 0, &info);
    assert_int_equal(info.numero, 2);
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 2, &a, NULL, 0, &err), 0);
    assert_int_equal(a.corte, 2);
    verify_all(f);
}

/* ---- Pages kept from the previous corte ---------------------------------- */

static ino_t page_ino(cfx *f, const prep_corte_info *c, const char *page)
{
    char rel[300], path[600];
    struct stat sb;
    snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/%s", c->dir, page);
    cx_path(f, rel, path, sizeof path);
    if (stat(path, &sb) != 0)
        fail_msg("%s: %s", path, strerror(errno));
    return sb.st_ino;
}

/* A sección page whose actas did not change is the previous corte's file,
 * hard-linked; one that changed, and every page that names the corte, is
 * written anew; every corte still verifies on its own. A page index that
 * does not match only means every page is written. */
static void test_unchanged_pages_are_linked(void **state)
{
    cfx *f = *state;
    static const char *const s100[] = {"DIP/09/seccion/100.html", "json/DIP/09/seccion/100.json"};
    static const char *const s200[] = {"DIP/09/seccion/200.html", "json/DIP/09/seccion/200.json"};
    prep_corte_info c[4];
    cx_election(f, 1 | 2 | 4 | 8, 0);
    cx_corte(f, 0, &c[0]);
    assert_int_equal(prep_corte_last_times.site_linked, 0);
    int64_t files = prep_corte_last_times.site_files;
    assert_true(files > 8);
    cx_election(f, 16, 0); /* sección 200 gets its sin acta */
    cx_corte(f, 0, &c[1]);
    assert_int_equal(prep_corte_last_times.site_files, files);
    assert_true(prep_corte_last_times.site_linked >= 2);
    /* The package copies the linked files' compressed bytes from the last one. */
    assert_int_equal(prep_corte_last_times.package_reused, prep_corte_last_times.site_linked);
    for (int j = 0; j < 2; j++) {
        assert_true(page_ino(f, &c[1], s100[j]) == page_ino(f, &c[0], s100[j]));
        assert_true(page_ino(f, &c[1], s200[j]) != page_ino(f, &c[0], s200[j]));
    }
    assert_true(page_ino(f, &c[1], "index.html") != page_ino(f, &c[0], "index.html"));
    assert_true(page_ino(f, &c[1], "DIP/09/index.html") != page_ino(f, &c[0], "DIP/09/index.html"));
    /* The linked page names no corte; the current one is left to prep.js. */
    char rel[300], path[600];
    snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/%s", c[1].dir, s100[0]);
    cx_path(f, rel, path, sizeof path);
    char *html = cx_read(path, NULL);
    assert_null(strstr(html, "Corte 1"));
    assert_non_null(strstr(html, "data-corte=\"../../../json/index.json\""));
    free(html);
    snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/%s", c[1].dir, s200[0]);
    cx_path(f, rel, path, sizeof path);
    html = cx_read(path, NULL);
    assert_non_null(strstr(html, "Sin acta"));
    free(html);
    /* Nothing new: every sección page is linked, and only the newest index is kept. */
    cx_corte(f, 0, &c[2]);
    for (int j = 0; j < 2; j++) {
        assert_true(page_ino(f, &c[2], s100[j]) == page_ino(f, &c[0], s100[j]));
        assert_true(page_ino(f, &c[2], s200[j]) == page_ino(f, &c[1], s200[j]));
    }
    char idx[300];
    snprintf(rel, sizeof rel, ".indice-%s", c[1].dir);
    cx_path(f, rel, idx, sizeof idx);
    assert_int_equal(prep_fs_exists(idx), 0);
    snprintf(rel, sizeof rel, ".indice-%s", c[2].dir);
    cx_path(f, rel, idx, sizeof idx);
    assert_int_equal(prep_fs_exists(idx), 1);
    /* A damaged index: nothing is linked, everything is right. */
    prep_err err = {0};
    assert_int_equal(prep_fs_write(idx, "PREPSIDX garbage", 16, 0, &err), 0);
    cx_corte(f, 0, &c[3]);
    assert_int_equal(prep_corte_last_times.site_linked, 0);
    assert_int_equal(prep_corte_last_times.package_reused, 0);
    assert_true(page_ino(f, &c[3], s100[0]) != page_ino(f, &c[2], s100[0]));
    /* What was linked (even the HTML linked for an unchanged JSON, without
     * being rendered) is byte for byte what a corte writes in full. */
    for (int j = 0; j < 2; j++)
        for (int k = 0; k < 2; k++) {
            const char *pg = k ? s200[j] : s100[j];
            char a[600], b[600];
            snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/%s", c[2].dir, pg);
            cx_path(f, rel, a, sizeof a);
            snprintf(rel, sizeof rel, "%s/" PREP_SITIO_DIR "/%s", c[3].dir, pg);
            cx_path(f, rel, b, sizeof b);
            size_t la, lb;
            char *da = cx_read(a, &la), *db = cx_read(b, &lb);
            assert_int_equal(la, lb);
            assert_memory_equal(da, db, la);
            free(da);
            free(db);
        }
    assert_int_equal(verify_all(f), 4);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_results_csv_by_hand, cx_setup, cx_teardown),
        cmocka_unit_test_setup_teardown(test_partial_corte, cx_setup, cx_teardown),
        cmocka_unit_test_setup_teardown(test_candidaturas_csv, cx_setup, cx_teardown),
        cmocka_unit_test_setup_teardown(test_pandas_reads_it, cx_setup, cx_teardown),
        cmocka_unit_test_setup_teardown(test_feed_lists_cortes_and_changes, cx_setup,
                                        cx_teardown),
        cmocka_unit_test_setup_teardown(test_corte_stopped_at_each_step, cx_setup, cx_teardown),
        cmocka_unit_test_setup_teardown(test_killed_corte_is_recovered_from_its_list, cx_setup,
                                        cx_teardown),
        cmocka_unit_test_setup_teardown(test_unchanged_pages_are_linked, cx_setup, cx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
