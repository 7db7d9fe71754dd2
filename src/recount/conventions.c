/* conventions.c — the institutes' own conventions that `prep audit` reports
 * apart from differences (see prep_recount_conv in recount.h): their stable
 * names, what each means in one Spanish sentence, the institutes whose real
 * files are known to follow it, and the rows each applies to. Which row
 * follows which convention is decided by acta_check.c and recount.c. */
#include <stdlib.h>

#include "recount/recount.h"
#include "recount/recount_int.h"

static const struct {
    const char *name, *text, *institutes;
} conv[PREP_RCV__COUNT] = {
    [PREP_RCV_VOTOS_EN_CERO] = {"votos_en_cero",
        "acta no contabilizada (EXCEDE LISTA NOMINAL o TODOS ILEGIBLES) publicada con todos sus "
        "campos de votos en 0: se toma la razón publicada",
        "IEEC Campeche 2021, IEE Puebla 2018"},
    [PREP_RCV_ILEGIBLE_COMO_CERO] = {"ilegible_como_cero",
        "ALGÚN CAMPO ILEGIBLE O SIN DATO en un acta cuyos campos publicados son todos números o "
        "-: el campo ilegible se publicó como número",
        "IEEC Campeche 2021, IEE Sonora 2021"},
    [PREP_RCV_TOTAL_VACIO] = {"total_sin_numero",
        "TOTAL_VOTOS_CALCULADO vacío o Ilegible en un acta sin ningún número",
        "IEE Sonora 2021, IEEC Campeche 2021, IEE Puebla 2018"},
    [PREP_RCV_CLAVE_DOS_UNIDADES] = {"clave_en_dos_unidades",
        "la misma clave de acta en dos unidades (municipios o juntas) distintas: una sección "
        "repartida entre ellas",
        "IEEC Campeche 2021"},
    [PREP_RCV_CAPTURA_CASILLA] = {"captura_antes_de_acopio_casilla",
        "acta de PREP Casilla (ORIGEN CASILLA) capturada de la foto antes de que el acta en "
        "papel llegara al CATD: así es el proceso",
        "IEC Coahuila 2023, IECM 2024"},
    [PREP_RCV_LISTA_NOMINAL_CERO] = {"lista_nominal_cero",
        "LISTA_NOMINAL 0 en un acta que no es de casilla especial (voto anticipado, voto desde "
        "el extranjero): no hay límite que comprobar",
        "IEE Puebla 2018, IEEM 2024, IEC Coahuila 2023"},
    [PREP_RCV_REGISTRADAS] = {"actas_registradas",
        "ACTAS_REGISTRADAS contadas de otra manera que la de los lineamientos vigentes",
        "IEE Puebla 2018, IEEC Campeche 2021"},
    [PREP_RCV_PARTICIPACION] = {"participacion",
        "PORCENTAJE_PARTICIPACION_CIUDADANA con la fórmula del otro tipo de corte (con o sin "
        "casillas especiales)",
        "LEEME anteriores a 2021"},
    [PREP_RCV_REDONDEO] = {"porcentaje_redondeado",
        "porcentaje del resumen redondeado al cuarto decimal en lugar de truncado",
        "IECM 2024"},
    [PREP_RCV_RAZON_PRINCIPAL] = {"razon_principal",
        "OBSERVACIONES dice solo la razón que decide (EXCEDE LISTA NOMINAL) y calla que algún "
        "campo es ilegible o sin dato",
        "IECM 2024"},
    [PREP_RCV_INCONSISTENCIAS] = {"inconsistencias_no_contabilizadas",
        "PORCENTAJE_ACTAS_INCONSISTENCIAS cuenta solo las actas que quedan fuera del cómputo "
        "(EXCEDE LISTA NOMINAL, TODOS ILEGIBLES), no las que tienen algún campo ilegible",
        "IEEC Campeche 2021"},
};

const char *prep_recount_conv_name(prep_recount_conv c)
{
    return c >= 0 && c < PREP_RCV__COUNT ? conv[c].name : "?";
}

const char *prep_recount_conv_text(prep_recount_conv c)
{
    return c >= 0 && c < PREP_RCV__COUNT ? conv[c].text : "?";
}

const char *prep_recount_conv_institutes(prep_recount_conv c)
{
    return c >= 0 && c < PREP_RCV__COUNT ? conv[c].institutes : "?";
}

void rc_convention(rc_ctx *x, prep_recount_conv c, long line)
{
    prep_recount_conv_rows *cr = &x->r->conv[c];
    cr->count++;
    if (cr->nlines == cr->cap) {
        size_t cap = cr->cap ? cr->cap * 2 : 16;
        void *p = realloc(cr->lines, sizeof *cr->lines * cap);
        if (!p) {
            x->r->nomem = 1;
            return;
        }
        cr->lines = p;
        cr->cap = cap;
    }
    cr->lines[cr->nlines++] = line;
}
