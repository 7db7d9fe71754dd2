/* cmd_version.c — `prep version`: the build's identity. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/version.h"

int cmd_version(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: prep version [--json]\n\nPrints the version, the source commit it "
                   "was built from and the SHA-256 of\nthis binary, so anyone can check that the "
                   "program running is the audited one.\n");
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            return cli_failf("version", "unknown option '%s'", argv[i]);
        }
    }
    if (json)
        printf("{\"version\":\"%s\",\"commit\":\"%s\",\"sha256\":\"%s\"}\n", PREP_VERSION,
               prep_source_commit(), prep_binary_sha256());
    else
        printf("prep %s\ncommit %s\nsha256 %s\n", PREP_VERSION, prep_source_commit(),
               prep_binary_sha256());
    return 0;
}
