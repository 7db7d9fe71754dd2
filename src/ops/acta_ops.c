/* acta_ops.c — acta events: load the acta and what the state machine needs
 * (earlier captures), apply the event in the core, then write the capture,
 * the acta and its bitácora entry. Checks here what only the catalog knows:
 * a captured "-" must match a column that does not apply in the acta's unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "ops/ops.h"
#include "util/buf.h"

static int check_acta(prep_ops *o, int e, int c, prep_err *err)
{
    if (e < 0 || e >= o->cat->nelecciones)
        return prep_fail(err, PREP_E_NOT_FOUND, "unknown election");
    if (c < 0 || c >= o->cat->ncasillas)
        return prep_fail(err, PREP_E_NOT_FOUND, "unknown casilla");
    return 0;
}

/* Captured values must have "-" exactly where the column has no candidatura
 * in the unit, and never "-" in the fixed fields. */
static int check_values(prep_ops *o, int e, int c, const prep_val *v, int nfields,
                        prep_err *err)
{
    const prep_eleccion *el = &o->cat->elecciones[e];
    int ncols = el->ncols;
    if (nfields != PREP_NFIELDS(ncols))
        return prep_fail(err, PREP_E_INVALID, "expected %d fields for %s, got %d",
                         PREP_NFIELDS(ncols), el->codigo, nfields);
    int u = prep_catalog_unidad_of(o->cat, e, c);
    for (int f = 0; f < nfields; f++) {
        if (!prep_val_valid(v[f]))
            return prep_fail(err, PREP_E_INVALID, "field %d holds an invalid value", f);
        int col = f - PREP_F_COL0;
        int is_col = col >= 0 && col < ncols;
        int applies = is_col ? prep_eleccion_aplica(el, u, col) : 1;
        const char *name = is_col ? el->cols[col].nombre : prep_field_fixed_name(f, ncols);
        if (applies && v[f] == PREP_V_NA)
            return prep_fail(err, PREP_E_INVALID, "%s needs a value (number, Ilegible or Sin dato)",
                             name);
        if (!applies && v[f] != PREP_V_NA)
            return prep_fail(err, PREP_E_INVALID, "%s does not run in this unit: it must be '-'",
                             name);
    }
    return 0;
}

static void state_json(prep_buf *b, const prep_acta *a)
{
    prep_buf_printf(b, "{\"estado\":\"%s\",\"ronda\":%d,\"ncapturas\":%d", prep_estado_name(a->estado),
                    a->ronda, a->ncapturas);
    if (a->imagen[0])
        prep_buf_printf(b, ",\"imagen\":\"%s\"", a->imagen);
    if (a->cotejo)
        prep_buf_printf(b, ",\"cotejo\":%d", a->cotejo);
    if (a->sin_acta_motivo)
        prep_buf_printf(b, ",\"sin_acta\":\"%s\"", prep_sin_acta_codigo(a->sin_acta_motivo));
    if (a->corte)
        prep_buf_printf(b, ",\"corte\":%d", a->corte);
}

static int apply(prep_ops *o, const prep_actor *who, int e, int c, prep_evento *ev,
                 prep_acta *out, int *noop, prep_err *err)
{
    if (check_acta(o, e, c, err) < 0)
        return -1;
    int nf = PREP_NFIELDS(o->cat->elecciones[e].ncols);
    prep_acta cur, next;
    prep_val valores[PREP_MAX_FIELDS], prevbuf[PREP_MAX_CAPTURAS][PREP_MAX_FIELDS];
    const prep_val *prev[PREP_MAX_CAPTURAS] = {0};
    if (o->st->vt->acta_get(o->st, e, c, &cur, valores, nf, err) < 0)
        return -1;
    if (ev->vals && check_values(o, e, c, ev->vals, ev->nfields, err) < 0)
        return -1;
    if (ev->tipo == PREP_EV_CAPTURA || ev->tipo == PREP_EV_RESUELVE) {
        for (int i = 0; i < cur.ncapturas && i < PREP_MAX_CAPTURAS; i++) {
            int rc = o->st->vt->captura_get(o->st, e, c, cur.ronda, i, NULL, NULL, prevbuf[i], nf,
                                            err);
            if (rc < 0)
                return -1;
            if (rc == 1)
                return prep_fail(err, PREP_E_CORRUPT, "capture %d of this acta is missing", i + 1);
            prev[i] = prevbuf[i];
        }
        ev->prev = prev;
    }
    ev->nfields = nf;
    prep_efecto fx;
    if (prep_acta_apply(&cur, ev, &next, &fx, err) < 0)
        return -1;
    if (noop)
        *noop = fx.noop;
    if (fx.noop) {
        if (out)
            *out = cur;
        return 0;
    }
    if (fx.store_capture &&
        o->st->vt->captura_put(o->st, e, c, next.ronda, next.ncapturas - 1, ev->user, ev->at,
                               ev->vals, nf, err) < 0)
        return -1;
    const prep_val *nv = NULL;
    if (fx.set_valores) {
        if (fx.valores_from < 0 || (fx.store_capture && fx.valores_from == next.ncapturas - 1))
            nv = ev->vals;
        else
            nv = prev[fx.valores_from];
        if (!nv)
            return prep_fail(err, PREP_E_INVALID, "no values to keep");
    }
    if (o->st->vt->acta_put(o->st, &next, nv, nf, err) < 0)
        return -1;
    char object[48], action[40];
    prep_ops_object(o->cat, e, c, object, sizeof object);
    snprintf(action, sizeof action, "acta.%s", prep_evento_name(ev->tipo));
    prep_buf before, after;
    prep_buf_init(&before);
    prep_buf_init(&after);
    state_json(&before, &cur);
    if (ev->tipo == PREP_EV_COTEJO && ev->vals) {
        /* A correction after publication keeps the published figures it replaces. */
        char enc[PREP_MAX_FIELDS * 12];
        prep_vals_encode(valores, nf, enc, sizeof enc);
        prep_buf_printf(&before, ",\"valores\":\"%s\"", enc);
    }
    prep_buf_putc(&before, '}');
    state_json(&after, &next);
    if (ev->vals) {
        char enc[PREP_MAX_FIELDS * 12];
        prep_vals_encode(ev->vals, nf, enc, sizeof enc);
        prep_buf_printf(&after, ",\"valores\":\"%s\"", enc);
    }
    if (ev->tipo == PREP_EV_RESUELVE && ev->elegida >= 0)
        prep_buf_printf(&after, ",\"elegida\":%d", ev->elegida + 1);
    prep_buf_putc(&after, '}');
    int rc = -1;
    if (!prep_buf_ok(&before) || !prep_buf_ok(&after))
        prep_fail(err, PREP_E_NOMEM, "out of memory");
    else
        rc = prep_ops_log(o, who, ev->at, action, object, prep_buf_str(&before),
                          prep_buf_str(&after), err);
    prep_buf_free(&before);
    prep_buf_free(&after);
    if (rc == 0 && out)
        *out = next;
    return rc;
}

static prep_evento event(prep_evento_tipo t, const prep_actor *who, prep_time at)
{
    prep_evento ev = {.tipo = t, .at = at, .user = who ? who->user : 0, .elegida = -1};
    return ev;
}

int prep_ops_acopio(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                    prep_acta *out, int *noop, prep_err *err)
{
    prep_evento ev = event(PREP_EV_ACOPIO, who, at);
    return apply(o, who, e, c, &ev, out, noop, err);
}

int prep_ops_sin_acta(prep_ops *o, const prep_actor *who, int e, int c, int motivo,
                      prep_time at, prep_acta *out, int *noop, prep_err *err)
{
    prep_evento ev = event(PREP_EV_SIN_ACTA, who, at);
    ev.motivo = motivo;
    return apply(o, who, e, c, &ev, out, noop, err);
}

int prep_ops_imagen(prep_ops *o, const prep_actor *who, const prep_imagen *im, prep_acta *out,
                    int *noop, prep_err *err)
{
    if (check_acta(o, im->eleccion, im->casilla, err) < 0)
        return -1;
    if (!prep_is_sha256_hex(im->sha))
        return prep_fail(err, PREP_E_INVALID, "image hash must be 64 lowercase hex characters");
    prep_imagen list[16];
    int n = 0, known = 0;
    if (o->st->vt->imagen_list(o->st, im->eleccion, im->casilla, list, 16, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        known |= strcmp(list[i].sha, im->sha) == 0;
    if (!known) {
        if (n >= 16)
            return prep_fail(err, PREP_E_TOO_LARGE, "this acta already has 16 images");
        if (o->st->vt->imagen_put(o->st, im, err) < 0)
            return -1;
    }
    prep_evento ev = event(PREP_EV_IMAGEN, who, im->recibida);
    ev.imagen = im->sha;
    ev.origen = im->origen;
    ev.digitalizacion = im->digitalizacion;
    int inner_noop = 0;
    if (apply(o, who, im->eleccion, im->casilla, &ev, out, &inner_noop, err) < 0)
        return -1;
    if (inner_noop && !known) {
        /* Stored beside the active image: log it, the acta itself is unchanged. */
        char object[48], after[160];
        prep_ops_object(o->cat, im->eleccion, im->casilla, object, sizeof object);
        snprintf(after, sizeof after, "{\"imagen\":\"%s\",\"activa\":false}", im->sha);
        if (prep_ops_log(o, who, im->recibida, "acta.imagen_adicional", object, "", after, err) < 0)
            return -1;
    }
    if (noop)
        *noop = inner_noop && known;
    return 0;
}

int prep_ops_rechaza_imagen(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                            prep_acta *out, prep_err *err)
{
    if (check_acta(o, e, c, err) < 0)
        return -1;
    prep_acta cur;
    if (o->st->vt->acta_get(o->st, e, c, &cur, NULL, 0, err) < 0)
        return -1;
    char sha[65];
    memcpy(sha, cur.imagen, sizeof sha);
    prep_evento ev = event(PREP_EV_RECHAZA_IMAGEN, who, at);
    if (apply(o, who, e, c, &ev, out, NULL, err) < 0)
        return -1;
    if (o->st->vt->imagen_reject(o->st, e, c, sha, err) < 0)
        return -1;
    prep_imagen list[16];
    int n = 0;
    if (o->st->vt->imagen_list(o->st, e, c, list, 16, &n, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (list[i].rechazada)
            continue;
        prep_evento im = event(PREP_EV_IMAGEN, who, at);
        im.imagen = list[i].sha;
        im.origen = list[i].origen;
        im.digitalizacion = list[i].digitalizacion;
        return apply(o, who, e, c, &im, out, NULL, err);
    }
    return 0;
}

int prep_ops_captura(prep_ops *o, const prep_actor *who, int e, int c, const prep_val *vals,
                     int nfields, prep_time at, prep_acta *out, prep_err *err)
{
    if (!vals)
        return prep_fail(err, PREP_E_INVALID, "a capture needs its values");
    prep_evento ev = event(PREP_EV_CAPTURA, who, at);
    ev.vals = vals;
    ev.nfields = nfields;
    return apply(o, who, e, c, &ev, out, NULL, err);
}

int prep_ops_resuelve(prep_ops *o, const prep_actor *who, int e, int c, int elegida,
                      const prep_val *vals, int nfields, prep_time at, prep_acta *out,
                      prep_err *err)
{
    prep_evento ev = event(PREP_EV_RESUELVE, who, at);
    ev.elegida = elegida;
    if (elegida < 0) {
        if (!vals)
            return prep_fail(err, PREP_E_INVALID, "choose a capture or give the values");
        ev.vals = vals;
        ev.nfields = nfields;
    }
    return apply(o, who, e, c, &ev, out, NULL, err);
}

int prep_ops_verifica(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                      prep_acta *out, int *noop, prep_err *err)
{
    prep_evento ev = event(PREP_EV_VERIFICA, who, at);
    return apply(o, who, e, c, &ev, out, noop, err);
}

int prep_ops_rechaza_captura(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                             prep_acta *out, prep_err *err)
{
    prep_evento ev = event(PREP_EV_RECHAZA_CAPTURA, who, at);
    return apply(o, who, e, c, &ev, out, NULL, err);
}

int prep_ops_cotejo(prep_ops *o, const prep_actor *who, int e, int c, int resultado,
                    const prep_val *vals, int nfields, prep_time at, prep_acta *out, int *noop,
                    prep_err *err)
{
    prep_evento ev = event(PREP_EV_COTEJO, who, at);
    ev.cotejo = resultado;
    if (resultado == PREP_COTEJO_CORREGIDA) {
        if (!vals)
            return prep_fail(err, PREP_E_INVALID, "a corrected cotejo needs the new values");
        ev.vals = vals;
        ev.nfields = nfields;
    }
    return apply(o, who, e, c, &ev, out, noop, err);
}

typedef struct {
    const char *ident;
    prep_fuera_catalogo found;
} fc_find;

static int fc_same(void *ctx, const prep_fuera_catalogo *f)
{
    fc_find *ff = ctx;
    if (strcmp(f->identificacion, ff->ident) != 0)
        return 0;
    ff->found = *f;
    return 1;
}

int prep_ops_fuera_catalogo(prep_ops *o, const prep_actor *who, int e, const char *ident,
                            prep_time at, prep_fuera_catalogo *out, int *noop, prep_err *err)
{
    if (noop)
        *noop = 0;
    if (e < 0 || e >= o->cat->nelecciones)
        return prep_fail(err, PREP_E_NOT_FOUND, "unknown election");
    if (!ident || strlen(ident) >= sizeof out->identificacion)
        return prep_fail(err, PREP_E_INVALID, "identification missing or longer than 63 bytes");
    for (const char *p = ident; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '"' || *p == '\\')
            return prep_fail(err, PREP_E_INVALID, "identification holds a control or quote character");
    if (prep_catalog_find_casilla(o->cat, ident) >= 0)
        return prep_fail(err, PREP_E_CONFLICT,
                         "%s is a casilla of the catalog: register its acopio instead", ident);
    /* Natural key: the same identification registered again (a retry) is
     * the registration already made, not a second acta. */
    fc_find ff = {.ident = ident};
    int rc = o->st->vt->fc_iter(o->st, e, fc_same, &ff, err);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (noop)
            *noop = 1;
        if (out)
            *out = ff.found;
        return 0;
    }
    prep_fuera_catalogo f = {.eleccion = e, .at = at, .user = who ? who->user : 0,
                             .catd = who ? who->catd : 0};
    snprintf(f.identificacion, sizeof f.identificacion, "%s", ident);
    if (o->st->vt->fc_add(o->st, &f, err) < 0)
        return -1;
    char object[64], after[160];
    snprintf(object, sizeof object, "%s/fuera_catalogo/%lld", o->cat->elecciones[e].codigo,
             (long long)f.id);
    snprintf(after, sizeof after, "{\"identificacion\":\"%s\"}", f.identificacion);
    if (prep_ops_log(o, who, at, "acta.fuera_catalogo", object, "", after, err) < 0)
        return -1;
    if (out)
        *out = f;
    return 0;
}

typedef struct {
    prep_pub_item *it;
    size_t n, cap;
    int e;
} idx_list;

static int collect(void *ctx, const prep_acta *a, const prep_val *v, int nf)
{
    (void)v;
    (void)nf;
    idx_list *l = ctx;
    if (a->estado == PREP_EST_SIN_ACTA && a->corte)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        prep_pub_item *p = realloc(l->it, sizeof *p * cap);
        if (!p)
            return -2;
        l->it = p;
        l->cap = cap;
    }
    l->it[l->n++] = (prep_pub_item){.eleccion = l->e, .casilla = a->casilla};
    return 0;
}

int prep_ops_publica(prep_ops *o, const prep_actor *who, int corte, prep_time at,
                     int64_t *count, prep_err *err)
{
    idx_list l = {0};
    int rc = 0;
    for (int e = 0; rc == 0 && e < o->cat->nelecciones; e++) {
        int nf = PREP_NFIELDS(o->cat->elecciones[e].ncols);
        l.e = e;
        rc = o->st->vt->acta_iter(o->st, e, PREP_EST_VERIFICADA, PREP_EST_VERIFICADA, collect,
                                  &l, nf, err);
        if (rc == 0)
            rc = o->st->vt->acta_iter(o->st, e, PREP_EST_SIN_ACTA, PREP_EST_SIN_ACTA, collect, &l,
                                      nf, err);
        if (rc == -2)
            prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    if (rc == 0)
        rc = prep_ops_publica_set(o, who, corte, at, l.it, l.n, INT64_MAX, count, err);
    free(l.it);
    return rc == 0 ? 0 : -1;
}

int prep_ops_publica_set(prep_ops *o, const prep_actor *who, int corte, prep_time at,
                         const prep_pub_item *items, size_t n, int64_t fc_max, int64_t *count,
                         prep_err *err)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int e = items[i].eleccion;
        if (e < 0 || e >= o->cat->nelecciones || items[i].casilla < 0 ||
            items[i].casilla >= o->cat->ncasillas)
            return prep_fail(err, PREP_E_INVALID, "acta %d/%d is not in the catalog", e,
                             items[i].casilla);
        int nf = PREP_NFIELDS(o->cat->elecciones[e].ncols);
        prep_acta cur, next;
        prep_efecto fx;
        prep_evento ev = {.tipo = PREP_EV_PUBLICA, .at = at, .corte = corte};
        if (o->st->vt->acta_get(o->st, e, items[i].casilla, &cur, NULL, 0, err) < 0)
            return -1;
        /* Changed since the list was made (a sin acta that got its image):
         * it waits for the next corte. */
        if (cur.estado != PREP_EST_VERIFICADA &&
            !(cur.estado == PREP_EST_SIN_ACTA && cur.corte == 0))
            continue;
        if (prep_acta_apply(&cur, &ev, &next, &fx, err) < 0 ||
            (!fx.noop && o->st->vt->acta_put(o->st, &next, NULL, nf, err) < 0))
            return -1;
        if (!fx.noop)
            total++;
    }
    if (o->st->vt->fc_publish(o->st, corte, fc_max, err) < 0)
        return -1;
    char object[32], after[64];
    snprintf(object, sizeof object, "corte/%d", corte);
    snprintf(after, sizeof after, "{\"actas_publicadas\":%lld}", (long long)total);
    if (prep_ops_log(o, who, at, "corte.publica", object, "", after, err) < 0)
        return -1;
    if (count)
        *count = total;
    return 0;
}
