/* catalog.h — the approved catalog of an electoral process, in memory.
 * Entidades, distritos, demarcaciones, secciones, casillas, elecciones with
 * their vote columns and coalitions, and candidaturas per unit. It is built
 * by the catalog loader or the generator and read by everything else; this
 * header and catalog.c do no I/O. Casillas are kept sorted by CLAVE_CASILLA
 * (entidad, sección, tipo, número, ext), so a casilla's index is stable for
 * a given catalog and an acta is (election index, casilla index). */
#ifndef PREP_CATALOG_H
#define PREP_CATALOG_H

#include <stdint.h>

#include "core/values.h"
#include "util/err.h"

#define PREP_NAME_MAX 96
#define PREP_CLAVE_CASILLA_LEN 11 /* EE SSSS T NN XX */

typedef struct {
    int id;                       /* 1..32 */
    char nombre[PREP_NAME_MAX];   /* "CIUDAD DE MÉXICO" */
} prep_entidad;

/* A distrito local or a demarcación territorial (municipio). */
typedef struct {
    int entidad;                  /* ID_ENTIDAD */
    int id;                       /* number within the entidad */
    char nombre[PREP_NAME_MAX];
} prep_unidad;

typedef struct {
    int entidad, seccion;
    int distrito;                 /* index into cat->distritos */
    int demarcacion;              /* index into cat->demarcaciones */
} prep_seccion;

typedef enum { PREP_UBIC_URBANA = 1, PREP_UBIC_NO_URBANA = 2 } prep_ubicacion;

typedef struct {
    int entidad, seccion;
    char tipo;                    /* 'B', 'C', 'E', 'S' */
    int numero;                   /* ID_CASILLA, 1..99 */
    int ext;                      /* EXT_CONTIGUA, 0..99 */
    int ubicacion;                /* prep_ubicacion */
    int lista_nominal;            /* 0 for especiales */
    int representantes;           /* REPRESENTANTES_PP_CI */
    int boletas;                  /* approved boletas, casillas especiales only */
    int catd;                     /* CATD that receives its paquete */
    int cae;                      /* CAE assigned to photograph it; 0 = none */
    char mecanismo;               /* MECANISMOS_TRASLADO 'D','F','I' or 0 */
    int seccion_idx;              /* index into cat->secciones */
    char clave[PREP_CLAVE_CASILLA_LEN + 1];
} prep_casilla;

typedef enum {
    PREP_UNIDAD_ENTIDAD = 0,
    PREP_UNIDAD_DISTRITO = 1,
    PREP_UNIDAD_DEMARCACION = 2
} prep_unidad_tipo;

typedef enum { PREP_COL_PARTIDO = 0, PREP_COL_COMBINACION = 1, PREP_COL_CI = 2 } prep_col_tipo;

typedef struct {
    char nombre[32];              /* CSV column name: "PAN", "PAN_PRI", "CAND_IND_1" */
    int tipo;                     /* prep_col_tipo */
    int coalicion;                /* index into the election's coaliciones, -1 none */
} prep_columna;

#define PREP_MAX_COALICIONES 8
#define PREP_MAX_PARTIDOS_COAL 8

typedef struct {
    char codigo[32];              /* "PAN_PRI_PRD" */
    char nombre[PREP_NAME_MAX];   /* "VA X LA CDMX" */
    int npartidos;
    int partidos[PREP_MAX_PARTIDOS_COAL]; /* column indexes of its parties */
} prep_coalicion;

typedef struct {
    int unidad;                   /* unit index for the election's unit type */
    int col;                      /* column index */
    char propietaria[PREP_NAME_MAX];
    char suplente[PREP_NAME_MAX];
} prep_candidatura;

typedef struct {
    char codigo[8];               /* "GUB", "DIP_LOC", "ALC" */
    char nombre[PREP_NAME_MAX];   /* "JEFATURA DE GOBIERNO" */
    int unidad;                   /* prep_unidad_tipo */
    char tipo_acta[8];            /* TIPO_ACTA of ordinary casillas */
    char tipo_acta_especial[8];   /* TIPO_ACTA of casillas especiales */
    int ncols;
    prep_columna cols[PREP_MAX_COLS];
    int ncoaliciones;
    prep_coalicion coaliciones[PREP_MAX_COALICIONES];
    int ncandidaturas;
    prep_candidatura *candidaturas; /* sorted by (unidad, col) */
    uint8_t *aplica;              /* [nunidades * ncols]: 1 if column has a candidatura */
} prep_eleccion;

#define PREP_MAX_ELECCIONES 8

/* How the results databases are laid out (docs/publication.md): INE's
 * Anexo 18.5 as PREP reads it, or the form IECM published in 2024. */
typedef enum { PREP_FORMATO_INE = 0, PREP_FORMATO_IECM = 1 } prep_formato;
/* "INE" / "IECM"; prep_formato_parse returns -1 for anything else ("" is INE). */
const char *prep_formato_name(int formato);
int prep_formato_parse(const char *s);

typedef struct prep_catalog {
    char proceso[PREP_NAME_MAX];  /* "PROCESO ELECTORAL LOCAL ORDINARIO 2023-2024" */
    char ent_codigo[16];          /* "CDMX": used in file names */
    int anio;                     /* 2024 */
    int formato;                  /* prep_formato of the published databases */
    int nentidades;
    prep_entidad *entidades;
    int ndistritos;
    prep_unidad *distritos;
    int ndemarcaciones;
    prep_unidad *demarcaciones;
    int nsecciones;
    prep_seccion *secciones;      /* sorted by (entidad, seccion) */
    int ncasillas;
    prep_casilla *casillas;       /* sorted by clave */
    int ncatd;                    /* CATD ids are 1..ncatd */
    int nelecciones;
    prep_eleccion elecciones[PREP_MAX_ELECCIONES];
} prep_catalog;

void prep_catalog_init(prep_catalog *cat);
void prep_catalog_free(prep_catalog *cat);

/* After the arrays are filled: sort, derive claves and indexes, build the
 * applicability matrices, and check every cross-reference. On failure the
 * message names the offending record. */
int prep_catalog_finish(prep_catalog *cat, prep_err *err);

/* CLAVE_CASILLA of the given fields into out (12 bytes). */
void prep_clave_casilla(int entidad, int seccion, char tipo, int numero, int ext, char *out);
/* Parse a CLAVE_CASILLA; -1 if malformed. */
int prep_clave_parse(const char *clave, int *entidad, int *seccion, char *tipo, int *numero,
                     int *ext);

int prep_catalog_find_casilla(const prep_catalog *cat, const char *clave); /* index or -1 */
int prep_catalog_find_eleccion(const prep_catalog *cat, const char *codigo); /* index or -1 */
int prep_catalog_find_seccion(const prep_catalog *cat, int entidad, int seccion);
int prep_catalog_find_entidad(const prep_catalog *cat, int id);
int prep_catalog_find_distrito(const prep_catalog *cat, int entidad, int id);
int prep_catalog_find_demarcacion(const prep_catalog *cat, int entidad, int id);

/* Number of units of an election's unit type, and the unit of a casilla. */
int prep_catalog_nunidades(const prep_catalog *cat, int eleccion);
int prep_catalog_unidad_of(const prep_catalog *cat, int eleccion, int casilla);
/* ID (as published, e.g. ID_DISTRITO_LOCAL) and name of unit u. */
int prep_catalog_unidad_id(const prep_catalog *cat, int eleccion, int u);
const char *prep_catalog_unidad_nombre(const prep_catalog *cat, int eleccion, int u);
int prep_catalog_unidad_entidad(const prep_catalog *cat, int eleccion, int u);

/* 1 if column col applies (has a candidatura) in unit u. */
int prep_eleccion_aplica(const prep_eleccion *el, int u, int col);
const prep_candidatura *prep_eleccion_candidatura(const prep_eleccion *el, int u, int col);
/* TIPO_ACTA for a casilla of this election. */
const char *prep_eleccion_tipo_acta(const prep_eleccion *el, const prep_casilla *c);

/* SHA-256 hex of a canonical text rendering of the whole catalog: the
 * catalog's fingerprint recorded at opening and in every corte. */
void prep_catalog_fingerprint(const prep_catalog *cat, char out[65]);

#endif
