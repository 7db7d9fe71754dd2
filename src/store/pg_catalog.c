/* pg_catalog.c — saving the catalog as plain tables on PostgreSQL (COPY, so
 * a national catalog loads in seconds) and loading it back into a
 * prep_catalog. As on SQLite, saving is refused once any acta has been
 * recorded: acta rows refer to casillas by catalog index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backends.h"
#include "store/pg_internal.h"

/* Fields of one COPY row: integers formatted into slots, text by pointer. */
typedef struct {
    const char *f[16];
    char num[16][24];
    int n;
} row;

static void ri(row *r, int64_t x)
{
    snprintf(r->num[r->n], sizeof r->num[r->n], "%lld", (long long)x);
    r->f[r->n] = r->num[r->n];
    r->n++;
}

static void rt(row *r, const char *s)
{
    r->f[r->n++] = s;
}

static int put(prep_pg *p, row *r, prep_err *err)
{
    int rc = pg_copy_row(p, r->f, r->n, err);
    r->n = 0;
    return rc;
}

static int copy_units(prep_pg *p, const char *sql, const prep_unidad *u, int n, prep_err *err)
{
    if (pg_copy_begin(p, sql, err) < 0)
        return -1;
    row r = {0};
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        ri(&r, i);
        ri(&r, u[i].entidad);
        ri(&r, u[i].id);
        rt(&r, u[i].nombre);
        rc = put(p, &r, err);
    }
    return pg_copy_end(p, err, "unidad") < 0 ? -1 : rc;
}

static int copy_casillas(prep_pg *p, const prep_catalog *cat, prep_err *err)
{
    if (pg_copy_begin(p, "COPY casilla FROM STDIN", err) < 0)
        return -1;
    row r = {0};
    int rc = 0;
    for (int i = 0; i < cat->ncasillas && rc == 0; i++) {
        const prep_casilla *c = &cat->casillas[i];
        char tipo[2] = {c->tipo, 0}, mec[2] = {c->mecanismo, 0};
        ri(&r, i);
        rt(&r, c->clave);
        ri(&r, c->entidad);
        ri(&r, c->seccion);
        rt(&r, tipo);
        ri(&r, c->numero);
        ri(&r, c->ext);
        ri(&r, c->ubicacion);
        ri(&r, c->lista_nominal);
        ri(&r, c->representantes);
        ri(&r, c->boletas);
        ri(&r, c->catd);
        ri(&r, c->cae);
        rt(&r, mec);
        rc = put(p, &r, err);
    }
    return pg_copy_end(p, err, "casilla") < 0 ? -1 : rc;
}

static int copy_eleccion(prep_pg *p, int e, const prep_eleccion *el, prep_err *err)
{
    row r = {0};
    ri(&r, e);
    rt(&r, el->codigo);
    rt(&r, el->nombre);
    ri(&r, el->unidad);
    rt(&r, el->tipo_acta);
    rt(&r, el->tipo_acta_especial);
    if (pg_copy_begin(p, "COPY eleccion FROM STDIN", err) < 0)
        return -1;
    int rc = put(p, &r, err);
    if (pg_copy_end(p, err, "eleccion") < 0 || rc < 0)
        return -1;
    if (pg_copy_begin(p, "COPY columna FROM STDIN", err) < 0)
        return -1;
    for (int i = 0; i < el->ncols && rc == 0; i++) {
        ri(&r, e);
        ri(&r, i);
        rt(&r, el->cols[i].nombre);
        ri(&r, el->cols[i].tipo);
        ri(&r, el->cols[i].coalicion);
        rc = put(p, &r, err);
    }
    if (pg_copy_end(p, err, "columna") < 0 || rc < 0)
        return -1;
    if (pg_copy_begin(p, "COPY coalicion FROM STDIN", err) < 0)
        return -1;
    for (int i = 0; i < el->ncoaliciones && rc == 0; i++) {
        const prep_coalicion *k = &el->coaliciones[i];
        char partidos[128] = "";
        size_t len = 0;
        for (int j = 0; j < k->npartidos && len < sizeof partidos; j++)
            len += (size_t)snprintf(partidos + len, sizeof partidos - len, "%s%d", j ? "," : "",
                                    k->partidos[j]);
        ri(&r, e);
        ri(&r, i);
        rt(&r, k->codigo);
        rt(&r, k->nombre);
        rt(&r, partidos);
        rc = put(p, &r, err);
    }
    if (pg_copy_end(p, err, "coalicion") < 0 || rc < 0)
        return -1;
    if (pg_copy_begin(p, "COPY candidatura FROM STDIN", err) < 0)
        return -1;
    for (int i = 0; i < el->ncandidaturas && rc == 0; i++) {
        const prep_candidatura *k = &el->candidaturas[i];
        ri(&r, e);
        ri(&r, k->unidad);
        ri(&r, k->col);
        rt(&r, k->propietaria);
        rt(&r, k->suplente);
        rc = put(p, &r, err);
    }
    return pg_copy_end(p, err, "candidatura") < 0 ? -1 : rc;
}

static int save_all(prep_pg *p, const prep_catalog *cat, prep_err *err)
{
    PGresult *q = pg_run(p, "SELECT count(*) FROM acta", NULL, err, "count actas");
    if (!q)
        return -1;
    int64_t nactas = pg_int(q, 0, 0);
    PQclear(q);
    if (nactas > 0)
        return prep_fail(err, PREP_E_STATE,
                         "%lld actas are already recorded: the catalog can no longer change",
                         (long long)nactas);
    if (pg_exec(p,
                "DELETE FROM proceso; DELETE FROM entidad; DELETE FROM distrito;"
                "DELETE FROM demarcacion; DELETE FROM seccion; DELETE FROM casilla;"
                "DELETE FROM eleccion; DELETE FROM columna; DELETE FROM coalicion;"
                "DELETE FROM candidatura;",
                err) < 0)
        return -1;
    row r = {0};
    ri(&r, 1);
    rt(&r, cat->proceso);
    rt(&r, cat->ent_codigo);
    ri(&r, cat->anio);
    ri(&r, cat->ncatd);
    rt(&r, prep_formato_name(cat->formato));
    if (pg_copy_begin(p, "COPY proceso FROM STDIN", err) < 0)
        return -1;
    int rc = put(p, &r, err);
    if (pg_copy_end(p, err, "proceso") < 0 || rc < 0)
        return -1;
    if (pg_copy_begin(p, "COPY entidad FROM STDIN", err) < 0)
        return -1;
    for (int i = 0; i < cat->nentidades && rc == 0; i++) {
        ri(&r, cat->entidades[i].id);
        rt(&r, cat->entidades[i].nombre);
        rc = put(p, &r, err);
    }
    if (pg_copy_end(p, err, "entidad") < 0 || rc < 0)
        return -1;
    if (copy_units(p, "COPY distrito FROM STDIN", cat->distritos, cat->ndistritos, err) < 0 ||
        copy_units(p, "COPY demarcacion FROM STDIN", cat->demarcaciones, cat->ndemarcaciones,
                   err) < 0)
        return -1;
    if (pg_copy_begin(p, "COPY seccion FROM STDIN", err) < 0)
        return -1;
    for (int i = 0; i < cat->nsecciones && rc == 0; i++) {
        const prep_seccion *x = &cat->secciones[i];
        ri(&r, x->entidad);
        ri(&r, x->seccion);
        ri(&r, x->distrito);
        ri(&r, x->demarcacion);
        rc = put(p, &r, err);
    }
    if (pg_copy_end(p, err, "seccion") < 0 || rc < 0)
        return -1;
    if (copy_casillas(p, cat, err) < 0)
        return -1;
    for (int e = 0; e < cat->nelecciones; e++)
        if (copy_eleccion(p, e, &cat->elecciones[e], err) < 0)
            return -1;
    char fp[65];
    prep_catalog_fingerprint(cat, fp);
    pg_params pp = {0};
    pgp_text(&pp, fp);
    return pg_cmd(p,
                  "INSERT INTO meta VALUES('catalog_fingerprint', $1)"
                  " ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value",
                  &pp, err, "meta", NULL);
}

int pg_catalog_save(prep_store *st, const prep_catalog *cat, prep_err *err)
{
    prep_pg *p = PG(st);
    int started;
    if (pg_auto_begin(p, 1, &started, err) < 0)
        return -1;
    int ok = save_all(p, cat, err) == 0;
    return pg_auto_end(p, started, ok, err);
}

/* Run a query of the catalog; NULL + err on failure. */
static PGresult *q0(prep_pg *p, const char *sql, prep_err *err)
{
    return pg_run(p, sql, NULL, err, "load catalog");
}

static PGresult *q1(prep_pg *p, const char *sql, int e, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    return pg_run(p, sql, &pp, err, "load catalog");
}

/* calloc n + 1 elements (never NULL for n = 0 unless out of memory). */
#define ALLOC(ptr, n) ((ptr) = calloc((size_t)(n) + 1, sizeof *(ptr)))

static int load_eleccion(prep_pg *p, int e, prep_eleccion *el, prep_err *err)
{
    PGresult *r = q1(p,
                     "SELECT codigo, nombre, unidad, tipo_acta, tipo_acta_especial"
                     " FROM eleccion WHERE idx = $1",
                     e, err);
    if (!r)
        return -1;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return prep_fail(err, PREP_E_CORRUPT, "stored catalog lacks election %d", e);
    }
    pg_copy(el->codigo, sizeof el->codigo, r, 0, 0);
    pg_copy(el->nombre, sizeof el->nombre, r, 0, 1);
    el->unidad = (int)pg_int(r, 0, 2);
    pg_copy(el->tipo_acta, sizeof el->tipo_acta, r, 0, 3);
    pg_copy(el->tipo_acta_especial, sizeof el->tipo_acta_especial, r, 0, 4);
    PQclear(r);
    if (!(r = q1(p, "SELECT nombre, tipo, coalicion FROM columna WHERE eleccion = $1 ORDER BY idx",
                 e, err)))
        return -1;
    for (int i = 0; i < PQntuples(r) && el->ncols < PREP_MAX_COLS; i++) {
        prep_columna *c = &el->cols[el->ncols++];
        pg_copy(c->nombre, sizeof c->nombre, r, i, 0);
        c->tipo = (int)pg_int(r, i, 1);
        c->coalicion = (int)pg_int(r, i, 2);
    }
    PQclear(r);
    if (!(r = q1(p,
                 "SELECT codigo, nombre, partidos FROM coalicion WHERE eleccion = $1 ORDER BY idx",
                 e, err)))
        return -1;
    for (int i = 0; i < PQntuples(r) && el->ncoaliciones < PREP_MAX_COALICIONES; i++) {
        prep_coalicion *k = &el->coaliciones[el->ncoaliciones++];
        pg_copy(k->codigo, sizeof k->codigo, r, i, 0);
        pg_copy(k->nombre, sizeof k->nombre, r, i, 1);
        const char *s = PQgetvalue(r, i, 2);
        while (*s && k->npartidos < PREP_MAX_PARTIDOS_COAL) {
            k->partidos[k->npartidos++] = atoi(s);
            s = strchr(s, ',');
            if (!s)
                break;
            s++;
        }
    }
    PQclear(r);
    if (!(r = q1(p,
                 "SELECT unidad, col, propietaria, suplente FROM candidatura WHERE eleccion = $1"
                 " ORDER BY unidad, col",
                 e, err)))
        return -1;
    int n = PQntuples(r);
    if (!ALLOC(el->candidaturas, n)) {
        PQclear(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading candidaturas");
    }
    for (int i = 0; i < n; i++) {
        prep_candidatura *k = &el->candidaturas[el->ncandidaturas++];
        k->unidad = (int)pg_int(r, i, 0);
        k->col = (int)pg_int(r, i, 1);
        pg_copy(k->propietaria, sizeof k->propietaria, r, i, 2);
        pg_copy(k->suplente, sizeof k->suplente, r, i, 3);
    }
    PQclear(r);
    return 0;
}

static int load_units(prep_pg *p, const char *sql, prep_unidad **out, int *n, prep_err *err)
{
    PGresult *r = q0(p, sql, err);
    if (!r)
        return -1;
    *n = PQntuples(r);
    if (!ALLOC(*out, *n)) {
        PQclear(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading the catalog");
    }
    for (int i = 0; i < *n; i++) {
        (*out)[i].entidad = (int)pg_int(r, i, 0);
        (*out)[i].id = (int)pg_int(r, i, 1);
        pg_copy((*out)[i].nombre, PREP_NAME_MAX, r, i, 2);
    }
    PQclear(r);
    return 0;
}

static int load_all(prep_pg *p, prep_catalog *cat, prep_err *err)
{
    PGresult *r = q0(p, "SELECT nombre, ent_codigo, anio, ncatd, formato FROM proceso", err);
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 1;
    }
    pg_copy(cat->proceso, sizeof cat->proceso, r, 0, 0);
    pg_copy(cat->ent_codigo, sizeof cat->ent_codigo, r, 0, 1);
    cat->anio = (int)pg_int(r, 0, 2);
    cat->ncatd = (int)pg_int(r, 0, 3);
    char fmt[8];
    pg_copy(fmt, sizeof fmt, r, 0, 4);
    cat->formato = prep_formato_parse(fmt) < 0 ? PREP_FORMATO_INE : prep_formato_parse(fmt);
    PQclear(r);

    if (!(r = q0(p, "SELECT id, nombre FROM entidad ORDER BY id", err)))
        return -1;
    cat->nentidades = PQntuples(r);
    if (!ALLOC(cat->entidades, cat->nentidades)) {
        PQclear(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading the catalog");
    }
    for (int i = 0; i < cat->nentidades; i++) {
        cat->entidades[i].id = (int)pg_int(r, i, 0);
        pg_copy(cat->entidades[i].nombre, PREP_NAME_MAX, r, i, 1);
    }
    PQclear(r);
    if (load_units(p, "SELECT entidad, id, nombre FROM distrito ORDER BY idx", &cat->distritos,
                   &cat->ndistritos, err) < 0 ||
        load_units(p, "SELECT entidad, id, nombre FROM demarcacion ORDER BY idx",
                   &cat->demarcaciones, &cat->ndemarcaciones, err) < 0)
        return -1;
    if (!(r = q0(p,
                 "SELECT entidad, seccion, distrito, demarcacion FROM seccion"
                 " ORDER BY entidad, seccion",
                 err)))
        return -1;
    cat->nsecciones = PQntuples(r);
    if (!ALLOC(cat->secciones, cat->nsecciones)) {
        PQclear(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading the catalog");
    }
    for (int i = 0; i < cat->nsecciones; i++) {
        cat->secciones[i].entidad = (int)pg_int(r, i, 0);
        cat->secciones[i].seccion = (int)pg_int(r, i, 1);
        cat->secciones[i].distrito = (int)pg_int(r, i, 2);
        cat->secciones[i].demarcacion = (int)pg_int(r, i, 3);
    }
    PQclear(r);
    if (!(r = q0(p,
                 "SELECT entidad, seccion, tipo, numero, ext, ubicacion, lista_nominal,"
                 " representantes, boletas, catd, cae, mecanismo FROM casilla ORDER BY idx",
                 err)))
        return -1;
    cat->ncasillas = PQntuples(r);
    if (!ALLOC(cat->casillas, cat->ncasillas)) {
        PQclear(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading the catalog");
    }
    for (int i = 0; i < cat->ncasillas; i++) {
        prep_casilla *c = &cat->casillas[i];
        c->entidad = (int)pg_int(r, i, 0);
        c->seccion = (int)pg_int(r, i, 1);
        c->tipo = PQgetvalue(r, i, 2)[0];
        c->numero = (int)pg_int(r, i, 3);
        c->ext = (int)pg_int(r, i, 4);
        c->ubicacion = (int)pg_int(r, i, 5);
        c->lista_nominal = (int)pg_int(r, i, 6);
        c->representantes = (int)pg_int(r, i, 7);
        c->boletas = (int)pg_int(r, i, 8);
        c->catd = (int)pg_int(r, i, 9);
        c->cae = (int)pg_int(r, i, 10);
        c->mecanismo = PQgetvalue(r, i, 11)[0];
    }
    PQclear(r);
    if (!(r = q0(p, "SELECT count(*) FROM eleccion", err)))
        return -1;
    cat->nelecciones = (int)pg_int(r, 0, 0);
    PQclear(r);
    if (cat->nelecciones > PREP_MAX_ELECCIONES)
        return prep_fail(err, PREP_E_CORRUPT, "stored catalog has too many elections");
    for (int e = 0; e < cat->nelecciones; e++)
        if (load_eleccion(p, e, &cat->elecciones[e], err) < 0)
            return -1;
    return 0;
}

int pg_catalog_load(prep_store *st, prep_catalog *cat, prep_err *err)
{
    prep_pg *p = PG(st);
    int started;
    prep_catalog_init(cat);
    if (pg_auto_begin(p, 0, &started, err) < 0)
        return -1;
    int rc = prep_store_catalog_loaded(cat, load_all(p, cat, err), err);
    if (pg_auto_end(p, started, rc >= 0, err) < 0 && rc == 0) {
        prep_catalog_free(cat);
        return -1;
    }
    return rc;
}
