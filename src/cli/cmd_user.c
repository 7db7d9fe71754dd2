/* cmd_user.c — `prep user add|list|disable|enable|set`: operator accounts from the
 * command line of the server (the first admin is created here). Every change
 * is written with its bitácora entry, attributed to the CLI and the Unix
 * account that ran it. Passwords never appear on the command line. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "ops/authz.h"
#include "ops/users.h"
#include "store/store.h"

static void help(void)
{
    printf("usage: prep user add NAME --role ROLE [--catd N] [--cae N] [--password-stdin]\n"
           "                [--data DIR]\n"
           "       prep user list [--json] [--data DIR]\n"
           "       prep user disable NAME [--data DIR]\n"
           "       prep user enable NAME [--data DIR]\n"
           "       prep user set NAME [--role ROLE] [--catd N] [--cae N] [--data DIR]\n\n"
           "Roles: admin, acopio, digitalizacion, captura, verificacion, cotejo, cae,\n"
           "monitor, auditor. --catd N limits a CATD operator to the actas of CATD N\n"
           "(0 or absent = every CATD); a cae user needs --cae N and reaches only the\n"
           "casillas assigned to CAE N. Without --password-stdin a random password is\n"
           "generated and printed once. Passwords are stored as argon2id hashes.\n"
           "'set' changes role, CATD or CAE (leaving role cae drops the CAE number).\n"
           "The same changes are in the HTTP API for administrators (docs/operations-api.md).\n");
}

typedef struct {
    prep_actor actor;
    char station[128];
    const char *nombre, *rol, *password;
    long catd, cae;
    int disable, change, noop;
    prep_user_edit edit;
    prep_user u;
} user_ctx;

static int run_user(prep_ops *o, void *ctx, prep_err *err)
{
    user_ctx *c = ctx;
    if (c->disable)
        return prep_user_disable(o, &c->actor, c->nombre, err);
    if (c->change)
        return prep_user_change(o, &c->actor, c->nombre, &c->edit, &c->u, &c->noop, err);
    return prep_user_create(o, &c->actor, c->nombre, c->rol, (int)c->catd, (int)c->cae,
                            c->password, &c->u, err);
}

static int print_user(void *ctx, const prep_user *u)
{
    json_t *arr = ctx;
    if (arr) {
        char iso[32];
        prep_time_fmt_iso(u->creado, iso);
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:i,s:i,s:b,s:s}", "id",
                                             (json_int_t)u->id, "nombre", u->nombre, "rol",
                                             u->rol, "catd", u->catd, "cae", u->cae, "activo",
                                             u->activo, "creado", iso));
        return 0;
    }
    char t[24];
    prep_time_fmt(u->creado, t);
    printf("%-5lld %-24s %-15s %5d %5d  %-8s %s\n", (long long)u->id, u->nombre, u->rol, u->catd,
           u->cae, u->activo ? "activo" : "inactivo", t);
    return 0;
}

static int read_password(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

int cmd_user(int argc, char **argv)
{
    const char *data = cli_default_data(), *sub = NULL, *nombre = NULL, *rol = NULL;
    long catd = 0, cae = 0;
    int pw_stdin = 0, json = 0, has_catd = 0, has_cae = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) {
            help();
            return 0;
        } else if (strcmp(a, "--data") == 0 && v) {
            data = v;
            i++;
        } else if (strcmp(a, "--role") == 0 && v) {
            rol = v;
            i++;
        } else if (strcmp(a, "--catd") == 0) {
            if (cli_int("user", a, v, 0, 100000, &catd) < 0)
                return 1;
            has_catd = 1;
            i++;
        } else if (strcmp(a, "--cae") == 0) {
            if (cli_int("user", a, v, 1, 10000000, &cae) < 0)
                return 1;
            has_cae = 1;
            i++;
        } else if (strcmp(a, "--password-stdin") == 0) {
            pw_stdin = 1;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (a[0] == '-') {
            return cli_failf("user", "unknown option '%s' (see prep user --help)", a);
        } else if (!sub) {
            sub = a;
        } else if (!nombre) {
            nombre = a;
        } else {
            return cli_failf("user", "unexpected argument '%s'", a);
        }
    }
    if (!sub)
        return help(), 2;
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0,
        disable = strcmp(sub, "disable") == 0, enable = strcmp(sub, "enable") == 0,
        set = strcmp(sub, "set") == 0;
    if (!add && !list && !disable && !enable && !set)
        return cli_failf("user", "'%s' is not add, list, disable, enable or set", sub);
    if (!list && !nombre)
        return cli_failf("user", "%s needs a user name", sub);
    if (set && !rol && !has_catd && !has_cae)
        return cli_failf("user", "set needs --role, --catd or --cae");
    if (add && !rol)
        return cli_failf("user", "add needs --role ROLE");
    prep_err err = {0};
    prep_store *st;
    if (prep_store_open(data, &st, &err) < 0)
        return cli_fail("user", &err);
    if (list) {
        json_t *arr = json ? json_array() : NULL;
        if (!json)
            printf("%-5s %-24s %-15s %5s %5s  %-8s %s\n", "ID", "NOMBRE", "ROL", "CATD", "CAE",
                   "ESTADO", "CREADO (UTC-6)");
        int rc = st->vt->user_iter(st, print_user, arr, &err);
        prep_store_close(st);
        if (rc < 0) {
            json_decref(arr);
            return cli_fail("user", &err);
        }
        if (arr) {
            char *t = json_dumps(arr, JSON_INDENT(2));
            puts(t ? t : "[]");
            free(t);
            json_decref(arr);
        }
        return 0;
    }
    prep_catalog cat;
    prep_catalog_init(&cat);
    int has_cat = prep_store_catalog_load(st, &cat, &err);
    if (has_cat < 0) {
        prep_store_close(st);
        return cli_fail("user", &err);
    }
    user_ctx c = {.nombre = nombre, .rol = rol, .catd = catd, .cae = cae, .disable = disable,
                  .change = enable || set};
    c.edit = (prep_user_edit){.rol = set ? rol : NULL, .catd = set && has_catd ? (int)catd : -1,
                              .cae = set && has_cae ? (int)cae : -1, .activo = enable ? 1 : -1};
    struct passwd *pw = getpwuid(getuid());
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(c.station, sizeof c.station, "cli:%.40s@%.60s", pw ? pw->pw_name : "?", host);
    c.actor = (prep_actor){.user = 0, .nombre = "cli", .rol = "admin", .station = c.station};
    char password[PREP_PASSWORD_MAX + 2] = "";
    int generated = 0;
    if (add) {
        if (pw_stdin) {
            if (read_password(password, sizeof password) < 0) {
                prep_store_close(st);
                return cli_failf("user", "--password-stdin: no password on standard input");
            }
        } else {
            prep_password_random(password, 21);
            generated = 1;
        }
        c.password = password;
    }
    prep_ops o = {.st = st, .cat = has_cat == 0 ? &cat : NULL};
    int rc = prep_ops_tx(&o, run_user, &c, &err);
    prep_store_close(st);
    if (has_cat == 0)
        prep_catalog_free(&cat);
    if (rc < 0) {
        sodium_memzero(password, sizeof password);
        return cli_fail("user", &err);
    }
    if (add) {
        printf("user %s created (role %s, catd %ld, cae %ld)\n", c.u.nombre, c.u.rol, catd, cae);
        if (generated)
            printf("password: %s\n", password);
    } else if (c.change) {
        printf("user %s %s (role %s, catd %d, cae %d, %s)\n", c.u.nombre,
               c.noop ? "unchanged" : enable ? "enabled" : "changed", c.u.rol, c.u.catd, c.u.cae,
               c.u.activo ? "activo" : "inactivo");
    } else {
        printf("user %s disabled\n", nombre);
    }
    sodium_memzero(password, sizeof password);
    return 0;
}
