/* cmd_verify.c — `prep verify DIR|ZIP [--key HEX|FILE]`: check a published
 * corte offline (publish/verify.h) and say what was checked and whose key
 * signed it. Exit 0 only when everything matches; the first difference is
 * printed with its file, line and field. Needs no data directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "publish/fsutil.h"
#include "publish/verify.h"
#include "util/hash.h"

static void help(void)
{
    printf("usage: prep verify DIR|ZIP [--key HEX|FILE]\n\n"
           "Checks a corte offline: DIR is a corte directory (DATA/cortes/<AAAAMMDD_HHMM>_c<NNNN>,\n"
           "or DATA/cortes/latest), ZIP a difusor package (DATA/cortes/paquetes/<dir>.zip,\n"
           "under any file name).\n"
           "  - the Ed25519 signature MANIFEST.sig of MANIFEST;\n"
           "  - the SHA-256 of every file, no file missing and none extra;\n"
           "  - per election, every row of the results CSV recomputed with the counting\n"
           "    rules and the 13 summary fields recomputed from the rows, against the CSV\n"
           "    header and corte.json; the candidaturas CSV against the corte's catalog;\n"
           "  - each election's ZIP holds exactly the bytes of its CSV files and LEEME;\n"
           "  - (package) each acta image's SHA-256 is the one in its name.\n\n"
           "  --key HEX|FILE  the institute's public key (64 hex characters, or a file\n"
           "                  holding them, e.g. DATA/keys/corte.pub). Without it the\n"
           "                  corte's own corte.pub is used: that proves the files are\n"
           "                  intact, not who published them — compare the key printed\n"
           "                  with the one the institute published.\n\n"
           "Exit status 0 when everything matches, 1 on the first difference.\n");
}

static int parse_key(const char *arg, uint8_t pk[PREP_PK_LEN])
{
    char hex[2 * PREP_PK_LEN + 2] = "";
    if (strlen(arg) == 2 * PREP_PK_LEN) {
        snprintf(hex, sizeof hex, "%s", arg);
    } else {
        char *text;
        size_t len;
        prep_err err = {0};
        if (prep_fs_read(arg, &text, &len, 4096, &err) < 0) {
            cli_failf("verify", "--key: %s", err.msg);
            return -1;
        }
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
            text[--len] = '\0';
        snprintf(hex, sizeof hex, "%s", text);
        free(text);
    }
    if (strlen(hex) != 2 * PREP_PK_LEN || prep_unhex(hex, pk, PREP_PK_LEN) < 0) {
        cli_failf("verify", "--key: '%s' is not an Ed25519 public key (64 hex characters)", arg);
        return -1;
    }
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    const char *path = NULL;
    uint8_t pk[PREP_PK_LEN];
    int have_key = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        } else if (strcmp(argv[i], "--key") == 0) {
            if (i + 1 >= argc)
                return cli_failf("verify", "--key needs a value");
            if (parse_key(argv[++i], pk) < 0)
                return 1;
            have_key = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_failf("verify", "unknown option '%s' (see prep verify --help)", argv[i]);
        } else if (path) {
            return cli_failf("verify", "one corte at a time ('%s' and '%s')", path, argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return cli_failf("verify", "which corte? (prep verify DIR|ZIP; see --help)");
    prep_err err = {0};
    prep_verify_result r;
    if (prep_verify(path, have_key ? pk : NULL, &r, &err) < 0) {
        fprintf(stderr, "prep verify: %s: FAILED\n  %s\n", path, err.msg);
        return 1;
    }
    printf("%s: OK\n", path);
    printf("  corte %d%s, %s, MANIFEST sha256 %s\n", r.numero, r.final ? " (final)" : "", r.dir,
           r.manifest_sha);
    printf("  signed with Ed25519 key %s\n", r.pk_hex);
    printf("    %s\n", r.key_given ? "(the key given with --key)"
                                   : "(the corte's own corte.pub: compare it with the key the "
                                     "institute published, or pass --key)");
    printf("  %ld files match the MANIFEST", r.files);
    if (r.images)
        printf(", %ld acta images match their names", r.images);
    printf("\n  %d elections: %lld CSV rows and every summary field recomputed; ZIPs hold the "
           "same bytes\n",
           r.elecciones, (long long)r.filas);
    return 0;
}
