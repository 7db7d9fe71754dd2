/* main.c — `prep`: one program, many subcommands (the git way).
 * The table below maps each subcommand to cmd_<name>() in its own file;
 * adding a command is one file plus one line here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "store/store.h"

static const struct {
    const char *name;
    prep_cmd_fn fn;
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create the data directory, database and signing key (idempotent)"},
    {"catalog", cmd_catalog, "generate (gen) or load (load) the catálogo de casillas"},
    {"status", cmd_status, "per election: actas esperadas and actas in each state"},
    {"user", cmd_user, "operator accounts: add, list, disable (roles, CATD, CAE)"},
    {"serve", cmd_serve, "the election-night HTTP API, /healthz, /metrics, cortes and pages"},
    {"corte", cmd_corte, "publish a corte now (databases, site, MANIFEST, signature)"},
    {"simulate", cmd_simulate, "simulacro: full drill through the HTTP API, checked against the truth"},
    {"ceremony", cmd_ceremony, "signed opening / closing records of publication"},
    {"audit", cmd_audit, "recompute any published results CSV (or ZIP) with the counting rules"},
    {"log", cmd_log, "bitácora: verify the hash chain, show entries"},
    {"version", cmd_version, "version, source commit and SHA-256 of this binary"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: prep <command> [options]   (prep <command> --help for details)\n\n"
               "PREP — Programa de Resultados Electorales Preliminares.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nThe data directory is --data DIR, else $PREP_DATA, else ./prep-data.\n");
}

const char *cli_default_data(void)
{
    const char *d = getenv("PREP_DATA");
    return d && *d ? d : "./prep-data";
}

int cli_fail(const char *cmd, const prep_err *err)
{
    fprintf(stderr, "prep %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
    return 1;
}

int cli_failf(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "prep %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_open_catalog(const char *cmd, const char *data, prep_store **st, prep_catalog *cat)
{
    prep_err err = {0};
    prep_catalog_init(cat);
    if (prep_store_open(data, st, &err) < 0)
        return cli_fail(cmd, &err);
    int rc = prep_store_catalog_load(*st, cat, &err);
    if (rc == 0)
        return 0;
    prep_store_close(*st);
    *st = NULL;
    if (rc == 1)
        return cli_failf(cmd, "no catálogo loaded in %s (run 'prep catalog load DIR --data %s')",
                         data, data);
    return cli_fail(cmd, &err);
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_int(const char *cmd, const char *opt, const char *val, long min, long max, long *out)
{
    char *end;
    if (!val) {
        cli_failf(cmd, "%s needs a value", opt);
        return -1;
    }
    long v = strtol(val, &end, 10);
    if (*val == '\0' || *end != '\0' || v < min || v > max) {
        cli_failf(cmd, "%s: '%s' is not a number from %ld to %ld", opt, val, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "prep: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, (char *[]){"version", NULL});
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "prep: '%s' is not a command; see 'prep --help'\n", argv[1]);
    return 2;
}
