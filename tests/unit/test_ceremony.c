/* test_ceremony.c — opening and closing of publication on a real data
 * directory: what the records state, signatures that catch an altered
 * record, and every refusal (second opening, actas already captured, broken
 * bitácora, closing unopened or twice, cortes after the close) leaving no
 * record and no bitácora entry behind. */
#include "test_util.h"
#include "test_store_fx.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ceremony/ceremony.h"
#include "ops/ops.h"
#include "publish/corte.h"
#include "publish/keys.h"
#include "store/store.h"
#include "util/version.h"

typedef t_fx fx;

static const prep_actor cap1 = {.user = 11, .nombre = "cap1", .rol = "captura", .station = "ccv-1"};

static int64_t log_len(fx *f)
{
    int64_t seq;
    char head[65];
    prep_err err = {0};
    assert_int_equal(f->st->vt->log_head(f->st, &seq, head, &err), 0);
    return seq;
}

static char *slurp(fx *f, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/cortes/ceremonia/%s", f->dir, name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

static int open_(fx *f, prep_err *err)
{
    prep_ceremony_facts facts;
    char dir[512];
    prep_ceremony_people who = {"UAM Iztapalapa", "Notaría 123", ""};
    return prep_ceremony_open(f->dir, f->st, &f->cat, &who, &facts, dir, sizeof dir, err);
}

static int close_(fx *f, prep_ceremony_facts *facts, prep_err *err)
{
    char dir[512];
    return prep_ceremony_close(f->dir, f->st, &f->cat, NULL, facts, dir, sizeof dir, err);
}

static void test_open_records_what_it_checked(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    int64_t before = log_len(f);
    assert_int_equal(open_(f, &err), 0);
    assert_int_equal(log_len(f), before + 1);
    const char *txt = slurp(f, "apertura.txt");
    assert_non_null(txt);
    char fp[65], pkhex[65];
    prep_catalog_fingerprint(&f->cat, fp);
    uint8_t pk[32];
    assert_int_equal(prep_keys_public(f->dir, pk, &err), 0);
    for (int i = 0; i < 32; i++)
        snprintf(pkhex + 2 * i, 3, "%02x", pk[i]);
    assert_non_null(strstr(txt, "Acta de apertura"));
    assert_non_null(strstr(txt, prep_binary_sha256()));
    assert_non_null(strstr(txt, fp));
    assert_non_null(strstr(txt, pkhex));
    assert_non_null(strstr(txt, "Ninguna acta"));
    assert_non_null(strstr(txt, "UAM Iztapalapa"));
    assert_non_null(slurp(f, "apertura.html"));
    assert_non_null(strstr(slurp(f, "apertura.html"), "<h1>Acta de apertura"));
    int n = 0;
    assert_int_equal(prep_ceremony_verify(f->dir, NULL, &n, &err), 0);
    assert_int_equal(n, 1);
    /* A second opening is refused and writes nothing. */
    before = log_len(f);
    assert_int_equal(open_(f, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    assert_non_null(strstr(err.msg, "already opened"));
    assert_int_equal(log_len(f), before);
}

static void test_altered_record_detected(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    assert_int_equal(open_(f, &err), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/cortes/ceremonia/apertura.txt", f->dir);
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, 10, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, 10, SEEK_SET);
    fputc(c ^ 1, fp);
    fclose(fp);
    int n = 0;
    assert_int_equal(prep_ceremony_verify(f->dir, NULL, &n, &err), -1);
    assert_int_equal(err.code, PREP_E_CORRUPT);
    assert_non_null(strstr(err.msg, "apertura.txt"));
}

static void test_open_refused_after_capture(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_val v[T_NFIELDS];
    t_vals(v, T_NCOLS, 10, 20, 5, 30, 40, 1, 2, 3, 4, 6, 0, 2);
    prep_imagen im = {.eleccion = 0, .casilla = 0, .origen = PREP_ORIGEN_CATD,
                      .digitalizacion = PREP_DIG_ESCANER, .bytes = 10, .recibida = 1000, .user = 5};
    memset(im.sha, 'a', 64);
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, NULL, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 0, v, T_NFIELDS, 2000, NULL, &err), 0);
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    int64_t before = log_len(f);
    assert_int_equal(open_(f, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    assert_non_null(strstr(err.msg, "CAPTURADA"));
    assert_int_equal(log_len(f), before);
    assert_null(slurp(f, "apertura.txt"));
}

static void test_open_refused_on_broken_chain(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    for (int c = 0; c < 3; c++)
        assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, c, 1000 + c, NULL, NULL, &err), 0);
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    assert_int_equal(t_store_sql(f->dir,
                                 "DROP TRIGGER bitacora_no_update;"
                                 "UPDATE bitacora SET despues = 'x' WHERE seq = 2",
                                 "DROP TRIGGER bitacora_no_update ON bitacora;"
                                 "UPDATE bitacora SET despues = 'x' WHERE seq = 2"),
                     0);
    assert_int_equal(open_(f, &err), -1);
    assert_int_equal(err.code, PREP_E_CORRUPT);
    assert_non_null(strstr(err.msg, "broken"));
    assert_null(slurp(f, "apertura.txt"));
}

static void test_close_takes_final_corte(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_ceremony_facts facts;
    /* Closing what was never opened is refused. */
    assert_int_equal(close_(f, &facts, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    assert_non_null(strstr(err.msg, "never opened"));
    assert_int_equal(open_(f, &err), 0);
    prep_corte_info c1;
    assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &c1, &err), 0);
    assert_int_equal(close_(f, &facts, &err), 0);
    assert_int_equal(facts.ncortes, 2);
    assert_int_equal(facts.primero.numero, c1.numero);
    assert_int_equal(facts.ultimo.final, 1);
    assert_int_equal(facts.el[0].nresumen, 13);
    assert_string_equal(facts.el[0].resumen[0][0], "ACTAS_ESPERADAS");
    const char *txt = slurp(f, "cierre.txt");
    assert_non_null(txt);
    assert_non_null(strstr(txt, "Acta de cierre"));
    assert_non_null(strstr(txt, facts.ultimo.manifest_sha));
    assert_non_null(strstr(txt, "PORCENTAJE_PARTICIPACION_CIUDADANA"));
    int n = 0;
    assert_int_equal(prep_ceremony_verify(f->dir, NULL, &n, &err), 0);
    assert_int_equal(n, 2);
    /* Publication is over: no second closing, no more cortes. */
    int64_t before = log_len(f);
    assert_int_equal(close_(f, &facts, &err), -1);
    assert_non_null(strstr(err.msg, "already closed"));
    assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &c1, &err), -1);
    assert_int_equal(log_len(f), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_records_what_it_checked, t_fx_setup_keys, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_altered_record_detected, t_fx_setup_keys, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_refused_after_capture, t_fx_setup_keys, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_refused_on_broken_chain, t_fx_setup_keys, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_close_takes_final_corte, t_fx_setup_keys, t_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
