/* leeme.c — LEEME.txt of one election's database (Spanish, public text):
 * what the ZIP holds, the two sections of the results file, every header
 * and acta column with its allowed values, and the candidaturas file.
 * The text is fixed here; only names that depend on the catalog (election,
 * files, unit columns, parties, combinations, independientes) are filled in.
 * Line ends are CRLF like the CSV files in the INE form; the IECM form has its
 * own texts for what differs (csv_form.h) and LF, as IECM's leeme.txt. */
#include <stdio.h>
#include <string.h>

#include "publish/csv_out.h"
#include "publish/names.h"

/* Text blocks; "\n" becomes CRLF on output. */
static const char intro[] =
    "PROGRAMA DE RESULTADOS ELECTORALES PRELIMINARES (PREP)\n"
    "%s\n"
    "%s\n"
    "\n"
    "Este archivo describe la base de datos de la elección %s que se publica en\n"
    "cada corte del PREP. Los datos son preliminares: no son los resultados\n"
    "definitivos, que se obtienen en los cómputos.\n"
    "\n"
    "1. ARCHIVOS\n"
    "\n"
    "El archivo comprimido AAAAMMDD_HHMM_PREP_%s_%s.zip (AAAAMMDD_HHMM es la fecha y hora\n"
    "del corte, tiempo del centro de México, UTC-6) contiene:\n"
    "\n"
    "  %s  resultados: un renglón por cada Acta PREP registrada.\n"
    "  %s  candidaturas: qué candidatura corresponde a cada columna de votos.\n"
    "  %s  este documento.\n"
    "\n"
    "%s"
    "\n"
    "Cada corte se publica también firmado: el archivo MANIFEST del corte lista el\n"
    "SHA-256 de cada archivo y MANIFEST.sig es su firma Ed25519. Cualquier persona puede\n"
    "comprobarlo con el programa: prep verify <directorio o paquete del corte>.\n"
    "\n"
    "2. ARCHIVO DE RESULTADOS (%s)\n"
    "\n"
    "Tiene dos secciones.\n"
    "\n"
    "2.1 Encabezado\n"
    "\n"
    "  Renglón 1: nombre de la elección.\n"
    "  Renglón 2: fecha y hora del corte, %s.\n"
    "  Renglón 3: %s.\n"
    "  Renglón 4: nombres de los 13 campos de resumen.\n"
    "  Renglón 5: sus valores.\n"
    "  Renglón 6: %s.\n"
    "\n"
    "Campos de resumen:\n"
    "\n"
    "  ACTAS_ESPERADAS: número de Actas PREP de todas las casillas aprobadas para la\n"
    "    elección (catálogo de actas esperadas).\n"
    "  ACTAS_REGISTRADAS: Actas PREP registradas en el sistema al momento del corte,\n"
    "    contabilizadas o no, incluidas las fuera de catálogo.\n"
    "    ACTAS_REGISTRADAS = ACTAS_CAPTURADAS + ACTAS_FUERA_CATALOGO.\n"
    "  ACTAS_FUERA_CATALOGO: actas registradas cuyos datos de identificación no\n"
    "    permiten asociarlas a una casilla aprobada. No cuentan como capturadas ni en\n"
    "    el porcentaje de actas con inconsistencias.\n"
    "  ACTAS_CAPTURADAS: actas registradas que pertenecen al catálogo, contabilizadas o\n"
    "    no (incluye las registradas sin acta).\n"
    "  PORCENTAJE_ACTAS_CAPTURADAS: ACTAS_CAPTURADAS x 100 / ACTAS_ESPERADAS.\n"
    "  ACTAS_CONTABILIZADAS: actas de casillas aprobadas cuyos votos se suman\n"
    "    (CONTABILIZADA = 1).\n"
    "  PORCENTAJE_ACTAS_CONTABILIZADAS: ACTAS_CONTABILIZADAS x 100 / ACTAS_ESPERADAS.\n"
    "  PORCENTAJE_ACTAS_INCONSISTENCIAS: actas con alguna inconsistencia (excede lista\n"
    "    nominal, algún dato ilegible o sin dato, todos ilegibles o sin dato) x 100 /\n"
    "    ACTAS_ESPERADAS. No cuentan las actas sin acta ni las fuera de catálogo.\n"
    "  ACTAS_NO_CONTABILIZADAS: ACTAS_CAPTURADAS - ACTAS_CONTABILIZADAS.\n"
    "  LISTA_NOMINAL_ACTAS_CONTABILIZADAS: suma de LISTA_NOMINAL de las actas\n"
    "    contabilizadas.\n"
    "  TOTAL_VOTOS_C_CS: suma de TOTAL_VOTOS_CALCULADO de las actas contabilizadas,\n"
    "    con casillas especiales.\n"
    "  TOTAL_VOTOS_S_CS: la misma suma sin las casillas especiales.\n"
    "  PORCENTAJE_PARTICIPACION_CIUDADANA: TOTAL_VOTOS_S_CS x 100 /\n"
    "    LISTA_NOMINAL_ACTAS_CONTABILIZADAS durante la operación; en el último corte se\n"
    "    usa TOTAL_VOTOS_C_CS (los votos de casillas especiales se incluyen).\n"
    "\n"
    "Todos los porcentajes se muestran con cuatro decimales, truncados (no\n"
    "redondeados). Por presentación, los decimales de los porcentajes muestran sólo\n"
    "cuatro dígitos. No obstante, al considerar todos los decimales, suman 100%%.\n"
    "\n"
    "2.2 Datos de las actas\n"
    "\n"
    "  Renglón 7: nombres de las columnas. Desde el renglón 8, un renglón por Acta\n"
    "  PREP registrada, ordenado por %s, sección, tipo de casilla, número de casilla\n"
    "  y extensión contigua; al final, las actas fuera de catálogo.\n"
    "\n";

static const char format_ine[] =
    "Formato de los archivos CSV: texto UTF-8 con marca de orden de bytes (BOM), campos\n"
    "separados por coma, renglones terminados en CR LF. Un campo que contiene comas o\n"
    "comillas va entre comillas dobles, como indica el RFC 4180. Las claves de casilla y\n"
    "de acta se escriben entre apóstrofos ('090123B0100') para que las hojas de cálculo\n"
    "conserven los ceros a la izquierda.\n";

static const char format_iecm[] =
    "Formato del archivo de resultados: texto UTF-8 sin marca de orden de bytes (BOM),\n"
    "campos separados por coma, renglones terminados en LF. Van entre comillas dobles los\n"
    "campos que contienen espacios, comas o comillas. Las claves de casilla y de acta se\n"
    "escriben sin comillas ni apóstrofos (090123B0100) y los identificadores numéricos con\n"
    "ceros a la izquierda (ID_ENTIDAD 09, distrito 003, SECCION 0123, ID_CASILLA 01). El\n"
    "archivo de candidaturas lleva BOM y renglones terminados en CR LF.\n";

static const char columns_a[] =
    "  CLAVE_CASILLA: clave de la casilla: ID_ENTIDAD (2 dígitos), SECCION (4), TIPO_CASILLA\n"
    "    (1), ID_CASILLA (2) y EXT_CONTIGUA (2), entre apóstrofos. '-' si el acta está\n"
    "    fuera de catálogo.\n"
    "  CLAVE_ACTA: CLAVE_CASILLA seguida de TIPO_ACTA, entre apóstrofos.\n"
    "  ID_ENTIDAD, ENTIDAD: número y nombre de la entidad federativa.\n";

static const char columns_b[] =
    "  SECCION: sección electoral.\n"
    "  ID_CASILLA: número de la casilla.\n"
    "  TIPO_CASILLA: B básica, C contigua, E extraordinaria, S especial.\n"
    "  EXT_CONTIGUA: número de extensión contigua (0 si no es contigua de una\n"
    "    extraordinaria).\n"
    "  UBICACION_CASILLA: 1 urbana, 2 no urbana.\n"
    "  TIPO_ACTA: número de tipo de acta impreso en el Acta PREP (%s; %s en casillas\n"
    "    especiales).\n"
    "  TOTAL_BOLETAS_SOBRANTES: boletas sobrantes asentadas en el acta.\n"
    "  TOTAL_PERSONAS_VOTARON: personas que votaron, asentado en el acta.\n"
    "  TOTAL_REP_PARTIDO_CI_VOTARON: representantes de partidos y candidaturas\n"
    "    independientes que votaron en la casilla sin estar en la lista nominal.\n"
    "  TOTAL_VOTOS_SACADOS: votos sacados de la urna, asentado en el acta.\n";

static const char columns_c[] =
    "  NO_REGISTRADAS: votos por candidaturas no registradas.\n"
    "  NULOS: votos nulos.\n"
    "  TOTAL_VOTOS_ASENTADO: total de votos asentado en el acta.\n"
    "  TOTAL_VOTOS_CALCULADO: suma calculada por el sistema de los votos de partidos,\n"
    "    combinaciones de coalición, candidaturas independientes, no registradas y\n"
    "    nulos (Ilegible y Sin dato cuentan como 0). '-' en actas sin acta.\n"
    "  LISTA_NOMINAL: ciudadanos en la lista nominal de la casilla (0 en casillas\n"
    "    especiales).\n"
    "  REPRESENTANTES_PP_CI: representantes de partidos políticos y candidaturas\n"
    "    independientes acreditados ante la casilla.\n"
    "  OBSERVACIONES: por qué un acta no se contabiliza o tiene inconsistencias; puede\n"
    "    combinar varios valores separados por coma:\n"
    "      EXCEDE LISTA NOMINAL: TOTAL_VOTOS_CALCULADO es mayor que LISTA_NOMINAL más\n"
    "        REPRESENTANTES_PP_CI (en casilla especial: mayor que las boletas aprobadas\n"
    "        más los representantes). El acta no se contabiliza.\n"
    "      TODOS ILEGIBLES O SIN DATO: ningún campo de votos tiene una cantidad legible.\n"
    "        El acta no se contabiliza.\n"
    "      ALGUN DATO ILEGIBLE O SIN DATO: algún campo de votos es Ilegible o Sin dato\n"
    "        (cuenta como 0); el acta sí se contabiliza.\n"
    "      SIN ACTA POR PAQUETE NO ENTREGADO, SIN ACTA POR CASILLA NO INSTALADA,\n"
    "      SIN ACTA POR PAQUETE ENTREGADO SIN SOBRE: el Acta PREP no llegó al CATD; no\n"
    "        se contabiliza.\n"
    "      FUERA DE CATALOGO: el acta no pudo asociarse a una casilla aprobada.\n"
    "    Vacío cuando no hay nada que señalar.\n"
    "  CONTABILIZADA: 1 el acta se contabiliza; 0 no se contabiliza (la razón está en\n"
    "    OBSERVACIONES); 2 acta fuera de catálogo.\n"
    "  MECANISMOS_TRASLADO: D dispositivo de apoyo para el traslado de presidentes de\n"
    "    mesa directiva de casilla; F centro de recepción y traslado fijo; I centro de\n"
    "    recepción y traslado itinerante; vacío si no aplica.\n"
    "  CODIGO_INTEGRIDAD: SHA-256 (64 caracteres hexadecimales en minúsculas) de los\n"
    "    bytes exactos de la imagen del Acta PREP publicada. Cualquiera puede\n"
    "    recalcularlo sobre la imagen (p. ej. sha256sum imagen.jpg).\n"
    "  FECHA_HORA_ACOPIO: fecha y hora (dd/mm/AAAA HH:MM:SS, UTC-6) de recepción del\n"
    "    Acta PREP en el CATD; para un acta digitalizada antes de su acopio (por ejemplo\n"
    "    desde la casilla con PREP Casilla), la hora en que se recibió su imagen.\n"
    "  FECHA_HORA_CAPTURA: fecha y hora de la captura de los datos.\n"
    "  FECHA_HORA_VERIFICACION: fecha y hora de la verificación de los datos.\n"
    "  ORIGEN: CASILLA (imagen tomada en la casilla con PREP Casilla) o CATD (imagen\n"
    "    digitalizada en el Centro de Acopio y Transmisión de Datos).\n"
    "  DIGITALIZACION: MOVIL (dispositivo móvil) o ESCANER.\n"
    "  TIPO_DOCUMENTO: documento digitalizado; Acta PREP.\n"
    "  COTEJADA: 0 aún no cotejada; 1 cotejada y aceptada; 2 cotejada después de\n"
    "    corregida; 3 cotejada sin aceptar (en corrección).\n"
    "\n"
    "Valores especiales en los campos de votos y de cuadre:\n"
    "  Ilegible: la cantidad no puede leerse ni en letra ni en número; cuenta como 0.\n"
    "  Sin dato: la cantidad no se asentó; cuenta como 0.\n"
    "  -: no aplica (la coalición o candidatura no compite en ese ámbito, acta sin acta\n"
    "    o fuera de catálogo).\n"
    "\n"
    "Los votos de una coalición se publican por columna: cada partido y cada combinación\n"
    "de sus partidos. El total de la candidatura de la coalición es la suma de las\n"
    "columnas de sus partidos y de todas sus combinaciones. El PREP no distribuye los\n"
    "votos de las combinaciones entre los partidos.\n"
    "\n";

static const char columns_a_iecm[] =
    "  CLAVE_CASILLA: clave de la casilla: ID_ENTIDAD (2 dígitos), SECCION (4), TIPO_CASILLA\n"
    "    (1), ID_CASILLA (2) y EXT_CONTIGUA (2). '-' si el acta está fuera de catálogo.\n"
    "  CLAVE_ACTA: CLAVE_CASILLA seguida de TIPO_CASILLA e ID_CASILLA (090123C0200C02).\n"
    "  ID_ENTIDAD, ENTIDAD: número (2 dígitos) y nombre de la entidad federativa.\n";

static const char columns_b_iecm[] =
    "  SECCION: sección electoral (4 dígitos).\n"
    "  ID_CASILLA: número de la casilla (2 dígitos).\n"
    "  TIPO_CASILLA: B básica, C contigua, E extraordinaria, S especial.\n"
    "  EXT_CONTIGUA: número de extensión contigua (2 dígitos; 00 si no es contigua de una\n"
    "    extraordinaria).\n"
    "  UBICACION_CASILLA: 01 urbana, 02 no urbana.\n"
    "  TIPO_ACTA: número de acta impreso en el Acta PREP (%s; %s en casillas\n"
    "    especiales).\n"
    "  TOTAL_BOLETAS_SOBRANTES: boletas sobrantes asentadas en el acta.\n"
    "  PERSONAS_VOTARON: personas que votaron, asentado en el acta.\n"
    "  TOTAL_REP_PARTIDO_CI_VOTARON: representantes de partidos y candidaturas\n"
    "    independientes que votaron en la casilla sin estar en la lista nominal.\n"
    "  TOTAL_VOTOS_SACADOS: votos sacados de la urna, asentado en el acta.\n";

static const char columns_c_iecm[] =
    "  NO_REGISTRADAS: votos por candidaturas no registradas.\n"
    "  NULOS: votos nulos.\n"
    "  TOTAL_VOTOS_ASENTADO: total de votos asentado en el acta; vacío en actas sin acta.\n"
    "  TOTAL_VOTOS_CALCULADOS: suma calculada por el sistema de los votos de partidos,\n"
    "    combinaciones de coalición, candidaturas independientes, no registradas y\n"
    "    nulos (ILEGIBLE y SIN DATO cuentan como 0). Vacío en actas sin acta y en actas\n"
    "    con todos los campos ilegibles o sin dato.\n"
    "  LISTA_NOMINAL: ciudadanos en la lista nominal de la casilla (0 en casillas\n"
    "    especiales).\n"
    "  REPRESENTANTES_PP_CI: representantes de partidos políticos y candidaturas\n"
    "    independientes acreditados ante la casilla; vacío donde TOTAL_VOTOS_CALCULADOS\n"
    "    está vacío.\n"
    "  OBSERVACIONES: una sola leyenda; EXCEDE LISTA NOMINAL prevalece sobre las demás:\n"
    "      EXCEDE LISTA NOMINAL: TOTAL_VOTOS_CALCULADOS es mayor que LISTA_NOMINAL más\n"
    "        REPRESENTANTES_PP_CI (en casilla especial: mayor que las boletas aprobadas\n"
    "        más los representantes). El acta no se contabiliza.\n"
    "      TODOS ILEGIBLES O SIN DATO: ningún campo de votos tiene una cantidad legible.\n"
    "        El acta no se contabiliza.\n"
    "      ALGUN CAMPO ILEGIBLE O SIN DATOS: algún campo de votos es ILEGIBLE o SIN DATO\n"
    "        (cuenta como 0); el acta sí se contabiliza.\n"
    "      SIN ACTA POR PAQUETE NO ENTREGADO, SIN ACTA POR CASILLA NO INSTALADA,\n"
    "      SIN ACTA POR PAQUETE ENTREGADO SIN SOBRE: el Acta PREP no llegó al CATD; no\n"
    "        se contabiliza.\n"
    "      FUERA DE CATALOGO: el acta no pudo asociarse a una casilla aprobada.\n"
    "      --: no hay nada que señalar.\n"
    "  CONTABILIZADA: 1 el acta se contabiliza; 0 no se contabiliza (la razón está en\n"
    "    OBSERVACIONES); 2 acta fuera de catálogo.\n"
    "  MECANISMO_TRASLADO: D dispositivo de apoyo para el traslado de presidentes de\n"
    "    mesa directiva de casilla; F centro de recepción y traslado fijo; I centro de\n"
    "    recepción y traslado itinerante; vacío si no aplica.\n"
    "  CODIGO_INTEGRIDAD: SHA-256 (64 caracteres hexadecimales en minúsculas) de los\n"
    "    bytes exactos de la imagen del Acta PREP publicada; N/A si no hay imagen.\n"
    "  FECHA_HORA_ACOPIO: fecha y hora de recepción del Acta PREP en el CATD, con el\n"
    "    formato 02/06/2024 20:00:00 (UTC-6); para un acta digitalizada antes de su\n"
    "    acopio (por ejemplo desde la casilla con PREP Casilla), la hora en que se\n"
    "    recibió su imagen.\n"
    "  FECHA_HORA_CAPTURA: fecha y hora de la captura de los datos (mismo formato).\n"
    "  FECHA_HORA_VERIFICACION: fecha y hora de la verificación de los datos.\n"
    "  ORIGEN: CASILLA (imagen tomada en la casilla con PREP Casilla) o CATD (imagen\n"
    "    digitalizada en el Centro de Acopio y Transmisión de Datos); N/A si no hay imagen.\n"
    "  DIGITALIZACION: MOVIL (dispositivo móvil) o ESCANER; N/A si no hay imagen.\n"
    "  TIPO_DOCUMENTO: documento digitalizado: ACTA PREP; N/A si no hay imagen.\n"
    "\n"
    "Valores especiales en los campos de votos y de cuadre:\n"
    "  ILEGIBLE (con un espacio al final): la cantidad no puede leerse ni en letra ni en\n"
    "    número; cuenta como 0.\n"
    "  SIN DATO: la cantidad no se asentó; cuenta como 0.\n"
    "  SIN ACTA: todos los campos de un acta que no llegó al CATD.\n"
    "  vacío: no aplica (la coalición o candidatura no compite en ese ámbito).\n"
    "\n"
    "Los votos de una coalición se publican por columna: cada partido y cada combinación\n"
    "de sus partidos. El total de la candidatura de la coalición es la suma de las\n"
    "columnas de sus partidos y de todas sus combinaciones. El PREP no distribuye los\n"
    "votos de las combinaciones entre los partidos.\n"
    "\n";

static const char cand_text_iecm[] =
    "3. ARCHIVO DE CANDIDATURAS (%s)\n"
    "\n"
    "  ID_ENTIDAD: número de la entidad (2 dígitos).\n"
    "%s"
    "  %s: partido, coalición o candidatura independiente (CAND_IND_n) que postula\n"
    "    la candidatura; una coalición aparece con el nombre de su combinación completa.\n"
    "%s"
    "\n"
    "Hay un renglón por cada candidatura de cada ámbito.\n";

static const char cand_text[] =
    "3. ARCHIVO DE CANDIDATURAS (%s)\n"
    "\n"
    "  ID_ENTIDAD: número de la entidad.\n"
    "%s"
    "  PARTIDO_CI: nombre de la columna de votos del archivo de resultados (partido,\n"
    "    combinación de coalición o candidatura independiente CAND_IND_n).\n"
    "  CANDIDATURA_PROPIETARIA: nombre de la persona propietaria.\n"
    "  CANDIDATURA_SUPLENTE: nombre de la persona suplente (vacío si el cargo no tiene\n"
    "    suplencia).\n"
    "\n"
    "Hay un renglón por cada ámbito y cada columna de votos que aplica en él; las\n"
    "columnas de una coalición (sus partidos y combinaciones) repiten la candidatura de\n"
    "la coalición.\n";

/* Append text, "\n" as CRLF (INE form) or as is (IECM's leeme.txt is LF). */
static void put_text(prep_buf *b, const char *s, int crlf)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && crlf)
            prep_buf_putc(b, '\r');
        prep_buf_putc(b, *p);
    }
}

int prep_leeme(const prep_catalog *cat, int e, prep_buf *out, prep_err *err)
{
    const prep_eleccion *el = &cat->elecciones[e];
    int iecm = cat->formato == PREP_FORMATO_IECM, crlf = !iecm;
    char csv[PREP_NAME_CAP], cand[PREP_NAME_CAP], t[16384];
    prep_name_csv(cat, e, csv);
    prep_name_csv_candidaturas(cat, e, cand);
    const char *label = prep_csv_unit_label(cat, e);
    const char *unit_word = el->unidad == PREP_UNIDAD_DEMARCACION ? "demarcación territorial"
                            : strcmp(label, "DISTRITO_FEDERAL") == 0 ? "distrito federal"
                                                                     : "distrito local";
    const char *names[PREP_CSV_NCOLUMNS(PREP_MAX_COLS)];
    prep_csv_columns(cat, e, names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS));
    const char *unit_col = names[PREP_CSV_ID_UNIDAD];
    prep_buf b;
    prep_buf_init(&b);

    snprintf(t, sizeof t, intro, cat->proceso, el->nombre, el->nombre, el->codigo,
             cat->ent_codigo, csv, cand, prep_name_leeme(cat), iecm ? format_iecm : format_ine,
             csv, iecm ? "dd/mm/AAAA HH:MM(UTC-6), entre comillas" : "dd/mm/AAAA HH:MM (UTC-6)",
             iecm ? "cuatro celdas con un tabulador" : "vacío",
             iecm ? "cuatro celdas con un tabulador" : "vacío",
             el->unidad == PREP_UNIDAD_ENTIDAD ? "entidad" : unit_word);
    put_text(&b, t, crlf);
    put_text(&b, iecm ? columns_a_iecm : columns_a, crlf);
    if (iecm)
        snprintf(t, sizeof t, "  %s: número (3 dígitos) del %s%s.\n", unit_col, unit_word,
                 el->unidad == PREP_UNIDAD_ENTIDAD ? " al que pertenece la casilla"
                                                   : " de la casilla");
    else
        snprintf(t, sizeof t, "  ID_%s, %s: número y nombre del %s%s.\n", label, label,
                 unit_word,
                 el->unidad == PREP_UNIDAD_ENTIDAD
                     ? " al que pertenece la casilla (la elección se computa en toda la entidad)"
                     : " de la casilla");
    put_text(&b, t, crlf);
    snprintf(t, sizeof t, iecm ? columns_b_iecm : columns_b, el->tipo_acta,
             el->tipo_acta_especial[0] ? el->tipo_acta_especial : el->tipo_acta);
    put_text(&b, t, crlf);

    put_text(&b, "  Columnas de votos, en el orden de la boleta:\n", crlf);
    for (int c = 0; c < el->ncols; c++) {
        const prep_columna *col = &el->cols[c];
        if (col->tipo == PREP_COL_PARTIDO)
            snprintf(t, sizeof t, "    %s: votos por el partido %s.\n", col->nombre, col->nombre);
        else if (col->tipo == PREP_COL_COMBINACION)
            snprintf(t, sizeof t,
                     "    %s: votos marcados para dos o más partidos de la coalición %s (%s).\n",
                     col->nombre,
                     col->coalicion >= 0 ? el->coaliciones[col->coalicion].nombre : "",
                     col->nombre);
        else
            snprintf(t, sizeof t,
                     "    %s: votos por la candidatura independiente %s del ámbito (%s donde no\n"
                     "      la hay; su nombre está en el archivo de candidaturas).\n",
                     col->nombre, col->nombre, iecm ? "vacío" : "'-'");
        put_text(&b, t, crlf);
    }
    put_text(&b, iecm ? columns_c_iecm : columns_c, crlf);
    char idcol[160] = "";
    if (iecm) {
        if (el->unidad == PREP_UNIDAD_DISTRITO)
            snprintf(idcol, sizeof idcol, "  ID_DISTRITO_LOCAL: número del %s (2 dígitos).\n",
                     unit_word);
        else if (el->unidad == PREP_UNIDAD_DEMARCACION)
            snprintf(idcol, sizeof idcol,
                     "  ID_ALCALDIA, ALCALDIA: número (2 dígitos) y nombre de la alcaldía.\n");
        snprintf(t, sizeof t, cand_text_iecm, cand, idcol,
                 el->unidad == PREP_UNIDAD_ENTIDAD ? "PARTIDO_CI" : "PARTIDO_CSP",
                 el->unidad == PREP_UNIDAD_DISTRITO
                     ? "  CANDIDATURA_PROPIETARIA: nombre de la persona propietaria.\n"
                       "  CANDIDATURA_SUPLENTE: nombre de la persona suplente.\n"
                     : "  CANDIDATURA: nombre de la persona candidata.\n");
    } else {
        if (el->unidad != PREP_UNIDAD_ENTIDAD)
            snprintf(idcol, sizeof idcol, "  ID_%s: número del %s.\n", label, unit_word);
        snprintf(t, sizeof t, cand_text, cand, idcol);
    }
    put_text(&b, t, crlf);

    if (!prep_buf_ok(&b)) {
        prep_buf_free(&b);
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing LEEME");
    }
    prep_buf_append(out, b.data, b.len);
    prep_buf_free(&b);
    return 0;
}
