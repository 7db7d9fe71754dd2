/* cmd_corte.c — `prep corte [--final]`: publish a corte now (the same
 * prep_corte_run() that `prep serve --corte-every` calls) and print its
 * directory. Safe beside a running `prep serve`: cortes of one data
 * directory are serialised by a lock, writes by SQLite's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>

#include <jansson.h>

#include "cli/cli.h"
#include "publish/corte.h"
#include "publish/names.h"
#include "store/store.h"

static void help(void)
{
    printf("usage: prep corte [--final] [--data DIR] [--json]\n\n"
           "Publishes a corte now: every VERIFICADA acta becomes PUBLICADA, and a new\n"
           "immutable directory DATA/cortes/<AAAAMMDD_HHMM>_c<NNNN>/ holds the Anexo 18.5\n"
           "databases and their ZIPs, the NIST export, the public site, the MANIFEST\n"
           "and its Ed25519 signature; then DATA/cortes/latest points at it and the\n"
           "difusor package and feed are written. Prints the corte's directory.\n\n"
           "  --final   the last corte of the publication: participación counts casillas\n"
           "            especiales (TOTAL_VOTOS_C_CS); no corte can follow it\n"
           "  --json    print number, time, directory, manifest hash and actas as JSON\n\n"
           "A corte killed half-way leaves nothing visible; the next run cleans up.\n");
}

/* Crash tests: PREP_CORTE_KILL_AT=<step> makes this process SIGKILL itself
 * right after that step of the corte (tests/crash/corte_kill.test.mjs). */
static const char *kill_at;
static void kill_hook(const char *step)
{
    if (strcmp(step, kill_at) == 0)
        raise(SIGKILL);
}

int cmd_corte(int argc, char **argv)
{
    kill_at = getenv("PREP_CORTE_KILL_AT");
    if (kill_at && kill_at[0])
        prep_corte_step_hook = kill_hook;
    const char *data = cli_default_data();
    int final = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strcmp(argv[i], "--final") == 0) {
            final = 1;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            return cli_failf("corte", "unknown option '%s' (see prep corte --help)", argv[i]);
        }
    }
    prep_err err = {0};
    prep_store *st;
    prep_catalog cat;
    if (cli_open_catalog("corte", data, &st, &cat) != 0)
        return 1;
    prep_corte_info info;
    int status = 0;
    if (prep_corte_run(data, st, &cat, final, &info, &err) < 0) {
        status = cli_fail("corte", &err);
    } else if (json) {
        char iso[32];
        prep_time_fmt_iso(info.at, iso);
        json_t *j = json_pack("{s:i,s:s,s:b,s:s+++,s:s,s:I}", "numero", info.numero, "hora", iso,
                              "final", info.final, "directorio", data, "/", PREP_CORTES_DIR "/",
                              info.dir, "manifest_sha256", info.manifest_sha, "actas",
                              (json_int_t)info.actas);
        char *s = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
        if (s)
            puts(s);
        free(s);
        json_decref(j);
    } else {
        printf("%s/%s/%s\n", data, PREP_CORTES_DIR, info.dir);
    }
    prep_catalog_free(&cat);
    prep_store_close(st);
    return status;
}
