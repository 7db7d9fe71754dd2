/* sqlite_schema.c — the SQLite schema and its numbered migrations.
 * Migrations only ever append: a released database is upgraded by running
 * the steps after its `schema_version`, each in its own transaction. */
#include <stdio.h>
#include <stdlib.h>

#include "store/sqlite_internal.h"

static const char *const migrations[] = {
    /* 1: everything PREP stores. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE proceso(id INTEGER PRIMARY KEY CHECK (id = 1), nombre TEXT NOT NULL,"
    "  ent_codigo TEXT NOT NULL, anio INTEGER NOT NULL, ncatd INTEGER NOT NULL);"
    "CREATE TABLE entidad(id INTEGER PRIMARY KEY, nombre TEXT NOT NULL);"
    "CREATE TABLE distrito(idx INTEGER PRIMARY KEY, entidad INTEGER NOT NULL, id INTEGER NOT NULL,"
    "  nombre TEXT NOT NULL, UNIQUE(entidad, id));"
    "CREATE TABLE demarcacion(idx INTEGER PRIMARY KEY, entidad INTEGER NOT NULL, id INTEGER NOT NULL,"
    "  nombre TEXT NOT NULL, UNIQUE(entidad, id));"
    "CREATE TABLE seccion(entidad INTEGER NOT NULL, seccion INTEGER NOT NULL,"
    "  distrito INTEGER NOT NULL, demarcacion INTEGER NOT NULL,"
    "  PRIMARY KEY(entidad, seccion)) WITHOUT ROWID;"
    "CREATE TABLE casilla(idx INTEGER PRIMARY KEY, clave TEXT NOT NULL UNIQUE,"
    "  entidad INTEGER NOT NULL, seccion INTEGER NOT NULL, tipo TEXT NOT NULL,"
    "  numero INTEGER NOT NULL, ext INTEGER NOT NULL, ubicacion INTEGER NOT NULL,"
    "  lista_nominal INTEGER NOT NULL, representantes INTEGER NOT NULL, boletas INTEGER NOT NULL,"
    "  catd INTEGER NOT NULL, cae INTEGER NOT NULL, mecanismo TEXT NOT NULL);"
    "CREATE TABLE eleccion(idx INTEGER PRIMARY KEY, codigo TEXT NOT NULL UNIQUE,"
    "  nombre TEXT NOT NULL, unidad INTEGER NOT NULL, tipo_acta TEXT NOT NULL,"
    "  tipo_acta_especial TEXT NOT NULL);"
    "CREATE TABLE columna(eleccion INTEGER NOT NULL, idx INTEGER NOT NULL, nombre TEXT NOT NULL,"
    "  tipo INTEGER NOT NULL, coalicion INTEGER NOT NULL, PRIMARY KEY(eleccion, idx));"
    "CREATE TABLE coalicion(eleccion INTEGER NOT NULL, idx INTEGER NOT NULL, codigo TEXT NOT NULL,"
    "  nombre TEXT NOT NULL, partidos TEXT NOT NULL, PRIMARY KEY(eleccion, idx));"
    "CREATE TABLE candidatura(eleccion INTEGER NOT NULL, unidad INTEGER NOT NULL,"
    "  col INTEGER NOT NULL, propietaria TEXT NOT NULL, suplente TEXT NOT NULL,"
    "  PRIMARY KEY(eleccion, unidad, col)) WITHOUT ROWID;"
    "CREATE TABLE acta(eleccion INTEGER NOT NULL, casilla INTEGER NOT NULL,"
    "  estado INTEGER NOT NULL, ronda INTEGER NOT NULL, ncapturas INTEGER NOT NULL,"
    "  cap1 INTEGER NOT NULL, cap2 INTEGER NOT NULL, cap3 INTEGER NOT NULL,"
    "  elegida INTEGER NOT NULL, sin_acta_motivo INTEGER NOT NULL, cotejo INTEGER NOT NULL,"
    "  imagen TEXT NOT NULL, origen INTEGER NOT NULL, digitalizacion INTEGER NOT NULL,"
    "  t_acopio INTEGER NOT NULL, t_imagen INTEGER NOT NULL, t_captura INTEGER NOT NULL,"
    "  t_verificacion INTEGER NOT NULL, t_publicacion INTEGER NOT NULL, corte INTEGER NOT NULL,"
    "  valores TEXT, catd INTEGER NOT NULL DEFAULT 0,"
    "  lease_user INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(eleccion, casilla)) WITHOUT ROWID;"
    "CREATE INDEX acta_queue ON acta(estado, t_imagen);"
    "CREATE TABLE captura(eleccion INTEGER NOT NULL, casilla INTEGER NOT NULL,"
    "  ronda INTEGER NOT NULL, idx INTEGER NOT NULL, usuario INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, valores TEXT NOT NULL,"
    "  PRIMARY KEY(eleccion, casilla, ronda, idx)) WITHOUT ROWID;"
    "CREATE TABLE imagen(eleccion INTEGER NOT NULL, casilla INTEGER NOT NULL, sha TEXT NOT NULL,"
    "  origen INTEGER NOT NULL, digitalizacion INTEGER NOT NULL, bytes INTEGER NOT NULL,"
    "  recibida INTEGER NOT NULL, usuario INTEGER NOT NULL, dispositivo TEXT NOT NULL,"
    "  rechazada INTEGER NOT NULL DEFAULT 0, qr TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(eleccion, casilla, sha)) WITHOUT ROWID;"
    "CREATE TABLE bitacora(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, usuario INTEGER NOT NULL,"
    "  estacion TEXT NOT NULL, accion TEXT NOT NULL, objeto TEXT NOT NULL, antes TEXT NOT NULL,"
    "  despues TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TRIGGER bitacora_no_update BEFORE UPDATE ON bitacora"
    "  BEGIN SELECT RAISE(ABORT, 'the bitacora is append-only'); END;"
    "CREATE TRIGGER bitacora_no_delete BEFORE DELETE ON bitacora"
    "  BEGIN SELECT RAISE(ABORT, 'the bitacora is append-only'); END;"
    "CREATE TABLE usuario(id INTEGER PRIMARY KEY, nombre TEXT NOT NULL UNIQUE, rol TEXT NOT NULL,"
    "  catd INTEGER NOT NULL, cae INTEGER NOT NULL, activo INTEGER NOT NULL,"
    "  pwhash TEXT NOT NULL, creado INTEGER NOT NULL);"
    "CREATE TABLE sesion(token_sha TEXT PRIMARY KEY, usuario INTEGER NOT NULL,"
    "  expira INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE idem(clave TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE corte(numero INTEGER PRIMARY KEY, at INTEGER NOT NULL, final INTEGER NOT NULL,"
    "  dir TEXT NOT NULL, manifest_sha TEXT NOT NULL, actas INTEGER NOT NULL);"
    "CREATE TABLE fuera_catalogo(id INTEGER PRIMARY KEY, eleccion INTEGER NOT NULL,"
    "  identificacion TEXT NOT NULL, at INTEGER NOT NULL, usuario INTEGER NOT NULL,"
    "  catd INTEGER NOT NULL, corte INTEGER NOT NULL DEFAULT 0);",
    /* 2: the workstation named at login, so every request's bitácora entry
     * can say where it came from. */
    "ALTER TABLE sesion ADD COLUMN estacion TEXT NOT NULL DEFAULT '';",
    /* 3: "the next acta" to verify read in t_captura order, and the
     * caller's own lease found without a scan (sqlite_work.c). */
    ("CREATE INDEX acta_queue_captura ON acta(estado, t_captura);"
     "CREATE INDEX acta_lease ON acta(lease_user, estado);"), /* one migration, two statements */
    /* 4: the catálogo's publication form (prep_formato: INE or IECM). */
    "ALTER TABLE proceso ADD COLUMN formato TEXT NOT NULL DEFAULT 'INE';",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int current_version(prep_sqlite *s)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
                           NULL) != SQLITE_OK)
        return 0; /* no meta table yet */
    if (sqlite3_step(st) == SQLITE_ROW)
        v = atoi(sq_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

int sq_schema_migrate(prep_sqlite *s, prep_err *err)
{
    int v = current_version(s);
    if (v > NMIGRATIONS)
        return prep_fail(err, PREP_E_INVALID,
                         "database schema version %d is newer than this prep (%d)", v,
                         NMIGRATIONS);
    for (; v < NMIGRATIONS; v++) {
        char set[128];
        snprintf(set, sizeof set,
                 "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%d')", v + 1);
        if (sq_exec(s, "BEGIN IMMEDIATE", err) < 0)
            return -1;
        if (sq_exec(s, migrations[v], err) < 0 || sq_exec(s, set, err) < 0) {
            sq_exec(s, "ROLLBACK", NULL);
            return -1;
        }
        if (sq_exec(s, "COMMIT", err) < 0)
            return -1;
    }
    return 0;
}
