/* cmd_catalog.c — `prep catalog gen|check|load|show`: write a synthetic
 * catálogo, validate catálogo files, load them into the store (one
 * transaction, with its bitácora entry), or summarise the stored one.
 * Parsing and generation live in src/catalog/, persistence in src/store/. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog_io.h"
#include "cli/cli.h"
#include "ops/ops.h"
#include "publish/fsutil.h"
#include "store/store.h"
#include "util/timefmt.h"

static void help(FILE *f)
{
    fprintf(f,
            "usage: prep catalog gen --preset small|cdmx|national [--seed N] --out DIR [--force]\n"
            "       prep catalog check DIR\n"
            "       prep catalog load DIR [--data DIR]\n"
            "       prep catalog show [--data DIR]\n\n"
            "The catálogo is a directory of UTF-8 CSV files (docs/catalog-format.md):\n"
            "proceso, entidades, distritos, demarcaciones, secciones, casillas, elecciones,\n"
            "asociaciones, coaliciones and candidaturas.\n\n"
            "  gen    write a synthetic, realistic catálogo; the same preset and seed always\n"
            "         give the same files (default seed 1). DIR is created; a DIR that is not\n"
            "         empty is refused unless --force.\n"
            "  check  read and validate the files; print a summary. Nothing is stored.\n"
            "  load   validate the files and store the catálogo in the data directory (created\n"
            "         by prep init). Any bad value is reported as file:line: reason and\n"
            "         nothing is loaded. Refused once actas are recorded; loading the same\n"
            "         catálogo again changes nothing.\n"
            "  show   summarise the catálogo stored in the data directory.\n");
}

static const char *unidad_name(int u)
{
    return u == PREP_UNIDAD_DISTRITO ? "distrito" : u == PREP_UNIDAD_DEMARCACION ? "demarcación"
                                                                                 : "entidad";
}

/* One line: casillas, secciones, actas esperadas per election, fingerprint
 * (fp NULL: computed here; it takes a moment on a national catálogo). */
static void summary(FILE *f, const char *what, const prep_catalog *cat, const char *fp)
{
    char buf[65];
    if (!fp) {
        prep_catalog_fingerprint(cat, buf);
        fp = buf;
    }
    int especiales = 0;
    long ln = 0;
    for (int i = 0; i < cat->ncasillas; i++) {
        especiales += cat->casillas[i].tipo == 'S';
        ln += cat->casillas[i].lista_nominal;
    }
    fprintf(f, "%s: %d casillas (%d especiales), %d secciones, lista nominal %ld; actas esperadas",
            what, cat->ncasillas, especiales, cat->nsecciones, ln);
    for (int e = 0; e < cat->nelecciones; e++)
        fprintf(f, "%s %s %d", e ? "," : "", cat->elecciones[e].codigo, cat->ncasillas);
    fprintf(f, "; fingerprint %s\n", fp);
}

static int cmd_gen(int argc, char **argv)
{
    const char *preset = NULL, *out = NULL;
    long seed = 1;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        } else if (strcmp(argv[i], "--preset") == 0 && i + 1 < argc) {
            preset = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (cli_int("catalog gen", "--seed", i + 1 < argc ? argv[++i] : NULL, 0, 2147483647L,
                        &seed) < 0)
                return 1;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--force") == 0) {
            force = 1;
        } else {
            return cli_failf("catalog gen", "unknown option '%s' (see prep catalog --help)",
                             argv[i]);
        }
    }
    if (!preset || !out)
        return cli_failf("catalog gen", "needs --preset small|cdmx|national and --out DIR");
    struct stat sb;
    if (stat(out, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return cli_failf("catalog gen", "%s exists and is not a directory", out);
    if (!force && !prep_fs_dir_is_empty(out))
        return cli_failf("catalog gen", "%s is not empty (use --force to overwrite)", out);
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_generate(preset, (uint64_t)seed, &cat, &err) < 0)
        return cli_fail("catalog gen", &err);
    if (prep_fs_mkdirs(out, &err) < 0) {
        prep_catalog_free(&cat);
        return cli_fail("catalog gen", &err);
    }
    int rc = prep_catalog_write_dir(&cat, out, &err);
    if (rc == 0) {
        char what[4200];
        snprintf(what, sizeof what, "%s (preset %s, seed %ld)", out, preset, seed);
        summary(stdout, what, &cat, NULL);
    }
    prep_catalog_free(&cat);
    return rc < 0 ? cli_fail("catalog gen", &err) : 0;
}

static int parse_dir_data(const char *cmd, int argc, char **argv, const char **dir,
                          const char **data, int *help_shown)
{
    *help_shown = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help(stdout);
            *help_shown = 1;
            return 0;
        } else if (data && strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            *data = argv[++i];
        } else if (dir && !*dir && argv[i][0] != '-') {
            *dir = argv[i];
        } else {
            cli_failf(cmd, "unexpected argument '%s' (see prep catalog --help)", argv[i]);
            return -1;
        }
    }
    if (dir && !*dir) {
        cli_failf(cmd, "needs the catálogo directory (see prep catalog --help)");
        return -1;
    }
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    const char *dir = NULL;
    int shown;
    if (parse_dir_data("catalog check", argc, argv, &dir, NULL, &shown) < 0)
        return 1;
    if (shown)
        return 0;
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_read_dir(dir, &cat, &err) < 0)
        return cli_fail("catalog check", &err);
    summary(stdout, dir, &cat, NULL);
    prep_catalog_free(&cat);
    return 0;
}

static int store_catalog(prep_store *st, const prep_catalog *cat, const char *dir,
                         const char *fp, int *same, prep_err *err)
{
    char old[80] = "";
    if (prep_store_begin(st, 1, err) < 0)
        return -1;
    int rc = st->vt->meta_get(st, "catalog_fingerprint", old, sizeof old, err);
    if (rc < 0)
        goto fail;
    if (rc == 0 && strcmp(old, fp) == 0) {
        *same = 1;
        prep_store_rollback(st);
        return 0;
    }
    if (rc == 1)
        old[0] = '\0';
    if (prep_store_catalog_save(st, cat, err) < 0)
        goto fail;
    char after[600];
    snprintf(after, sizeof after,
             "{\"fingerprint\":\"%s\",\"casillas\":%d,\"secciones\":%d,\"elecciones\":%d}", fp,
             cat->ncasillas, cat->nsecciones, cat->nelecciones);
    prep_ops o = {.st = st, .cat = cat};
    if (prep_ops_log(&o, &prep_actor_system, prep_now(), "catalog.load", dir, old, after, err) <
        0)
        goto fail;
    return prep_store_commit(st, err);
fail:
    prep_store_rollback(st);
    return -1;
}

static int cmd_load(int argc, char **argv)
{
    const char *dir = NULL, *data = cli_default_data();
    int shown;
    if (parse_dir_data("catalog load", argc, argv, &dir, &data, &shown) < 0)
        return 1;
    if (shown)
        return 0;
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_read_dir(dir, &cat, &err) < 0)
        return cli_fail("catalog load", &err);
    prep_store *st;
    if (prep_store_open(data, &st, &err) < 0) {
        prep_catalog_free(&cat);
        return cli_fail("catalog load", &err);
    }
    int same = 0;
    char fp[65];
    prep_catalog_fingerprint(&cat, fp);
    int rc = store_catalog(st, &cat, dir, fp, &same, &err);
    prep_store_close(st);
    if (rc == 0)
        summary(stdout, same ? "catálogo already loaded, unchanged" : "catálogo loaded", &cat,
                fp);
    prep_catalog_free(&cat);
    return rc < 0 ? cli_fail("catalog load", &err) : 0;
}

static int cmd_show(int argc, char **argv)
{
    const char *data = cli_default_data();
    int shown;
    if (parse_dir_data("catalog show", argc, argv, NULL, &data, &shown) < 0)
        return 1;
    if (shown)
        return 0;
    prep_store *st;
    prep_catalog cat;
    if (cli_open_catalog("catalog show", data, &st, &cat) != 0)
        return 1;
    prep_store_close(st);
    printf("%s — %s %d, %d CATD\n", cat.proceso, cat.ent_codigo, cat.anio, cat.ncatd);
    summary(stdout, "catálogo", &cat, NULL);
    for (int e = 0; e < cat.nelecciones; e++) {
        const prep_eleccion *el = &cat.elecciones[e];
        printf("  %-5s %-45s %4d × %-12s %2d columns, %d coalitions, %d candidaturas\n",
               el->codigo, el->nombre, prep_catalog_nunidades(&cat, e), unidad_name(el->unidad),
               el->ncols, el->ncoaliciones, el->ncandidaturas);
    }
    prep_catalog_free(&cat);
    return 0;
}

int cmd_catalog(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return 2;
    }
    if (cli_is_help(argv[1])) {
        help(stdout);
        return 0;
    }
    if (strcmp(argv[1], "gen") == 0)
        return cmd_gen(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "load") == 0)
        return cmd_load(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    return cli_failf("catalog", "'%s' is not a catalog command (gen, check, load, show)",
                     argv[1]);
}
