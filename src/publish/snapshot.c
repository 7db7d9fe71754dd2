/* snapshot.c — reading a corte's consistent snapshot from the store and
 * applying the counting rules to every acta once. */
#include "publish/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "core/tally.h"

typedef struct {
    prep_snap_eleccion *se;
    const prep_catalog *cat;
    int nf, cap;
    int nomem;
} collect_ctx;

static int grow(collect_ctx *x)
{
    int cap = x->cap ? x->cap * 2 : 1024;
    prep_snap_acta *a = realloc(x->se->actas, sizeof *a * (size_t)cap);
    if (!a)
        return -1;
    x->se->actas = a;
    prep_val *v = realloc(x->se->valbuf, sizeof *v * (size_t)cap * (size_t)x->nf);
    if (!v)
        return -1;
    x->se->valbuf = v;
    x->cap = cap;
    return 0;
}

static int on_acta(void *ctx, const prep_acta *a, const prep_val *vals, int nf)
{
    collect_ctx *x = ctx;
    if (!prep_acta_registrada(a))
        return 0;
    if (x->se->n == x->cap && grow(x) < 0) {
        x->nomem = 1;
        return 1;
    }
    prep_snap_acta *s = &x->se->actas[x->se->n];
    memcpy(&x->se->valbuf[(size_t)x->se->n * (size_t)nf], vals, sizeof *vals * (size_t)nf);
    s->acta = *a;
    x->se->n++;
    return 0;
}

static int on_fc(void *ctx, const prep_fuera_catalogo *f)
{
    collect_ctx *x = ctx;
    if (!f->corte)
        return 0;
    prep_fuera_catalogo *p = realloc(x->se->fc, sizeof *p * (size_t)(x->se->nfc + 1));
    if (!p) {
        x->nomem = 1;
        return 1;
    }
    x->se->fc = p;
    x->se->fc[x->se->nfc++] = *f;
    return 0;
}

int prep_snapshot_take(prep_store *st, const prep_catalog *cat, int numero, prep_time at,
                       int final, prep_snapshot *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    out->cat = cat;
    out->numero = numero;
    out->at = at;
    out->final = final;
    for (int e = 0; e < cat->nelecciones; e++) {
        int ncols = cat->elecciones[e].ncols, nf = PREP_NFIELDS(ncols);
        collect_ctx x = {.se = &out->el[e], .cat = cat, .nf = nf};
        int rc = st->vt->acta_iter(st, e, PREP_EST_PUBLICADA, PREP_EST_SIN_ACTA, on_acta, &x, nf,
                                   err);
        if (rc == 0)
            rc = st->vt->fc_iter(st, e, on_fc, &x, err);
        if (x.nomem)
            rc = prep_fail(err, PREP_E_NOMEM, "out of memory taking the snapshot");
        if (rc != 0) {
            prep_snapshot_free(out);
            return -1;
        }
        /* Pointers are set once the value buffer stops moving. */
        for (int i = 0; i < out->el[e].n; i++) {
            prep_snap_acta *s = &out->el[e].actas[i];
            s->vals = &out->el[e].valbuf[(size_t)i * (size_t)nf];
            if (s->acta.estado == PREP_EST_SIN_ACTA) {
                prep_rules_sin_acta(s->acta.sin_acta_motivo, &s->res);
            } else {
                prep_rule_limits lim;
                prep_tally_limits(&cat->casillas[s->acta.casilla], &lim);
                prep_rules_eval(s->vals, ncols, &lim, &s->res);
            }
        }
    }
    return 0;
}

void prep_snapshot_free(prep_snapshot *s)
{
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++) {
        free(s->el[e].actas);
        free(s->el[e].valbuf);
        free(s->el[e].fc);
    }
    memset(s, 0, sizeof *s);
}
