/* pg_schema.c — the PostgreSQL schema and its numbered migrations (its own
 * sequence, independent of SQLite's). Migrations only ever append; each runs
 * in its own transaction under an advisory lock, so two nodes starting at
 * once upgrade the database exactly once. The bitácora refuses UPDATE,
 * DELETE and TRUNCATE by trigger, as the SQLite schema does. */
#include <stdio.h>
#include <stdlib.h>

#include "store/pg_internal.h"

static const char *const migrations[] = {
    /* 1: everything PREP stores (SQLite migrations 1 and 2). */
    "CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE proceso(id integer PRIMARY KEY CHECK (id = 1), nombre text NOT NULL,"
    "  ent_codigo text NOT NULL, anio integer NOT NULL, ncatd integer NOT NULL);"
    "CREATE TABLE entidad(id integer PRIMARY KEY, nombre text NOT NULL);"
    "CREATE TABLE distrito(idx integer PRIMARY KEY, entidad integer NOT NULL, id integer NOT NULL,"
    "  nombre text NOT NULL, UNIQUE(entidad, id));"
    "CREATE TABLE demarcacion(idx integer PRIMARY KEY, entidad integer NOT NULL,"
    "  id integer NOT NULL, nombre text NOT NULL, UNIQUE(entidad, id));"
    "CREATE TABLE seccion(entidad integer NOT NULL, seccion integer NOT NULL,"
    "  distrito integer NOT NULL, demarcacion integer NOT NULL, PRIMARY KEY(entidad, seccion));"
    "CREATE TABLE casilla(idx integer PRIMARY KEY, clave text NOT NULL UNIQUE,"
    "  entidad integer NOT NULL, seccion integer NOT NULL, tipo text NOT NULL,"
    "  numero integer NOT NULL, ext integer NOT NULL, ubicacion integer NOT NULL,"
    "  lista_nominal integer NOT NULL, representantes integer NOT NULL,"
    "  boletas integer NOT NULL, catd integer NOT NULL, cae integer NOT NULL,"
    "  mecanismo text NOT NULL);"
    "CREATE TABLE eleccion(idx integer PRIMARY KEY, codigo text NOT NULL UNIQUE,"
    "  nombre text NOT NULL, unidad integer NOT NULL, tipo_acta text NOT NULL,"
    "  tipo_acta_especial text NOT NULL);"
    "CREATE TABLE columna(eleccion integer NOT NULL, idx integer NOT NULL, nombre text NOT NULL,"
    "  tipo integer NOT NULL, coalicion integer NOT NULL, PRIMARY KEY(eleccion, idx));"
    "CREATE TABLE coalicion(eleccion integer NOT NULL, idx integer NOT NULL, codigo text NOT NULL,"
    "  nombre text NOT NULL, partidos text NOT NULL, PRIMARY KEY(eleccion, idx));"
    "CREATE TABLE candidatura(eleccion integer NOT NULL, unidad integer NOT NULL,"
    "  col integer NOT NULL, propietaria text NOT NULL, suplente text NOT NULL,"
    "  PRIMARY KEY(eleccion, unidad, col));"
    "CREATE TABLE acta(eleccion integer NOT NULL, casilla integer NOT NULL,"
    "  estado integer NOT NULL, ronda integer NOT NULL, ncapturas integer NOT NULL,"
    "  cap1 bigint NOT NULL, cap2 bigint NOT NULL, cap3 bigint NOT NULL,"
    "  elegida integer NOT NULL, sin_acta_motivo integer NOT NULL, cotejo integer NOT NULL,"
    "  imagen text NOT NULL, origen integer NOT NULL, digitalizacion integer NOT NULL,"
    "  t_acopio bigint NOT NULL, t_imagen bigint NOT NULL, t_captura bigint NOT NULL,"
    "  t_verificacion bigint NOT NULL, t_publicacion bigint NOT NULL, corte integer NOT NULL,"
    "  valores text, catd integer NOT NULL DEFAULT 0,"
    "  lease_user bigint NOT NULL DEFAULT 0, lease_until bigint NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(eleccion, casilla));"
    "CREATE INDEX acta_queue ON acta(estado, t_imagen);"
    "CREATE TABLE captura(eleccion integer NOT NULL, casilla integer NOT NULL,"
    "  ronda integer NOT NULL, idx integer NOT NULL, usuario bigint NOT NULL,"
    "  at bigint NOT NULL, valores text NOT NULL, PRIMARY KEY(eleccion, casilla, ronda, idx));"
    "CREATE TABLE imagen(eleccion integer NOT NULL, casilla integer NOT NULL, sha text NOT NULL,"
    "  origen integer NOT NULL, digitalizacion integer NOT NULL, bytes bigint NOT NULL,"
    "  recibida bigint NOT NULL, usuario bigint NOT NULL, dispositivo text NOT NULL,"
    "  rechazada integer NOT NULL DEFAULT 0, qr text NOT NULL DEFAULT '',"
    "  PRIMARY KEY(eleccion, casilla, sha));"
    "CREATE TABLE bitacora(seq bigint PRIMARY KEY, at bigint NOT NULL, usuario bigint NOT NULL,"
    "  estacion text NOT NULL, accion text NOT NULL, objeto text NOT NULL, antes text NOT NULL,"
    "  despues text NOT NULL, prev text NOT NULL, hash text NOT NULL);"
    "CREATE FUNCTION bitacora_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    "  BEGIN RAISE EXCEPTION 'the bitacora is append-only'; END $$;"
    "CREATE TRIGGER bitacora_no_update BEFORE UPDATE ON bitacora"
    "  FOR EACH ROW EXECUTE FUNCTION bitacora_append_only();"
    "CREATE TRIGGER bitacora_no_delete BEFORE DELETE ON bitacora"
    "  FOR EACH ROW EXECUTE FUNCTION bitacora_append_only();"
    "CREATE TRIGGER bitacora_no_truncate BEFORE TRUNCATE ON bitacora"
    "  FOR EACH STATEMENT EXECUTE FUNCTION bitacora_append_only();"
    "CREATE TABLE usuario(id bigint PRIMARY KEY, nombre text NOT NULL UNIQUE, rol text NOT NULL,"
    "  catd integer NOT NULL, cae integer NOT NULL, activo integer NOT NULL,"
    "  pwhash text NOT NULL, creado bigint NOT NULL);"
    "CREATE TABLE sesion(token_sha text PRIMARY KEY, usuario bigint NOT NULL,"
    "  expira bigint NOT NULL, estacion text NOT NULL DEFAULT '');"
    "CREATE TABLE idem(clave text PRIMARY KEY, status integer NOT NULL, body text NOT NULL);"
    "CREATE TABLE corte(numero integer PRIMARY KEY, at bigint NOT NULL, final integer NOT NULL,"
    "  dir text NOT NULL, manifest_sha text NOT NULL, actas bigint NOT NULL);"
    "CREATE TABLE fuera_catalogo(id bigint PRIMARY KEY, eleccion integer NOT NULL,"
    "  identificacion text NOT NULL, at bigint NOT NULL, usuario bigint NOT NULL,"
    "  catd integer NOT NULL, corte integer NOT NULL DEFAULT 0);",
    /* 2: the catálogo's publication form (SQLite migration 4). */
    "ALTER TABLE proceso ADD COLUMN formato text NOT NULL DEFAULT 'INE';",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* The schema version, 0 when the database is empty. */
static int current_version(prep_pg *p, int *v, prep_err *err)
{
    *v = 0;
    PGresult *r = PQexec(p->conn, "SELECT to_regclass('meta') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_fail(p, r, err, "schema version");
        PQclear(r);
        return -1;
    }
    int has_meta = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!has_meta)
        return 0;
    r = PQexec(p->conn, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_fail(p, r, err, "schema version");
        PQclear(r);
        return -1;
    }
    if (PQntuples(r) > 0)
        *v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

int pg_schema_migrate(prep_pg *p, prep_err *err)
{
    for (;;) {
        if (pg_exec(p, "BEGIN; SELECT pg_advisory_xact_lock(" PG_LOCK_MIGRATE ")", err) < 0)
            return -1;
        int v;
        if (current_version(p, &v, err) < 0) {
            pg_exec(p, "ROLLBACK", NULL);
            return -1;
        }
        if (v > NMIGRATIONS) {
            pg_exec(p, "ROLLBACK", NULL);
            return prep_fail(err, PREP_E_INVALID,
                             "database schema version %d is newer than this prep (%d)", v,
                             NMIGRATIONS);
        }
        if (v == NMIGRATIONS)
            return pg_exec(p, "COMMIT", err);
        char set[160];
        snprintf(set, sizeof set,
                 "INSERT INTO meta(key, value) VALUES('schema_version', '%d')"
                 " ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value",
                 v + 1);
        if (pg_exec(p, migrations[v], err) < 0 || pg_exec(p, set, err) < 0) {
            pg_exec(p, "ROLLBACK", NULL);
            return -1;
        }
        if (pg_exec(p, "COMMIT", err) < 0)
            return -1;
    }
}
