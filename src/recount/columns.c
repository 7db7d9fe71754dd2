/* columns.c — what the column names of a published results CSV mean, across
 * INE 2018–2024 and the local institutes (OPL): ID_ESTADO or ID_ENTIDAD,
 * SHA or CODIGO_INTEGRIDAD, NO_REGISTRADOS or NO_REGISTRADAS, TOTAL_VOTOS_
 * CALCULADO(S), ... A name that is none of these is a vote column (party,
 * C_-prefixed or plain coalition combination, CAND_IND_n): the recount
 * decides by position (before NO_REGISTRADOS / NULOS), not by a party list. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/tally.h"
#include "recount/recount_int.h"

/* The ASCII letter of a UTF-8 accented Spanish letter (second byte after
 * 0xC3), or 0. */
static char fold(unsigned char b)
{
    static const char map[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUY";
    unsigned char lo = b >= 0xA0 ? (unsigned char)(b - 0x20) : b; /* á -> Á */
    if (lo < 0x80 || lo > 0x9D)
        return 0;
    char c = map[lo - 0x80];
    return c == 'x' ? 0 : c;
}

void rc_upper(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        char a = c == 0xC3 && s[1] ? fold((unsigned char)s[1]) : 0;
        if (a) {
            out[n++] = a;
            s++;
        } else {
            out[n++] = (char)(c < 0x80 ? toupper(c) : c);
        }
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    if (cap)
        out[n] = '\0';
}

static const struct {
    const char *name;
    rc_col_role role;
} exact[] = {
    {"CLAVE_CASILLA", RC_COL_CLAVE_CASILLA},
    {"CLAVE_ACTA", RC_COL_CLAVE_ACTA},
    {"TIPO_CASILLA", RC_COL_TIPO_CASILLA},
    {"NO_REGISTRADAS", RC_COL_NOREG},
    {"NO_REGISTRADOS", RC_COL_NOREG},
    {"CANDIDATOS_NO_REGISTRADOS", RC_COL_NOREG},
    {"CANDIDATURAS_NO_REGISTRADAS", RC_COL_NOREG},
    {"VOTOS_NO_REGISTRADOS", RC_COL_NOREG},
    {"CANDIDATO/A_NO_REGISTRADO/A", RC_COL_NOREG},
    {"CNR", RC_COL_NOREG},                  /* INE's catalogue short names */
    {"NUM_VOTOS_CAN_NREG", RC_COL_NOREG},   /* INE 2012-2015 */
    {"NULOS", RC_COL_NULOS},
    {"VOTOS_NULOS", RC_COL_NULOS},
    {"VN", RC_COL_NULOS},
    {"NUM_VOTOS_NULOS", RC_COL_NULOS},
    {"TOTAL_VOTOS_CALCULADO", RC_COL_CALCULADO},
    {"TOTAL_VOTOS_CALCULADOS", RC_COL_CALCULADO},
    {"TOTAL_VOTOS", RC_COL_CALCULADO},      /* INE 2019 */
    {"LISTA_NOMINAL", RC_COL_LISTA_NOMINAL},
    {"LISTA_NOMINAL_CASILLA", RC_COL_LISTA_NOMINAL},
    {"REPRESENTANTES_PP_CI", RC_COL_REPRESENTANTES},
    {"REPRESENTANTES", RC_COL_REPRESENTANTES},
    {"OBSERVACIONES", RC_COL_OBSERVACIONES},
    {"CONTABILIZADA", RC_COL_CONTABILIZADA},
    {"CONTABILIZA", RC_COL_CONTABILIZADA},
    {"SHA", RC_COL_HASH},
    {"SHA256", RC_COL_HASH},
    {"CODIGO_INTEGRIDAD", RC_COL_HASH},
    {"HASH", RC_COL_HASH},
    {"FECHA_HORA_ACOPIO", RC_COL_T_ACOPIO},
    {"FECHA_HORA_CAPTURA", RC_COL_T_CAPTURA},
    {"FECHA_HORA_VERIFICACION", RC_COL_T_VERIFICACION},
    {"ORIGEN", RC_COL_ORIGEN},
    /* The unit an acta belongs to, to tell a clave in two units from a
     * repeated row; the first of these a file has is used. */
    {"ID_MUNICIPIO", RC_COL_UNIDAD},
    {"ID_DISTRITO_LOCAL", RC_COL_UNIDAD},
    {"ID_DISTRITO", RC_COL_UNIDAD},
    {"ID_DISTRITO_FEDERAL", RC_COL_UNIDAD},
    {"ID_DEMARCACION", RC_COL_UNIDAD},
    {"ID_DEMARCACION_TERRITORIAL", RC_COL_UNIDAD},
    {"ID_JUNTA", RC_COL_UNIDAD},
    {"ID_JUNTA_MUNICIPAL", RC_COL_UNIDAD},
    /* Known and not needed: identification, cuadre, publication metadata. */
    {"ESTADO", RC_COL_OTHER},
    {"ENTIDAD", RC_COL_OTHER},
    {"SECCION", RC_COL_OTHER},
    {"CASILLA", RC_COL_OTHER},
    {"EXT_CONTIGUA", RC_COL_OTHER},
    {"UBICACION_CASILLA", RC_COL_OTHER},
    {"TIPO_ACTA", RC_COL_OTHER},
    {"MECANISMOS_TRASLADO", RC_COL_OTHER},
    {"MECANISMO_TRASLADO", RC_COL_OTHER},
    {"DIGITALIZACION", RC_COL_OTHER},
    {"TIPO_DOCUMENTO", RC_COL_OTHER},
    {"COTEJADA", RC_COL_OTHER},
    {"TOTAL_VOTOS_ASENTADO", RC_COL_OTHER},
    {"TOTAL_VOTOS_ASENTADOS", RC_COL_OTHER},
    {"VOTOS_ASENTADOS", RC_COL_OTHER},
    {"VOTOS_SACADOS", RC_COL_OTHER},
    {"CIRCUNSCRIPCION", RC_COL_OTHER},
};

/* Prefixes of known non-vote names: ID_ESTADO, ID_DISTRITO_LOCAL,
 * NOMBRE_ESTADO, DISTRITO_FEDERAL, MUNICIPIO, DEMARCACION, the cuadre
 * fields (TOTAL_BOLETAS_SOBRANTES, NUM_BOLETAS_EXTRAIDAS, REPRESENTANTES_P_
 * VOTARON, CODIGOS_...) and other FECHA_ / DIGITALIZ... columns. Exact names
 * are tried first, so REPRESENTANTES_PP_CI keeps its meaning. */
static const char *const other_prefix[] = {
    "ID_", "NOMBRE_", "DISTRITO", "MUNICIPIO", "DEMARCACION", "TOTAL_", "NUM_",
    "BOLETAS", "CODIGOS_", "FECHA", "PERSONAS_", "CIUDADANOS_", "REPRESENTANTES_",
    "DIGITALIZ", "SOBRES_",
};

rc_col_role rc_column_role(const char *name)
{
    char u[64];
    rc_upper(name, u, sizeof u);
    for (char *p = u; *p; p++)
        if (*p == ' ')
            *p = '_'; /* "VOTOS NULOS" (cómputos files) is VOTOS_NULOS */
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(u, exact[i].name) == 0)
            return exact[i].role;
    for (size_t i = 0; i < sizeof other_prefix / sizeof other_prefix[0]; i++)
        if (strncmp(u, other_prefix[i], strlen(other_prefix[i])) == 0)
            return RC_COL_OTHER;
    return RC_COL_VOTE;
}

int rc_summary_index(const char *name)
{
    static const struct {
        const char *name;
        int i;
    } alias[] = {
        {"ACTAS_FUERA_DE_CATALOGO", 2},
        {"PORCENTAJE_ACTAS_CON_INCONSISTENCIAS", 7},
        {"LISTA_NOMINAL_ACTAS_CONTABILZADAS", 9}, /* sic, INE 2021 LEEME */
    };
    char u[64];
    rc_upper(name, u, sizeof u);
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
        if (strcmp(u, prep_summary_names[i]) == 0)
            return i;
    for (size_t k = 0; k < sizeof alias / sizeof alias[0]; k++)
        if (strcmp(u, alias[k].name) == 0)
            return alias[k].i;
    return -1;
}
