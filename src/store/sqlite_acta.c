/* sqlite_acta.c — acta rows, their captures and their images' metadata.
 * An acta with no row is ESPERADA; rows appear with the first event. The
 * standing values and captures are stored as the compact text of
 * prep_vals_encode(), which keeps "Ilegible", "Sin dato" and "-" readable
 * to anyone inspecting the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

#define ACTA_COLS                                                                            \
    "eleccion, casilla, estado, ronda, ncapturas, cap1, cap2, cap3, elegida, sin_acta_motivo," \
    " cotejo, imagen, origen, digitalizacion, t_acopio, t_imagen, t_captura, t_verificacion,"  \
    " t_publicacion, corte, valores"

static void row_to_acta(sqlite3_stmt *q, prep_acta *a)
{
    memset(a, 0, sizeof *a);
    a->eleccion = sqlite3_column_int(q, 0);
    a->casilla = sqlite3_column_int(q, 1);
    a->estado = (prep_estado)sqlite3_column_int(q, 2);
    a->ronda = sqlite3_column_int(q, 3);
    a->ncapturas = sqlite3_column_int(q, 4);
    for (int i = 0; i < PREP_MAX_CAPTURAS; i++)
        a->capturista[i] = sqlite3_column_int64(q, 5 + i);
    a->elegida = sqlite3_column_int(q, 8);
    a->sin_acta_motivo = sqlite3_column_int(q, 9);
    a->cotejo = sqlite3_column_int(q, 10);
    sq_copy(a->imagen, sizeof a->imagen, q, 11);
    a->origen = sqlite3_column_int(q, 12);
    a->digitalizacion = sqlite3_column_int(q, 13);
    a->t_acopio = sqlite3_column_int64(q, 14);
    a->t_imagen = sqlite3_column_int64(q, 15);
    a->t_captura = sqlite3_column_int64(q, 16);
    a->t_verificacion = sqlite3_column_int64(q, 17);
    a->t_publicacion = sqlite3_column_int64(q, 18);
    a->corte = sqlite3_column_int(q, 19);
}

/* Decode the valores column; all "-" when absent. */
static int row_valores(prep_sqlite *s, sqlite3_stmt *q, int col, prep_val *v, int nfields,
                       prep_err *err)
{
    (void)s;
    if (sqlite3_column_type(q, col) == SQLITE_NULL) {
        for (int i = 0; i < nfields; i++)
            v[i] = PREP_V_NA;
        return 0;
    }
    if (prep_vals_decode(sq_text(q, col), v, nfields) < 0)
        return prep_fail(err, PREP_E_CORRUPT, "stored values of an acta do not decode");
    return 0;
}

int sq_acta_get(prep_store *st, int e, int c, prep_acta *a, prep_val *valores, int nfields,
                prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "SELECT " ACTA_COLS " FROM acta WHERE eleccion = ?1 AND casilla = ?2", err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        row_to_acta(q, a);
        int ok = !valores || row_valores(s, q, 20, valores, nfields, err) == 0;
        sqlite3_reset(q);
        return ok ? 0 : -1;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sq_fail(s, err, "read acta");
    prep_acta_init(a, e, c);
    if (valores)
        for (int i = 0; i < nfields; i++)
            valores[i] = PREP_V_NA;
    return 1;
}

int sq_acta_put(prep_store *st, const prep_acta *a, const prep_val *valores, int nfields,
                prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(
        s,
        "INSERT INTO acta(" ACTA_COLS ", catd) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
        " (SELECT catd FROM casilla WHERE idx = ?2))"
        " ON CONFLICT(eleccion, casilla) DO UPDATE SET estado = ?3, ronda = ?4,"
        " ncapturas = ?5, cap1 = ?6, cap2 = ?7, cap3 = ?8, elegida = ?9, sin_acta_motivo = ?10,"
        " cotejo = ?11, imagen = ?12, origen = ?13, digitalizacion = ?14, t_acopio = ?15,"
        " t_imagen = ?16, t_captura = ?17, t_verificacion = ?18, t_publicacion = ?19,"
        " corte = ?20, valores = coalesce(?21, valores)",
        err);
    if (!q)
        return -1;
    char enc[PREP_MAX_FIELDS * 12];
    sqlite3_bind_int(q, 1, a->eleccion);
    sqlite3_bind_int(q, 2, a->casilla);
    sqlite3_bind_int(q, 3, a->estado);
    sqlite3_bind_int(q, 4, a->ronda);
    sqlite3_bind_int(q, 5, a->ncapturas);
    for (int i = 0; i < PREP_MAX_CAPTURAS; i++)
        sqlite3_bind_int64(q, 6 + i, a->capturista[i]);
    sqlite3_bind_int(q, 9, a->elegida);
    sqlite3_bind_int(q, 10, a->sin_acta_motivo);
    sqlite3_bind_int(q, 11, a->cotejo);
    sqlite3_bind_text(q, 12, a->imagen, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 13, a->origen);
    sqlite3_bind_int(q, 14, a->digitalizacion);
    sqlite3_bind_int64(q, 15, a->t_acopio);
    sqlite3_bind_int64(q, 16, a->t_imagen);
    sqlite3_bind_int64(q, 17, a->t_captura);
    sqlite3_bind_int64(q, 18, a->t_verificacion);
    sqlite3_bind_int64(q, 19, a->t_publicacion);
    sqlite3_bind_int(q, 20, a->corte);
    if (valores) {
        prep_vals_encode(valores, nfields, enc, sizeof enc);
        sqlite3_bind_text(q, 21, enc, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, 21);
    }
    return sq_done(s, q, err, "write acta");
}

int sq_acta_counts(prep_store *st, int e, int64_t counts[PREP_EST__COUNT], prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "SELECT estado, count(*) FROM acta WHERE eleccion = ?1 GROUP BY estado", err);
    if (!q)
        return -1;
    memset(counts, 0, sizeof(int64_t) * PREP_EST__COUNT);
    sqlite3_bind_int(q, 1, e);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int k = sqlite3_column_int(q, 0);
        if (k >= 0 && k < PREP_EST__COUNT)
            counts[k] = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "count actas");
}

int sq_acta_iter(prep_store *st, int e, int estado_min, int estado_max, prep_acta_cb cb,
                 void *ctx, int nfields, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "SELECT " ACTA_COLS " FROM acta WHERE eleccion = ?1"
                              " AND estado BETWEEN ?2 AND ?3 ORDER BY casilla",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, estado_min);
    sqlite3_bind_int(q, 3, estado_max);
    prep_val v[PREP_MAX_FIELDS];
    if (nfields > PREP_MAX_FIELDS)
        return prep_fail(err, PREP_E_INVALID, "too many fields");
    int rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        prep_acta a;
        row_to_acta(q, &a);
        if (row_valores(s, q, 20, v, nfields, err) < 0) {
            sqlite3_reset(q);
            return -1;
        }
        if ((stop = cb(ctx, &a, v, nfields)) != 0)
            break;
    }
    sqlite3_reset(q);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "iterate actas");
}

int sq_captura_put(prep_store *st, int e, int c, int ronda, int idx, int64_t user, prep_time at,
                   const prep_val *v, int nfields, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO captura VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
    if (!q)
        return -1;
    char enc[PREP_MAX_FIELDS * 12];
    prep_vals_encode(v, nfields, enc, sizeof enc);
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    sqlite3_bind_int(q, 3, ronda);
    sqlite3_bind_int(q, 4, idx);
    sqlite3_bind_int64(q, 5, user);
    sqlite3_bind_int64(q, 6, at);
    sqlite3_bind_text(q, 7, enc, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "write captura");
}

int sq_captura_get(prep_store *st, int e, int c, int ronda, int idx, int64_t *user,
                   prep_time *at, prep_val *v, int nfields, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "SELECT usuario, at, valores FROM captura WHERE eleccion = ?1"
                              " AND casilla = ?2 AND ronda = ?3 AND idx = ?4",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    sqlite3_bind_int(q, 3, ronda);
    sqlite3_bind_int(q, 4, idx);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        return rc == SQLITE_DONE ? 1 : sq_fail(s, err, "read captura");
    }
    if (user)
        *user = sqlite3_column_int64(q, 0);
    if (at)
        *at = sqlite3_column_int64(q, 1);
    int ok = prep_vals_decode(sq_text(q, 2), v, nfields) == 0;
    sqlite3_reset(q);
    return ok ? 0 : prep_fail(err, PREP_E_CORRUPT, "stored capture does not decode");
}

int sq_imagen_put(prep_store *st, const prep_imagen *im, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "INSERT OR IGNORE INTO imagen VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                              " ?8, ?9, ?10, ?11)",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, im->eleccion);
    sqlite3_bind_int(q, 2, im->casilla);
    sqlite3_bind_text(q, 3, im->sha, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, im->origen);
    sqlite3_bind_int(q, 5, im->digitalizacion);
    sqlite3_bind_int64(q, 6, im->bytes);
    sqlite3_bind_int64(q, 7, im->recibida);
    sqlite3_bind_int64(q, 8, im->user);
    sqlite3_bind_text(q, 9, im->dispositivo, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 10, im->rechazada);
    sqlite3_bind_text(q, 11, im->qr, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "write imagen");
}

int sq_imagen_list(prep_store *st, int e, int c, prep_imagen *out, int max, int *n,
                   prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "SELECT sha, origen, digitalizacion, bytes, recibida, usuario,"
                              " dispositivo, rechazada, qr FROM imagen WHERE eleccion = ?1"
                              " AND casilla = ?2 ORDER BY recibida, sha",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        prep_imagen *im = &out[(*n)++];
        memset(im, 0, sizeof *im);
        im->eleccion = e;
        im->casilla = c;
        sq_copy(im->sha, sizeof im->sha, q, 0);
        im->origen = sqlite3_column_int(q, 1);
        im->digitalizacion = sqlite3_column_int(q, 2);
        im->bytes = sqlite3_column_int64(q, 3);
        im->recibida = sqlite3_column_int64(q, 4);
        im->user = sqlite3_column_int64(q, 5);
        sq_copy(im->dispositivo, sizeof im->dispositivo, q, 6);
        im->rechazada = sqlite3_column_int(q, 7);
        sq_copy(im->qr, sizeof im->qr, q, 8);
    }
    sqlite3_reset(q);
    return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : sq_fail(s, err, "list imagenes");
}

int sq_imagen_reject(prep_store *st, int e, int c, const char *sha, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "UPDATE imagen SET rechazada = 1 WHERE eleccion = ?1"
                              " AND casilla = ?2 AND sha = ?3",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    sqlite3_bind_text(q, 3, sha, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "reject imagen");
}
