/* rules.c — Anexo 13 contabilización rules (see rules.h). Pure functions. */
#include "core/rules.h"

#include <stdio.h>
#include <string.h>

int64_t prep_rules_total_calculado(const prep_val *vals, int ncols)
{
    int64_t t = 0;
    for (int f = PREP_F_COL0; f <= PREP_F_NULOS(ncols); f++)
        t += prep_val_count(vals[f]);
    return t;
}

void prep_rules_eval(const prep_val *vals, int ncols, const prep_rule_limits *lim,
                     prep_rule_result *out)
{
    memset(out, 0, sizeof *out);
    int numbers = 0, blanks = 0;
    /* The vote fields: every column, NO_REGISTRADAS and NULOS. A column not
     * applicable in the unit ("-") is neither a number nor a blank. */
    for (int f = PREP_F_COL0; f <= PREP_F_NULOS(ncols); f++) {
        if (vals[f] >= 0)
            numbers++;
        else if (vals[f] == PREP_V_ILEGIBLE || vals[f] == PREP_V_SIN_DATO)
            blanks++;
    }
    out->total_calculado = prep_rules_total_calculado(vals, ncols);
    out->limite = (int64_t)(lim->especial ? lim->boletas : lim->lista_nominal) +
                  lim->representantes;
    if (numbers == 0)
        out->obs |= PREP_OBS_TODOS_ILEGIBLES;
    else if (blanks > 0)
        out->obs |= PREP_OBS_ALGUN_ILEGIBLE;
    if (out->total_calculado > out->limite)
        out->obs |= PREP_OBS_EXCEDE_LN;
    out->contabilizada = !(out->obs & (PREP_OBS_TODOS_ILEGIBLES | PREP_OBS_EXCEDE_LN));
    out->inconsistente = out->obs != 0;
}

void prep_rules_sin_acta(int motivo, prep_rule_result *out)
{
    memset(out, 0, sizeof *out);
    out->obs = PREP_OBS_SIN_ACTA;
    out->sin_acta_motivo = motivo;
    out->contabilizada = 0;
    out->inconsistente = 0;
}

static const char *const sin_acta_texts[PREP_SIN_ACTA__COUNT] = {
    [PREP_SIN_ACTA_NO_ENTREGADO] = "SIN ACTA POR PAQUETE NO ENTREGADO",
    [PREP_SIN_ACTA_NO_INSTALADA] = "SIN ACTA POR CASILLA NO INSTALADA",
    [PREP_SIN_ACTA_SIN_SOBRE] = "SIN ACTA POR PAQUETE ENTREGADO SIN SOBRE",
};
static const char *const sin_acta_codes[PREP_SIN_ACTA__COUNT] = {
    [PREP_SIN_ACTA_NO_ENTREGADO] = "paquete_no_entregado",
    [PREP_SIN_ACTA_NO_INSTALADA] = "casilla_no_instalada",
    [PREP_SIN_ACTA_SIN_SOBRE] = "sin_sobre",
};

const char *prep_sin_acta_texto(int motivo)
{
    return motivo > 0 && motivo < PREP_SIN_ACTA__COUNT ? sin_acta_texts[motivo] : NULL;
}

const char *prep_sin_acta_codigo(int motivo)
{
    return motivo > 0 && motivo < PREP_SIN_ACTA__COUNT ? sin_acta_codes[motivo] : NULL;
}

int prep_sin_acta_from_codigo(const char *codigo)
{
    for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
        if (codigo && strcmp(codigo, sin_acta_codes[m]) == 0)
            return m;
    return -1;
}

const char *prep_rules_observaciones(const prep_rule_result *r, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    /* Past the end of buf only measure (snprintf(NULL, 0)): never form a
     * pointer beyond the buffer. */
#define ADD(text)                                                                            \
    do {                                                                                     \
        int n_ = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s",   \
                          len ? ", " : "", text);                                            \
        len += n_ > 0 ? (size_t)n_ : 0;                                                      \
    } while (0)
    if (r->obs & PREP_OBS_SIN_ACTA) {
        const char *t = prep_sin_acta_texto(r->sin_acta_motivo);
        ADD(t ? t : "SIN ACTA");
    }
    if (r->obs & PREP_OBS_EXCEDE_LN)
        ADD("EXCEDE LISTA NOMINAL");
    if (r->obs & PREP_OBS_TODOS_ILEGIBLES)
        ADD("TODOS ILEGIBLES O SIN DATO");
    if (r->obs & PREP_OBS_ALGUN_ILEGIBLE)
        ADD("ALGUN DATO ILEGIBLE O SIN DATO");
#undef ADD
    return buf;
}

int64_t prep_pct_e4(int64_t num, int64_t den)
{
    if (den <= 0 || num <= 0)
        return 0;
    /* num * 1,000,000 fits in int64 for num < 9.2e12: far above any count. */
    return num * 1000000 / den;
}

const char *prep_pct_fmt(int64_t e4, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld.%04lld", (long long)(e4 / 10000), (long long)(e4 % 10000));
    return buf;
}
