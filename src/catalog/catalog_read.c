/* catalog_read.c — load a catálogo directory (docs/catalog-format.md) into a
 * prep_catalog, checking every value and every cross-reference with the file
 * and line at fault. All or nothing: on any error the partial catalog is
 * freed. Does not touch the database (the store persists what this returns). */
#include "catalog/catalog_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/csv_table.h"

const char *const prep_catalog_files[] = {
    "proceso.csv",   "entidades.csv",   "distritos.csv",   "demarcaciones.csv",
    "secciones.csv", "casillas.csv",    "elecciones.csv",  "asociaciones.csv",
    "coaliciones.csv", "candidaturas.csv", NULL};

#define MAX_SECCION 9999
#define MAX_UNIT_ID 9999
#define MAX_COUNT 100000 /* lista nominal, boletas: far above a real casilla */

typedef struct {
    prep_casilla c;
    long line;
} cas_rec;

typedef struct {
    prep_seccion s;
    long line;
} sec_rec;

typedef struct {
    prep_candidatura k;
    long line;
} cand_rec;

typedef struct {
    int orden;
    long line;
    prep_columna col;
    char coal[32]; /* COALICION code of a combination, resolved later */
} col_rec;

typedef struct {
    prep_coalicion co;
    long line;
} coal_rec;

typedef struct {
    prep_catalog *cat;
    int nproceso;
    int cap;
    long *ent_line, *dis_line, *dem_line;
    sec_rec *secs;
    int nsecs, capsecs;
    cas_rec *cas;
    int ncas, capcas;
    long ele_line[PREP_MAX_ELECCIONES];
    col_rec cols[PREP_MAX_ELECCIONES][PREP_MAX_COLS];
    int ncols[PREP_MAX_ELECCIONES];
    coal_rec coals[PREP_MAX_ELECCIONES][PREP_MAX_COALICIONES];
    int ncoals[PREP_MAX_ELECCIONES];
    cand_rec *cands[PREP_MAX_ELECCIONES];
    int ncands[PREP_MAX_ELECCIONES], capcands[PREP_MAX_ELECCIONES];
} reader;

/* ---- growing arrays -------------------------------------------------- */

static int grow(void **p, int *cap, int n, size_t size, prep_err *err)
{
    if (n < *cap)
        return 0;
    int nc = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, (size_t)nc * size);
    if (!q)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    *p = q;
    *cap = nc;
    return 0;
}

/* Units (entidades, distritos, demarcaciones) are few: grow each array and
 * its line array together, one element at a time. */
static int grow_units(void **arr, long **lines, int n, size_t size, prep_err *err)
{
    void *a = realloc(*arr, (size_t)(n + 1) * size);
    if (!a)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    *arr = a;
    long *l = realloc(*lines, (size_t)(n + 1) * sizeof **lines);
    if (!l)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    *lines = l;
    return 0;
}

/* ---- field parsers ---------------------------------------------------- */

static int f_int(const prep_csv_row *row, int i, long min, long max, int empty_ok, int *out,
                 prep_err *err)
{
    const char *s = row->v[i];
    if (*s == '\0') {
        if (empty_ok) {
            *out = 0;
            return 0;
        }
        return prep_csv_fail(err, row, "%s is empty", row->cols[i]);
    }
    const char *d = s[0] == '-' ? s + 1 : s;
    long v = 0;
    int nd = 0;
    for (; *d; d++, nd++) {
        if (*d < '0' || *d > '9' || nd >= 9)
            return prep_csv_fail(err, row, "%s '%s' is not a number", row->cols[i], s);
        v = v * 10 + (*d - '0');
    }
    if (nd == 0)
        return prep_csv_fail(err, row, "%s '%s' is not a number", row->cols[i], s);
    if (s[0] == '-' && v != 0)
        return prep_csv_fail(err, row, "%s '%s' is negative", row->cols[i], s);
    if (v < min || v > max)
        return prep_csv_fail(err, row, "%s '%s' is out of range (%ld..%ld)", row->cols[i], s,
                             min, max);
    *out = (int)v;
    return 0;
}

static int f_text(const prep_csv_row *row, int i, char *dst, size_t cap, int required,
                  prep_err *err)
{
    const char *s = row->v[i];
    size_t n = strlen(s);
    if (n == 0 && required)
        return prep_csv_fail(err, row, "%s is empty", row->cols[i]);
    if (n >= cap)
        return prep_csv_fail(err, row, "%s is longer than %zu bytes", row->cols[i], cap - 1);
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
            return prep_csv_fail(err, row, "%s contains a control character", row->cols[i]);
    memcpy(dst, s, n + 1);
    return 0;
}

/* Codes (election, column, coalition, file code): A-Z, 0-9 and '_'. */
static int f_code(const prep_csv_row *row, int i, char *dst, size_t cap, prep_err *err)
{
    if (f_text(row, i, dst, cap, 1, err) < 0)
        return -1;
    for (const char *p = dst; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return prep_csv_fail(err, row, "%s '%s' may only hold A-Z, 0-9 and _", row->cols[i],
                                 dst);
    return 0;
}

/* ---- lookups ---------------------------------------------------------- */

static int cmp_unit(const void *a, const void *b)
{
    const prep_unidad *x = a, *y = b;
    if (x->entidad != y->entidad)
        return x->entidad < y->entidad ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_entidad(const void *a, const void *b)
{
    const prep_entidad *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int find_unit(const prep_unidad *u, int n, int entidad, int id)
{
    prep_unidad key = {.entidad = entidad, .id = id};
    const prep_unidad *f = bsearch(&key, u, (size_t)n, sizeof key, cmp_unit);
    return f ? (int)(f - u) : -1;
}

static int find_col(const prep_eleccion *el, const char *name)
{
    for (int i = 0; i < el->ncols; i++)
        if (strcmp(el->cols[i].nombre, name) == 0)
            return i;
    return -1;
}

static const char *unidad_word(int tipo)
{
    return tipo == PREP_UNIDAD_DISTRITO      ? "distrito"
           : tipo == PREP_UNIDAD_DEMARCACION ? "demarcación"
                                             : "entidad";
}

/* ---- proceso.csv ------------------------------------------------------ */

static const char *const cols_proceso[] = {"PROCESO_ELECTORAL", "CODIGO_ENTIDAD", "ANIO",
                                           "NUM_CATD", "?FORMATO_PUBLICACION"};

static int row_proceso(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    if (r->nproceso++ > 0)
        return prep_csv_fail(err, row, "proceso.csv holds exactly one row");
    if (f_text(row, 0, cat->proceso, sizeof cat->proceso, 1, err) < 0 ||
        f_code(row, 1, cat->ent_codigo, sizeof cat->ent_codigo, err) < 0 ||
        f_int(row, 2, 1990, 2200, 0, &cat->anio, err) < 0 ||
        f_int(row, 3, 1, 10000, 0, &cat->ncatd, err) < 0)
        return -1;
    if ((cat->formato = prep_formato_parse(row->v[4])) < 0)
        return prep_csv_fail(err, row, "FORMATO_PUBLICACION '%s' is not INE or IECM (empty = INE)",
                             row->v[4]);
    return 0;
}

/* ---- entidades, distritos, demarcaciones ----------------------------- */

static const char *const cols_entidades[] = {"ID_ENTIDAD", "ENTIDAD"};

static int row_entidad(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    prep_entidad e;
    if (f_int(row, 0, 1, 32, 0, &e.id, err) < 0 ||
        f_text(row, 1, e.nombre, sizeof e.nombre, 1, err) < 0)
        return -1;
    int dup = prep_catalog_find_entidad(cat, e.id);
    if (dup >= 0)
        return prep_csv_fail(err, row, "entidad %d appears twice (first on line %ld)", e.id,
                             r->ent_line[dup]);
    if (grow_units((void **)&cat->entidades, &r->ent_line, cat->nentidades, sizeof e, err) < 0)
        return -1;
    r->ent_line[cat->nentidades] = row->line;
    cat->entidades[cat->nentidades++] = e;
    return 0;
}

static const char *const cols_distritos[] = {"ID_ENTIDAD", "ID_DISTRITO", "DISTRITO"};
static const char *const cols_demarcaciones[] = {"ID_ENTIDAD", "ID_DEMARCACION", "DEMARCACION"};

static int add_unit(reader *r, const prep_csv_row *row, prep_unidad **arr, int *n, long **lines,
                    const char *word, prep_err *err)
{
    prep_unidad u;
    if (f_int(row, 0, 1, 32, 0, &u.entidad, err) < 0 ||
        f_int(row, 1, 1, MAX_UNIT_ID, 0, &u.id, err) < 0 ||
        f_text(row, 2, u.nombre, sizeof u.nombre, 1, err) < 0)
        return -1;
    if (prep_catalog_find_entidad(r->cat, u.entidad) < 0)
        return prep_csv_fail(err, row, "ID_ENTIDAD %d is not in entidades.csv", u.entidad);
    for (int i = 0; i < *n; i++)
        if ((*arr)[i].entidad == u.entidad && (*arr)[i].id == u.id)
            return prep_csv_fail(err, row, "%s %d of entidad %d appears twice (first on line %ld)",
                                 word, u.id, u.entidad, (*lines)[i]);
    if (grow_units((void **)arr, lines, *n, sizeof u, err) < 0)
        return -1;
    (*lines)[*n] = row->line;
    (*arr)[(*n)++] = u;
    return 0;
}

static int row_distrito(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    return add_unit(r, row, &r->cat->distritos, &r->cat->ndistritos, &r->dis_line, "distrito",
                    err);
}

static int row_demarcacion(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    return add_unit(r, row, &r->cat->demarcaciones, &r->cat->ndemarcaciones, &r->dem_line,
                    "demarcación", err);
}

/* ---- secciones.csv ---------------------------------------------------- */

static const char *const cols_secciones[] = {"ID_ENTIDAD", "SECCION", "ID_DISTRITO",
                                             "ID_DEMARCACION"};

static int row_seccion(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    int dis, dem;
    sec_rec s = {.line = row->line};
    if (f_int(row, 0, 1, 32, 0, &s.s.entidad, err) < 0 ||
        f_int(row, 1, 1, MAX_SECCION, 0, &s.s.seccion, err) < 0 ||
        f_int(row, 2, 1, MAX_UNIT_ID, 0, &dis, err) < 0 ||
        f_int(row, 3, 1, MAX_UNIT_ID, 0, &dem, err) < 0)
        return -1;
    if (prep_catalog_find_entidad(cat, s.s.entidad) < 0)
        return prep_csv_fail(err, row, "ID_ENTIDAD %d is not in entidades.csv", s.s.entidad);
    s.s.distrito = find_unit(cat->distritos, cat->ndistritos, s.s.entidad, dis);
    if (s.s.distrito < 0)
        return prep_csv_fail(err, row, "ID_DISTRITO %d of entidad %d is not in distritos.csv",
                             dis, s.s.entidad);
    s.s.demarcacion = find_unit(cat->demarcaciones, cat->ndemarcaciones, s.s.entidad, dem);
    if (s.s.demarcacion < 0)
        return prep_csv_fail(err, row,
                             "ID_DEMARCACION %d of entidad %d is not in demarcaciones.csv", dem,
                             s.s.entidad);
    if (grow((void **)&r->secs, &r->capsecs, r->nsecs, sizeof s, err) < 0)
        return -1;
    r->secs[r->nsecs++] = s;
    return 0;
}

static int cmp_sec_rec(const void *a, const void *b)
{
    const sec_rec *x = a, *y = b;
    if (x->s.entidad != y->s.entidad)
        return x->s.entidad < y->s.entidad ? -1 : 1;
    if (x->s.seccion != y->s.seccion)
        return x->s.seccion < y->s.seccion ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int finish_secciones(reader *r, prep_err *err)
{
    prep_catalog *cat = r->cat;
    if (r->nsecs == 0)
        return prep_fail(err, PREP_E_INVALID, "secciones.csv: no secciones");
    qsort(r->secs, (size_t)r->nsecs, sizeof *r->secs, cmp_sec_rec);
    cat->secciones = malloc((size_t)r->nsecs * sizeof *cat->secciones);
    if (!cat->secciones)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    for (int i = 0; i < r->nsecs; i++) {
        if (i > 0 && r->secs[i].s.entidad == r->secs[i - 1].s.entidad &&
            r->secs[i].s.seccion == r->secs[i - 1].s.seccion)
            return prep_fail(err, PREP_E_INVALID,
                             "secciones.csv:%ld: sección %d of entidad %d appears twice (first "
                             "on line %ld)",
                             r->secs[i].line, r->secs[i].s.seccion, r->secs[i].s.entidad,
                             r->secs[i - 1].line);
        cat->secciones[i] = r->secs[i].s;
    }
    cat->nsecciones = r->nsecs;
    return 0;
}

/* ---- casillas.csv ----------------------------------------------------- */

static const char *const cols_casillas[] = {
    "ID_ENTIDAD",    "SECCION",      "TIPO_CASILLA",         "ID_CASILLA",
    "EXT_CONTIGUA",  "UBICACION_CASILLA", "LISTA_NOMINAL",   "REPRESENTANTES_PP_CI",
    "BOLETAS",       "ID_CATD",      "ID_CAE",               "MECANISMOS_TRASLADO"};

static int row_casilla(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    cas_rec k = {.line = row->line};
    prep_casilla *c = &k.c;
    if (f_int(row, 0, 1, 32, 0, &c->entidad, err) < 0 ||
        f_int(row, 1, 1, MAX_SECCION, 0, &c->seccion, err) < 0)
        return -1;
    const char *t = row->v[2];
    if (!(t[0] && !t[1] && strchr("BCES", t[0])))
        return prep_csv_fail(err, row, "TIPO_CASILLA '%s' is not B, C, E or S", t);
    c->tipo = t[0];
    if (f_int(row, 3, 1, 99, 0, &c->numero, err) < 0 ||
        f_int(row, 4, 0, 99, 0, &c->ext, err) < 0 ||
        f_int(row, 5, 1, 2, 0, &c->ubicacion, err) < 0 ||
        f_int(row, 6, 0, MAX_COUNT, 0, &c->lista_nominal, err) < 0 ||
        f_int(row, 7, 0, 1000, 0, &c->representantes, err) < 0 ||
        f_int(row, 8, 0, MAX_COUNT, 1, &c->boletas, err) < 0 ||
        f_int(row, 9, 1, cat->ncatd, 0, &c->catd, err) < 0 ||
        f_int(row, 10, 0, 99999999, 1, &c->cae, err) < 0)
        return -1;
    const char *m = row->v[11];
    if (m[0] && (m[1] || !strchr("DFI", m[0])))
        return prep_csv_fail(err, row, "MECANISMOS_TRASLADO '%s' is not D, F, I or empty", m);
    c->mecanismo = m[0];
    prep_clave_casilla(c->entidad, c->seccion, c->tipo, c->numero, c->ext, c->clave);
    if (c->tipo == 'B' && c->numero != 1)
        return prep_csv_fail(err, row, "casilla básica %s: ID_CASILLA must be 1", c->clave);
    if ((c->tipo == 'B' || c->tipo == 'C') && c->ext != 0)
        return prep_csv_fail(err, row,
                             "casilla %s: EXT_CONTIGUA is only for extraordinarias (E)", c->clave);
    if (c->tipo == 'S') {
        if (c->boletas <= 0)
            return prep_csv_fail(err, row, "casilla especial %s has no BOLETAS", c->clave);
        if (c->lista_nominal != 0)
            return prep_csv_fail(err, row,
                                 "casilla especial %s: LISTA_NOMINAL must be 0 (especiales are "
                                 "limited by BOLETAS)",
                                 c->clave);
    }
    c->seccion_idx = prep_catalog_find_seccion(cat, c->entidad, c->seccion);
    if (c->seccion_idx < 0)
        return prep_csv_fail(err, row, "casilla %s: sección %d of entidad %d is not in "
                                       "secciones.csv",
                             c->clave, c->seccion, c->entidad);
    if (grow((void **)&r->cas, &r->capcas, r->ncas, sizeof k, err) < 0)
        return -1;
    r->cas[r->ncas++] = k;
    return 0;
}

static int cmp_cas_rec(const void *a, const void *b)
{
    const cas_rec *x = a, *y = b;
    int c = strcmp(x->c.clave, y->c.clave);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int finish_casillas(reader *r, prep_err *err)
{
    prep_catalog *cat = r->cat;
    if (r->ncas == 0)
        return prep_fail(err, PREP_E_INVALID, "casillas.csv: no casillas");
    qsort(r->cas, (size_t)r->ncas, sizeof *r->cas, cmp_cas_rec);
    cat->casillas = malloc((size_t)r->ncas * sizeof *cat->casillas);
    if (!cat->casillas)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    for (int i = 0; i < r->ncas; i++) {
        if (i > 0 && strcmp(r->cas[i].c.clave, r->cas[i - 1].c.clave) == 0)
            return prep_fail(err, PREP_E_INVALID,
                             "casillas.csv:%ld: casilla %s appears twice (first on line %ld)",
                             r->cas[i].line, r->cas[i].c.clave, r->cas[i - 1].line);
        cat->casillas[i] = r->cas[i].c;
    }
    cat->ncasillas = r->ncas;
    return 0;
}

/* ---- elecciones.csv --------------------------------------------------- */

static const char *const cols_elecciones[] = {"ID_ELECCION", "ELECCION", "UNIDAD", "TIPO_ACTA",
                                              "TIPO_ACTA_ESPECIAL"};

static int row_eleccion(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    if (cat->nelecciones >= PREP_MAX_ELECCIONES)
        return prep_csv_fail(err, row, "more than %d elections", PREP_MAX_ELECCIONES);
    prep_eleccion *el = &cat->elecciones[cat->nelecciones];
    memset(el, 0, sizeof *el);
    if (f_code(row, 0, el->codigo, sizeof el->codigo, err) < 0 ||
        f_text(row, 1, el->nombre, sizeof el->nombre, 1, err) < 0)
        return -1;
    const char *u = row->v[2];
    if (strcmp(u, "ENTIDAD") == 0)
        el->unidad = PREP_UNIDAD_ENTIDAD;
    else if (strcmp(u, "DISTRITO") == 0)
        el->unidad = PREP_UNIDAD_DISTRITO;
    else if (strcmp(u, "DEMARCACION") == 0)
        el->unidad = PREP_UNIDAD_DEMARCACION;
    else
        return prep_csv_fail(err, row, "UNIDAD '%s' is not ENTIDAD, DISTRITO or DEMARCACION", u);
    if (f_code(row, 3, el->tipo_acta, sizeof el->tipo_acta, err) < 0)
        return -1;
    if (row->v[4][0] && f_code(row, 4, el->tipo_acta_especial, sizeof el->tipo_acta_especial,
                               err) < 0)
        return -1;
    for (int e = 0; e < cat->nelecciones; e++)
        if (strcmp(cat->elecciones[e].codigo, el->codigo) == 0)
            return prep_csv_fail(err, row, "election %s appears twice (first on line %ld)",
                                 el->codigo, r->ele_line[e]);
    r->ele_line[cat->nelecciones++] = row->line;
    return 0;
}

static int eleccion_of(reader *r, const prep_csv_row *row, int i, prep_err *err)
{
    int e = prep_catalog_find_eleccion(r->cat, row->v[i]);
    if (e < 0)
        prep_csv_fail(err, row, "%s '%s' is not in elecciones.csv", row->cols[i], row->v[i]);
    return e;
}

/* ---- asociaciones.csv (vote columns in boleta order) ----------------- */

static const char *const cols_asociaciones[] = {"ID_ELECCION", "ORDEN", "PARTIDO_CI",
                                                "TIPO_ASOCIACION", "COALICION"};

static int row_asociacion(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    int e = eleccion_of(r, row, 0, err);
    if (e < 0)
        return -1;
    if (r->ncols[e] >= PREP_MAX_COLS)
        return prep_csv_fail(err, row, "election %s has more than %d vote columns",
                             r->cat->elecciones[e].codigo, PREP_MAX_COLS);
    col_rec c = {.line = row->line};
    c.col.coalicion = -1;
    if (f_int(row, 1, 1, 9999, 0, &c.orden, err) < 0 ||
        f_code(row, 2, c.col.nombre, sizeof c.col.nombre, err) < 0)
        return -1;
    const char *t = row->v[3];
    if (strcmp(t, "PARTIDO") == 0)
        c.col.tipo = PREP_COL_PARTIDO;
    else if (strcmp(t, "COMBINACION") == 0)
        c.col.tipo = PREP_COL_COMBINACION;
    else if (strcmp(t, "CI") == 0)
        c.col.tipo = PREP_COL_CI;
    else
        return prep_csv_fail(err, row, "TIPO_ASOCIACION '%s' is not PARTIDO, COMBINACION or CI",
                             t);
    if (c.col.tipo == PREP_COL_COMBINACION) {
        if (f_code(row, 4, c.coal, sizeof c.coal, err) < 0)
            return -1;
    } else if (row->v[4][0]) {
        return prep_csv_fail(err, row,
                             "COALICION is only for COMBINACION columns (a party's coalition is "
                             "given in coaliciones.csv)");
    }
    for (int i = 0; i < r->ncols[e]; i++) {
        const col_rec *o = &r->cols[e][i];
        if (strcmp(o->col.nombre, c.col.nombre) == 0)
            return prep_csv_fail(err, row, "column %s of election %s appears twice (first on "
                                           "line %ld)",
                                 c.col.nombre, r->cat->elecciones[e].codigo, o->line);
        if (o->orden == c.orden)
            return prep_csv_fail(err, row, "ORDEN %d of election %s is also on line %ld", c.orden,
                                 r->cat->elecciones[e].codigo, o->line);
    }
    r->cols[e][r->ncols[e]++] = c;
    return 0;
}

static int cmp_col_rec(const void *a, const void *b)
{
    const col_rec *x = a, *y = b;
    return x->orden < y->orden ? -1 : x->orden > y->orden;
}

static int finish_asociaciones(reader *r, prep_err *err)
{
    for (int e = 0; e < r->cat->nelecciones; e++) {
        prep_eleccion *el = &r->cat->elecciones[e];
        if (r->ncols[e] == 0)
            return prep_fail(err, PREP_E_INVALID, "asociaciones.csv: election %s has no columns",
                             el->codigo);
        qsort(r->cols[e], (size_t)r->ncols[e], sizeof r->cols[e][0], cmp_col_rec);
        el->ncols = r->ncols[e];
        for (int i = 0; i < el->ncols; i++)
            el->cols[i] = r->cols[e][i].col;
    }
    return 0;
}

/* ---- coaliciones.csv -------------------------------------------------- */

static const char *const cols_coaliciones[] = {"ID_ELECCION", "COALICION", "NOMBRE_COALICION",
                                               "PARTIDOS"};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static int row_coalicion(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    int e = eleccion_of(r, row, 0, err);
    if (e < 0)
        return -1;
    prep_eleccion *el = &r->cat->elecciones[e];
    if (r->ncoals[e] >= PREP_MAX_COALICIONES)
        return prep_csv_fail(err, row, "election %s has more than %d coalitions", el->codigo,
                             PREP_MAX_COALICIONES);
    coal_rec k = {.line = row->line};
    prep_coalicion *co = &k.co;
    if (f_code(row, 1, co->codigo, sizeof co->codigo, err) < 0 ||
        f_text(row, 2, co->nombre, sizeof co->nombre, 1, err) < 0)
        return -1;
    for (int i = 0; i < r->ncoals[e]; i++)
        if (strcmp(r->coals[e][i].co.codigo, co->codigo) == 0)
            return prep_csv_fail(err, row, "coalition %s of election %s appears twice (first on "
                                           "line %ld)",
                                 co->codigo, el->codigo, r->coals[e][i].line);
    const char *p = row->v[3];
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char name[32];
        if (n == 0 || n >= sizeof name)
            return prep_csv_fail(err, row, "PARTIDOS '%s' is not a list like PAN|PRI|PRD",
                                 row->v[3]);
        memcpy(name, p, n);
        name[n] = '\0';
        int c = find_col(el, name);
        if (c < 0 || el->cols[c].tipo != PREP_COL_PARTIDO)
            return prep_csv_fail(err, row,
                                 "party '%s' of coalition %s is not a PARTIDO column of election "
                                 "%s in asociaciones.csv",
                                 name, co->codigo, el->codigo);
        for (int i = 0; i < co->npartidos; i++)
            if (co->partidos[i] == c)
                return prep_csv_fail(err, row, "party %s is listed twice in coalition %s", name,
                                     co->codigo);
        for (int j = 0; j < r->ncoals[e]; j++)
            for (int i = 0; i < r->coals[e][j].co.npartidos; i++)
                if (r->coals[e][j].co.partidos[i] == c)
                    return prep_csv_fail(err, row,
                                         "party %s is already in coalition %s (line %ld)", name,
                                         r->coals[e][j].co.codigo, r->coals[e][j].line);
        if (co->npartidos >= PREP_MAX_PARTIDOS_COAL)
            return prep_csv_fail(err, row, "coalition %s has more than %d parties", co->codigo,
                                 PREP_MAX_PARTIDOS_COAL);
        co->partidos[co->npartidos++] = c;
        p += n;
        if (*p == '|' && *++p == '\0')
            return prep_csv_fail(err, row, "PARTIDOS '%s' ends with '|'", row->v[3]);
    }
    if (co->npartidos < 2)
        return prep_csv_fail(err, row, "coalition %s needs at least two parties in PARTIDOS",
                             co->codigo);
    qsort(co->partidos, (size_t)co->npartidos, sizeof co->partidos[0], cmp_int);
    r->coals[e][r->ncoals[e]++] = k;
    return 0;
}

static int cmp_coal_rec(const void *a, const void *b)
{
    const coal_rec *x = a, *y = b;
    return cmp_int(&x->co.partidos[0], &y->co.partidos[0]);
}

/* Coalitions in boleta order of their first party; then link every party
 * and combination column to its coalition. */
static int finish_coaliciones(reader *r, prep_err *err)
{
    for (int e = 0; e < r->cat->nelecciones; e++) {
        prep_eleccion *el = &r->cat->elecciones[e];
        qsort(r->coals[e], (size_t)r->ncoals[e], sizeof r->coals[e][0], cmp_coal_rec);
        el->ncoaliciones = r->ncoals[e];
        for (int k = 0; k < el->ncoaliciones; k++) {
            el->coaliciones[k] = r->coals[e][k].co;
            for (int i = 0; i < el->coaliciones[k].npartidos; i++)
                el->cols[el->coaliciones[k].partidos[i]].coalicion = k;
        }
        for (int i = 0; i < el->ncols; i++) {
            if (el->cols[i].tipo != PREP_COL_COMBINACION)
                continue;
            const col_rec *c = &r->cols[e][i];
            int k = 0;
            while (k < el->ncoaliciones && strcmp(el->coaliciones[k].codigo, c->coal) != 0)
                k++;
            if (k == el->ncoaliciones)
                return prep_fail(err, PREP_E_INVALID,
                                 "asociaciones.csv:%ld: combination %s names coalition '%s', "
                                 "which election %s does not have in coaliciones.csv",
                                 c->line, c->col.nombre, c->coal, el->codigo);
            el->cols[i].coalicion = k;
        }
    }
    return 0;
}

/* ---- candidaturas.csv ------------------------------------------------- */

static const char *const cols_candidaturas[] = {"ID_ELECCION", "ID_ENTIDAD", "ID_UNIDAD",
                                                "PARTIDO_CI", "CANDIDATURA_PROPIETARIA",
                                                "CANDIDATURA_SUPLENTE"};

static int row_candidatura(void *ctx, const prep_csv_row *row, prep_err *err)
{
    reader *r = ctx;
    prep_catalog *cat = r->cat;
    int e = eleccion_of(r, row, 0, err);
    if (e < 0)
        return -1;
    prep_eleccion *el = &cat->elecciones[e];
    int ent, uid;
    cand_rec k = {.line = row->line};
    if (f_int(row, 1, 1, 32, 0, &ent, err) < 0 || f_int(row, 2, 1, MAX_UNIT_ID, 0, &uid, err) < 0)
        return -1;
    if (el->unidad == PREP_UNIDAD_DISTRITO)
        k.k.unidad = find_unit(cat->distritos, cat->ndistritos, ent, uid);
    else if (el->unidad == PREP_UNIDAD_DEMARCACION)
        k.k.unidad = find_unit(cat->demarcaciones, cat->ndemarcaciones, ent, uid);
    else
        k.k.unidad = uid == ent ? prep_catalog_find_entidad(cat, ent) : -1;
    if (k.k.unidad < 0)
        return prep_csv_fail(err, row, "election %s: %s %d of entidad %d is not in the catálogo%s",
                             el->codigo, unidad_word(el->unidad), uid, ent,
                             el->unidad == PREP_UNIDAD_ENTIDAD
                                 ? " (for an ENTIDAD election ID_UNIDAD = ID_ENTIDAD)"
                                 : "");
    k.k.col = find_col(el, row->v[3]);
    if (k.k.col < 0)
        return prep_csv_fail(err, row, "PARTIDO_CI '%s' is not a column of election %s in "
                                       "asociaciones.csv",
                             row->v[3], el->codigo);
    if (f_text(row, 4, k.k.propietaria, sizeof k.k.propietaria, 1, err) < 0 ||
        f_text(row, 5, k.k.suplente, sizeof k.k.suplente, 0, err) < 0)
        return -1;
    if (grow((void **)&r->cands[e], &r->capcands[e], r->ncands[e], sizeof k, err) < 0)
        return -1;
    r->cands[e][r->ncands[e]++] = k;
    return 0;
}

static int cmp_cand_rec(const void *a, const void *b)
{
    const cand_rec *x = a, *y = b;
    if (x->k.unidad != y->k.unidad)
        return x->k.unidad < y->k.unidad ? -1 : 1;
    if (x->k.col != y->k.col)
        return x->k.col < y->k.col ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static const cand_rec *find_cand(const cand_rec *c, int n, int unidad, int col)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const prep_candidatura *k = &c[mid].k;
        int d = k->unidad != unidad ? (k->unidad < unidad ? -1 : 1)
                                    : (k->col < col ? -1 : k->col > col);
        if (d == 0)
            return &c[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int finish_candidaturas(reader *r, prep_err *err)
{
    prep_catalog *cat = r->cat;
    for (int e = 0; e < cat->nelecciones; e++) {
        prep_eleccion *el = &cat->elecciones[e];
        cand_rec *c = r->cands[e];
        int n = r->ncands[e];
        if (n > 0)
            qsort(c, (size_t)n, sizeof *c, cmp_cand_rec);
        for (int i = 1; i < n; i++)
            if (c[i].k.unidad == c[i - 1].k.unidad && c[i].k.col == c[i - 1].k.col)
                return prep_fail(err, PREP_E_INVALID,
                                 "candidaturas.csv:%ld: election %s, %s %d: column %s has a "
                                 "candidatura already (line %ld)",
                                 c[i].line, el->codigo, unidad_word(el->unidad),
                                 prep_catalog_unidad_id(cat, e, c[i].k.unidad),
                                 el->cols[c[i].k.col].nombre, c[i - 1].line);
        /* A combination repeats its coalition's candidate: every party of
         * the coalition runs the same candidatura in that unit. */
        for (int i = 0; i < n; i++) {
            const prep_columna *col = &el->cols[c[i].k.col];
            if (col->tipo != PREP_COL_COMBINACION)
                continue;
            const prep_coalicion *co = &el->coaliciones[col->coalicion];
            int uid = prep_catalog_unidad_id(cat, e, c[i].k.unidad);
            for (int p = 0; p < co->npartidos; p++) {
                const cand_rec *pc = find_cand(c, n, c[i].k.unidad, co->partidos[p]);
                const char *pname = el->cols[co->partidos[p]].nombre;
                if (!pc)
                    return prep_fail(err, PREP_E_INVALID,
                                     "candidaturas.csv:%ld: election %s, %s %d: combination %s "
                                     "has a candidatura but party %s of coalition %s has none",
                                     c[i].line, el->codigo, unidad_word(el->unidad), uid,
                                     col->nombre, pname, co->codigo);
                if (strcmp(pc->k.propietaria, c[i].k.propietaria) != 0 ||
                    strcmp(pc->k.suplente, c[i].k.suplente) != 0)
                    return prep_fail(err, PREP_E_INVALID,
                                     "candidaturas.csv:%ld: election %s, %s %d: combination %s "
                                     "must repeat the candidatura of its coalition, but party "
                                     "%s (line %ld) has a different one",
                                     c[i].line, el->codigo, unidad_word(el->unidad), uid,
                                     col->nombre, pname, pc->line);
            }
        }
        int nu = prep_catalog_nunidades(cat, e);
        for (int u = 0, i = 0; u < nu; u++) {
            while (i < n && c[i].k.unidad < u)
                i++;
            if (i == n || c[i].k.unidad != u)
                return prep_fail(err, PREP_E_INVALID,
                                 "candidaturas.csv: election %s has no candidatura in %s %d "
                                 "(entidad %d)",
                                 el->codigo, unidad_word(el->unidad),
                                 prep_catalog_unidad_id(cat, e, u),
                                 prep_catalog_unidad_entidad(cat, e, u));
        }
        el->candidaturas = malloc((size_t)(n ? n : 1) * sizeof *el->candidaturas);
        if (!el->candidaturas)
            return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
        for (int i = 0; i < n; i++)
            el->candidaturas[i] = c[i].k;
        el->ncandidaturas = n;
    }
    return 0;
}

/* ---- the whole directory --------------------------------------------- */

static int read_all(reader *r, const char *dir, prep_err *err)
{
    prep_catalog *cat = r->cat;
#define READ(file, cols, fn)                                                                      \
    prep_csv_read(dir, file, cols, (int)(sizeof cols / sizeof cols[0]), fn, r, err)
    if (READ("proceso.csv", cols_proceso, row_proceso) < 0)
        return -1;
    if (r->nproceso == 0)
        return prep_fail(err, PREP_E_INVALID, "proceso.csv: no data row");
    if (READ("entidades.csv", cols_entidades, row_entidad) < 0)
        return -1;
    if (cat->nentidades == 0)
        return prep_fail(err, PREP_E_INVALID, "entidades.csv: no entidades");
    if (READ("distritos.csv", cols_distritos, row_distrito) < 0)
        return -1;
    if (READ("demarcaciones.csv", cols_demarcaciones, row_demarcacion) < 0)
        return -1;
    if (cat->ndistritos == 0 || cat->ndemarcaciones == 0)
        return prep_fail(err, PREP_E_INVALID, "%s: no rows",
                         cat->ndistritos == 0 ? "distritos.csv" : "demarcaciones.csv");
    qsort(cat->entidades, (size_t)cat->nentidades, sizeof *cat->entidades, cmp_entidad);
    qsort(cat->distritos, (size_t)cat->ndistritos, sizeof *cat->distritos, cmp_unit);
    qsort(cat->demarcaciones, (size_t)cat->ndemarcaciones, sizeof *cat->demarcaciones, cmp_unit);
    if (READ("secciones.csv", cols_secciones, row_seccion) < 0 || finish_secciones(r, err) < 0)
        return -1;
    if (READ("casillas.csv", cols_casillas, row_casilla) < 0 || finish_casillas(r, err) < 0)
        return -1;
    if (READ("elecciones.csv", cols_elecciones, row_eleccion) < 0)
        return -1;
    if (cat->nelecciones == 0)
        return prep_fail(err, PREP_E_INVALID, "elecciones.csv: no elections");
    if (READ("asociaciones.csv", cols_asociaciones, row_asociacion) < 0 ||
        finish_asociaciones(r, err) < 0)
        return -1;
    if (READ("coaliciones.csv", cols_coaliciones, row_coalicion) < 0 ||
        finish_coaliciones(r, err) < 0)
        return -1;
    if (READ("candidaturas.csv", cols_candidaturas, row_candidatura) < 0 ||
        finish_candidaturas(r, err) < 0)
        return -1;
#undef READ
    if (prep_catalog_finish(cat, err) < 0) {
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        return prep_fail(err, err->code, "catálogo: %.480s", msg);
    }
    return 0;
}

int prep_catalog_read_dir(const char *dir, prep_catalog *out, prep_err *err)
{
    prep_catalog_init(out);
    struct stat sb;
    if (stat(dir, &sb) < 0)
        return prep_fail(err, errno == ENOENT ? PREP_E_NOT_FOUND : PREP_E_IO, "%s: %s", dir,
                         strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return prep_fail(err, PREP_E_INVALID, "%s is not a directory of catálogo files", dir);
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading the catálogo");
    r->cat = out;
    int rc = read_all(r, dir, err);
    free(r->ent_line);
    free(r->dis_line);
    free(r->dem_line);
    free(r->secs);
    free(r->cas);
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++)
        free(r->cands[e]);
    free(r);
    if (rc < 0)
        prep_catalog_free(out);
    return rc;
}
