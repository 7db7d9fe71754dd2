/* test_corte_fx.h — fixture of the corte tests: a real data directory (store,
 * signing key, image store) holding the hand-made catalog of test_util.h,
 * and helpers that drive actas through the ops layer exactly as the HTTP
 * API does (acopio, image, two equal captures, verification; sin acta;
 * fuera de catálogo), then read the published files back.
 * Header-only (static inline), like test_util.h. */
#ifndef PREP_TEST_CORTE_FX_H
#define PREP_TEST_CORTE_FX_H

#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/rules.h"
#include "images/imgstore.h"
#include "ops/ops.h"
#include "publish/corte.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "publish/names.h"
#include "store/store.h"
#include "util/hash.h"

/* 2024-06-02 14:00:00 UTC-6 */
#define T0 ((prep_time)1717358400000LL)
#define MIN ((prep_time)60000)

typedef struct {
    char dir[64];
    prep_store *st;
    prep_catalog cat;
    prep_ops o;
    char sha[5][65]; /* image of each casilla, once stored */
} cfx;

static const prep_actor cx_cap1 = {.user = 11, .nombre = "cap1", .rol = "captura", .station = "s1"};
static const prep_actor cx_cap2 = {.user = 12, .nombre = "cap2", .rol = "captura", .station = "s2"};
static const prep_actor cx_ver = {.user = 20, .nombre = "ver", .rol = "verificacion", .station = "v"};

/* test_util.h's catalog, made valid as catálogo files too (the corte
 * publishes its catalog, and `prep verify` reads it back): in distrito 1
 * the coalition's parties and combinations share its one candidatura. */
static inline void cx_catalog(prep_catalog *cat)
{
    prep_err err = {0};
    t_catalog_fill(cat);
    prep_eleccion *el = &cat->elecciones[0];
    for (int i = 0; i < el->ncandidaturas; i++) {
        prep_candidatura *k = &el->candidaturas[i];
        int c = k->col;
        if (k->unidad == 0 && (c <= T_PRD || (c >= T_PAN_PRI_PRD && c <= T_PRI_PRD))) {
            snprintf(k->propietaria, sizeof k->propietaria, "PROPIETARIA COALICION D1");
            snprintf(k->suplente, sizeof k->suplente, "SUPLENTE COALICION D1");
        }
    }
    if (prep_catalog_finish(cat, &err) != 0)
        fail_msg("test catalog does not finish: %s", err.msg);
}

static inline int cx_setup(void **state)
{
    cfx *f = calloc(1, sizeof *f);
    prep_err err = {0};
    int created;
    snprintf(f->dir, sizeof f->dir, "/tmp/prep-corte-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(prep_store_create(f->dir, NULL, &err), 0);
    assert_int_equal(prep_store_open(f->dir, &f->st, &err), 0);
    assert_int_equal(prep_keys_ensure(f->dir, &created, &err), 0);
    cx_catalog(&f->cat);
    assert_int_equal(prep_store_catalog_save(f->st, &f->cat, &err), 0);
    f->o.st = f->st;
    f->o.cat = &f->cat;
    *state = f;
    return 0;
}

static inline int cx_teardown(void **state)
{
    cfx *f = *state;
    char cmd[128];
    prep_corte_fail_after = NULL;
    prep_corte_kill_simulate = 0;
    prep_store_close(f->st);
    prep_catalog_free(&f->cat);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static inline void cx_begin(cfx *f)
{
    prep_err err = {0};
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
}

static inline void cx_commit(cfx *f)
{
    prep_err err = {0};
    assert_int_equal(prep_store_commit(f->st, &err), 0);
}

/* Acopio at t, a scanned image (a PNG header — a JPEG one for casilla 1,
 * as phones send — and the clave, stored in the image store), captures at
 * t+1 and t+2 min, verification at t+3 min. */
static inline void cx_verified(cfx *f, int c, const prep_val *v, prep_time t)
{
    prep_err err = {0};
    unsigned char img[64] = "\x89PNG\r\n\x1a\n";
    if (c == 1)
        memcpy(img, "\xFF\xD8\xFF\xE0\0\x10JFIF", 10);
    memcpy(img + 8, f->cat.casillas[c].clave, PREP_CLAVE_CASILLA_LEN);
    prep_sha256_hex(img, sizeof img, f->sha[c]);
    assert_int_equal(prep_img_put(f->dir, f->sha[c], img, sizeof img, &err), 0);
    prep_imagen im = {.eleccion = 0, .casilla = c, .origen = PREP_ORIGEN_CATD,
                      .digitalizacion = PREP_DIG_ESCANER, .bytes = sizeof img,
                      .recibida = t + 30000, .user = 5};
    memcpy(im.sha, f->sha[c], 65);
    cx_begin(f);
    assert_int_equal(prep_ops_acopio(&f->o, &cx_cap1, 0, c, t, NULL, NULL, &err), 0);
    assert_int_equal(prep_ops_imagen(&f->o, &cx_cap1, &im, NULL, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cx_cap1, 0, c, v, T_NFIELDS, t + MIN, NULL, &err), 0);
    assert_int_equal(prep_ops_captura(&f->o, &cx_cap2, 0, c, v, T_NFIELDS, t + 2 * MIN, NULL, &err),
                     0);
    assert_int_equal(prep_ops_verifica(&f->o, &cx_ver, 0, c, t + 3 * MIN, NULL, NULL, &err), 0);
    cx_commit(f);
}

static inline void cx_sin_acta(cfx *f, int c, int motivo, prep_time t)
{
    prep_err err = {0};
    cx_begin(f);
    assert_int_equal(prep_ops_sin_acta(&f->o, &cx_cap1, 0, c, motivo, t, NULL, NULL, &err), 0);
    cx_commit(f);
}

static inline void cx_fuera(cfx *f, const char *ident, prep_time t)
{
    prep_err err = {0};
    prep_fuera_catalogo fc;
    cx_begin(f);
    assert_int_equal(prep_ops_fuera_catalogo(&f->o, &cx_cap1, 0, ident, t, &fc, NULL, &err), 0);
    cx_commit(f);
}

/* The hand-computed election (every number below is worked out in
 * test_corte.c's comment). mask: bit c = register casilla c. */
static inline void cx_election(cfx *f, unsigned mask, int fuera)
{
    prep_val v[T_NFIELDS];
    const int NA = PREP_V_NA, IL = PREP_V_ILEGIBLE, SD = PREP_V_SIN_DATO;
    if (mask & 1) { /* 090100B0100: 430 votes, contabilizada */
        t_vals(v, T_NCOLS, 100, 50, 20, 30, 200, 5, 3, 2, 1, 10, 1, 8);
        cx_verified(f, 0, v, T0);
    }
    if (mask & 2) { /* 090100C0100: Ilegible and Sin dato, 210 votes, contabilizada */
        t_vals(v, T_NCOLS, IL, 40, SD, 10, 150, 0, 0, 0, 0, 5, 0, 5);
        cx_verified(f, 1, v, T0 + 10 * MIN);
    }
    if (mask & 4) { /* 090100S0100 especial: 150 votes, contabilizada */
        t_vals(v, T_NCOLS, 50, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0);
        cx_verified(f, 2, v, T0 + 20 * MIN);
    }
    if (mask & 8) { /* 090200B0100: 700 > 600 + 8, excede lista nominal */
        t_vals(v, T_NCOLS, 0, 0, 0, 0, 700, NA, NA, NA, NA, NA, 0, 0);
        cx_verified(f, 3, v, T0 + 30 * MIN);
    }
    if (mask & 16) /* 090200C0100: casilla no instalada */
        cx_sin_acta(f, 4, PREP_SIN_ACTA_NO_INSTALADA, T0 + 40 * MIN);
    if (fuera)
        cx_fuera(f, "099999B0100", T0 + 50 * MIN);
}

static inline void cx_corte(cfx *f, int final, prep_corte_info *info)
{
    prep_err err = {0};
    int rc = prep_corte_run(f->dir, f->st, &f->cat, final, info, &err);
    if (rc != 0)
        fail_msg("corte failed: %s", err.msg);
}

/* DATA/cortes/<rel> */
static inline void cx_path(const cfx *f, const char *rel, char *out, size_t cap)
{
    if ((size_t)snprintf(out, cap, "%s/" PREP_CORTES_DIR "/%s", f->dir, rel) >= cap)
        fail_msg("path too long: %s", rel);
}

/* Whole file (NUL-terminated), *len its size. */
static inline char *cx_read(const char *path, size_t *len)
{
    char *data = NULL;
    size_t n = 0;
    prep_err err = {0};
    if (prep_fs_read(path, &data, &n, 0, &err) != 0)
        fail_msg("%s", err.msg);
    if (len)
        *len = n;
    return data;
}

/* Where DATA/cortes/latest points ("" when it does not exist). */
static inline void cx_latest(const cfx *f, char *out, size_t cap)
{
    char lnk[256];
    cx_path(f, PREP_LATEST, lnk, sizeof lnk);
    ssize_t n = readlink(lnk, out, cap - 1);
    out[n > 0 ? n : 0] = '\0';
}

#endif
