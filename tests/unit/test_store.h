/* test_store.h — which store the unit tests that open one run on. Without
 * PREP_TEST_STORE they use SQLite in their temporary directory; with
 * PREP_TEST_STORE=postgresql://USER@HOST:PORT/DB (scripts/pg-test.sh sets it)
 * every fixture gets a fresh database of its own on that server, created
 * here and dropped at teardown, so tests never see each other's rows.
 * Also raw SQL on the fixture's database, for tests that play the attacker. */
#ifndef PREP_TEST_STORE_H
#define PREP_TEST_STORE_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/store.h"

static inline const char *t_pg_server(void)
{
    const char *u = getenv("PREP_TEST_STORE");
    return u && *u ? u : NULL;
}

/* Run sql on the server's maintenance database (or on url); 0 if it succeeded. */
static inline int t_pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    PQclear(r);
    PQfinish(c);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
}

/* URL of database `name` on the test server: the server URL with its path replaced. */
static inline void t_pg_url(const char *name, char *out, size_t cap)
{
    const char *srv = t_pg_server();
    const char *slash = strrchr(srv, '/');
    assert_non_null(slash);
    assert_true(slash > srv + 13); /* past "postgresql://" */
    snprintf(out, cap, "%.*s/%s", (int)(slash - srv), srv, name);
}

/* prep_store_create() on the configured store; returns its URL (NULL = SQLite). */
static inline const char *t_store_create(const char *dir)
{
    static char url[512];
    static int n;
    prep_err err = {0};
    if (!t_pg_server()) {
        assert_int_equal(prep_store_create(dir, NULL, &err), 0);
        return NULL;
    }
    char name[64], sql[128];
    snprintf(name, sizeof name, "prep_t_%d_%d", (int)getpid(), n++);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    assert_int_equal(t_pg_exec(t_pg_server(), sql), 0);
    t_pg_url(name, url, sizeof url);
    if (prep_store_create(dir, url, &err) < 0)
        fail_msg("prep_store_create(%s): %s", url, err.msg);
    return url;
}

/* The fixture's database name (from DIR/store.url), "" on SQLite. */
static inline void t_store_dbname(const char *dir, char name[64])
{
    char path[256], url[512] = "";
    name[0] = '\0';
    snprintf(path, sizeof path, "%s/store.url", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (!fgets(url, sizeof url, f))
        url[0] = '\0';
    fclose(f);
    url[strcspn(url, "\r\n")] = '\0';
    const char *slash = strrchr(url, '/');
    snprintf(name, 64, "%s", slash ? slash + 1 : "");
}

/* Drop the fixture's database (call before removing the directory). */
static inline void t_store_drop(const char *dir)
{
    char name[64], sql[128];
    t_store_dbname(dir, name);
    if (!name[0] || !t_pg_server())
        return;
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    assert_int_equal(t_pg_exec(t_pg_server(), sql), 0);
}

/* Raw SQL on the fixture's database behind the store's back: sqlite_sql on
 * SQLite, pg_sql on PostgreSQL. 0 if the database accepted it. */
static inline int t_store_sql(const char *dir, const char *sqlite_sql, const char *pg_sql)
{
    char name[64];
    t_store_dbname(dir, name);
    if (name[0]) {
        char url[512];
        t_pg_url(name, url, sizeof url);
        return t_pg_exec(url, pg_sql);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/prep.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sqlite_sql, 0, 0, 0) == SQLITE_OK ? 0 : -1;
    sqlite3_close(db);
    return rc;
}

#endif
