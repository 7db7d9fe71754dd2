/* catalog.c — finishing, indexing and querying the in-memory catalog.
 * No I/O: files are parsed in src/catalog/, rows come from the store. */
#include "core/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/hash.h"

void prep_catalog_init(prep_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
}

void prep_catalog_free(prep_catalog *cat)
{
    free(cat->entidades);
    free(cat->distritos);
    free(cat->demarcaciones);
    free(cat->secciones);
    free(cat->casillas);
    for (int e = 0; e < cat->nelecciones; e++) {
        free(cat->elecciones[e].candidaturas);
        free(cat->elecciones[e].aplica);
    }
    prep_catalog_init(cat);
}

void prep_clave_casilla(int entidad, int seccion, char tipo, int numero, int ext, char *out)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%02u%04u%c%02u%02u", (unsigned)entidad % 100u,
             (unsigned)seccion % 10000u, tipo, (unsigned)numero % 100u, (unsigned)ext % 100u);
    memcpy(out, tmp, PREP_CLAVE_CASILLA_LEN);
    out[PREP_CLAVE_CASILLA_LEN] = '\0';
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int prep_clave_parse(const char *clave, int *entidad, int *seccion, char *tipo, int *numero,
                     int *ext)
{
    if (!clave || strlen(clave) != PREP_CLAVE_CASILLA_LEN)
        return -1;
    char t = clave[6];
    if (t != 'B' && t != 'C' && t != 'E' && t != 'S')
        return -1;
    if (digits(clave, 2, entidad) || digits(clave + 2, 4, seccion) ||
        digits(clave + 7, 2, numero) || digits(clave + 9, 2, ext))
        return -1;
    *tipo = t;
    return 0;
}

static int cmp_casilla(const void *a, const void *b)
{
    return strcmp(((const prep_casilla *)a)->clave, ((const prep_casilla *)b)->clave);
}

static int cmp_seccion(const void *a, const void *b)
{
    const prep_seccion *x = a, *y = b;
    if (x->entidad != y->entidad)
        return x->entidad < y->entidad ? -1 : 1;
    return x->seccion < y->seccion ? -1 : x->seccion > y->seccion;
}

static int cmp_cand(const void *a, const void *b)
{
    const prep_candidatura *x = a, *y = b;
    if (x->unidad != y->unidad)
        return x->unidad < y->unidad ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

int prep_catalog_find_casilla(const prep_catalog *cat, const char *clave)
{
    if (!clave || strlen(clave) != PREP_CLAVE_CASILLA_LEN)
        return -1;
    int lo = 0, hi = cat->ncasillas - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(cat->casillas[mid].clave, clave);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int prep_catalog_find_seccion(const prep_catalog *cat, int entidad, int seccion)
{
    prep_seccion key = {.entidad = entidad, .seccion = seccion};
    const prep_seccion *s =
        bsearch(&key, cat->secciones, (size_t)cat->nsecciones, sizeof key, cmp_seccion);
    return s ? (int)(s - cat->secciones) : -1;
}

int prep_catalog_find_eleccion(const prep_catalog *cat, const char *codigo)
{
    for (int e = 0; e < cat->nelecciones; e++)
        if (codigo && strcmp(cat->elecciones[e].codigo, codigo) == 0)
            return e;
    return -1;
}

int prep_catalog_find_entidad(const prep_catalog *cat, int id)
{
    for (int i = 0; i < cat->nentidades; i++)
        if (cat->entidades[i].id == id)
            return i;
    return -1;
}

static int find_unit(const prep_unidad *u, int n, int entidad, int id)
{
    for (int i = 0; i < n; i++)
        if (u[i].entidad == entidad && u[i].id == id)
            return i;
    return -1;
}

int prep_catalog_find_distrito(const prep_catalog *cat, int entidad, int id)
{
    return find_unit(cat->distritos, cat->ndistritos, entidad, id);
}

int prep_catalog_find_demarcacion(const prep_catalog *cat, int entidad, int id)
{
    return find_unit(cat->demarcaciones, cat->ndemarcaciones, entidad, id);
}

int prep_catalog_nunidades(const prep_catalog *cat, int eleccion)
{
    switch (cat->elecciones[eleccion].unidad) {
    case PREP_UNIDAD_DISTRITO: return cat->ndistritos;
    case PREP_UNIDAD_DEMARCACION: return cat->ndemarcaciones;
    default: return cat->nentidades;
    }
}

int prep_catalog_unidad_of(const prep_catalog *cat, int eleccion, int casilla)
{
    const prep_seccion *s = &cat->secciones[cat->casillas[casilla].seccion_idx];
    switch (cat->elecciones[eleccion].unidad) {
    case PREP_UNIDAD_DISTRITO: return s->distrito;
    case PREP_UNIDAD_DEMARCACION: return s->demarcacion;
    default: return prep_catalog_find_entidad(cat, s->entidad);
    }
}

int prep_catalog_unidad_id(const prep_catalog *cat, int eleccion, int u)
{
    switch (cat->elecciones[eleccion].unidad) {
    case PREP_UNIDAD_DISTRITO: return cat->distritos[u].id;
    case PREP_UNIDAD_DEMARCACION: return cat->demarcaciones[u].id;
    default: return cat->entidades[u].id;
    }
}

const char *prep_catalog_unidad_nombre(const prep_catalog *cat, int eleccion, int u)
{
    switch (cat->elecciones[eleccion].unidad) {
    case PREP_UNIDAD_DISTRITO: return cat->distritos[u].nombre;
    case PREP_UNIDAD_DEMARCACION: return cat->demarcaciones[u].nombre;
    default: return cat->entidades[u].nombre;
    }
}

int prep_catalog_unidad_entidad(const prep_catalog *cat, int eleccion, int u)
{
    switch (cat->elecciones[eleccion].unidad) {
    case PREP_UNIDAD_DISTRITO: return cat->distritos[u].entidad;
    case PREP_UNIDAD_DEMARCACION: return cat->demarcaciones[u].entidad;
    default: return cat->entidades[u].id;
    }
}

int prep_eleccion_aplica(const prep_eleccion *el, int u, int col)
{
    return el->aplica[(size_t)u * (size_t)el->ncols + (size_t)col];
}

const prep_candidatura *prep_eleccion_candidatura(const prep_eleccion *el, int u, int col)
{
    prep_candidatura key = {.unidad = u, .col = col};
    return bsearch(&key, el->candidaturas, (size_t)el->ncandidaturas, sizeof key, cmp_cand);
}

const char *prep_eleccion_tipo_acta(const prep_eleccion *el, const prep_casilla *c)
{
    return c->tipo == 'S' && el->tipo_acta_especial[0] ? el->tipo_acta_especial : el->tipo_acta;
}

static int finish_eleccion(prep_catalog *cat, int e, prep_err *err)
{
    prep_eleccion *el = &cat->elecciones[e];
    if (el->unidad != PREP_UNIDAD_ENTIDAD && el->unidad != PREP_UNIDAD_DISTRITO &&
        el->unidad != PREP_UNIDAD_DEMARCACION)
        return prep_fail(err, PREP_E_INVALID, "election %s: unknown unit type %d", el->codigo,
                         el->unidad);
    if (el->ncols <= 0 || el->ncols > PREP_MAX_COLS)
        return prep_fail(err, PREP_E_INVALID, "election %s: %d vote columns (1..%d allowed)",
                         el->codigo, el->ncols, PREP_MAX_COLS);
    if (el->ncoaliciones < 0 || el->ncoaliciones > PREP_MAX_COALICIONES)
        return prep_fail(err, PREP_E_INVALID, "election %s: %d coalitions (0..%d allowed)",
                         el->codigo, el->ncoaliciones, PREP_MAX_COALICIONES);
    for (int i = 0; i < el->ncols; i++) {
        const prep_columna *c = &el->cols[i];
        if (c->coalicion < -1 || c->coalicion >= el->ncoaliciones)
            return prep_fail(err, PREP_E_INVALID, "election %s: column %s names no coalition",
                             el->codigo, c->nombre);
        if (c->tipo == PREP_COL_COMBINACION && c->coalicion < 0)
            return prep_fail(err, PREP_E_INVALID,
                             "election %s: combination %s belongs to no coalition", el->codigo,
                             c->nombre);
        for (int j = 0; j < i; j++)
            if (strcmp(el->cols[j].nombre, c->nombre) == 0)
                return prep_fail(err, PREP_E_INVALID, "election %s: column %s appears twice",
                                 el->codigo, c->nombre);
    }
    for (int k = 0; k < el->ncoaliciones; k++) {
        const prep_coalicion *co = &el->coaliciones[k];
        if (co->npartidos < 2 || co->npartidos > PREP_MAX_PARTIDOS_COAL)
            return prep_fail(err, PREP_E_INVALID, "election %s: coalition %s has %d parties",
                             el->codigo, co->codigo, co->npartidos);
        for (int p = 0; p < co->npartidos; p++)
            if (co->partidos[p] < 0 || co->partidos[p] >= el->ncols ||
                el->cols[co->partidos[p]].tipo != PREP_COL_PARTIDO)
                return prep_fail(err, PREP_E_INVALID,
                                 "election %s: coalition %s names a column that is not a party",
                                 el->codigo, co->codigo);
    }
    /* Every unit type has at least one unit once the casillas check out
     * (a casilla needs a sección, a sección a distrito and a demarcación). */
    int nu = prep_catalog_nunidades(cat, e);
    free(el->aplica);
    el->aplica = calloc((size_t)nu * (size_t)el->ncols, 1);
    if (!el->aplica)
        return prep_fail(err, PREP_E_NOMEM, "out of memory"); /* LCOV_EXCL_LINE calloc failure is not injected in unit tests */
    qsort(el->candidaturas, (size_t)el->ncandidaturas, sizeof *el->candidaturas, cmp_cand);
    for (int i = 0; i < el->ncandidaturas; i++) {
        const prep_candidatura *k = &el->candidaturas[i];
        if (k->unidad < 0 || k->unidad >= nu || k->col < 0 || k->col >= el->ncols)
            return prep_fail(err, PREP_E_INVALID, "election %s: candidatura %d out of range",
                             el->codigo, i);
        if (i > 0 && cmp_cand(k, k - 1) == 0)
            return prep_fail(err, PREP_E_INVALID,
                             "election %s: two candidaturas for column %s in unit %d",
                             el->codigo, el->cols[k->col].nombre,
                             prep_catalog_unidad_id(cat, e, k->unidad));
        el->aplica[(size_t)k->unidad * (size_t)el->ncols + (size_t)k->col] = 1;
    }
    return 0;
}

int prep_catalog_finish(prep_catalog *cat, prep_err *err)
{
    if (cat->nentidades <= 0)
        return prep_fail(err, PREP_E_INVALID, "catalog has no entidad");
    if (cat->ncasillas <= 0)
        return prep_fail(err, PREP_E_INVALID, "catalog has no casillas");
    if (cat->nelecciones <= 0)
        return prep_fail(err, PREP_E_INVALID, "catalog has no elections");
    qsort(cat->secciones, (size_t)cat->nsecciones, sizeof *cat->secciones, cmp_seccion);
    for (int i = 0; i < cat->nsecciones; i++) {
        const prep_seccion *s = &cat->secciones[i];
        if (i > 0 && cmp_seccion(s, s - 1) == 0)
            return prep_fail(err, PREP_E_INVALID, "sección %d appears twice", s->seccion);
        if (prep_catalog_find_entidad(cat, s->entidad) < 0)
            return prep_fail(err, PREP_E_INVALID, "sección %d: unknown entidad %d", s->seccion,
                             s->entidad);
        if (s->distrito < 0 || s->distrito >= cat->ndistritos || s->demarcacion < 0 ||
            s->demarcacion >= cat->ndemarcaciones)
            return prep_fail(err, PREP_E_INVALID, "sección %d: distrito or demarcación missing",
                             s->seccion);
    }
    for (int i = 0; i < cat->ncasillas; i++) {
        prep_casilla *c = &cat->casillas[i];
        if (c->seccion < 1 || c->seccion > 9999 || c->numero < 1 || c->numero > 99 ||
            c->ext < 0 || c->ext > 99 || c->entidad < 1 || c->entidad > 99)
            return prep_fail(err, PREP_E_INVALID, "casilla %d: identification out of range", i);
        if (c->tipo != 'B' && c->tipo != 'C' && c->tipo != 'E' && c->tipo != 'S')
            return prep_fail(err, PREP_E_INVALID, "casilla %d: tipo '%c' is not B, C, E or S", i,
                             c->tipo ? c->tipo : '?');
        prep_clave_casilla(c->entidad, c->seccion, c->tipo, c->numero, c->ext, c->clave);
        c->seccion_idx = prep_catalog_find_seccion(cat, c->entidad, c->seccion);
        if (c->seccion_idx < 0)
            return prep_fail(err, PREP_E_INVALID, "casilla %s: sección %d is not in the catalog",
                             c->clave, c->seccion);
        if (c->lista_nominal < 0 || c->representantes < 0 || c->boletas < 0)
            return prep_fail(err, PREP_E_INVALID, "casilla %s: negative count", c->clave);
        if (c->tipo == 'S' && c->boletas <= 0)
            return prep_fail(err, PREP_E_INVALID, "casilla especial %s: needs BOLETAS > 0",
                             c->clave);
        if (c->catd < 1 || (cat->ncatd > 0 && c->catd > cat->ncatd))
            return prep_fail(err, PREP_E_INVALID, "casilla %s: CATD %d does not exist", c->clave,
                             c->catd);
    }
    qsort(cat->casillas, (size_t)cat->ncasillas, sizeof *cat->casillas, cmp_casilla);
    for (int i = 1; i < cat->ncasillas; i++)
        if (strcmp(cat->casillas[i].clave, cat->casillas[i - 1].clave) == 0)
            return prep_fail(err, PREP_E_INVALID, "casilla %s appears twice",
                             cat->casillas[i].clave);
    for (int e = 0; e < cat->nelecciones; e++) {
        for (int f = 0; f < e; f++)
            if (strcmp(cat->elecciones[f].codigo, cat->elecciones[e].codigo) == 0)
                return prep_fail(err, PREP_E_INVALID, "election %s appears twice",
                                 cat->elecciones[e].codigo);
        if (finish_eleccion(cat, e, err) < 0)
            return -1;
    }
    return 0;
}

const char *prep_formato_name(int formato)
{
    return formato == PREP_FORMATO_IECM ? "IECM" : "INE";
}

int prep_formato_parse(const char *s)
{
    if (!*s || strcmp(s, "INE") == 0)
        return PREP_FORMATO_INE;
    return strcmp(s, "IECM") == 0 ? PREP_FORMATO_IECM : -1;
}

void prep_catalog_fingerprint(const prep_catalog *cat, char out[65])
{
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_printf(&b, "proceso|%s|%s|%d|catd|%d\n", cat->proceso, cat->ent_codigo, cat->anio,
                    cat->ncatd);
    /* Only a non-default form enters the text, so INE-form catálogos keep
     * the fingerprints they had before the setting existed. */
    if (cat->formato != PREP_FORMATO_INE)
        prep_buf_printf(&b, "formato|%s\n", prep_formato_name(cat->formato));
    for (int i = 0; i < cat->nentidades; i++)
        prep_buf_printf(&b, "ent|%d|%s\n", cat->entidades[i].id, cat->entidades[i].nombre);
    for (int i = 0; i < cat->ndistritos; i++)
        prep_buf_printf(&b, "dis|%d|%d|%s\n", cat->distritos[i].entidad, cat->distritos[i].id,
                        cat->distritos[i].nombre);
    for (int i = 0; i < cat->ndemarcaciones; i++)
        prep_buf_printf(&b, "dem|%d|%d|%s\n", cat->demarcaciones[i].entidad,
                        cat->demarcaciones[i].id, cat->demarcaciones[i].nombre);
    for (int i = 0; i < cat->nsecciones; i++) {
        const prep_seccion *s = &cat->secciones[i];
        prep_buf_printf(&b, "sec|%d|%d|%d|%d\n", s->entidad, s->seccion,
                        cat->distritos[s->distrito].id, cat->demarcaciones[s->demarcacion].id);
    }
    for (int i = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        prep_buf_printf(&b, "cas|%s|%d|%d|%d|%d|%d|%d|%c\n", c->clave, c->ubicacion,
                        c->lista_nominal, c->representantes, c->boletas, c->catd, c->cae,
                        c->mecanismo ? c->mecanismo : '-');
    }
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        prep_buf_printf(&b, "ele|%s|%s|%d|%s|%s\n", el->codigo, el->nombre, el->unidad,
                        el->tipo_acta, el->tipo_acta_especial);
        for (int i = 0; i < el->ncols; i++)
            prep_buf_printf(&b, "col|%s|%d|%d\n", el->cols[i].nombre, el->cols[i].tipo,
                            el->cols[i].coalicion);
        for (int i = 0; i < el->ncoaliciones; i++)
            prep_buf_printf(&b, "coa|%s|%s\n", el->coaliciones[i].codigo,
                            el->coaliciones[i].nombre);
        for (int i = 0; i < el->ncandidaturas; i++) {
            const prep_candidatura *k = &el->candidaturas[i];
            prep_buf_printf(&b, "can|%d|%d|%s|%s\n", k->unidad, k->col, k->propietaria,
                            k->suplente);
        }
    }
    prep_sha256_hex(b.data ? b.data : "", b.len, out);
    prep_buf_free(&b);
}
