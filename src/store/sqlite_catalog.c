/* sqlite_catalog.c — saving the catalog as plain tables (auditors can query
 * them with sqlite3) and loading it back into a prep_catalog. Saving is
 * refused once any acta has been recorded: acta rows refer to casillas by
 * their catalog index, so the catalog is frozen from the first acopio on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backends.h"
#include "store/sqlite_internal.h"

static int save_all(prep_sqlite *s, const prep_catalog *cat, prep_err *err)
{
    sqlite3_stmt *q;
    if (!(q = sq_stmt(s, "SELECT count(*) FROM acta", err)))
        return -1;
    if (sqlite3_step(q) != SQLITE_ROW)
        return sq_fail(s, err, "count actas");
    int64_t nactas = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (nactas > 0)
        return prep_fail(err, PREP_E_STATE,
                         "%lld actas are already recorded: the catalog can no longer change",
                         (long long)nactas);
    if (sq_exec(s,
                "DELETE FROM proceso; DELETE FROM entidad; DELETE FROM distrito;"
                "DELETE FROM demarcacion; DELETE FROM seccion; DELETE FROM casilla;"
                "DELETE FROM eleccion; DELETE FROM columna; DELETE FROM coalicion;"
                "DELETE FROM candidatura;",
                err) < 0)
        return -1;
    if (!(q = sq_stmt(s, "INSERT INTO proceso VALUES(1, ?1, ?2, ?3, ?4, ?5)", err)))
        return -1;
    sqlite3_bind_text(q, 1, cat->proceso, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, cat->ent_codigo, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, cat->anio);
    sqlite3_bind_int(q, 4, cat->ncatd);
    sqlite3_bind_text(q, 5, prep_formato_name(cat->formato), -1, SQLITE_STATIC);
    if (sq_done(s, q, err, "proceso") < 0)
        return -1;
    if (!(q = sq_stmt(s, "INSERT INTO entidad VALUES(?1, ?2)", err)))
        return -1;
    for (int i = 0; i < cat->nentidades; i++) {
        sqlite3_bind_int(q, 1, cat->entidades[i].id);
        sqlite3_bind_text(q, 2, cat->entidades[i].nombre, -1, SQLITE_STATIC);
        if (sq_done(s, q, err, "entidad") < 0)
            return -1;
    }
    const char *unit_sql[2] = {"INSERT INTO distrito VALUES(?1, ?2, ?3, ?4)",
                               "INSERT INTO demarcacion VALUES(?1, ?2, ?3, ?4)"};
    const prep_unidad *units[2] = {cat->distritos, cat->demarcaciones};
    int nunits[2] = {cat->ndistritos, cat->ndemarcaciones};
    for (int k = 0; k < 2; k++) {
        if (!(q = sq_stmt(s, unit_sql[k], err)))
            return -1;
        for (int i = 0; i < nunits[k]; i++) {
            sqlite3_bind_int(q, 1, i);
            sqlite3_bind_int(q, 2, units[k][i].entidad);
            sqlite3_bind_int(q, 3, units[k][i].id);
            sqlite3_bind_text(q, 4, units[k][i].nombre, -1, SQLITE_STATIC);
            if (sq_done(s, q, err, "unidad") < 0)
                return -1;
        }
    }
    if (!(q = sq_stmt(s, "INSERT INTO seccion VALUES(?1, ?2, ?3, ?4)", err)))
        return -1;
    for (int i = 0; i < cat->nsecciones; i++) {
        const prep_seccion *x = &cat->secciones[i];
        sqlite3_bind_int(q, 1, x->entidad);
        sqlite3_bind_int(q, 2, x->seccion);
        sqlite3_bind_int(q, 3, x->distrito);
        sqlite3_bind_int(q, 4, x->demarcacion);
        if (sq_done(s, q, err, "seccion") < 0)
            return -1;
    }
    if (!(q = sq_stmt(s,
                      "INSERT INTO casilla VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                      " ?12, ?13, ?14)",
                      err)))
        return -1;
    for (int i = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        char tipo[2] = {c->tipo, 0}, mec[2] = {c->mecanismo, 0};
        sqlite3_bind_int(q, 1, i);
        sqlite3_bind_text(q, 2, c->clave, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, c->entidad);
        sqlite3_bind_int(q, 4, c->seccion);
        sqlite3_bind_text(q, 5, tipo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 6, c->numero);
        sqlite3_bind_int(q, 7, c->ext);
        sqlite3_bind_int(q, 8, c->ubicacion);
        sqlite3_bind_int(q, 9, c->lista_nominal);
        sqlite3_bind_int(q, 10, c->representantes);
        sqlite3_bind_int(q, 11, c->boletas);
        sqlite3_bind_int(q, 12, c->catd);
        sqlite3_bind_int(q, 13, c->cae);
        sqlite3_bind_text(q, 14, mec, -1, SQLITE_TRANSIENT);
        if (sq_done(s, q, err, "casilla") < 0)
            return -1;
    }
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        if (!(q = sq_stmt(s, "INSERT INTO eleccion VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        sqlite3_bind_text(q, 2, el->codigo, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, el->nombre, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, el->unidad);
        sqlite3_bind_text(q, 5, el->tipo_acta, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, el->tipo_acta_especial, -1, SQLITE_STATIC);
        if (sq_done(s, q, err, "eleccion") < 0)
            return -1;
        if (!(q = sq_stmt(s, "INSERT INTO columna VALUES(?1, ?2, ?3, ?4, ?5)", err)))
            return -1;
        for (int i = 0; i < el->ncols; i++) {
            sqlite3_bind_int(q, 1, e);
            sqlite3_bind_int(q, 2, i);
            sqlite3_bind_text(q, 3, el->cols[i].nombre, -1, SQLITE_STATIC);
            sqlite3_bind_int(q, 4, el->cols[i].tipo);
            sqlite3_bind_int(q, 5, el->cols[i].coalicion);
            if (sq_done(s, q, err, "columna") < 0)
                return -1;
        }
        if (!(q = sq_stmt(s, "INSERT INTO coalicion VALUES(?1, ?2, ?3, ?4, ?5)", err)))
            return -1;
        for (int i = 0; i < el->ncoaliciones; i++) {
            const prep_coalicion *k = &el->coaliciones[i];
            char partidos[128] = "";
            size_t len = 0;
            for (int j = 0; j < k->npartidos && len < sizeof partidos; j++)
                len += (size_t)snprintf(partidos + len, sizeof partidos - len, "%s%d",
                                        j ? "," : "", k->partidos[j]);
            sqlite3_bind_int(q, 1, e);
            sqlite3_bind_int(q, 2, i);
            sqlite3_bind_text(q, 3, k->codigo, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 4, k->nombre, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, partidos, -1, SQLITE_TRANSIENT);
            if (sq_done(s, q, err, "coalicion") < 0)
                return -1;
        }
        if (!(q = sq_stmt(s, "INSERT INTO candidatura VALUES(?1, ?2, ?3, ?4, ?5)", err)))
            return -1;
        for (int i = 0; i < el->ncandidaturas; i++) {
            const prep_candidatura *k = &el->candidaturas[i];
            sqlite3_bind_int(q, 1, e);
            sqlite3_bind_int(q, 2, k->unidad);
            sqlite3_bind_int(q, 3, k->col);
            sqlite3_bind_text(q, 4, k->propietaria, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, k->suplente, -1, SQLITE_STATIC);
            if (sq_done(s, q, err, "candidatura") < 0)
                return -1;
        }
    }
    char fp[65];
    prep_catalog_fingerprint(cat, fp);
    if (!(q = sq_stmt(s, "INSERT OR REPLACE INTO meta VALUES('catalog_fingerprint', ?1)", err)))
        return -1;
    sqlite3_bind_text(q, 1, fp, -1, SQLITE_TRANSIENT);
    return sq_done(s, q, err, "meta");
}

int sq_catalog_save(prep_store *st, const prep_catalog *cat, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    int started;
    if (sq_auto_begin(s, 1, &started, err) < 0)
        return -1;
    int ok = save_all(s, cat, err) == 0;
    return sq_auto_end(s, started, ok, err);
}

/* Count rows of a table (small helper for sizing arrays). */
static int count_rows(prep_sqlite *s, const char *sql, int *n, prep_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, sql, err);
    if (!q)
        return -1;
    if (sqlite3_step(q) != SQLITE_ROW)
        return sq_fail(s, err, "count");
    *n = sqlite3_column_int(q, 0);
    sqlite3_reset(q);
    return 0;
}

static int load_all(prep_sqlite *s, prep_catalog *cat, prep_err *err)
{
    sqlite3_stmt *q;
    if (!(q = sq_stmt(s, "SELECT nombre, ent_codigo, anio, ncatd, formato FROM proceso", err)))
        return -1;
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return 1;
    }
    sq_copy(cat->proceso, sizeof cat->proceso, q, 0);
    sq_copy(cat->ent_codigo, sizeof cat->ent_codigo, q, 1);
    cat->anio = sqlite3_column_int(q, 2);
    cat->ncatd = sqlite3_column_int(q, 3);
    const unsigned char *fmt = sqlite3_column_text(q, 4);
    cat->formato = prep_formato_parse(fmt ? (const char *)fmt : "");
    if (cat->formato < 0)
        cat->formato = PREP_FORMATO_INE;
    sqlite3_reset(q);

    if (count_rows(s, "SELECT count(*) FROM entidad", &cat->nentidades, err) < 0 ||
        count_rows(s, "SELECT count(*) FROM distrito", &cat->ndistritos, err) < 0 ||
        count_rows(s, "SELECT count(*) FROM demarcacion", &cat->ndemarcaciones, err) < 0 ||
        count_rows(s, "SELECT count(*) FROM seccion", &cat->nsecciones, err) < 0 ||
        count_rows(s, "SELECT count(*) FROM casilla", &cat->ncasillas, err) < 0 ||
        count_rows(s, "SELECT count(*) FROM eleccion", &cat->nelecciones, err) < 0)
        return -1;
    if (cat->nelecciones > PREP_MAX_ELECCIONES)
        return prep_fail(err, PREP_E_CORRUPT, "stored catalog has too many elections");
    cat->entidades = calloc((size_t)cat->nentidades + 1, sizeof *cat->entidades);
    cat->distritos = calloc((size_t)cat->ndistritos + 1, sizeof *cat->distritos);
    cat->demarcaciones = calloc((size_t)cat->ndemarcaciones + 1, sizeof *cat->demarcaciones);
    cat->secciones = calloc((size_t)cat->nsecciones + 1, sizeof *cat->secciones);
    cat->casillas = calloc((size_t)cat->ncasillas + 1, sizeof *cat->casillas);
    if (!cat->entidades || !cat->distritos || !cat->demarcaciones || !cat->secciones ||
        !cat->casillas)
        return prep_fail(err, PREP_E_NOMEM, "out of memory loading the catalog");

    int i = 0;
    if (!(q = sq_stmt(s, "SELECT id, nombre FROM entidad ORDER BY id", err)))
        return -1;
    while (i < cat->nentidades && sqlite3_step(q) == SQLITE_ROW) {
        cat->entidades[i].id = sqlite3_column_int(q, 0);
        sq_copy(cat->entidades[i].nombre, PREP_NAME_MAX, q, 1);
        i++;
    }
    sqlite3_reset(q);
    const char *unit_sql[2] = {"SELECT entidad, id, nombre FROM distrito ORDER BY idx",
                               "SELECT entidad, id, nombre FROM demarcacion ORDER BY idx"};
    prep_unidad *units[2] = {cat->distritos, cat->demarcaciones};
    int nunits[2] = {cat->ndistritos, cat->ndemarcaciones};
    for (int k = 0; k < 2; k++) {
        if (!(q = sq_stmt(s, unit_sql[k], err)))
            return -1;
        for (i = 0; i < nunits[k] && sqlite3_step(q) == SQLITE_ROW; i++) {
            units[k][i].entidad = sqlite3_column_int(q, 0);
            units[k][i].id = sqlite3_column_int(q, 1);
            sq_copy(units[k][i].nombre, PREP_NAME_MAX, q, 2);
        }
        sqlite3_reset(q);
    }
    if (!(q = sq_stmt(s, "SELECT entidad, seccion, distrito, demarcacion FROM seccion", err)))
        return -1;
    for (i = 0; i < cat->nsecciones && sqlite3_step(q) == SQLITE_ROW; i++) {
        cat->secciones[i].entidad = sqlite3_column_int(q, 0);
        cat->secciones[i].seccion = sqlite3_column_int(q, 1);
        cat->secciones[i].distrito = sqlite3_column_int(q, 2);
        cat->secciones[i].demarcacion = sqlite3_column_int(q, 3);
    }
    sqlite3_reset(q);
    if (!(q = sq_stmt(s,
                      "SELECT entidad, seccion, tipo, numero, ext, ubicacion, lista_nominal,"
                      " representantes, boletas, catd, cae, mecanismo FROM casilla ORDER BY idx",
                      err)))
        return -1;
    for (i = 0; i < cat->ncasillas && sqlite3_step(q) == SQLITE_ROW; i++) {
        prep_casilla *c = &cat->casillas[i];
        c->entidad = sqlite3_column_int(q, 0);
        c->seccion = sqlite3_column_int(q, 1);
        c->tipo = sq_text(q, 2)[0];
        c->numero = sqlite3_column_int(q, 3);
        c->ext = sqlite3_column_int(q, 4);
        c->ubicacion = sqlite3_column_int(q, 5);
        c->lista_nominal = sqlite3_column_int(q, 6);
        c->representantes = sqlite3_column_int(q, 7);
        c->boletas = sqlite3_column_int(q, 8);
        c->catd = sqlite3_column_int(q, 9);
        c->cae = sqlite3_column_int(q, 10);
        c->mecanismo = sq_text(q, 11)[0];
    }
    sqlite3_reset(q);
    for (int e = 0; e < cat->nelecciones; e++) {
        prep_eleccion *el = &cat->elecciones[e];
        if (!(q = sq_stmt(s,
                          "SELECT codigo, nombre, unidad, tipo_acta, tipo_acta_especial"
                          " FROM eleccion WHERE idx = ?1",
                          err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        if (sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_reset(q);
            return prep_fail(err, PREP_E_CORRUPT, "stored catalog lacks election %d", e);
        }
        sq_copy(el->codigo, sizeof el->codigo, q, 0);
        sq_copy(el->nombre, sizeof el->nombre, q, 1);
        el->unidad = sqlite3_column_int(q, 2);
        sq_copy(el->tipo_acta, sizeof el->tipo_acta, q, 3);
        sq_copy(el->tipo_acta_especial, sizeof el->tipo_acta_especial, q, 4);
        sqlite3_reset(q);
        if (!(q = sq_stmt(s,
                          "SELECT nombre, tipo, coalicion FROM columna WHERE eleccion = ?1"
                          " ORDER BY idx",
                          err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        while (el->ncols < PREP_MAX_COLS && sqlite3_step(q) == SQLITE_ROW) {
            prep_columna *c = &el->cols[el->ncols++];
            sq_copy(c->nombre, sizeof c->nombre, q, 0);
            c->tipo = sqlite3_column_int(q, 1);
            c->coalicion = sqlite3_column_int(q, 2);
        }
        sqlite3_reset(q);
        if (!(q = sq_stmt(s,
                          "SELECT codigo, nombre, partidos FROM coalicion WHERE eleccion = ?1"
                          " ORDER BY idx",
                          err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        while (el->ncoaliciones < PREP_MAX_COALICIONES && sqlite3_step(q) == SQLITE_ROW) {
            prep_coalicion *k = &el->coaliciones[el->ncoaliciones++];
            sq_copy(k->codigo, sizeof k->codigo, q, 0);
            sq_copy(k->nombre, sizeof k->nombre, q, 1);
            const char *p = sq_text(q, 2);
            while (*p && k->npartidos < PREP_MAX_PARTIDOS_COAL) {
                k->partidos[k->npartidos++] = atoi(p);
                p = strchr(p, ',');
                if (!p)
                    break;
                p++;
            }
        }
        sqlite3_reset(q);
        int n;
        if (!(q = sq_stmt(s, "SELECT count(*) FROM candidatura WHERE eleccion = ?1", err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        if (sqlite3_step(q) != SQLITE_ROW)
            return sq_fail(s, err, "count candidaturas");
        n = sqlite3_column_int(q, 0);
        sqlite3_reset(q);
        el->candidaturas = calloc((size_t)n + 1, sizeof *el->candidaturas);
        if (!el->candidaturas)
            return prep_fail(err, PREP_E_NOMEM, "out of memory loading candidaturas");
        if (!(q = sq_stmt(s,
                          "SELECT unidad, col, propietaria, suplente FROM candidatura"
                          " WHERE eleccion = ?1 ORDER BY unidad, col",
                          err)))
            return -1;
        sqlite3_bind_int(q, 1, e);
        while (el->ncandidaturas < n && sqlite3_step(q) == SQLITE_ROW) {
            prep_candidatura *k = &el->candidaturas[el->ncandidaturas++];
            k->unidad = sqlite3_column_int(q, 0);
            k->col = sqlite3_column_int(q, 1);
            sq_copy(k->propietaria, sizeof k->propietaria, q, 2);
            sq_copy(k->suplente, sizeof k->suplente, q, 3);
        }
        sqlite3_reset(q);
    }
    return 0;
}

int sq_catalog_load(prep_store *st, prep_catalog *cat, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    int started;
    prep_catalog_init(cat);
    if (sq_auto_begin(s, 0, &started, err) < 0)
        return -1;
    int rc = prep_store_catalog_loaded(cat, load_all(s, cat, err), err);
    if (sq_auto_end(s, started, rc >= 0, err) < 0 && rc == 0) {
        prep_catalog_free(cat);
        return -1;
    }
    return rc;
}
