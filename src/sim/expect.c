/* expect.c — what the final corte must publish for the truth of a drill:
 * each acta's kind (published, sin acta, never registered), its values and
 * its rule result, and the 13 summary fields of each election. Every number
 * comes from src/core/rules.h and tally.h applied to the truth; nothing is
 * counted here by hand. No I/O. */
#include <string.h>

#include "sim/sim.h"

void sim_expect_acta(const sim_truth *t, int e, int c, sim_expect *out)
{
    memset(out, 0, sizeof *out);
    const sim_casilla *s = &t->cas[c];
    const prep_catalog *cat = t->cat;
    if (s->faults & SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA)) {
        out->kind = SIM_EXP_SIN_ACTA;
        prep_rules_sin_acta(s->motivo, &out->res);
        return;
    }
    if (s->t_photo < 0 && s->t_arrival < 0) {
        out->kind = SIM_EXP_NONE;
        return;
    }
    out->kind = SIM_EXP_PUBLICADA;
    out->vals = t->el[e].actas[c].vals;
    out->acopio = s->t_arrival >= 0;
    prep_rule_limits lim;
    prep_tally_limits(&cat->casillas[c], &lim);
    prep_rules_eval(out->vals, cat->elecciones[e].ncols, &lim, &out->res);
}

void sim_expect_summary(const sim_truth *t, int e, prep_summary *out)
{
    const prep_catalog *cat = t->cat;
    prep_tally tally;
    prep_tally_init(&tally, cat->elecciones[e].ncols, cat->ncasillas);
    for (int c = 0; c < cat->ncasillas; c++) {
        sim_expect x;
        sim_expect_acta(t, e, c, &x);
        if (x.kind != SIM_EXP_NONE)
            prep_tally_add(&tally, x.vals, &x.res, &cat->casillas[c]);
    }
    for (int i = 0; i < t->nfuera; i++)
        if (t->fuera[i].eleccion == e)
            prep_tally_add_fuera(&tally);
    prep_summary_compute(&tally.s, 1);
    *out = tally.s;
}
