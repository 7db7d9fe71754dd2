/* cmd_audit.c — `prep audit FILE.csv|FILE.zip [--final] [--json]
 * [--max-boletas-especial N]`: recompute any published Anexo 18.5 results
 * CSV (ours or another institute's) with the shared counting rules and say
 * what differs. Exit 0 consistent, 1 differences found, 2 cannot read (the
 * line and the reason on stderr). The work is src/recount's; this file only
 * parses options and prints. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "recount/recount.h"

static void help(void)
{
    printf("usage: prep audit FILE.csv|FILE.zip [--final] [--json] [--max-boletas-especial N]\n\n"
           "Recomputes a published PREP results database (Anexo 18.5) from its rows alone,\n"
           "with the same counting rules PREP publishes with: TOTAL_VOTOS_CALCULADO and\n"
           "CONTABILIZADA of every acta (and why), and the 13 summary fields of the header.\n"
           "Reports every difference: summary fields, actas whose total, CONTABILIZADA or\n"
           "OBSERVACIONES disagree with the rules, duplicated claves, captura before acopio\n"
           "or verificación before captura, malformed timestamps and hashes.\n\n"
           "Reads files as institutes publish them: comma or | delimiter, a sep=| line,\n"
           "UTF-8 with or without BOM or Latin-1, =\"...\" or '...' claves, INE 2018-2024 and\n"
           "OPL column names. A ZIP is searched for results CSVs (one level of nested ZIPs;\n"
           "candidaturas files are skipped) and each one is audited.\n\n"
           "  --final                  the file is the last corte: participación counts\n"
           "                           casillas especiales (TOTAL_VOTOS_C_CS)\n"
           "  --max-boletas-especial N boletas approved for each casilla especial; without\n"
           "                           it their EXCEDE LISTA NOMINAL verdict is taken as published\n"
           "  --json                   the report as JSON\n\n"
           "Exit status: 0 consistent, 1 differences found, 2 the file cannot be read.\n");
}

int cmd_audit(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    prep_recount_opts opts = {.final = 0, .max_boletas_especial = -1};
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        } else if (strcmp(argv[i], "--final") == 0) {
            opts.final = 1;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--max-boletas-especial") == 0) {
            if (cli_int("audit", argv[i], i + 1 < argc ? argv[i + 1] : NULL, 0, 1000000,
                        &opts.max_boletas_especial) < 0)
                return 2;
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_failf("audit", "unknown option '%s' (see prep audit --help)", argv[i]);
            return 2;
        } else if (path) {
            cli_failf("audit", "one file at a time ('%s' and '%s')", path, argv[i]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        cli_failf("audit", "which file? (see prep audit --help)");
        return 2;
    }
    prep_err err = {0};
    prep_recount_input *in;
    int n;
    if (prep_recount_inputs(path, &in, &n, &err) < 0) {
        cli_fail("audit", &err);
        return 2;
    }
    /* JSON: one object for a CSV, an array of them for a ZIP. */
    int array = json && strcmp(in[0].name, path) != 0;
    if (array)
        fputs("[\n", stdout);
    int status = 0, printed = 0;
    for (int i = 0; i < n; i++) {
        prep_recount_report r;
        if (prep_recount_buffer(in[i].data, in[i].len, in[i].name, &opts, &r, &err) < 0) {
            cli_failf("audit", "cannot read: %s", err.msg);
            status = 2;
            continue;
        }
        prep_buf b;
        prep_buf_init(&b);
        int rc = json ? prep_recount_json(&r, in[i].name, &b, &err)
                      : prep_recount_text(&r, in[i].name, &b, &err);
        if (rc < 0) {
            cli_fail("audit", &err);
            status = 2;
        } else {
            if (array && printed++)
                fputs(",\n", stdout);
            fwrite(b.data, 1, b.len, stdout);
            if (i + 1 < n && !json)
                putchar('\n');
            if (r.ndiff && status == 0)
                status = 1;
        }
        prep_buf_free(&b);
        prep_recount_report_free(&r);
    }
    if (array)
        fputs("]\n", stdout);
    prep_recount_inputs_free(in, n);
    return status;
}
