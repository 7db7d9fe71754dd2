/* values.c — parsing, formatting and comparing captured figures. */
#include "core/values.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int prep_val_valid(prep_val v)
{
    return (v >= 0 && v <= PREP_V_MAX) || v == PREP_V_ILEGIBLE || v == PREP_V_SIN_DATO ||
           v == PREP_V_NA;
}

int prep_val_parse(const char *s, prep_val *out)
{
    if (!s || !*s)
        return -1;
    if (strcasecmp(s, "ilegible") == 0) {
        *out = PREP_V_ILEGIBLE;
        return 0;
    }
    if (strcasecmp(s, "sin dato") == 0) {
        *out = PREP_V_SIN_DATO;
        return 0;
    }
    if (strcmp(s, "-") == 0) {
        *out = PREP_V_NA;
        return 0;
    }
    int64_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        n = n * 10 + (*p - '0');
        if (n > PREP_V_MAX)
            return -1;
    }
    *out = (prep_val)n;
    return 0;
}

const char *prep_val_fmt(prep_val v, char *buf)
{
    switch (v) {
    case PREP_V_ILEGIBLE: return "Ilegible";
    case PREP_V_SIN_DATO: return "Sin dato";
    case PREP_V_NA: return "-";
    default: snprintf(buf, 12, "%d", (int)v); return buf;
    }
}

const char *prep_field_fixed_name(int field, int ncols)
{
    static const char *head[] = {"TOTAL_BOLETAS_SOBRANTES", "TOTAL_PERSONAS_VOTARON",
                                 "TOTAL_REP_PARTIDO_CI_VOTARON", "TOTAL_VOTOS_SACADOS"};
    if (field >= 0 && field < PREP_F_COL0)
        return head[field];
    if (field == PREP_F_NOREG(ncols))
        return "NO_REGISTRADAS";
    if (field == PREP_F_NULOS(ncols))
        return "NULOS";
    if (field == PREP_F_ASENTADO(ncols))
        return "TOTAL_VOTOS_ASENTADO";
    return NULL;
}

int prep_vals_equal(const prep_val *a, const prep_val *b, int nfields)
{
    return memcmp(a, b, sizeof *a * (size_t)nfields) == 0;
}

size_t prep_vals_encode(const prep_val *v, int nfields, char *buf, size_t cap)
{
    size_t len = 0;
    char tmp[12];
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < nfields; i++) {
        int n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s",
                         i ? "," : "",
                         prep_val_fmt(v[i], tmp));
        len += (size_t)n;
    }
    return len;
}

int prep_vals_decode(const char *s, prep_val *v, int nfields)
{
    char tok[16];
    for (int i = 0; i < nfields; i++) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n >= sizeof tok)
            return -1;
        memcpy(tok, s, n);
        tok[n] = '\0';
        if (prep_val_parse(tok, &v[i]) < 0)
            return -1;
        int last = (i == nfields - 1);
        if (last != !comma)
            return -1; /* too few or too many fields */
        if (comma)
            s = comma + 1;
    }
    return nfields > 0 ? 0 : -1;
}
