/* test_verify.c — `prep verify` (publish/verify.h) against real cortes: the
 * round trip of a corte directory and of its difusor package; a flipped
 * byte in any file, a missing or an extra file, a wrong key; and forgeries
 * that keep every hash right (the MANIFEST rewritten and re-signed with the
 * institute's own key) but change a vote, a summary field, corte.json or a
 * ZIP — caught by recomputing, with the file, line and field named. */
#include "test_corte_fx.h"

#include <fcntl.h>
#include <sodium.h>

#include "publish/manifest.h"
#include "publish/verify.h"

typedef struct {
    cfx *f;
    prep_corte_info info;
    char corte[512];     /* DATA/cortes/<dir> */
    char paquete[512];   /* DATA/cortes/paquetes/<dir>.zip */
    uint8_t pk[32];
} vfx;

static int setup_form(void **state, int formato)
{
    cx_setup(state);
    ((cfx *)*state)->cat.formato = formato;
    vfx *v = calloc(1, sizeof *v);
    v->f = *state;
    cx_election(v->f, 31, 1);
    cx_corte(v->f, 0, &v->info);
    char rel[300];
    cx_path(v->f, v->info.dir, v->corte, sizeof v->corte);
    snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.zip", v->info.dir);
    cx_path(v->f, rel, v->paquete, sizeof v->paquete);
    prep_err err = {0};
    assert_int_equal(prep_keys_public(v->f->dir, v->pk, &err), 0);
    *state = v;
    return 0;
}

static int setup(void **state)
{
    return setup_form(state, PREP_FORMATO_INE);
}

/* The same election published in IECM's form (csv_form.h). */
static int setup_iecm(void **state)
{
    return setup_form(state, PREP_FORMATO_IECM);
}

static int teardown(void **state)
{
    vfx *v = *state;
    *state = v->f;
    free(v);
    return cx_teardown(state);
}

static int verify(const char *path, const uint8_t *pk, prep_err *err)
{
    prep_verify_result r;
    memset(err, 0, sizeof *err);
    return prep_verify(path, pk, &r, err);
}

static void assert_ok(const char *path, const uint8_t *pk)
{
    prep_err err;
    if (verify(path, pk, &err) != 0)
        fail_msg("%s should verify: %s", path, err.msg);
}

/* Fails, and the message holds `needle`. */
static void assert_fails(const char *path, const uint8_t *pk, const char *needle)
{
    prep_err err;
    if (verify(path, pk, &err) == 0)
        fail_msg("%s verified, but should fail with '%s'", path, needle);
    if (needle && !strstr(err.msg, needle))
        fail_msg("%s: '%s' does not mention '%s'", path, err.msg, needle);
}

static void flip(const char *path, off_t at)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    unsigned char b;
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
}

static off_t size_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void test_round_trip(void **state)
{
    vfx *v = *state;
    prep_verify_result r;
    prep_err err = {0};
    assert_int_equal(prep_verify(v->corte, NULL, &r, &err), 0);
    assert_int_equal(r.key_given, 0);
    char hex[65];
    prep_hex(v->pk, 32, hex);
    assert_string_equal(r.pk_hex, hex);
    assert_string_equal(r.manifest_sha, v->info.manifest_sha);
    assert_string_equal(r.dir, v->info.dir);
    assert_int_equal(r.numero, v->info.numero);
    assert_int_equal(r.elecciones, 1);
    assert_int_equal(r.filas, 6);
    assert_true(r.files > 10);
    long files = r.files;
    /* The package: the same corte, plus its four new images. */
    assert_int_equal(prep_verify(v->paquete, v->pk, &r, &err), 0);
    assert_int_equal(r.key_given, 1);
    assert_int_equal(r.files, files);
    assert_int_equal(r.images, 4);
    assert_int_equal(r.filas, 6);
    /* A trailing slash is the same directory; `latest` names its corte. */
    char other[700];
    snprintf(other, sizeof other, "%s/", v->corte);
    assert_ok(other, v->pk);
    cx_path(v->f, PREP_LATEST, other, sizeof other);
    assert_ok(other, v->pk);
    /* A package keeps verifying when a difusor renames the file. */
    snprintf(other, sizeof other, "%s/paquete-renombrado.zip", v->f->dir);
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", v->paquete, other);
    assert_int_equal(system(cmd), 0);
    assert_ok(other, v->pk);
}

static void test_wrong_key_refused(void **state)
{
    vfx *v = *state;
    uint8_t other[32], sk[64];
    crypto_sign_keypair(other, sk);
    assert_fails(v->corte, other, "not the key given");
    assert_fails(v->paquete, other, "not the key given");
}

/* Flip one byte of every file of the corte, one at a time: each is caught
 * and named; restored, the corte verifies again. */
static void test_flipped_byte_in_any_file(void **state)
{
    vfx *v = *state;
    char mpath[600], path[1200];
    snprintf(mpath, sizeof mpath, "%s/" PREP_MANIFEST, v->corte);
    size_t len;
    char *text = cx_read(mpath, &len);
    prep_manifest m;
    prep_err err = {0};
    prep_manifest_init(&m);
    assert_int_equal(prep_manifest_parse(text, len, &m, &err), 0);
    free(text);
    assert_true(m.n > 10);
    for (size_t i = 0; i <= m.n + 1; i++) {
        const char *rel = i < m.n ? m.e[i].path : i == m.n ? PREP_MANIFEST : PREP_MANIFEST_SIG;
        snprintf(path, sizeof path, "%s/%s", v->corte, rel);
        off_t at = size_of(path) / 2;
        flip(path, at);
        /* Listed files are named; a flipped MANIFEST or signature breaks
         * the signature (or the MANIFEST's own format). */
        assert_fails(v->corte, NULL, i < m.n ? rel : PREP_MANIFEST);
        flip(path, at);
    }
    prep_manifest_free(&m);
    assert_ok(v->corte, v->pk);
    /* The package: bytes flipped in the middle of its entries. */
    off_t n = size_of(v->paquete);
    for (int k = 1; k <= 4; k++) {
        flip(v->paquete, n * k / 5);
        assert_fails(v->paquete, v->pk, NULL);
        flip(v->paquete, n * k / 5);
    }
    assert_ok(v->paquete, v->pk);
}

static void test_missing_and_extra_files(void **state)
{
    vfx *v = *state;
    char path[700], moved[700];
    snprintf(path, sizeof path, "%s/datos/DIP/LEEME.txt", v->corte);
    snprintf(moved, sizeof moved, "%s/../LEEME.txt.aparte", v->corte);
    assert_int_equal(rename(path, moved), 0);
    assert_fails(v->corte, v->pk, "datos/DIP/LEEME.txt is listed in the MANIFEST but missing");
    assert_int_equal(rename(moved, path), 0);
    snprintf(path, sizeof path, "%s/sitio/extra.html", v->corte);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    close(fd);
    assert_fails(v->corte, v->pk, "sitio/extra.html is not listed in the MANIFEST");
    assert_int_equal(unlink(path), 0);
    assert_ok(v->corte, v->pk);
    /* Not a corte at all. */
    assert_fails(v->f->dir, NULL, "not a corte");
}

/* ---- Forgeries with correct hashes and signature ------------------------- */

/* Rewrite a file of the corte, then the MANIFEST and its signature with the
 * institute's key, as an insider would. */
static void forge(vfx *v, const char *rel, const char *from, const char *to)
{
    char path[800];
    prep_err err = {0};
    snprintf(path, sizeof path, "%s/%s", v->corte, rel);
    size_t len;
    char *text = NULL;
    assert_int_equal(prep_fs_read(path, &text, &len, 0, &err), 0);
    const char *at = strstr(text, from);
    assert_non_null(at);
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_append(&b, text, (size_t)(at - text));
    prep_buf_puts(&b, to);
    prep_buf_puts(&b, at + strlen(from));
    assert_int_equal(prep_fs_write(path, b.data, b.len, 0, &err), 0);
    prep_buf_free(&b);
    free(text);

    prep_manifest m;
    prep_manifest_init(&m);
    assert_int_equal(prep_manifest_scan(&m, v->corte, &err), 0);
    prep_buf mt;
    prep_buf_init(&mt);
    assert_int_equal(prep_manifest_text(&m, &mt, &err), 0);
    snprintf(path, sizeof path, "%s/" PREP_MANIFEST, v->corte);
    assert_int_equal(prep_fs_write(path, mt.data, mt.len, 0, &err), 0);
    uint8_t pk[32], sk[64], sig[64];
    char hex[130];
    assert_int_equal(prep_keys_load(v->f->dir, pk, sk, &err), 0);
    prep_sign(sk, mt.data, mt.len, sig);
    prep_hex(sig, 64, hex);
    strcat(hex, "\n");
    snprintf(path, sizeof path, "%s/" PREP_MANIFEST_SIG, v->corte);
    assert_int_equal(prep_fs_write(path, hex, strlen(hex), 0, &err), 0);
    prep_buf_free(&mt);
    prep_manifest_free(&m);
}

#define CSV "datos/DIP/CDMX_DIP_2024.csv"

static void test_forged_vote_caught(void **state)
{
    vfx *v = *state;
    /* One more vote for PAN in 090100B0100 (its row starts with the clave). */
    forge(v, CSV, "'090100B01002',9,CIUDAD DE MEXICO,1,DISTRITO 1,100,1,B,0,1,2,0,0,0,0,100,",
          "'090100B01002',9,CIUDAD DE MEXICO,1,DISTRITO 1,100,1,B,0,1,2,0,0,0,0,101,");
    assert_fails(v->corte, v->pk, CSV " line 8 (090100B0100): TOTAL_VOTOS_CALCULADO is '430', "
                                  "expected '431'");
}

static void test_forged_summary_caught(void **state)
{
    vfx *v = *state;
    forge(v, CSV, ",900,790,640,71.1111\r\n", ",900,790,640,71.1112\r\n");
    assert_fails(v->corte, v->pk,
                 CSV " line 5: PORCENTAJE_PARTICIPACION_CIUDADANA is 71.1112 in the header, "
                     "the rows give 71.1111");
}

static void test_forged_row_and_total_caught(void **state)
{
    vfx *v = *state;
    /* Moving the excede acta to contabilizada, total and all: the rule
     * (700 > 600 + 8) is applied again from the row's own numbers. */
    forge(v, CSV, ",700,600,8,EXCEDE LISTA NOMINAL,0,", ",700,600,8,,1,");
    assert_fails(v->corte, v->pk, "(090200B0100): OBSERVACIONES is '', expected 'EXCEDE LISTA");
}

static void test_forged_corte_json_caught(void **state)
{
    vfx *v = *state;
    forge(v, PREP_CORTE_JSON, "\"ACTAS_CONTABILIZADAS\": 3", "\"ACTAS_CONTABILIZADAS\": 4");
    assert_fails(v->corte, v->pk, "corte.json: DIP resumen ACTAS_CONTABILIZADAS is '4'");
}

static void test_forged_candidatura_caught(void **state)
{
    vfx *v = *state;
    forge(v, "datos/DIP/CDMX_DIP_CANDIDATURAS_2024.csv", "PROPIETARIA D2 C4", "OTRA PERSONA");
    assert_fails(v->corte, v->pk, "CDMX_DIP_CANDIDATURAS_2024.csv does not list the candidaturas");
}

/* The ZIP must hold the CSV that was published beside it. */
static void test_zip_with_other_bytes_caught(void **state)
{
    vfx *v = *state;
    char zrel[PREP_NAME_CAP], dst[800];
    prep_path_zip(&v->f->cat, 0, v->info.at, zrel);
    /* The same three files with one byte more in LEEME.txt, zipped again. */
    snprintf(dst, sizeof dst, "%s/%s", v->corte, zrel);
    char cmd[2400];
    snprintf(cmd, sizeof cmd,
             "set -e; d=$(mktemp -d); cp '%s/datos/DIP/'* \"$d\"/; "
             "printf x >> \"$d\"/LEEME.txt; rm -f '%s'; (cd \"$d\" && zip -q -X '%s' "
             "CDMX_DIP_2024.csv CDMX_DIP_CANDIDATURAS_2024.csv LEEME.txt); rm -rf \"$d\"",
             v->corte, dst, dst);
    assert_int_equal(system(cmd), 0);
    forge(v, PREP_CORTE_JSON, "\"formato\": 1", "\"formato\": 1"); /* re-sign only */
    assert_fails(v->corte, v->pk, "LEEME.txt differs from datos/DIP/LEEME.txt");
}

/* IECM's form verifies, and a copy edited back towards the INE form (or
 * broken) in any one of its conventions is refused with the reason. */
static void test_iecm_form_round_trip_and_forgeries(void **state)
{
    vfx *v = *state;
    assert_ok(v->corte, v->pk);
    char path[800], zip[PREP_NAME_CAP];
    size_t len;
    snprintf(path, sizeof path, "%s/" CSV, v->corte);
    char *text = cx_read(path, &len);
    assert_true(memcmp(text, "\"DIPUTACIONES LOCALES\"\n", 23) == 0); /* no BOM, LF */
    assert_non_null(strstr(text, "\n090100B0100,090100B0100B01,09,\"CIUDAD DE MEXICO\",001,0100,01,B,00,01,2,"));
    assert_non_null(strstr(text, ",\"ILEGIBLE \","));
    assert_non_null(strstr(text, "\"SIN ACTA\""));
    assert_non_null(strstr(text, " (UTC-6)\","));
    assert_null(strstr(text, "COTEJADA"));
    free(text);
    prep_path_zip(&v->f->cat, 0, v->info.at, zip);
    snprintf(path, sizeof path, "unzip -Z1 '%s/%s' | tr '\\n' ' ' | grep -qx 'CDMX_DIP_2024.csv "
                                "CDMX_DIP_CANDIDATURAS_2024.csv leeme.txt '", v->corte, zip);
    assert_int_equal(system(path), 0);

    static const struct { const char *from, *to, *why; } bad[] = {
        {"\"DIPUTACIONES", "\xEF\xBB\xBF\"DIPUTACIONES", "starts with a BOM"},
        {"(UTC-6)\"\n", "(UTC-6)\"\r\n", "line ending with CR"},
        {"\n090100B0100,", "\n'090100B0100',", "is not a clave like 090123B0100"},
        {" (UTC-6)\",", "\",", "is not dd/mm/AAAA HH:MM:SS (UTC-6)"},
        {"\"ILEGIBLE \"", "Ilegible", "'Ilegible' is not a number"},
        {",0100,01,B,00,", ",100,01,B,00,", "SECCION is '100', expected '0100'"},
        {"\"\t\",\"\t\"", ",", "line 3 should be four tab cells"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char keep[816];
        snprintf(path, sizeof path, "%s/" CSV, v->corte);
        snprintf(keep, sizeof keep, "%s.keep", path);
        assert_int_equal(rename(path, keep), 0);
        char cmd[1700];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", keep, path);
        assert_int_equal(system(cmd), 0);
        forge(v, CSV, bad[i].from, bad[i].to);
        assert_fails(v->corte, v->pk, bad[i].why);
        assert_int_equal(rename(keep, path), 0);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flipped_byte_in_any_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_extra_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_vote_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_summary_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_row_and_total_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_corte_json_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_candidatura_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_with_other_bytes_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iecm_form_round_trip_and_forgeries, setup_iecm,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
