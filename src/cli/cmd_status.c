/* cmd_status.c — `prep status`: per election, actas esperadas and how many
 * are in each state (text table or --json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/acta.h"
#include "store/store.h"

static int count_fc(void *ctx, const prep_fuera_catalogo *f)
{
    (void)f;
    (*(int64_t *)ctx)++;
    return 0;
}

int cmd_status(int argc, char **argv)
{
    const char *data = cli_default_data();
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: prep status [--data DIR] [--json]\n\nPer election: actas esperadas "
                   "(one per casilla of the catalog) and how many\nare in each state of their "
                   "life (ESPERADA ... PUBLICADA, SIN_ACTA), plus\nactas registered fuera de "
                   "catálogo.\n");
            return 0;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            return cli_failf("status", "unknown option '%s' (see prep status --help)", argv[i]);
        }
    }
    prep_err err = {0};
    prep_store *st;
    prep_catalog cat;
    if (cli_open_catalog("status", data, &st, &cat) != 0)
        return 1;
    json_t *root = json_object(), *arr = json_array();
    if (!json)
        printf("%-5s %9s", "", "ESPERADAS");
    if (!json)
        for (int s = 0; s < PREP_EST__COUNT; s++)
            printf(" %*s", (int)(strlen(prep_estado_name(s)) > 9 ? strlen(prep_estado_name(s)) : 9),
                   prep_estado_name(s));
    if (!json)
        printf(" %9s\n", "FUERA_CAT");
    int status = 0;
    for (int e = 0; e < cat.nelecciones && !status; e++) {
        int64_t counts[PREP_EST__COUNT], fc = 0;
        if (st->vt->acta_counts(st, e, counts, &err) < 0 ||
            st->vt->fc_iter(st, e, count_fc, &fc, &err) < 0) {
            status = cli_fail("status", &err);
            break;
        }
        int64_t stored = 0;
        for (int s = 1; s < PREP_EST__COUNT; s++)
            stored += counts[s];
        counts[PREP_EST_ESPERADA] = cat.ncasillas - stored;
        if (json) {
            json_t *o = json_object(), *est = json_object();
            json_object_set_new(o, "eleccion", json_string(cat.elecciones[e].codigo));
            json_object_set_new(o, "nombre", json_string(cat.elecciones[e].nombre));
            json_object_set_new(o, "esperadas", json_integer(cat.ncasillas));
            for (int s = 0; s < PREP_EST__COUNT; s++)
                json_object_set_new(est, prep_estado_name(s), json_integer(counts[s]));
            json_object_set_new(o, "estados", est);
            json_object_set_new(o, "fuera_catalogo", json_integer(fc));
            json_array_append_new(arr, o);
        } else {
            printf("%-5s %9d", cat.elecciones[e].codigo, cat.ncasillas);
            for (int s = 0; s < PREP_EST__COUNT; s++)
                printf(" %*lld",
                       (int)(strlen(prep_estado_name(s)) > 9 ? strlen(prep_estado_name(s)) : 9),
                       (long long)counts[s]);
            printf(" %9lld\n", (long long)fc);
        }
    }
    if (json && !status) {
        json_object_set_new(root, "elecciones", arr);
        arr = NULL;
        char *s = json_dumps(root, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
    }
    json_decref(arr);
    json_decref(root);
    prep_catalog_free(&cat);
    prep_store_close(st);
    return status;
}
