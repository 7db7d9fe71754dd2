/* csv_form.c — cells of the INE and IECM publication forms (see csv_form.h).
 * The IECM texts are copied from IECM's 2024 simulacro file
 * (tests/fixtures/iecm-2024/). */
#include "publish/csv_form.h"

#include <stdio.h>
#include <string.h>

#define IECM(cat) ((cat)->formato == PREP_FORMATO_IECM)

static const char IECM_ZONE[] = " (UTC-6)";

const char *prep_csv_eol(const prep_catalog *cat)
{
    return IECM(cat) ? "\n" : "\r\n";
}

int prep_csv_has_bom(const prep_catalog *cat)
{
    return !IECM(cat);
}

void prep_csv_cell(prep_buf *b, const prep_catalog *cat, const char *s)
{
    if (strpbrk(s, IECM(cat) ? ",\"\r\n \t\\" : ",\"\r\n"))
        prep_csv_quoted(b, s);
    else
        prep_buf_puts(b, s);
}

void prep_csv_cell_rfc(prep_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n"))
        prep_csv_quoted(b, s);
    else
        prep_buf_puts(b, s);
}

void prep_csv_quoted(prep_buf *b, const char *s)
{
    prep_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            prep_buf_putc(b, '"');
        prep_buf_putc(b, *p);
    }
    prep_buf_putc(b, '"');
}

const char *prep_csv_num(const prep_catalog *cat, long long v, int width, char *out)
{
    snprintf(out, 24, "%0*lld", IECM(cat) ? width : 0, v);
    return out;
}

const char *prep_csv_clave(const prep_catalog *cat, const char *clave, const char *tipo_acta,
                           char *out)
{
    if (IECM(cat)) {
        /* IECM's 2024 file ends CLAVE_ACTA with TIPO_CASILLA and ID_CASILLA
         * again (090056C0200 -> 090056C0200C02), not with TIPO_ACTA as its
         * LEEME says: the file is what was published. */
        if (tipo_acta)
            snprintf(out, 40, "%s%.3s", clave, clave + 6);
        else
            snprintf(out, 40, "%s", clave);
        return out;
    }
    snprintf(out, 40, "'%s%s'", clave, tipo_acta ? tipo_acta : "");
    return out;
}

int prep_csv_clave_parse(const prep_catalog *cat, const char *s, char *out)
{
    size_t n = strlen(s);
    if (!IECM(cat)) {
        if (n != 13 || s[0] != '\'' || s[12] != '\'')
            return -1;
        s++;
    } else if (n != 11) {
        return -1;
    }
    memcpy(out, s, 11);
    out[11] = '\0';
    return 0;
}

const char *prep_csv_val(const prep_catalog *cat, prep_val v, char *out)
{
    if (!IECM(cat) || v >= 0)
        return prep_val_fmt(v, out);
    return v == PREP_V_ILEGIBLE ? "ILEGIBLE " : v == PREP_V_SIN_DATO ? "SIN DATO" : "";
}

int prep_csv_val_parse(const prep_catalog *cat, const char *s, prep_val *out)
{
    if (!IECM(cat))
        return prep_val_parse(s, out);
    static const prep_val special[] = {PREP_V_ILEGIBLE, PREP_V_SIN_DATO, PREP_V_NA};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        char tmp[16];
        if (strcmp(s, prep_csv_val(cat, special[i], tmp)) == 0) {
            *out = special[i];
            return 0;
        }
    }
    if (*s < '0' || *s > '9') /* only digits beyond the three texts above */
        return -1;
    return prep_val_parse(s, out);
}

const char *prep_csv_sin_acta_val(const prep_catalog *cat)
{
    return IECM(cat) ? "SIN ACTA" : "-";
}

const char *prep_csv_no_total(const prep_catalog *cat)
{
    return IECM(cat) ? "" : "-";
}

int prep_csv_total_hidden(const prep_catalog *cat, const prep_rule_result *r)
{
    if (r->obs & PREP_OBS_SIN_ACTA)
        return 1;
    return IECM(cat) && (r->obs & PREP_OBS_TODOS_ILEGIBLES);
}

const char *prep_csv_time(const prep_catalog *cat, prep_time t, char *out)
{
    prep_time_fmt(t, out);
    if (t && IECM(cat))
        strcat(out, IECM_ZONE);
    return out;
}

int prep_csv_time_parse(const prep_catalog *cat, const char *s, prep_time *out)
{
    size_t n = strlen(s), z = IECM(cat) ? sizeof IECM_ZONE - 1 : 0;
    char tmp[24];
    if (n != 19 + z || (z && strcmp(s + 19, IECM_ZONE) != 0))
        return -1;
    memcpy(tmp, s, 19);
    tmp[19] = '\0';
    return prep_time_parse(tmp, out);
}

const char *prep_csv_corte_time(const prep_catalog *cat, prep_time t, char *out)
{
    prep_time_fmt_min(t, out);
    strcat(out, IECM(cat) ? "(UTC-6)" : " (UTC-6)");
    return out;
}

const char *prep_csv_obs(const prep_catalog *cat, const prep_rule_result *r, char *buf,
                         size_t cap)
{
    if (!IECM(cat))
        return prep_rules_observaciones(r, buf, cap);
    /* One observation, the strongest: IECM's LEEME says EXCEDE LISTA NOMINAL
     * prevails over the others. */
    const char *t = "--";
    if (r->obs & PREP_OBS_SIN_ACTA) {
        t = prep_sin_acta_texto(r->sin_acta_motivo);
        t = t ? t : "SIN ACTA";
    } else if (r->obs & PREP_OBS_EXCEDE_LN) {
        t = "EXCEDE LISTA NOMINAL";
    } else if (r->obs & PREP_OBS_TODOS_ILEGIBLES) {
        t = "TODOS ILEGIBLES O SIN DATO";
    } else if (r->obs & PREP_OBS_ALGUN_ILEGIBLE) {
        t = "ALGUN CAMPO ILEGIBLE O SIN DATOS";
    }
    snprintf(buf, cap, "%s", t);
    return buf;
}

const char *prep_csv_none(const prep_catalog *cat)
{
    return IECM(cat) ? "N/A" : "";
}

const char *prep_csv_tipo_doc(const prep_catalog *cat)
{
    return IECM(cat) ? "ACTA PREP" : "Acta PREP";
}

const char *prep_csv_blank_line(const prep_catalog *cat)
{
    return IECM(cat) ? "\"\t\",\"\t\",\"\t\",\"\t\"" : "";
}
