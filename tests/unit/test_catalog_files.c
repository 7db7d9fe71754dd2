/* test_catalog_files.c — the catálogo directory (src/catalog/catalog_read.c,
 * catalog_write.c, csv_table.c): a tiny hand-written catálogo that loads with
 * every value where expected; CSV details (BOM, CRLF, quotes, multi-line
 * fields, extra columns, blank rows); every rejection with its file:line and
 * nothing returned; and write -> read round trips keeping the fingerprint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog_io.h"
#include "core/catalog.h"

/* ---- the tiny catálogo ------------------------------------------------ */

enum {
    F_PROCESO, F_ENTIDADES, F_DISTRITOS, F_DEMARCACIONES, F_SECCIONES, F_CASILLAS,
    F_ELECCIONES, F_ASOCIACIONES, F_COALICIONES, F_CANDIDATURAS, F_N
};

static const char *const names[F_N] = {
    "proceso.csv",   "entidades.csv", "distritos.csv",  "demarcaciones.csv", "secciones.csv",
    "casillas.csv",  "elecciones.csv", "asociaciones.csv", "coaliciones.csv", "candidaturas.csv"};

/* Line numbers matter: the rejection cases below name them. */
static const char *const base[F_N] = {
    [F_PROCESO] = "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD\n"
                  "PROCESO DE PRUEBA,CDMX,2024,2\n",
    [F_ENTIDADES] = "ID_ENTIDAD,ENTIDAD\n"
                    "9,CIUDAD DE MÉXICO\n",
    [F_DISTRITOS] = "ID_ENTIDAD,ID_DISTRITO,DISTRITO\n"
                    "9,2,DOS\n"
                    "9,1,UNO\n",
    [F_DEMARCACIONES] = "ID_ENTIDAD,ID_DEMARCACION,DEMARCACION\n"
                        "9,1,COYOACÁN\n",
    [F_SECCIONES] = "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n"
                    "9,10,1,1\n"
                    "9,11,2,1\n",
    /* line 2..5 */
    [F_CASILLAS] = "ID_ENTIDAD,SECCION,TIPO_CASILLA,ID_CASILLA,EXT_CONTIGUA,UBICACION_CASILLA,"
                   "LISTA_NOMINAL,REPRESENTANTES_PP_CI,BOLETAS,ID_CATD,ID_CAE,MECANISMOS_TRASLADO\n"
                   "9,10,B,1,0,1,600,10,0,1,0,\n"
                   "9,10,C,1,0,1,599,10,0,1,7,D\n"
                   "9,11,B,1,0,2,500,8,,2,,\n"
                   "9,11,S,1,0,1,0,12,1500,2,0,\n",
    [F_ELECCIONES] = "ID_ELECCION,ELECCION,UNIDAD,TIPO_ACTA,TIPO_ACTA_ESPECIAL\n"
                     "JG,JEFATURA DE GOBIERNO,ENTIDAD,1,1E\n"
                     "DIP,\"DIPUTACIONES LOCALES, MAYORÍA RELATIVA\",DISTRITO,2,\n",
    /* lines 2..10 */
    [F_ASOCIACIONES] = "ID_ELECCION,ORDEN,PARTIDO_CI,TIPO_ASOCIACION,COALICION\n"
                       "JG,1,PAN,PARTIDO,\n"
                       "JG,2,PRI,PARTIDO,\n"
                       "JG,3,MC,PARTIDO,\n"
                       "JG,4,PAN_PRI,COMBINACION,PAN_PRI\n"
                       "DIP,50,CAND_IND_1,CI,\n"
                       "DIP,10,PAN,PARTIDO,\n"
                       "DIP,20,PRI,PARTIDO,\n"
                       "DIP,30,MC,PARTIDO,\n"
                       "DIP,40,PAN_PRI,COMBINACION,PAN_PRI\n",
    [F_COALICIONES] = "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\n"
                      "JG,PAN_PRI,\"VA X LA CDMX\",PAN|PRI\n"
                      "DIP,PAN_PRI,VA X LA CDMX,PRI|PAN\n",
    /* lines 2..13 */
    [F_CANDIDATURAS] = "ID_ELECCION,ID_ENTIDAD,ID_UNIDAD,PARTIDO_CI,CANDIDATURA_PROPIETARIA,"
                       "CANDIDATURA_SUPLENTE\n"
                       "JG,9,9,PAN,ANA PÉREZ LUNA,\n"
                       "JG,9,9,PRI,ANA PÉREZ LUNA,\n"
                       "JG,9,9,PAN_PRI,ANA PÉREZ LUNA,\n"
                       "JG,9,9,MC,LUIS GÓMEZ SOTO,\n"
                       "DIP,9,1,PAN,EVA RUIZ DÍAZ,ROSA LUNA VEGA\n"
                       "DIP,9,1,PRI,EVA RUIZ DÍAZ,ROSA LUNA VEGA\n"
                       "DIP,9,1,PAN_PRI,EVA RUIZ DÍAZ,ROSA LUNA VEGA\n"
                       "DIP,9,1,MC,JUAN SOTO RÍOS,PEDRO VEGA CRUZ\n"
                       "DIP,9,2,PAN,\"PÉREZ, MARÍA \"\"LA GÜERA\"\"\",ALMA RÍOS MEZA\n"
                       "DIP,9,2,PRI,OMAR LARA GIL,IVÁN ORTA PAZ\n"
                       "DIP,9,2,MC,TERE NAVA SOL,LUZ MORA PAZ\n"
                       "DIP,9,2,CAND_IND_1,RAÚL CANO REY,ABEL RUBIO MAR\n",
};

typedef struct {
    char dir[64];
} fx;

static void put(const char *dir, const char *name, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void put_base(const char *dir)
{
    for (int i = 0; i < F_N; i++)
        put(dir, names[i], base[i], strlen(base[i]));
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/prep-catalog-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    put_base(f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char path[256];
    for (const char *const *n = prep_catalog_files; *n; n++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, *n);
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- loading the good catálogo --------------------------------------- */

static void test_base_loads(void **state)
{
    fx *f = *state;
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_read_dir(f->dir, &cat, &err), 0);
    assert_string_equal(cat.proceso, "PROCESO DE PRUEBA");
    assert_string_equal(cat.ent_codigo, "CDMX");
    assert_int_equal(cat.anio, 2024);
    assert_int_equal(cat.ncatd, 2);
    assert_int_equal(cat.nentidades, 1);
    assert_string_equal(cat.entidades[0].nombre, "CIUDAD DE MÉXICO");
    /* distritos come back sorted by id whatever the file order */
    assert_int_equal(cat.ndistritos, 2);
    assert_int_equal(cat.distritos[0].id, 1);
    assert_string_equal(cat.distritos[0].nombre, "UNO");
    assert_int_equal(cat.nsecciones, 2);
    assert_int_equal(cat.secciones[1].distrito, 1);
    assert_int_equal(cat.ncasillas, 4);

    int b = prep_catalog_find_casilla(&cat, "090010B0100");
    int c = prep_catalog_find_casilla(&cat, "090010C0100");
    int b2 = prep_catalog_find_casilla(&cat, "090011B0100");
    int s = prep_catalog_find_casilla(&cat, "090011S0100");
    assert_true(b >= 0 && c >= 0 && b2 >= 0 && s >= 0);
    assert_int_equal(cat.casillas[c].lista_nominal, 599);
    assert_int_equal(cat.casillas[c].cae, 7);
    assert_int_equal(cat.casillas[c].mecanismo, 'D');
    assert_int_equal(cat.casillas[b].mecanismo, 0);
    assert_int_equal(cat.casillas[b2].ubicacion, PREP_UBIC_NO_URBANA);
    assert_int_equal(cat.casillas[b2].boletas, 0); /* empty BOLETAS = 0 */
    assert_int_equal(cat.casillas[b2].cae, 0);     /* empty ID_CAE = none */
    assert_int_equal(cat.casillas[b2].catd, 2);
    assert_int_equal(cat.casillas[s].boletas, 1500);
    assert_int_equal(cat.casillas[s].lista_nominal, 0);

    assert_int_equal(cat.nelecciones, 2);
    const prep_eleccion *jg = &cat.elecciones[0], *dip = &cat.elecciones[1];
    assert_string_equal(jg->codigo, "JG");
    assert_string_equal(prep_eleccion_tipo_acta(jg, &cat.casillas[s]), "1E");
    assert_string_equal(prep_eleccion_tipo_acta(dip, &cat.casillas[s]), "2");
    assert_string_equal(dip->nombre, "DIPUTACIONES LOCALES, MAYORÍA RELATIVA");
    assert_int_equal(dip->unidad, PREP_UNIDAD_DISTRITO);
    /* columns in ORDEN order, not file order */
    assert_int_equal(dip->ncols, 5);
    assert_string_equal(dip->cols[0].nombre, "PAN");
    assert_string_equal(dip->cols[3].nombre, "PAN_PRI");
    assert_string_equal(dip->cols[4].nombre, "CAND_IND_1");
    assert_int_equal(dip->cols[4].tipo, PREP_COL_CI);
    /* coalition members in boleta order, parties linked to it */
    assert_int_equal(dip->ncoaliciones, 1);
    assert_int_equal(dip->coaliciones[0].npartidos, 2);
    assert_int_equal(dip->coaliciones[0].partidos[0], 0);
    assert_int_equal(dip->coaliciones[0].partidos[1], 1);
    assert_int_equal(dip->cols[0].coalicion, 0);
    assert_int_equal(dip->cols[2].coalicion, -1);
    assert_int_equal(dip->cols[3].coalicion, 0);
    /* applicability: the coalition runs in distrito 1 only, the CI in 2 only */
    assert_true(prep_eleccion_aplica(dip, 0, 3));
    assert_false(prep_eleccion_aplica(dip, 1, 3));
    assert_false(prep_eleccion_aplica(dip, 0, 4));
    assert_true(prep_eleccion_aplica(dip, 1, 4));
    const prep_candidatura *k = prep_eleccion_candidatura(dip, 1, 0);
    assert_non_null(k);
    assert_string_equal(k->propietaria, "PÉREZ, MARÍA \"LA GÜERA\"");
    assert_string_equal(prep_eleccion_candidatura(jg, 0, 2)->suplente, "");
    prep_catalog_free(&cat);
}

/* BOM, CRLF, extra columns, a multi-line field in an extra column, rows of
 * empty fields (spreadsheet leftovers) and columns in another order: the
 * same catalog, the same fingerprint. */
static void test_csv_variants(void **state)
{
    fx *f = *state;
    prep_catalog a, b;
    prep_err err = {0};
    assert_int_equal(prep_catalog_read_dir(f->dir, &a, &err), 0);
    const char *ent = "\xEF\xBB\xBF"
                      "NOTAS,ENTIDAD,ID_ENTIDAD\r\n"
                      "\"una nota\r\nde dos líneas\",\"CIUDAD DE MÉXICO\",9\r\n"
                      ",,\r\n"
                      "\r\n";
    put(f->dir, "entidades.csv", ent, strlen(ent));
    const char *sec = "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n"
                      "9,11,2,1\n"
                      "9,10,1,1";                 /* no final newline */
    put(f->dir, "secciones.csv", sec, strlen(sec));
    assert_int_equal(prep_catalog_read_dir(f->dir, &b, &err), 0);
    char fa[65], fb[65];
    prep_catalog_fingerprint(&a, fa);
    prep_catalog_fingerprint(&b, fb);
    assert_string_equal(fa, fb);
    prep_catalog_free(&a);
    prep_catalog_free(&b);
}

/* ---- rejections ------------------------------------------------------- */

typedef struct {
    int file;
    const char *text;    /* new content of the file; NULL = delete it */
    const char *expect;  /* substring of the error message */
} bad_case;

#define CAS_HDR                                                                                   \
    "ID_ENTIDAD,SECCION,TIPO_CASILLA,ID_CASILLA,EXT_CONTIGUA,UBICACION_CASILLA,LISTA_NOMINAL,"    \
    "REPRESENTANTES_PP_CI,BOLETAS,ID_CATD,ID_CAE,MECANISMOS_TRASLADO\n"
#define CAS_OK "9,10,B,1,0,1,600,10,0,1,0,\n"
#define CAND_HDR                                                                                  \
    "ID_ELECCION,ID_ENTIDAD,ID_UNIDAD,PARTIDO_CI,CANDIDATURA_PROPIETARIA,CANDIDATURA_SUPLENTE\n"
#define CAND_JG                                                                                   \
    "JG,9,9,PAN,ANA PÉREZ LUNA,\nJG,9,9,PRI,ANA PÉREZ LUNA,\nJG,9,9,PAN_PRI,ANA PÉREZ LUNA,\n"    \
    "JG,9,9,MC,LUIS GÓMEZ SOTO,\n"
#define CAND_D1                                                                                   \
    "DIP,9,1,PAN,EVA RUIZ DÍAZ,ROSA LUNA VEGA\nDIP,9,1,PRI,EVA RUIZ DÍAZ,ROSA LUNA VEGA\n"        \
    "DIP,9,1,PAN_PRI,EVA RUIZ DÍAZ,ROSA LUNA VEGA\nDIP,9,1,MC,JUAN SOTO RÍOS,PEDRO VEGA CRUZ\n"
#define CAND_D2 "DIP,9,2,MC,TERE NAVA SOL,LUZ MORA PAZ\n"
#define ASO_JG                                                                                    \
    "ID_ELECCION,ORDEN,PARTIDO_CI,TIPO_ASOCIACION,COALICION\nJG,1,PAN,PARTIDO,\n"                 \
    "JG,2,PRI,PARTIDO,\nJG,3,MC,PARTIDO,\nJG,4,PAN_PRI,COMBINACION,PAN_PRI\n"
#define ASO_DIP                                                                                   \
    "DIP,10,PAN,PARTIDO,\nDIP,20,PRI,PARTIDO,\nDIP,30,MC,PARTIDO,\n"                              \
    "DIP,40,PAN_PRI,COMBINACION,PAN_PRI\nDIP,50,CAND_IND_1,CI,\n"

static const bad_case bad[] = {
    /* files and structure */
    {F_CASILLAS, NULL, "casillas.csv: cannot open"},
    {F_PROCESO, "", "proceso.csv:1: empty file"},
    {F_PROCESO, "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD\n", "proceso.csv: no data row"},
    {F_PROCESO, "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD\nA,CDMX,2024,2\nB,CDMX,2024,2\n",
     "proceso.csv:3: proceso.csv holds exactly one row"},
    {F_PROCESO, "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD\nA,cdmx,2024,2\n",
     "proceso.csv:2: CODIGO_ENTIDAD 'cdmx' may only hold A-Z, 0-9 and _"},
    {F_PROCESO, "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD,FORMATO_PUBLICACION\nA,CDMX,2024,2,OPLE\n",
     "proceso.csv:2: FORMATO_PUBLICACION 'OPLE' is not INE or IECM"},
    {F_CASILLAS,
     "ID_ENTIDAD,SECCION,TIPO_CASILLA,ID_CASILLA,EXT_CONTIGUA,UBICACION_CASILLA,"
     "REPRESENTANTES_PP_CI,BOLETAS,ID_CATD,ID_CAE,MECANISMOS_TRASLADO\n9,10,B,1,0,1,10,0,1,0,\n",
     "casillas.csv:1: missing column LISTA_NOMINAL"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD,ENTIDAD\n9,A,B\n", "entidades.csv:1: column ENTIDAD appears "
                                                         "twice in the header"},
    {F_CASILLAS, CAS_HDR CAS_OK "9,10,C,1,0,1,600,10,0,1,0\n",
     "casillas.csv:3: 11 fields, but the header has 12"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n9,\"CIUDAD DE MÉXICO\n", "entidades.csv:2: unterminated"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n9,CIUDAD \"DE\" MÉXICO\n", "entidades.csv:2: malformed CSV"},
    {F_DEMARCACIONES, "ID_ENTIDAD,ID_DEMARCACION,DEMARCACION\n9,1,COYOAC\xC1N\n",
     "demarcaciones.csv:2: field 3 is not valid UTF-8"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD,NOTAS\n9,CDMX,\"una\nnota\"\nX,OTRA,\n",
     "entidades.csv:4: ID_ENTIDAD 'X' is not a number"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n9,\"CIUDAD\nDE MÉXICO\"\n",
     "entidades.csv:2: ENTIDAD contains a control character"},
    /* values */
    {F_CASILLAS, CAS_HDR CAS_OK "9,10,C,1,0,1,abc,10,0,1,0,\n",
     "casillas.csv:3: LISTA_NOMINAL 'abc' is not a number"},
    {F_CASILLAS, CAS_HDR "9,10,B,1,0,1,600,-3,0,1,0,\n",
     "casillas.csv:2: REPRESENTANTES_PP_CI '-3' is negative"},
    {F_CASILLAS, CAS_HDR "9,10,B,1,0,1,,10,0,1,0,\n", "casillas.csv:2: LISTA_NOMINAL is empty"},
    {F_CASILLAS, CAS_HDR "9,10,X,1,0,1,600,10,0,1,0,\n",
     "casillas.csv:2: TIPO_CASILLA 'X' is not B, C, E or S"},
    {F_CASILLAS, CAS_HDR "9,10,B,1,0,3,600,10,0,1,0,\n",
     "casillas.csv:2: UBICACION_CASILLA '3' is out of range (1..2)"},
    {F_CASILLAS, CAS_HDR "9,10,B,1,0,1,600,10,0,3,0,\n",
     "casillas.csv:2: ID_CATD '3' is out of range (1..2)"},
    {F_CASILLAS, CAS_HDR "9,10,B,1,0,1,600,10,0,1,0,X\n",
     "casillas.csv:2: MECANISMOS_TRASLADO 'X' is not D, F, I or empty"},
    {F_CASILLAS, CAS_HDR CAS_OK "9,11,S,1,0,1,0,12,0,2,0,\n",
     "casillas.csv:3: casilla especial 090011S0100 has no BOLETAS"},
    {F_CASILLAS, CAS_HDR CAS_OK "9,11,S,1,0,1,0,12,,2,0,\n",
     "casillas.csv:3: casilla especial 090011S0100 has no BOLETAS"},
    {F_CASILLAS, CAS_HDR "9,11,S,1,0,1,300,12,900,2,0,\n",
     "casillas.csv:2: casilla especial 090011S0100: LISTA_NOMINAL must be 0"},
    {F_CASILLAS, CAS_HDR "9,10,B,2,0,1,600,10,0,1,0,\n",
     "casillas.csv:2: casilla básica 090010B0200: ID_CASILLA must be 1"},
    {F_CASILLAS, CAS_HDR "9,10,C,1,1,1,600,10,0,1,0,\n",
     "casillas.csv:2: casilla 090010C0101: EXT_CONTIGUA is only for extraordinarias"},
    {F_CASILLAS, CAS_HDR "9,10,B,100,0,1,600,10,0,1,0,\n",
     "casillas.csv:2: ID_CASILLA '100' is out of range (1..99)"},
    {F_CASILLAS, CAS_HDR CAS_OK "9,10,C,1,0,1,1,1,0,1,0,\n" CAS_OK,
     "casillas.csv:4: casilla 090010B0100 appears twice (first on line 2)"},
    {F_CASILLAS, CAS_HDR CAS_OK "9,99,B,1,0,1,600,10,0,1,0,\n",
     "casillas.csv:3: casilla 090099B0100: sección 99 of entidad 9 is not in secciones.csv"},
    {F_CASILLAS, CAS_HDR "8,10,B,1,0,1,600,10,0,1,0,\n", "casillas.csv:2: casilla 080010B0100: "
                                                         "sección 10 of entidad 8 is not in"},
    {F_CASILLAS, CAS_HDR, "casillas.csv: no casillas"},
    /* territory */
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n33,NINGUNA\n", "entidades.csv:2: ID_ENTIDAD '33' is out of "
                                                      "range (1..32)"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n9,A\n9,B\n",
     "entidades.csv:3: entidad 9 appears twice (first on line 2)"},
    {F_ENTIDADES, "ID_ENTIDAD,ENTIDAD\n9,\n", "entidades.csv:2: ENTIDAD is empty"},
    {F_DISTRITOS, "ID_ENTIDAD,ID_DISTRITO,DISTRITO\n9,1,UNO\n9,2,DOS\n9,1,OTRO\n",
     "distritos.csv:4: distrito 1 of entidad 9 appears twice (first on line 2)"},
    {F_DISTRITOS, "ID_ENTIDAD,ID_DISTRITO,DISTRITO\n9,1,UNO\n7,2,DOS\n",
     "distritos.csv:3: ID_ENTIDAD 7 is not in entidades.csv"},
    {F_DEMARCACIONES, "ID_ENTIDAD,ID_DEMARCACION,DEMARCACION\n", "demarcaciones.csv: no rows"},
    {F_SECCIONES, "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n9,10,1,1\n9,11,7,1\n",
     "secciones.csv:3: ID_DISTRITO 7 of entidad 9 is not in distritos.csv"},
    {F_SECCIONES, "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n9,10,1,1\n9,11,2,4\n",
     "secciones.csv:3: ID_DEMARCACION 4 of entidad 9 is not in demarcaciones.csv"},
    {F_SECCIONES, "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n9,10,1,1\n9,11,2,1\n9,10,2,1\n",
     "secciones.csv:4: sección 10 of entidad 9 appears twice (first on line 2)"},
    {F_SECCIONES, "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n9,10000,1,1\n",
     "secciones.csv:2: SECCION '10000' is out of range (1..9999)"},
    /* elections, columns, coalitions */
    {F_ELECCIONES, "ID_ELECCION,ELECCION,UNIDAD,TIPO_ACTA,TIPO_ACTA_ESPECIAL\nJG,X,ESTADO,1,\n",
     "elecciones.csv:2: UNIDAD 'ESTADO' is not ENTIDAD, DISTRITO or DEMARCACION"},
    {F_ELECCIONES, "ID_ELECCION,ELECCION,UNIDAD,TIPO_ACTA,TIPO_ACTA_ESPECIAL\nJG,X,ENTIDAD,1,\n"
                   "JG,Y,DISTRITO,2,\n",
     "elecciones.csv:3: election JG appears twice (first on line 2)"},
    {F_ELECCIONES, "ID_ELECCION,ELECCION,UNIDAD,TIPO_ACTA,TIPO_ACTA_ESPECIAL\n",
     "elecciones.csv: no elections"},
    {F_ASOCIACIONES, ASO_JG "GOB,1,PAN,PARTIDO,\n",
     "asociaciones.csv:6: ID_ELECCION 'GOB' is not in elecciones.csv"},
    {F_ASOCIACIONES, ASO_JG, "asociaciones.csv: election DIP has no columns"},
    {F_ASOCIACIONES, ASO_JG ASO_DIP "DIP,60,PAN,PARTIDO,\n",
     "asociaciones.csv:11: column PAN of election DIP appears twice (first on line 6)"},
    {F_ASOCIACIONES, ASO_JG ASO_DIP "DIP,10,PES,PARTIDO,\n",
     "asociaciones.csv:11: ORDEN 10 of election DIP is also on line 6"},
    {F_ASOCIACIONES, ASO_JG ASO_DIP "DIP,60,PES,PARTIDA,\n",
     "asociaciones.csv:11: TIPO_ASOCIACION 'PARTIDA' is not PARTIDO, COMBINACION or CI"},
    {F_ASOCIACIONES, ASO_JG ASO_DIP "DIP,60,PES,PARTIDO,PAN_PRI\n",
     "asociaciones.csv:11: COALICION is only for COMBINACION columns"},
    {F_ASOCIACIONES, ASO_JG "DIP,10,PAN,PARTIDO,\nDIP,20,PRI,PARTIDO,\nDIP,30,MC,PARTIDO,\n"
                            "DIP,40,PAN_PRI,COMBINACION,XX\nDIP,50,CAND_IND_1,CI,\n",
     "asociaciones.csv:9: combination PAN_PRI names coalition 'XX', which election DIP does not "
     "have"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN|PRD\n",
     "coaliciones.csv:2: party 'PRD' of coalition PAN_PRI is not a PARTIDO column of election JG"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN|PAN_PRI\n",
     "coaliciones.csv:2: party 'PAN_PRI' of coalition PAN_PRI is not a PARTIDO column"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN\n",
     "coaliciones.csv:2: coalition PAN_PRI needs at least two parties"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN|PRI|\n",
     "coaliciones.csv:2: PARTIDOS 'PAN|PRI|' ends with '|'"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN|PRI\n"
                    "JG,PAN_MC,VB,PAN|MC\n",
     "coaliciones.csv:3: party PAN is already in coalition PAN_PRI (line 2)"},
    {F_COALICIONES, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\nJG,PAN_PRI,VA,PAN|PRI\n"
                    "JG,PAN_PRI,VB,MC|PRI\n",
     "coaliciones.csv:3: coalition PAN_PRI of election JG appears twice (first on line 2)"},
    /* candidaturas */
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1 CAND_D2 "DIP,9,2,PES,X Y Z,\n",
     "candidaturas.csv:11: PARTIDO_CI 'PES' is not a column of election DIP"},
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1 CAND_D2 "DIP,9,3,MC,X Y Z,\n",
     "candidaturas.csv:11: election DIP: distrito 3 of entidad 9 is not in the catálogo"},
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1 CAND_D2 "JG,9,1,MC,X Y Z,\n",
     "for an ENTIDAD election ID_UNIDAD = ID_ENTIDAD"},
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1 CAND_D2 "DIP,9,2,MC,OTRA,\n",
     "candidaturas.csv:11: election DIP, distrito 2: column MC has a candidatura already (line "
     "10)"},
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1,
     "candidaturas.csv: election DIP has no candidatura in distrito 2"},
    {F_CANDIDATURAS, CAND_HDR "JG,9,9,PAN,ANA PÉREZ LUNA,\nJG,9,9,PRI,ANA PÉREZ LUNA,\n"
                              "JG,9,9,PAN_PRI,OTRA PERSONA,\nJG,9,9,MC,LUIS GÓMEZ SOTO,\n" CAND_D1
                                  CAND_D2,
     "candidaturas.csv:4: election JG, entidad 9: combination PAN_PRI must repeat the candidatura "
     "of its coalition, but party PAN (line 2)"},
    {F_CANDIDATURAS, CAND_HDR "JG,9,9,PAN,ANA PÉREZ LUNA,\nJG,9,9,PAN_PRI,ANA PÉREZ LUNA,\n"
                              "JG,9,9,MC,LUIS GÓMEZ SOTO,\n" CAND_D1 CAND_D2,
     "candidaturas.csv:3: election JG, entidad 9: combination PAN_PRI has a candidatura but "
     "party PRI of coalition PAN_PRI has none"},
    {F_CANDIDATURAS, CAND_HDR CAND_JG CAND_D1 "DIP,9,2,MC,,\n",
     "candidaturas.csv:10: CANDIDATURA_PROPIETARIA is empty"},
};

static void test_rejections(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const bad_case *b = &bad[i];
        put_base(f->dir);
        if (b->text) {
            put(f->dir, names[b->file], b->text, strlen(b->text));
        } else {
            char path[256];
            snprintf(path, sizeof path, "%s/%s", f->dir, names[b->file]);
            assert_int_equal(unlink(path), 0);
        }
        prep_catalog cat;
        memset(&cat, 0x5a, sizeof cat); /* read_dir must initialise it */
        prep_err err = {0};
        int rc = prep_catalog_read_dir(f->dir, &cat, &err);
        if (rc != -1 || !strstr(err.msg, b->expect))
            fail_msg("case %zu (%s): rc %d, message \"%s\", expected \"%s\"", i, names[b->file],
                     rc, err.msg, b->expect);
        assert_int_not_equal(err.code, PREP_OK);
        /* nothing returned */
        assert_int_equal(cat.ncasillas, 0);
        assert_null(cat.casillas);
        assert_null(cat.secciones);
        assert_null(cat.entidades);
        assert_int_equal(cat.nelecciones, 0);
    }
    /* and the good files still load after all that */
    put_base(f->dir);
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_read_dir(f->dir, &cat, &err), 0);
    prep_catalog_free(&cat);
}

static void test_not_a_directory(void **state)
{
    (void)state;
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_read_dir("/nonexistent/catalogo", &cat, &err), -1);
    assert_int_equal(err.code, PREP_E_NOT_FOUND);
    assert_null(cat.casillas);
}

/* ---- round trips ------------------------------------------------------ */

static void slurp(const char *dir, const char *name, char **out, long *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    *out = malloc((size_t)*len + 1);
    assert_int_equal(fread(*out, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
}

static void roundtrip(fx *f, prep_catalog *cat)
{
    prep_err err = {0};
    char fp1[65], fp2[65];
    prep_catalog_fingerprint(cat, fp1);
    assert_int_equal(prep_catalog_write_dir(cat, f->dir, &err), 0);
    prep_catalog back;
    assert_int_equal(prep_catalog_read_dir(f->dir, &back, &err), 0);
    prep_catalog_fingerprint(&back, fp2);
    assert_string_equal(fp1, fp2);
    assert_int_equal(back.ncasillas, cat->ncasillas);
    /* writing what was read gives the same bytes */
    char *before[F_N];
    long blen[F_N];
    for (int i = 0; i < F_N; i++)
        slurp(f->dir, names[i], &before[i], &blen[i]);
    assert_int_equal(prep_catalog_write_dir(&back, f->dir, &err), 0);
    for (int i = 0; i < F_N; i++) {
        char *after;
        long alen;
        slurp(f->dir, names[i], &after, &alen);
        assert_int_equal(alen, blen[i]);
        assert_memory_equal(after, before[i], (size_t)alen);
        free(after);
        free(before[i]);
    }
    prep_catalog_free(&back);
}

static void test_roundtrip_base(void **state)
{
    fx *f = *state;
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_read_dir(f->dir, &cat, &err), 0);
    roundtrip(f, &cat);
    prep_catalog_free(&cat);
}

static void test_roundtrip_presets(void **state)
{
    fx *f = *state;
    const char *presets[] = {"small", "cdmx"};
    for (int i = 0; i < 2; i++) {
        prep_catalog cat;
        prep_err err = {0};
        assert_int_equal(prep_catalog_generate(presets[i], 42, &cat, &err), 0);
        roundtrip(f, &cat);
        prep_catalog_free(&cat);
    }
}

/* Row order inside the files does not change the catalog. */
static void test_row_order_irrelevant(void **state)
{
    fx *f = *state;
    prep_catalog cat, back;
    prep_err err = {0};
    assert_int_equal(prep_catalog_generate("small", 3, &cat, &err), 0);
    assert_int_equal(prep_catalog_write_dir(&cat, f->dir, &err), 0);
    const char *files[] = {"casillas.csv", "secciones.csv", "candidaturas.csv", "distritos.csv"};
    for (int k = 0; k < 4; k++) {
        char *text;
        long len;
        slurp(f->dir, files[k], &text, &len);
        text[len] = '\0';
        /* header first, then the data lines reversed */
        char *nl = strchr(text, '\n');
        char *out = malloc((size_t)len + 2), *o = out;
        size_t hl = (size_t)(nl - text) + 1;
        memcpy(o, text, hl);
        o += hl;
        char *end = text + len;
        while (end > nl + 1) {
            char *e = end - 1;          /* the '\n' that ends this line */
            char *s = e;
            while (s > nl + 1 && s[-1] != '\n')
                s--;
            memcpy(o, s, (size_t)(end - s));
            o += end - s;
            end = s;
        }
        put(f->dir, files[k], out, (size_t)(o - out));
        free(out);
        free(text);
    }
    assert_int_equal(prep_catalog_read_dir(f->dir, &back, &err), 0);
    char fa[65], fb[65];
    prep_catalog_fingerprint(&cat, fa);
    prep_catalog_fingerprint(&back, fb);
    assert_string_equal(fa, fb);
    prep_catalog_free(&cat);
    prep_catalog_free(&back);
}

/* Seeded random damage to the files (bytes flipped, deleted, duplicated,
 * lines cut): every read either succeeds with a finished catalog or fails
 * with "<file>:" and returns nothing. Under ASan this is also a memory check
 * of the parser on thousands of malformed inputs. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_mutations(void **state)
{
    fx *f = *state;
    static const char junk[] = ",\"\n\r|-0123456789 ABCSE\xC3\xA9\xFF";
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int ok = 0, rejected = 0;
    put_base(f->dir);
    for (int round = 0; round < 1000; round++) {
        int file = (int)(rnd(&seed) % F_N);
        size_t len = strlen(base[file]);
        char *text = malloc(len * 2 + 8);
        memcpy(text, base[file], len);
        int edits = 1 + (int)(rnd(&seed) % 3);
        for (int k = 0; k < edits && len > 0; k++) {
            size_t at = (size_t)(rnd(&seed) % len);
            switch (rnd(&seed) % 4) {
            case 0: /* replace a byte */
                text[at] = junk[rnd(&seed) % (sizeof junk - 1)];
                break;
            case 1: /* delete a byte */
                memmove(text + at, text + at + 1, len - at - 1);
                len--;
                break;
            case 2: /* insert a byte */
                memmove(text + at + 1, text + at, len - at);
                text[at] = junk[rnd(&seed) % (sizeof junk - 1)];
                len++;
                break;
            default: /* cut the file short */
                len = at;
                break;
            }
        }
        put(f->dir, names[file], text, len);
        free(text);
        prep_catalog cat;
        prep_err err = {0};
        if (prep_catalog_read_dir(f->dir, &cat, &err) == 0) {
            char fpr[65];
            prep_catalog_fingerprint(&cat, fpr);
            assert_true(cat.ncasillas > 0);
            prep_catalog_free(&cat);
            ok++;
        } else {
            int named = 0;
            for (int i = 0; i < F_N; i++)
                named |= strncmp(err.msg, names[i], strlen(names[i])) == 0 &&
                         err.msg[strlen(names[i])] == ':';
            if (!named)
                fail_msg("round %d: message without file: %s", round, err.msg);
            assert_null(cat.casillas);
            assert_int_equal(cat.nelecciones, 0);
            rejected++;
        }
        put(f->dir, names[file], base[file], strlen(base[file]));
    }
    assert_true(rejected > 400); /* the damage is mostly caught... */
    assert_true(ok > 10);        /* ...and harmless edits still load */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_base_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejections, setup, teardown),
        cmocka_unit_test(test_not_a_directory),
        cmocka_unit_test_setup_teardown(test_roundtrip_base, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_presets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_order_irrelevant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mutations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
