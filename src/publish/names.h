/* names.h — the names of everything a corte publishes, in one place, so the
 * corte writer, the public site (download links), `prep verify` and the
 * difusor feed agree. Layout of DATADIR/cortes/ (docs/publication.md):
 *   <AAAAMMDD_HHMM>_c<NNNN>/                 one corte, immutable
 *     corte.json  corte.pub  MANIFEST  MANIFEST.sig  cambios.json
 *     datos/<ELECCION>/<ENT>_<ELECCION>_<AAAA>.csv
 *     datos/<ELECCION>/<ENT>_<ELECCION>_CANDIDATURAS_<AAAA>.csv
 *     datos/<ELECCION>/LEEME.txt              (leeme.txt in the IECM form)
 *     datos/<AAAAMMDD_HHMM>_PREP_<ELECCION>_<ENT>.zip
 *     catalogo/ (catalog CSV files)          the catalog the corte counted with
 *     nist/<ENT>_<AAAA>_NIST_ERR.json        NIST SP 1500-100 v2 export
 *     sitio/                                 the public site (site.h)
 *   latest -> <dir>   imagenes/<sha>.<ext>   paquetes/<dir>.zip   feed.json
 * Pure string formatting; no I/O. */
#ifndef PREP_NAMES_H
#define PREP_NAMES_H

#include <stddef.h>

#include "core/catalog.h"
#include "util/timefmt.h"

#define PREP_CORTES_DIR "cortes"
#define PREP_LATEST "latest"
#define PREP_IMAGENES_DIR "imagenes"
#define PREP_PAQUETES_DIR "paquetes"
#define PREP_FEED "feed.json"
#define PREP_MANIFEST "MANIFEST"
#define PREP_MANIFEST_SIG "MANIFEST.sig"
#define PREP_CORTE_JSON "corte.json"
#define PREP_CORTE_PUB "corte.pub"
#define PREP_CAMBIOS_JSON "cambios.json"
#define PREP_DATOS_DIR "datos"
#define PREP_CATALOGO_DIR "catalogo"
#define PREP_NIST_DIR "nist"
#define PREP_SITIO_DIR "sitio"         /* the public site (site.h) */
#define PREP_LEEME "LEEME.txt"
#define PREP_LEEME_IECM "leeme.txt" /* the name in IECM's 2024 ZIPs */

/* Every name fits in this (entidad codes are short). */
#define PREP_NAME_CAP 160

/* "20240602_2000_c0001" */
void prep_name_corte_dir(int numero, prep_time at, char out[PREP_NAME_CAP]);
/* Parse a corte directory name; returns the number, -1 if it is not one. */
int prep_name_corte_numero(const char *dir);
/* "CDMX_GUB_2024.csv" */
void prep_name_csv(const prep_catalog *cat, int e, char out[PREP_NAME_CAP]);
/* "CDMX_GUB_CANDIDATURAS_2024.csv" */
void prep_name_csv_candidaturas(const prep_catalog *cat, int e, char out[PREP_NAME_CAP]);
/* "20240512_2120_PREP_GUB_CDMX.zip" */
void prep_name_zip(const prep_catalog *cat, int e, prep_time at, char out[PREP_NAME_CAP]);
/* "LEEME.txt", or "leeme.txt" in the IECM form. */
const char *prep_name_leeme(const prep_catalog *cat);
/* Paths relative to the corte directory. */
void prep_path_csv(const prep_catalog *cat, int e, char out[PREP_NAME_CAP]);
void prep_path_csv_candidaturas(const prep_catalog *cat, int e, char out[PREP_NAME_CAP]);
void prep_path_leeme(const prep_catalog *cat, int e, char out[PREP_NAME_CAP]);
void prep_path_zip(const prep_catalog *cat, int e, prep_time at, char out[PREP_NAME_CAP]);
/* "nist/CDMX_2024_NIST_ERR.json" */
void prep_path_nist(const prep_catalog *cat, char out[PREP_NAME_CAP]);
/* Path of an acta image relative to DATADIR/cortes: "imagenes/<sha>.jpg"
 * (ext from the image bytes' magic number; see prep_image_ext). */
void prep_path_imagen(const char *sha, const char *ext, char out[PREP_NAME_CAP]);
/* "jpg", "png", "webp", "pdf", "tif" or "bin" from the first bytes. */
const char *prep_image_ext(const unsigned char *head, size_t len);

#endif
