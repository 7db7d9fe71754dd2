/* cmd_audit.c — `prep audit FILE.csv|FILE.zip [--final] [--json]
 * [--max-boletas-especial N]`: recompute any published Anexo 18.5 results
 * CSV (ours or another institute's) with the shared counting rules and say
 * what differs, and which institute conventions it follows (--extracto: an
 * excerpt's header is not compared). Exit 0 consistent, 1 differences found, 2 cannot read (the
 * line and the reason on stderr). The work is src/recount's; this file only
 * parses options and prints. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "recount/recount.h"

static void help(void)
{
    printf("uso: prep audit ARCHIVO.csv|ARCHIVO.zip [--final] [--json] [--extracto]\n"
           "                [--max-boletas-especial N]\n\n"
           "Recalcula una base de datos de resultados del PREP (Anexo 18.5) publicada por\n"
           "cualquier instituto, solo a partir de sus filas y con las mismas reglas de cómputo\n"
           "con que publica PREP: TOTAL_VOTOS_CALCULADO y CONTABILIZADA de cada acta (y por\n"
           "qué), y los 13 campos del resumen. Reporta cada diferencia: campos del resumen,\n"
           "actas cuyo total, CONTABILIZADA u OBSERVACIONES no son lo que dan las reglas,\n"
           "claves repetidas, captura antes del acopio o verificación antes de la captura,\n"
           "fechas, códigos de integridad y valores ilegibles. Aparte, y sin que cuenten como\n"
           "diferencias, lista las convenciones propias del instituto (actas no contabilizadas\n"
           "publicadas con votos en 0, ilegibles publicados como 0, ...) con sus filas. Las\n"
           "filas de actas aún no recibidas (sin CONTABILIZADA ni votos) no son registradas.\n\n"
           "Lee los archivos como los publican los institutos: separador , o |, línea sep=,\n"
           "UTF-8 con o sin BOM o Latin-1, fin de línea CR, LF o CRLF, claves =\"...\" o '...',\n"
           "nombres de columna del INE 2018-2024 y de los OPL, separadores de miles, fechas\n"
           "dd/mm/AAAA o AAAA-MM-DD con segundos, microsegundos o (UTC-6), SHA-256 y SHA-512.\n"
           "En un ZIP audita cada CSV de resultados (también en ZIP dentro del ZIP; los de\n"
           "candidaturas se omiten).\n\n"
           "  --final                  es el último corte: la participación cuenta las casillas\n"
           "                           especiales (TOTAL_VOTOS_C_CS)\n"
           "  --max-boletas-especial N boletas aprobadas para cada casilla especial; sin esto\n"
           "                           su EXCEDE LISTA NOMINAL se toma como se publicó\n"
           "  --extracto               el archivo es un extracto a propósito: si trae muchas\n"
           "                           menos filas que las que registra su resumen, el resumen\n"
           "                           no se compara y eso no es una diferencia\n"
           "  --json                   el reporte como JSON, con todas las diferencias\n\n"
           "Código de salida: 0 consistente, 1 hay diferencias, 2 el archivo no se puede leer\n"
           "(o una opción es incorrecta).\n");
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
        } else if (strcmp(argv[i], "--extracto") == 0) {
            opts.extracto = 1;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--max-boletas-especial") == 0) {
            if (cli_int("audit", argv[i], i + 1 < argc ? argv[i + 1] : NULL, 0, 1000000,
                        &opts.max_boletas_especial) < 0)
                return 2;
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_failf("audit", "opción desconocida '%s' (vea prep audit --help)", argv[i]);
            return 2;
        } else if (path) {
            cli_failf("audit", "un archivo a la vez ('%s' y '%s')", path, argv[i]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        cli_failf("audit", "¿qué archivo? (vea prep audit --help)");
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
            cli_failf("audit", "no se puede leer: %s", err.msg);
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
