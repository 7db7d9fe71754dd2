/* test_site_snap.h — a corte snapshot made in memory for the site tests and
 * the site benchmark: every n-th casilla of every election registered with
 * deterministic votes on the columns of its unit's boleta ("-" elsewhere),
 * a few Ilegible fields and sin acta registrations, image hashes and
 * timestamps; the counting rules applied exactly as snapshot.c does.
 * Header-only (static inline), like test_util.h. */
#ifndef PREP_TEST_SITE_SNAP_H
#define PREP_TEST_SITE_SNAP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/tally.h"
#include "publish/snapshot.h"
#include "util/hash.h"

static inline uint32_t ts_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

/* Register every `every`-th casilla (1 = all) of every election. Returns 0,
 * or -1 when out of memory. at = corte time; actas carry times before it. */
static inline int ts_snapshot(const prep_catalog *cat, uint64_t seed, int every, prep_time at,
                              prep_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->cat = cat;
    out->numero = 7;
    out->at = at;
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        int ncols = el->ncols, nf = PREP_NFIELDS(ncols);
        prep_snap_eleccion *se = &out->el[e];
        int cap = cat->ncasillas / (every > 0 ? every : 1) + 1;
        se->actas = calloc((size_t)cap, sizeof *se->actas);
        se->valbuf = calloc((size_t)cap * (size_t)nf, sizeof *se->valbuf);
        if (!se->actas || !se->valbuf)
            return -1;
        uint64_t rng = seed * 7919u + (uint64_t)e;
        for (int c = 0; c < cat->ncasillas; c += every > 0 ? every : 1) {
            const prep_casilla *k = &cat->casillas[c];
            prep_snap_acta *a = &se->actas[se->n];
            prep_val *v = &se->valbuf[(size_t)se->n * (size_t)nf];
            a->vals = v;
            prep_acta_init(&a->acta, e, c);
            a->acta.corte = 1;
            a->acta.t_acopio = at - 3600000 + (prep_time)(ts_rand(&rng) % 1800) * 1000;
            uint32_t kind = ts_rand(&rng) % 200;
            if (kind == 0) { /* sin acta */
                a->acta.estado = PREP_EST_SIN_ACTA;
                a->acta.sin_acta_motivo = PREP_SIN_ACTA_NO_ENTREGADO;
                for (int f = 0; f < nf; f++)
                    v[f] = PREP_V_NA;
                prep_rules_sin_acta(a->acta.sin_acta_motivo, &a->res);
                se->n++;
                continue;
            }
            a->acta.estado = PREP_EST_PUBLICADA;
            a->acta.origen = kind % 3 ? PREP_ORIGEN_CATD : PREP_ORIGEN_CASILLA;
            a->acta.digitalizacion = kind % 3 ? PREP_DIG_ESCANER : PREP_DIG_MOVIL;
            a->acta.t_captura = a->acta.t_acopio + 300000;
            a->acta.t_verificacion = a->acta.t_captura + 200000;
            prep_sha256_hex(k->clave, PREP_CLAVE_CASILLA_LEN, a->acta.imagen);
            int u = prep_catalog_unidad_of(cat, e, c);
            int ln = k->tipo == 'S' ? k->boletas : k->lista_nominal;
            int64_t sum = 0;
            for (int col = 0; col < ncols; col++) {
                if (!prep_eleccion_aplica(el, u, col)) {
                    v[PREP_F_COL0 + col] = PREP_V_NA;
                    continue;
                }
                int w = el->cols[col].tipo == PREP_COL_PARTIDO ? ln / 6 + 1 : ln / 60 + 1;
                v[PREP_F_COL0 + col] = (prep_val)(ts_rand(&rng) % (unsigned)w);
                sum += v[PREP_F_COL0 + col];
            }
            v[PREP_F_NOREG(ncols)] = (prep_val)(ts_rand(&rng) % 3);
            v[PREP_F_NULOS(ncols)] = (prep_val)(ts_rand(&rng) % 12);
            sum += v[PREP_F_NOREG(ncols)] + v[PREP_F_NULOS(ncols)];
            v[PREP_F_SOBRANTES] = (prep_val)(ln > sum ? ln - sum : 0);
            v[PREP_F_PERSONAS] = (prep_val)sum;
            v[PREP_F_REPRESENTANTES] = (prep_val)(k->representantes / 2);
            v[PREP_F_SACADOS] = (prep_val)sum;
            v[PREP_F_ASENTADO(ncols)] = (prep_val)sum;
            if (kind == 1)
                v[PREP_F_COL0] = PREP_V_ILEGIBLE;
            prep_rule_limits lim;
            prep_tally_limits(k, &lim);
            prep_rules_eval(v, ncols, &lim, &a->res);
            se->n++;
        }
    }
    return 0;
}

#endif
