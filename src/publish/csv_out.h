/* csv_out.h — the Anexo 18.5 databases of one election as text: the results
 * CSV (docs/design.md, "Publication": BOM, header block with the 13 summary fields, one row
 * per registered acta, fuera de catálogo last), the candidaturas CSV and the
 * LEEME.txt that describes them. Builds bytes in a prep_buf; writing files
 * and zipping them is the corte's job. The column layout is shared with the
 * reader in csv_check.c through prep_csv_columns(). */
#ifndef PREP_CSV_OUT_H
#define PREP_CSV_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "publish/snapshot.h"
#include "publish/tallies.h"
#include "util/buf.h"
#include "util/err.h"

/* Line terminator of every CSV and of LEEME.txt: CRLF (RFC 4180). INE's own
 * generator ends lines with a bare "\r"; CRLF opens the same in LibreOffice,
 * Excel, pandas and Python's csv module, and also works with line-oriented
 * Unix tools, so it is what PREP writes (docs/publication.md). */
#define PREP_CSV_EOL "\r\n"
#define PREP_CSV_BOM "\xEF\xBB\xBF"

/* Fixed columns before the captured fields, and after them. */
enum {
    PREP_CSV_CLAVE_CASILLA = 0,
    PREP_CSV_CLAVE_ACTA,
    PREP_CSV_ID_ENTIDAD,
    PREP_CSV_ENTIDAD,
    PREP_CSV_ID_UNIDAD,
    PREP_CSV_UNIDAD,
    PREP_CSV_SECCION,
    PREP_CSV_ID_CASILLA,
    PREP_CSV_TIPO_CASILLA,
    PREP_CSV_EXT_CONTIGUA,
    PREP_CSV_UBICACION_CASILLA,
    PREP_CSV_TIPO_ACTA,
    PREP_CSV_FIELDS0 /* first captured field (TOTAL_BOLETAS_SOBRANTES) */
};
/* Offsets after the last captured field (TOTAL_VOTOS_ASENTADO). */
enum {
    PREP_CSV_TOTAL_CALCULADO = 0,
    PREP_CSV_LISTA_NOMINAL,
    PREP_CSV_REPRESENTANTES,
    PREP_CSV_OBSERVACIONES,
    PREP_CSV_CONTABILIZADA,
    PREP_CSV_MECANISMOS,
    PREP_CSV_CODIGO_INTEGRIDAD,
    PREP_CSV_FECHA_ACOPIO,
    PREP_CSV_FECHA_CAPTURA,
    PREP_CSV_FECHA_VERIFICACION,
    PREP_CSV_ORIGEN,
    PREP_CSV_DIGITALIZACION,
    PREP_CSV_TIPO_DOCUMENTO,
    PREP_CSV_COTEJADA,
    PREP_CSV_NTAIL
};
#define PREP_CSV_TAIL0(ncols) (PREP_CSV_FIELDS0 + PREP_NFIELDS(ncols))
#define PREP_CSV_NCOLUMNS(ncols) (PREP_CSV_TAIL0(ncols) + PREP_CSV_NTAIL)

/* CONTABILIZADA of an acta fuera de catálogo (INE 2024 convention). */
#define PREP_CSV_CONTAB_FUERA "2"
/* OBSERVACIONES of an acta fuera de catálogo. */
#define PREP_CSV_OBS_FUERA "FUERA DE CATALOGO"
#define PREP_CSV_TIPO_DOC_ACTA "Acta PREP"

/* Column names of election e's results CSV, in order; returns how many
 * (PREP_CSV_NCOLUMNS in the INE form, two fewer in the IECM form), -1 if
 * more than max. Pointers into the catalog or static strings. */
int prep_csv_columns(const prep_catalog *cat, int e, const char **names, int max);
/* Where a column of the INE layout (PREP_CSV_CLAVE_CASILLA..TIPO_ACTA,
 * PREP_CSV_FIELDS0 + field, PREP_CSV_TAIL0(ncols) + PREP_CSV_TOTAL_CALCULADO..)
 * is in election e's CSV; -1 when the form has no such column (IECM: the
 * unit's name and COTEJADA). Same order in both forms. */
int prep_csv_col(const prep_catalog *cat, int e, int logical);
/* "DISTRITO_LOCAL", "DISTRITO_FEDERAL" (catalogs whose proceso says FEDERAL)
 * or "DEMARCACION": the unit columns of the acta rows (ENTIDAD-unit
 * elections show the distrito). */
const char *prep_csv_unit_label(const prep_catalog *cat, int e);

/* Where each data row of a results CSV sits in the text. */
typedef struct {
    int casilla;        /* catalog casilla, -1 for fuera de catálogo */
    int64_t fc_id;      /* fuera de catálogo id, 0 otherwise */
    size_t off, len;    /* row bytes (without the line terminator) */
} prep_csv_rowref;

/* The results CSV of election t->e. rows (may be NULL) receives one entry per
 * data row, in order (space for s->el[e].n + s->el[e].nfc). */
int prep_csv_resultados(const prep_snapshot *s, const prep_pub_tally *t, prep_buf *out,
                        prep_csv_rowref *rows, prep_err *err);
/* ID_ENTIDAD,ID_<UNIDAD>,PARTIDO_CI,CANDIDATURA_PROPIETARIA,CANDIDATURA_SUPLENTE
 * (no ID_<UNIDAD> for ENTIDAD-unit elections): one row per unit and vote
 * column that applies there; combinations name the coalition's candidate. */
int prep_csv_candidaturas(const prep_catalog *cat, int e, prep_buf *out, prep_err *err);
/* LEEME.txt of election e (Spanish). */
int prep_leeme(const prep_catalog *cat, int e, prep_buf *out, prep_err *err);


#endif
