/* cmd_ceremony.c — `prep ceremony open|close|verify`: the signed opening and
 * closing records of publication (src/ceremony). Prints where the record is
 * and what it attests; refusals say why and exit 1. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ceremony/ceremony.h"
#include "cli/cli.h"
#include "store/store.h"

static void help(void)
{
    printf("usage: prep ceremony open  [--data DIR] [--auditor NAME] [--notario NAME]\n"
           "                           [--responsable NAME]\n"
           "       prep ceremony close [--data DIR] [--auditor NAME] [--notario NAME]\n"
           "                           [--responsable NAME]\n"
           "       prep ceremony verify [--data DIR | --dir DIR]\n\n"
           "open   before publication starts, in front of the ente auditor and a notary:\n"
           "       checks and records the running binary (version, commit, SHA-256), the\n"
           "       catálogo's SHA-256, the corte signing public key, that no acta has been\n"
           "       captured or published and no corte taken, and the verified bitácora head.\n"
           "close  takes the final corte (unless one was taken) and records what was\n"
           "       published: cortes, the final corte's totals per election, bitácora head.\n"
           "verify checks the Ed25519 signatures of the records.\n\n"
           "Records (Spanish, text and HTML, with .sig) are written to\n"
           "DATA/cortes/ceremonia/, published with the site at /cortes/ceremonia/; each\n"
           "ceremony is also a bitácora entry. Names given are printed on the record\n"
           "above the signature lines.\n");
}

int cmd_ceremony(int argc, char **argv)
{
    const char *data = cli_default_data(), *sub = NULL, *dir = NULL;
    prep_ceremony_people who = {"", "", ""};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(o)) {
            help();
            return 0;
        } else if (strcmp(o, "--data") == 0 && v) {
            data = v;
            i++;
        } else if (strcmp(o, "--dir") == 0 && v) {
            dir = v;
            i++;
        } else if (strcmp(o, "--auditor") == 0 && v) {
            who.auditor = v;
            i++;
        } else if (strcmp(o, "--notario") == 0 && v) {
            who.notario = v;
            i++;
        } else if (strcmp(o, "--responsable") == 0 && v) {
            who.responsable = v;
            i++;
        } else if (!sub && o[0] != '-') {
            sub = o;
        } else {
            return cli_failf("ceremony", "unknown option '%s' (see prep ceremony --help)", o);
        }
    }
    if (!sub || (strcmp(sub, "open") && strcmp(sub, "close") && strcmp(sub, "verify"))) {
        help();
        return 2;
    }
    prep_err err = {0};
    if (strcmp(sub, "verify") == 0) {
        int n;
        if (prep_ceremony_verify(data, dir, &n, &err) < 0)
            return cli_fail("ceremony", &err);
        printf("ceremony records OK: %d record(s), signatures valid\n", n);
        return 0;
    }
    prep_store *st;
    prep_catalog cat;
    if (cli_open_catalog("ceremony", data, &st, &cat) != 0)
        return 1;
    prep_ceremony_facts f;
    char out[1024];
    int open = strcmp(sub, "open") == 0;
    int rc = open ? prep_ceremony_open(data, st, &cat, &who, &f, out, sizeof out, &err)
              : prep_ceremony_close(data, st, &cat, &who, &f, out, sizeof out, &err);
    int status = 0;
    if (rc < 0) {
        status = cli_fail("ceremony", &err);
    } else {
        printf("%s record: %s/%s.txt (and .html, .sig)\n", open ? "opening" : "closing", out,
               open ? "apertura" : "cierre");
        printf("binary %s\ncatalog %s\npublic key %s\nbitácora %" PRId64 " entries, head %s\n",
               f.binario, f.catalogo, f.clave_publica, f.log_seq, f.log_head);
        if (!open)
            printf("final corte %d: %s (%d cortes published)\n", f.ultimo.numero, f.ultimo.dir,
                   f.ncortes);
    }
    prep_catalog_free(&cat);
    prep_store_close(st);
    return status;
}
