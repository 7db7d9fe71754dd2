/* pg_acta.c — acta rows, their captures and their images' metadata on
 * PostgreSQL, with the SQLite backend's semantics: no row = ESPERADA, values
 * as the text of prep_vals_encode(), images put idempotently. Iteration
 * pages through the rows (keyset, 10,000 at a time) so a national snapshot
 * never sits in libpq's memory at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

#define ACTA_COLS                                                                            \
    "eleccion, casilla, estado, ronda, ncapturas, cap1, cap2, cap3, elegida, sin_acta_motivo," \
    " cotejo, imagen, origen, digitalizacion, t_acopio, t_imagen, t_captura, t_verificacion,"  \
    " t_publicacion, corte, valores"
#define ITER_PAGE 10000
#define PREP_PG_PAGE "10000" /* ITER_PAGE as SQL text */

static void row_to_acta(const PGresult *r, int i, prep_acta *a)
{
    memset(a, 0, sizeof *a);
    a->eleccion = (int)pg_int(r, i, 0);
    a->casilla = (int)pg_int(r, i, 1);
    a->estado = (prep_estado)pg_int(r, i, 2);
    a->ronda = (int)pg_int(r, i, 3);
    a->ncapturas = (int)pg_int(r, i, 4);
    for (int k = 0; k < PREP_MAX_CAPTURAS; k++)
        a->capturista[k] = pg_int(r, i, 5 + k);
    a->elegida = (int)pg_int(r, i, 8);
    a->sin_acta_motivo = (int)pg_int(r, i, 9);
    a->cotejo = (int)pg_int(r, i, 10);
    pg_copy(a->imagen, sizeof a->imagen, r, i, 11);
    a->origen = (int)pg_int(r, i, 12);
    a->digitalizacion = (int)pg_int(r, i, 13);
    a->t_acopio = pg_int(r, i, 14);
    a->t_imagen = pg_int(r, i, 15);
    a->t_captura = pg_int(r, i, 16);
    a->t_verificacion = pg_int(r, i, 17);
    a->t_publicacion = pg_int(r, i, 18);
    a->corte = (int)pg_int(r, i, 19);
}

/* Decode the valores column; all "-" when NULL. */
static int row_valores(const PGresult *r, int i, int col, prep_val *v, int nfields,
                       prep_err *err)
{
    if (PQgetisnull(r, i, col)) {
        for (int k = 0; k < nfields; k++)
            v[k] = PREP_V_NA;
        return 0;
    }
    if (prep_vals_decode(PQgetvalue(r, i, col), v, nfields) < 0)
        return prep_fail(err, PREP_E_CORRUPT, "stored values of an acta do not decode");
    return 0;
}

int pg_acta_get(prep_store *st, int e, int c, prep_acta *a, prep_val *valores, int nfields,
                prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    PGresult *r = pg_run(PG(st), "SELECT " ACTA_COLS " FROM acta WHERE eleccion = $1 AND casilla = $2",
                         &pp, err, "read acta");
    if (!r)
        return -1;
    if (PQntuples(r) > 0) {
        row_to_acta(r, 0, a);
        int ok = !valores || row_valores(r, 0, 20, valores, nfields, err) == 0;
        PQclear(r);
        return ok ? 0 : -1;
    }
    PQclear(r);
    prep_acta_init(a, e, c);
    if (valores)
        for (int i = 0; i < nfields; i++)
            valores[i] = PREP_V_NA;
    return 1;
}

int pg_acta_put(prep_store *st, const prep_acta *a, const prep_val *valores, int nfields,
                prep_err *err)
{
    char enc[PREP_MAX_FIELDS * 12];
    pg_params pp = {0};
    pgp_int(&pp, a->eleccion);
    pgp_int(&pp, a->casilla);
    pgp_int(&pp, a->estado);
    pgp_int(&pp, a->ronda);
    pgp_int(&pp, a->ncapturas);
    for (int i = 0; i < PREP_MAX_CAPTURAS; i++)
        pgp_int(&pp, a->capturista[i]);
    pgp_int(&pp, a->elegida);
    pgp_int(&pp, a->sin_acta_motivo);
    pgp_int(&pp, a->cotejo);
    pgp_text(&pp, a->imagen);
    pgp_int(&pp, a->origen);
    pgp_int(&pp, a->digitalizacion);
    pgp_int(&pp, a->t_acopio);
    pgp_int(&pp, a->t_imagen);
    pgp_int(&pp, a->t_captura);
    pgp_int(&pp, a->t_verificacion);
    pgp_int(&pp, a->t_publicacion);
    pgp_int(&pp, a->corte);
    if (valores)
        prep_vals_encode(valores, nfields, enc, sizeof enc);
    pgp_text(&pp, valores ? enc : NULL);
    return pg_cmd(
        PG(st),
        "INSERT INTO acta(" ACTA_COLS ", catd) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        " $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::text,"
        " (SELECT catd FROM casilla WHERE idx = $2))"
        " ON CONFLICT(eleccion, casilla) DO UPDATE SET estado = EXCLUDED.estado,"
        " ronda = EXCLUDED.ronda, ncapturas = EXCLUDED.ncapturas, cap1 = EXCLUDED.cap1,"
        " cap2 = EXCLUDED.cap2, cap3 = EXCLUDED.cap3, elegida = EXCLUDED.elegida,"
        " sin_acta_motivo = EXCLUDED.sin_acta_motivo, cotejo = EXCLUDED.cotejo,"
        " imagen = EXCLUDED.imagen, origen = EXCLUDED.origen,"
        " digitalizacion = EXCLUDED.digitalizacion, t_acopio = EXCLUDED.t_acopio,"
        " t_imagen = EXCLUDED.t_imagen, t_captura = EXCLUDED.t_captura,"
        " t_verificacion = EXCLUDED.t_verificacion, t_publicacion = EXCLUDED.t_publicacion,"
        " corte = EXCLUDED.corte, valores = coalesce(EXCLUDED.valores, acta.valores)",
        &pp, err, "write acta", NULL);
}

int pg_acta_counts(prep_store *st, int e, int64_t counts[PREP_EST__COUNT], prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    PGresult *r = pg_run(PG(st),
                         "SELECT estado, count(*) FROM acta WHERE eleccion = $1 GROUP BY estado",
                         &pp, err, "count actas");
    if (!r)
        return -1;
    memset(counts, 0, sizeof(int64_t) * PREP_EST__COUNT);
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t k = pg_int(r, i, 0);
        if (k >= 0 && k < PREP_EST__COUNT)
            counts[k] = pg_int(r, i, 1);
    }
    PQclear(r);
    return 0;
}

/* One page of acta_iter: rows after casilla `after`; *last gets the last one. */
static int iter_page(prep_pg *p, int e, int estado_min, int estado_max, int after, prep_acta_cb cb,
                     void *ctx, int nfields, int *count, int *last, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, estado_min);
    pgp_int(&pp, estado_max);
    pgp_int(&pp, after);
    PGresult *r = pg_run(p,
                         "SELECT " ACTA_COLS " FROM acta WHERE eleccion = $1"
                         " AND estado BETWEEN $2 AND $3 AND casilla > $4 ORDER BY casilla"
                         " LIMIT " PREP_PG_PAGE,
                         &pp, err, "iterate actas");
    if (!r)
        return -1;
    prep_val v[PREP_MAX_FIELDS];
    int stop = 0;
    *count = PQntuples(r);
    for (int i = 0; i < *count && !stop; i++) {
        prep_acta a;
        row_to_acta(r, i, &a);
        if (row_valores(r, i, 20, v, nfields, err) < 0) {
            PQclear(r);
            return -1;
        }
        *last = a.casilla;
        stop = cb(ctx, &a, v, nfields);
    }
    PQclear(r);
    return stop;
}

int pg_acta_iter(prep_store *st, int e, int estado_min, int estado_max, prep_acta_cb cb,
                 void *ctx, int nfields, prep_err *err)
{
    prep_pg *p = PG(st);
    if (nfields > PREP_MAX_FIELDS)
        return prep_fail(err, PREP_E_INVALID, "too many fields");
    int started;
    if (pg_auto_begin(p, 0, &started, err) < 0)
        return -1;
    int after = -1, count, rc;
    do {
        rc = iter_page(p, e, estado_min, estado_max, after, cb, ctx, nfields, &count, &after, err);
    } while (rc == 0 && count == ITER_PAGE);
    if (pg_auto_end(p, started, rc >= 0, err) < 0 && rc >= 0)
        return -1;
    return rc;
}

int pg_captura_put(prep_store *st, int e, int c, int ronda, int idx, int64_t user, prep_time at,
                   const prep_val *v, int nfields, prep_err *err)
{
    char enc[PREP_MAX_FIELDS * 12];
    prep_vals_encode(v, nfields, enc, sizeof enc);
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    pgp_int(&pp, ronda);
    pgp_int(&pp, idx);
    pgp_int(&pp, user);
    pgp_int(&pp, at);
    pgp_text(&pp, enc);
    return pg_cmd(PG(st), "INSERT INTO captura VALUES($1, $2, $3, $4, $5, $6, $7)", &pp, err,
                  "write captura", NULL);
}

int pg_captura_get(prep_store *st, int e, int c, int ronda, int idx, int64_t *user,
                   prep_time *at, prep_val *v, int nfields, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    pgp_int(&pp, ronda);
    pgp_int(&pp, idx);
    PGresult *r = pg_run(PG(st),
                         "SELECT usuario, at, valores FROM captura WHERE eleccion = $1"
                         " AND casilla = $2 AND ronda = $3 AND idx = $4",
                         &pp, err, "read captura");
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 1;
    }
    if (user)
        *user = pg_int(r, 0, 0);
    if (at)
        *at = pg_int(r, 0, 1);
    int ok = prep_vals_decode(PQgetvalue(r, 0, 2), v, nfields) == 0;
    PQclear(r);
    return ok ? 0 : prep_fail(err, PREP_E_CORRUPT, "stored capture does not decode");
}

int pg_imagen_put(prep_store *st, const prep_imagen *im, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, im->eleccion);
    pgp_int(&pp, im->casilla);
    pgp_text(&pp, im->sha);
    pgp_int(&pp, im->origen);
    pgp_int(&pp, im->digitalizacion);
    pgp_int(&pp, im->bytes);
    pgp_int(&pp, im->recibida);
    pgp_int(&pp, im->user);
    pgp_text(&pp, im->dispositivo);
    pgp_int(&pp, im->rechazada);
    pgp_text(&pp, im->qr);
    return pg_cmd(PG(st),
                  "INSERT INTO imagen VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                  " ON CONFLICT DO NOTHING",
                  &pp, err, "write imagen", NULL);
}

int pg_imagen_list(prep_store *st, int e, int c, prep_imagen *out, int max, int *n,
                   prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    *n = 0;
    PGresult *r = pg_run(PG(st),
                         "SELECT sha, origen, digitalizacion, bytes, recibida, usuario,"
                         " dispositivo, rechazada, qr FROM imagen WHERE eleccion = $1"
                         " AND casilla = $2 ORDER BY recibida, sha",
                         &pp, err, "list imagenes");
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r) && *n < max; i++) {
        prep_imagen *im = &out[(*n)++];
        memset(im, 0, sizeof *im);
        im->eleccion = e;
        im->casilla = c;
        pg_copy(im->sha, sizeof im->sha, r, i, 0);
        im->origen = (int)pg_int(r, i, 1);
        im->digitalizacion = (int)pg_int(r, i, 2);
        im->bytes = pg_int(r, i, 3);
        im->recibida = pg_int(r, i, 4);
        im->user = pg_int(r, i, 5);
        pg_copy(im->dispositivo, sizeof im->dispositivo, r, i, 6);
        im->rechazada = (int)pg_int(r, i, 7);
        pg_copy(im->qr, sizeof im->qr, r, i, 8);
    }
    PQclear(r);
    return 0;
}

int pg_imagen_reject(prep_store *st, int e, int c, const char *sha, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    pgp_text(&pp, sha);
    return pg_cmd(PG(st),
                  "UPDATE imagen SET rechazada = 1 WHERE eleccion = $1 AND casilla = $2"
                  " AND sha = $3",
                  &pp, err, "reject imagen", NULL);
}
