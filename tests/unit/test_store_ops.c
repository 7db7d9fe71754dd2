/* test_store_ops.c — the store (SQLite, or PostgreSQL under PREP_TEST_STORE)
 * and the ops layer together, on a real database: an acta's whole life, refusals that
 * leave nothing behind, the bitácora chain (and tampering with it), the
 * catalog freeze, status counts and publication marking, account changes. */
#include "test_util.h"
#include "test_store_fx.h"

#include <sodium.h>
#include <unistd.h>

#include "audit/chain.h"
#include "ops/ops.h"
#include "ops/users.h"
#include "store/store.h"

typedef t_fx fx;

static const prep_actor cap1 = {.user = 11, .nombre = "cap1", .rol = "captura", .station = "ccv-1"};
static const prep_actor cap2 = {.user = 12, .nombre = "cap2", .rol = "captura", .station = "ccv-2"};
static const prep_actor cap3 = {.user = 13, .nombre = "cap3", .rol = "captura", .station = "ccv-3"};
static const prep_actor ver = {.user = 20, .nombre = "ver", .rol = "verificacion", .station = "v-1"};

/* Walk the chain: returns the sequence of the first broken entry, 0 if whole. */
typedef struct {
    int64_t seq, broken;
    char hash[65];
} walk;

static int walk_cb(void *ctx, const prep_chain_entry *e)
{
    walk *w = ctx;
    char why[256];
    if (prep_chain_check(e, w->seq, w->hash, why, sizeof why) < 0) {
        w->broken = e->seq;
        return 1;
    }
    w->seq = e->seq;
    memcpy(w->hash, e->hash, 65);
    return 0;
}

static int64_t chain_broken_at(prep_store *st, int64_t *len)
{
    walk w = {0};
    prep_err err = {0};
    memcpy(w.hash, PREP_CHAIN_GENESIS, 65);
    st->vt->log_iter(st, 1, walk_cb, &w, &err);
    if (len)
        *len = w.seq;
    return w.broken;
}

static void begin(fx *f)
{
    prep_err err = {0};
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
}

static void commit(fx *f)
{
    prep_err err = {0};
    assert_int_equal(prep_store_commit(f->st, &err), 0);
}

static const char *sha_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *sha_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static prep_imagen image(int c, const char *sha, int origen)
{
    prep_imagen im = {.eleccion = 0, .casilla = c, .origen = origen,
                      .digitalizacion = origen == PREP_ORIGEN_CASILLA ? PREP_DIG_MOVIL
                                                                      : PREP_DIG_ESCANER,
                      .bytes = 1000, .recibida = 1717380000000, .user = 5};
    snprintf(im.sha, sizeof im.sha, "%s", sha);
    return im;
}

static void test_full_life(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_acta a;
    prep_val v[T_NFIELDS], got[T_NFIELDS];
    t_vals(v, T_NCOLS, 10, 20, 5, 30, 40, 1, 2, 3, 4, 6, 0, 2);
    begin(f);
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 0, 1000, &a, NULL, &err), 0);
    assert_int_equal(a.estado, PREP_EST_ACOPIADA);
    prep_imagen im = image(0, sha_a, PREP_ORIGEN_CATD);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, &a, NULL, &err), 0);
    assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 0, v, T_NFIELDS, 2000, &a, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap2, 0, 0, v, T_NFIELDS, 3000, &a, &err), 0);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    assert_int_equal(prep_ops_verifica(&f->o, &ver, 0, 0, 4000, &a, NULL, &err), 0);
    assert_int_equal(a.estado, PREP_EST_VERIFICADA);
    commit(f);
    /* Survives a reopen, with its values. */
    prep_store_close(f->st);
    assert_int_equal(prep_store_open(f->dir, &f->st, &err), 0);
    f->o.st = f->st;
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &a, got, T_NFIELDS, &err), 0);
    assert_int_equal(a.estado, PREP_EST_VERIFICADA);
    assert_int_equal(a.t_acopio, 1000);
    assert_int_equal(a.t_verificacion, 4000);
    assert_string_equal(a.imagen, sha_a);
    assert_memory_equal(got, v, sizeof v);
    int64_t published = 0;
    begin(f);
    assert_int_equal(prep_ops_publica(&f->o, &prep_actor_system, 1, 5000, &published, &err), 0);
    commit(f);
    assert_int_equal(published, 1);
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &a, NULL, 0, &err), 0);
    assert_int_equal(a.estado, PREP_EST_PUBLICADA);
    assert_int_equal(a.corte, 1);
    int64_t len;
    assert_int_equal(chain_broken_at(f->st, &len), 0);
    assert_int_equal(len, 6); /* 5 acta events + the corte */
}

static void test_discrepancy_and_third_capture(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_acta a;
    prep_val v[T_NFIELDS], w[T_NFIELDS], got[T_NFIELDS];
    t_vals(v, T_NCOLS, 10, 20, 5, 30, 40, 1, 2, 3, 4, 6, 0, 2);
    t_vals(w, T_NCOLS, 10, 20, 5, 30, 41, 1, 2, 3, 4, 6, 0, 2);
    begin(f);
    prep_imagen im = image(1, sha_a, PREP_ORIGEN_CASILLA);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, &a, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 1, v, T_NFIELDS, 2000, &a, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap2, 0, 1, w, T_NFIELDS, 2100, &a, &err), 0);
    assert_int_equal(a.estado, PREP_EST_DISCREPANCIA);
    assert_int_equal(prep_ops_captura(&f->o, &cap3, 0, 1, w, T_NFIELDS, 2200, &a, &err), 0);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    commit(f);
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 1, &a, got, T_NFIELDS, &err), 0);
    assert_memory_equal(got, w, sizeof w); /* the majority's values stand */
}

/* A refused operation inside a savepoint leaves no trace: same acta, same chain. */
static void test_refusals_change_nothing(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_acta a, before, after;
    prep_val v[T_NFIELDS];
    t_vals(v, T_NCOLS, 10, 20, 5, 30, 40, 1, 2, 3, 4, 6, 0, 2);
    begin(f);
    prep_imagen im = image(0, sha_a, PREP_ORIGEN_CATD);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, &a, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 0, v, T_NFIELDS, 2000, &a, &err), 0);
    commit(f);
    int64_t len0, len1;
    chain_broken_at(f->st, &len0);
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &before, NULL, 0, &err), 0);

    begin(f);
    /* same capturista twice */
    assert_int_equal(f->st->vt->savepoint(f->st, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 0, v, T_NFIELDS, 2100, &a, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    f->st->vt->rollback_to(f->st);
    /* verification before two captures */
    assert_int_equal(prep_ops_verifica(&f->o, &ver, 0, 0, 2200, &a, NULL, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    /* "-" where a column runs, and a number where it does not (distrito 2) */
    prep_val bad[T_NFIELDS];
    memcpy(bad, v, sizeof v);
    bad[PREP_F_COL0 + T_CI1] = PREP_V_NA;
    assert_int_equal(prep_ops_captura(&f->o, &cap2, 0, 0, bad, T_NFIELDS, 2300, &a, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(prep_ops_captura(&f->o, &cap2, 0, 0, v, T_NFIELDS - 1, 2300, &a, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    prep_imagen im3 = image(3, sha_b, PREP_ORIGEN_CATD);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im3, &a, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cap1, 0, 3, v, T_NFIELDS, 2400, &a, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    f->st->vt->rollback(f->st);
    /* unknown acta */
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 99, 1, &a, NULL, &err), -1);
    assert_int_equal(err.code, PREP_E_NOT_FOUND);

    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &after, NULL, 0, &err), 0);
    assert_memory_equal(&before, &after, sizeof before);
    assert_int_equal(chain_broken_at(f->st, &len1), 0);
    assert_int_equal(len1, len0);
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 3, &after, NULL, 0, &err), 1);
}

static void test_idempotent_repeats(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_acta a;
    int noop = 0;
    int64_t len0, len1;
    begin(f);
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 2, 1000, &a, &noop, &err), 0);
    assert_int_equal(noop, 0);
    prep_imagen im = image(2, sha_a, PREP_ORIGEN_CATD);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, &a, &noop, &err), 0);
    commit(f);
    chain_broken_at(f->st, &len0);
    begin(f);
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 2, 1500, &a, &noop, &err), 0);
    assert_int_equal(noop, 1);
    assert_int_equal(a.t_acopio, 1000);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im, &a, &noop, &err), 0);
    assert_int_equal(noop, 1);
    commit(f);
    chain_broken_at(f->st, &len1);
    assert_int_equal(len1, len0);
    /* A second, different image is kept but does not replace the active one. */
    begin(f);
    prep_imagen im2 = image(2, sha_b, PREP_ORIGEN_CASILLA);
    assert_int_equal(prep_ops_imagen(&f->o, &cap1, &im2, &a, &noop, &err), 0);
    assert_int_equal(noop, 0);
    assert_string_equal(a.imagen, sha_a);
    /* Rejecting the active image activates the other one. */
    assert_int_equal(prep_ops_rechaza_imagen(&f->o, &ver, 0, 2, 3000, &a, &err), 0);
    assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
    assert_string_equal(a.imagen, sha_b);
    assert_int_equal(a.origen, PREP_ORIGEN_CASILLA);
    commit(f);
    prep_imagen list[4];
    int n = 0;
    assert_int_equal(f->st->vt->imagen_list(f->st, 0, 2, list, 4, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(chain_broken_at(f->st, NULL), 0);
}

static void test_chain_tampering_detected(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    begin(f);
    for (int c = 0; c < 5; c++)
        assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, c, 1000 + c, NULL, NULL, &err), 0);
    commit(f);
    assert_int_equal(chain_broken_at(f->st, NULL), 0);
    /* The triggers refuse edits, deletions and truncation outright... */
    const char *upd = "UPDATE bitacora SET despues = 'x' WHERE seq = 3";
    assert_int_not_equal(t_store_sql(f->dir, upd, upd), 0);
    const char *del = "DELETE FROM bitacora WHERE seq = 3";
    assert_int_not_equal(t_store_sql(f->dir, del, del), 0);
    assert_int_not_equal(t_store_sql(f->dir, "DELETE FROM bitacora", "TRUNCATE bitacora"), 0);
    int64_t len = 0;
    assert_int_equal(chain_broken_at(f->st, &len), 0);
    assert_int_equal(len, 5);
    /* ...and someone who drops them is still caught by the chain. */
    assert_int_equal(t_store_sql(f->dir,
                                 "DROP TRIGGER bitacora_no_update;"
                                 "UPDATE bitacora SET despues = '{\"estado\":\"VERIFICADA\"}'"
                                 " WHERE seq = 3",
                                 "DROP TRIGGER bitacora_no_update ON bitacora;"
                                 "UPDATE bitacora SET despues = '{\"estado\":\"VERIFICADA\"}'"
                                 " WHERE seq = 3"),
                     0);
    assert_int_equal(chain_broken_at(f->st, NULL), 3);
}

static void test_catalog_frozen_after_first_acta(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    begin(f);
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 0, 1000, NULL, NULL, &err), 0);
    commit(f);
    assert_int_equal(prep_store_catalog_save(f->st, &f->cat, &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    prep_catalog back;
    assert_int_equal(prep_store_catalog_load(f->st, &back, &err), 0);
    char a[65], b[65];
    prep_catalog_fingerprint(&f->cat, a);
    prep_catalog_fingerprint(&back, b);
    assert_string_equal(a, b);
    prep_catalog_free(&back);
}

static void test_counts_sin_acta_and_fuera(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_acta a;
    begin(f);
    assert_int_equal(prep_ops_sin_acta(&f->o, &cap1, 0, 4, 2, 1000, &a, NULL, &err), 0);
    assert_int_equal(a.estado, PREP_EST_SIN_ACTA);
    assert_int_equal(prep_ops_acopio(&f->o, &cap1, 0, 3, 1000, &a, NULL, &err), 0);
    prep_fuera_catalogo fc;
    assert_int_equal(prep_ops_fuera_catalogo(&f->o, &cap1, 0, "099999B0100", 1200, &fc, NULL, &err), 0);
    /* registered again (a retry): the same registration, nothing new */
    prep_fuera_catalogo fc2;
    int noop = 0;
    assert_int_equal(prep_ops_fuera_catalogo(&f->o, &cap1, 0, "099999B0100", 1300, &fc2, &noop, &err), 0);
    assert_int_equal(noop, 1);
    assert_int_equal(fc2.id, fc.id);
    assert_int_equal(fc2.at, 1200);
    /* a clave of the catalog is not fuera de catálogo */
    assert_int_equal(prep_ops_fuera_catalogo(&f->o, &cap1, 0, "090100B0100", 1200, &fc, NULL, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    commit(f);
    int64_t counts[PREP_EST__COUNT];
    assert_int_equal(f->st->vt->acta_counts(f->st, 0, counts, &err), 0);
    assert_int_equal(counts[PREP_EST_SIN_ACTA], 1);
    assert_int_equal(counts[PREP_EST_ACOPIADA], 1);
    assert_int_equal(counts[PREP_EST_VERIFICADA], 0);
    int64_t published;
    begin(f);
    assert_int_equal(prep_ops_publica(&f->o, &prep_actor_system, 1, 2000, &published, &err), 0);
    commit(f);
    assert_int_equal(published, 1); /* the sin acta */
    begin(f);
    assert_int_equal(prep_ops_publica(&f->o, &prep_actor_system, 2, 3000, &published, &err), 0);
    commit(f);
    assert_int_equal(published, 0); /* nothing new */
}

/* The last bitácora entry's action (into buf), and how many entries there are. */
typedef struct {
    char action[40];
    int64_t n;
} last_entry;

static int last_cb(void *ctx, const prep_chain_entry *e)
{
    last_entry *l = ctx;
    snprintf(l->action, sizeof l->action, "%s", e->action);
    l->n++;
    return 0;
}

static last_entry last_log(fx *f)
{
    last_entry l = {"", 0};
    prep_err err = {0};
    assert_int_equal(f->st->vt->log_iter(f->st, 1, last_cb, &l, &err), 0);
    return l;
}

static int has_session(fx *f, const char *sha)
{
    int64_t uid;
    prep_time exp;
    prep_err err = {0};
    return f->st->vt->session_get(f->st, sha, &uid, &exp, NULL, &err) == 0;
}

static void test_account_changes(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_user u;
    int noop = -1;
    static const char hash[] = "$argon2id$v=19$m=65536,t=2,p=1$not-a-real-hash";
    const char *sha = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    begin(f);
    assert_int_equal(prep_user_create_hashed(&f->o, &ver, "ana", "captura", 1, 0, hash, &u, &err), 0);
    assert_int_equal(f->st->vt->session_put(f->st, sha, u.id, 1 << 30, "mesa-1", &err), 0);
    commit(f);
    int64_t n0 = last_log(f).n;
    /* role and CATD: one user.update; the session stays */
    prep_user_edit ed = {.rol = "verificacion", .catd = 2, .cae = -1, .activo = -1};
    begin(f);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &ed, &u, &noop, &err), 0);
    commit(f);
    assert_int_equal(noop, 0);
    assert_string_equal(u.rol, "verificacion");
    assert_int_equal(u.catd, 2);
    assert_string_equal(last_log(f).action, "user.update");
    assert_int_equal(last_log(f).n, n0 + 1);
    assert_true(has_session(f, sha));
    /* the same again: a no-op, nothing logged */
    begin(f);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &ed, &u, &noop, &err), 0);
    commit(f);
    assert_int_equal(noop, 1);
    assert_int_equal(last_log(f).n, n0 + 1);
    /* refusals write nothing */
    prep_user_edit bad_cae = {.rol = "cae", .catd = -1, .cae = -1, .activo = -1};
    prep_user_edit bad_catd = {.catd = 100000, .cae = -1, .activo = -1};
    prep_user_edit self_off = {.catd = -1, .cae = -1, .activo = 0};
    prep_user_edit self_rol = {.rol = "admin", .catd = -1, .cae = -1, .activo = -1};
    prep_actor ana = {.user = u.id, .nombre = "ana", .rol = "verificacion", .station = "x"};
    begin(f);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &bad_cae, &u, &noop, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &bad_catd, &u, &noop, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(prep_user_change(&f->o, &ana, "ana", &self_off, &u, &noop, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    assert_int_equal(prep_user_change(&f->o, &ana, "ana", &self_rol, &u, &noop, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    assert_int_equal(prep_user_change(&f->o, &ver, "nadie", &ed, &u, &noop, &err), -1);
    assert_int_equal(err.code, PREP_E_NOT_FOUND);
    commit(f);
    assert_int_equal(last_log(f).n, n0 + 1);
    /* a new password: user.password, the session is closed */
    prep_user_edit pw = {.catd = -1, .cae = -1, .activo = -1, .pwhash = "$argon2id$other"};
    begin(f);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &pw, &u, &noop, &err), 0);
    commit(f);
    assert_string_equal(last_log(f).action, "user.password");
    assert_false(has_session(f, sha));
    /* disable, enable: their own actions */
    begin(f);
    assert_int_equal(f->st->vt->session_put(f->st, sha, u.id, 1 << 30, "mesa-1", &err), 0);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &self_off, &u, &noop, &err), 0);
    commit(f);
    assert_string_equal(last_log(f).action, "user.disable");
    assert_false(has_session(f, sha));
    prep_user_edit on = {.catd = -1, .cae = -1, .activo = 1};
    begin(f);
    assert_int_equal(prep_user_change(&f->o, &ver, "ana", &on, &u, &noop, &err), 0);
    commit(f);
    assert_string_equal(last_log(f).action, "user.enable");
    assert_int_equal(u.activo, 1);
    assert_int_equal(chain_broken_at(f->st, NULL), 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_life, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_discrepancy_and_third_capture, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_idempotent_repeats, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_chain_tampering_detected, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_frozen_after_first_acta, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_counts_sin_acta_and_fuera, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_account_changes, t_fx_setup_plain, t_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
