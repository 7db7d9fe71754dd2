/* csv_form.h — the two publication forms of a results CSV, cell by cell.
 * A catálogo says which one it follows (prep_catalog.formato):
 *   INE   Anexo 18.5 as PREP reads it: BOM, CRLF, claves as '090123B0100',
 *         plain numbers, Ilegible / Sin dato / -, a unit id and name column,
 *         COTEJADA at the end;
 *   IECM  what IECM's own exporter wrote in 2024 (its simulacro ZIP): no
 *         BOM, LF, PHP-style quoting (any field with a space is quoted),
 *         tab-cell lines 3 and 6, bare claves, zero-padded ids (09, 003,
 *         0056, 01), ILEGIBLE  / SIN DATO / SIN ACTA, timestamps with
 *         " (UTC-6)", "--" for no observation, N/A where nothing applies.
 * The writer (csv_out.c), `prep verify` (csv_check.c) and the drill's
 * comparison (sim/compare.c) all format or parse cells through these, so
 * they agree by construction. docs/publication.md tabulates every
 * difference. Pure formatting; no I/O. */
#ifndef PREP_CSV_FORM_H
#define PREP_CSV_FORM_H

#include <stddef.h>

#include "core/catalog.h"
#include "core/rules.h"
#include "core/values.h"
#include "util/buf.h"
#include "util/timefmt.h"

/* Line end and BOM of the results CSV. */
const char *prep_csv_eol(const prep_catalog *cat);
int prep_csv_has_bom(const prep_catalog *cat);

/* Append s as one field: INE quotes when s holds , " CR or LF; IECM also
 * when it holds a space, a tab or a backslash (PHP fputcsv). */
void prep_csv_cell(prep_buf *b, const prep_catalog *cat, const char *s);
/* RFC 4180 quoting whatever the form: the candidaturas CSV (IECM's has
 * names with spaces unquoted). */
void prep_csv_cell_rfc(prep_buf *b, const char *s);
/* Append s quoted whatever it holds (a quote inside doubled). */
void prep_csv_quoted(prep_buf *b, const char *s);

/* Zero-padding widths of the IECM form (INE writes plain numbers). */
enum { PREP_W_ENTIDAD = 2, PREP_W_UNIDAD = 3, PREP_W_SECCION = 4, PREP_W_CASILLA = 2,
       PREP_W_EXT = 2, PREP_W_UBICACION = 2 };
/* A catálogo number as the column shows it ("9" or "09"). out >= 24. */
const char *prep_csv_num(const prep_catalog *cat, long long v, int width, char *out);

/* CLAVE_CASILLA (tipo_acta NULL) or CLAVE_ACTA as published: INE
 * '<clave><TIPO_ACTA>', IECM <clave><TIPO_CASILLA><ID_CASILLA> (its 2024
 * file: 090056C0200C02). out >= 40. */
const char *prep_csv_clave(const prep_catalog *cat, const char *clave, const char *tipo_acta,
                           char *out);
/* The 11-character clave out of a published CLAVE_CASILLA; -1 if it is not
 * in the catálogo's form. out >= 12. */
int prep_csv_clave_parse(const prep_catalog *cat, const char *s, char *out);

/* A captured value: "12", "Ilegible"/"ILEGIBLE ", "Sin dato"/"SIN DATO",
 * "-"/"" (column that does not apply). out >= 16. */
const char *prep_csv_val(const prep_catalog *cat, prep_val v, char *out);
/* Inverse of prep_csv_val; -1 for any other text. */
int prep_csv_val_parse(const prep_catalog *cat, const char *s, prep_val *out);
/* Every captured field of a sin acta: "-" / "SIN ACTA". */
const char *prep_csv_sin_acta_val(const prep_catalog *cat);
/* TOTAL_VOTOS_CALCULADO of an acta whose total is not published (sin acta;
 * in the IECM form also an acta with every vote field illegible): "-" / "". */
const char *prep_csv_no_total(const prep_catalog *cat);
/* 1 when TOTAL_VOTOS_CALCULADO (and, in the IECM form, TOTAL_VOTOS_ASENTADO
 * and REPRESENTANTES_PP_CI) is left out for this rule result. */
int prep_csv_total_hidden(const prep_catalog *cat, const prep_rule_result *r);

/* A timestamp column: "dd/mm/AAAA HH:MM:SS" or "... (UTC-6)"; "" for 0.
 * out >= 40. */
const char *prep_csv_time(const prep_catalog *cat, prep_time t, char *out);
int prep_csv_time_parse(const prep_catalog *cat, const char *s, prep_time *out);
/* Line 2, the corte time: "dd/mm/AAAA HH:MM (UTC-6)" / "dd/mm/AAAA HH:MM(UTC-6)". */
const char *prep_csv_corte_time(const prep_catalog *cat, prep_time t, char *out);

/* OBSERVACIONES of a rule result ("" / "--" when there is none; IECM words
 * "ALGUN CAMPO ILEGIBLE O SIN DATOS"). */
const char *prep_csv_obs(const prep_catalog *cat, const prep_rule_result *r, char *buf,
                         size_t cap);
/* What a text column holds when it has nothing (no image: hash, ORIGEN,
 * DIGITALIZACION, TIPO_DOCUMENTO): "" / "N/A". */
const char *prep_csv_none(const prep_catalog *cat);
/* TIPO_DOCUMENTO of an acta with an image: "Acta PREP" / "ACTA PREP". */
const char *prep_csv_tipo_doc(const prep_catalog *cat);

/* Lines 3 and 6 (without the line end): "" / "\"\t\",\"\t\",\"\t\",\"\t\"". */
const char *prep_csv_blank_line(const prep_catalog *cat);

#endif
