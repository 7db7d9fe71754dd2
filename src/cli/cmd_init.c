/* cmd_init.c — `prep init`: create the data directory, its database (schema
 * migrated), the image and corte folders and the Ed25519 signing key of the
 * cortes. Idempotent: running it again changes nothing that exists. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "ops/ops.h"
#include "publish/keys.h"
#include "store/store.h"
#include "util/version.h"

static void help(void)
{
    printf("usage: prep init [--data DIR] [--store sqlite|postgresql://USER@HOST[:PORT]/DB]\n\n"
           "Creates DIR (default $PREP_DATA or ./prep-data) with the database, images/,\n"
           "cortes/ and keys/ (the Ed25519 key that signs every corte). The store is SQLite\n"
           "in DIR/prep.db by default; with a postgresql:// URL the (empty or PREP) database\n"
           "there is used instead and the URL is recorded in DIR/store.url, so every later\n"
           "command on DIR uses it. Safe to run again: existing data and keys are kept; the\n"
           "schema is upgraded if needed; a directory never switches store.\n");
}

int cmd_init(int argc, char **argv)
{
    const char *data = cli_default_data(), *url = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            url = argv[++i];
        } else {
            return cli_failf("init", "unknown option '%s' (see prep init --help)", argv[i]);
        }
    }
    prep_err err = {0};
    if (prep_store_create(data, url, &err) < 0)
        return cli_fail("init", &err);
    const char *sub[] = {"images", "cortes", "keys"};
    for (size_t i = 0; i < 3; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", data, sub[i]);
        if (mkdir(path, i == 2 ? 0700 : 0755) < 0 && errno != EEXIST)
            return cli_failf("init", "cannot create %s: %s", path, strerror(errno));
    }
    int created = 0;
    if (prep_keys_ensure(data, &created, &err) < 0)
        return cli_fail("init", &err);
    prep_store *st;
    if (prep_store_open(data, &st, &err) < 0)
        return cli_fail("init", &err);
    int64_t seq;
    char head[65];
    int rc = st->vt->log_head(st, &seq, head, &err);
    if (rc == 0 && seq == 0) {
        prep_ops o = {.st = st};
        char after[256];
        snprintf(after, sizeof after, "{\"version\":\"%s\",\"commit\":\"%s\",\"binario\":\"%s\"}",
                 PREP_VERSION, prep_source_commit(), prep_binary_sha256());
        rc = prep_store_begin(st, 1, &err);
        if (rc == 0 &&
            prep_ops_log(&o, &prep_actor_system, prep_now(), "store.init", data, "", after,
                         &err) == 0)
            rc = prep_store_commit(st, &err);
        else if (rc == 0) {
            prep_store_rollback(st);
            rc = -1;
        }
    }
    prep_store_close(st);
    if (rc < 0)
        return cli_fail("init", &err);
    printf("%s: ready (%s)\n", data, created ? "new signing key" : "existing signing key kept");
    return 0;
}
