/* api_casillas.c — GET /api/v1/casillas[?catd=N]: the casillas the caller
 * may reach (its CATD's, or a CAE's assigned ones; central staff all, or
 * one CATD with ?catd=N) with the state of each election's acta, so the
 * acopio page can show expected vs received and PREP Casilla can list the
 * CAE's casillas. Scope comes from the same authz table as every acta
 * request; nothing here writes. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

typedef struct {
    unsigned char *estado; /* [ncasillas]; 0 = ESPERADA (no row yet) */
} elec_states;

static int note_state(void *ctx, const prep_acta *a, const prep_val *v, int nf)
{
    (void)v;
    (void)nf;
    elec_states *es = ctx;
    es->estado[a->casilla] = (unsigned char)a->estado;
    return 0;
}

void api_casillas(prep_req *r)
{
    if (require_session(r) < 0)
        return;
    prep_server *s = r->srv;
    const prep_catalog *cat = &s->cat;
    const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "catd");
    int only = 0;
    if (q) {
        char *end;
        long v = strtol(q, &end, 10);
        if (*q == '\0' || *end != '\0' || v < 1 || v > cat->ncatd)
            return reply_errf(r, PREP_E_INVALID, "catd is a CATD number from 1 to %d", cat->ncatd);
        only = (int)v;
    }
    prep_err err = {0};
    prep_store *st = prep_http_store(s, &err);
    if (!st)
        return reply_err(r, &err);
    unsigned char *estado = calloc((size_t)cat->nelecciones * (size_t)cat->ncasillas + 1, 1);
    if (!estado)
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    if (prep_store_begin(st, 0, &err) < 0) {
        free(estado);
        return reply_err(r, &err);
    }
    for (int e = 0; e < cat->nelecciones; e++) {
        elec_states es = {estado + (size_t)e * (size_t)cat->ncasillas};
        if (st->vt->acta_iter(st, e, 0, PREP_EST__COUNT - 1, note_state, &es,
                              PREP_NFIELDS(cat->elecciones[e].ncols), &err) < 0) {
            prep_store_rollback(st);
            free(estado);
            return reply_err(r, &err);
        }
    }
    prep_store_rollback(st);
    json_t *arr = json_array();
    for (int c = 0; c < cat->ncasillas; c++) {
        const prep_casilla *ca = &cat->casillas[c];
        prep_err no = {0};
        if ((only && ca->catd != only) ||
            prep_authz(&r->caller.scope, PREP_ACC_ACTA_LEER, ca->catd, ca->cae, &no) < 0)
            continue;
        json_t *actas = json_object();
        for (int e = 0; e < cat->nelecciones; e++)
            json_object_set_new(
                actas, cat->elecciones[e].codigo,
                json_string(prep_estado_name(estado[(size_t)e * (size_t)cat->ncasillas + (size_t)c])));
        json_array_append_new(arr, json_pack("{s:s,s:i,s:i,s:i,s:s#,s:o}", "clave", ca->clave,
                                             "catd", ca->catd, "cae", ca->cae, "seccion",
                                             ca->seccion, "tipo", &ca->tipo, (size_t)1, "actas",
                                             actas));
    }
    free(estado);
    json_t *elecs = json_array();
    for (int e = 0; e < cat->nelecciones; e++)
        json_array_append_new(elecs, json_string(cat->elecciones[e].codigo));
    reply_json(r, 200, json_pack("{s:o,s:o}", "elecciones", elecs, "casillas", arr));
}
