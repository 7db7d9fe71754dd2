/* corte_files.c — the files of one corte, written into its temporary
 * directory: per election the results and candidaturas CSV, LEEME.txt and
 * their ZIP; the catalog copy; the NIST export; cambios.json (actas whose
 * published row differs from the previous corte's); corte.pub; corte.json;
 * then the MANIFEST and its signature. Steps and durability are corte.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "catalog/catalog_io.h"
#include "publish/corte_int.h"
#include "publish/csv_out.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "publish/nist.h"
#include "publish/zipw.h"
#include "util/hash.h"
#include "util/version.h"

/* Deflate level of the database ZIPs: zlib's default. */
#define DB_ZIP_LEVEL 6

double prep_cw_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int parent_dirs(const char *path, prep_err *err)
{
    char dir[PREP_PATH_CAP];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    return prep_fs_mkdirs(dir, err);
}

int prep_cw_put(prep_cw *w, const char *rel, const void *data, size_t len, prep_err *err)
{
    char path[PREP_PATH_CAP];
    if (prep_fs_join(path, sizeof path, w->tmp, rel, err) < 0 || parent_dirs(path, err) < 0 ||
        prep_fs_write(path, data, len, 0, err) < 0)
        return -1;
    return prep_manifest_add(&w->man, rel, data, len, err);
}

/* ---- Change list --------------------------------------------------------- */

/* Index the acta rows of a previous corte's results CSV by casilla. */
static int index_prev(const char *text, size_t len, const prep_catalog *cat, size_t *off,
                      uint32_t *rlen)
{
    const char *p = text, *end = text + len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        const char *q = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
        line++;
        /* Rows start after the column names (line 7); acta rows begin with
         * the quoted clave, fuera de catálogo rows with "-". */
        if (line >= 8 && q - p > 13 && p[0] == '\'' && p[12] == '\'') {
            char clave[12];
            memcpy(clave, p + 1, 11);
            clave[11] = '\0';
            int c = prep_catalog_find_casilla(cat, clave);
            if (c >= 0) {
                off[c] = (size_t)(p - text);
                rlen[c] = (uint32_t)(q - p);
            }
        }
        p = nl + 1;
    }
    return 0;
}

static int cambios_eleccion(prep_cw *w, const prep_snapshot *s, int e, const prep_buf *csv,
                            const prep_csv_rowref *rows, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    const prep_snap_eleccion *se = &s->el[e];
    char *old = NULL;
    size_t oldlen = 0, *off = NULL;
    uint32_t *rlen = NULL;
    if (w->prev.numero && w->prev_same_catalog) {
        char rel[PREP_NAME_CAP], path[PREP_PATH_CAP];
        prep_path_csv(cat, e, rel);
        prep_err e2 = {0};
        if ((size_t)snprintf(path, sizeof path, "%s/%s/%s", w->cortes, w->prev.dir, rel) <
                sizeof path &&
            prep_fs_read(path, &old, &oldlen, 0, &e2) == 0) {
            off = malloc(sizeof *off * (size_t)cat->ncasillas);
            rlen = calloc((size_t)cat->ncasillas, sizeof *rlen);
            if (!off || !rlen) {
                free(old);
                free(off);
                free(rlen);
                return prep_fail(err, PREP_E_NOMEM, "out of memory comparing cortes");
            }
            for (int c = 0; c < cat->ncasillas; c++)
                off[c] = SIZE_MAX;
            index_prev(old, oldlen, cat, off, rlen);
        }
    }
    prep_buf *b = &w->cambios;
    if (b->len)
        prep_buf_putc(b, ',');
    prep_buf_printf(b, "\"%s\":{\"actas\":[", cat->elecciones[e].codigo);
    int first = 1;
    for (int k = 0; k < se->n; k++) {
        int c = rows[k].casilla;
        if (off && off[c] != SIZE_MAX && rlen[c] == rows[k].len &&
            memcmp(old + off[c], csv->data + rows[k].off, rows[k].len) == 0)
            continue;
        prep_buf_printf(b, "%s\"%s\"", first ? "" : ",", cat->casillas[c].clave);
        first = 0;
    }
    prep_buf_puts(b, "],\"fuera_catalogo\":[");
    first = 1;
    for (int k = 0; k < se->nfc; k++) {
        if (w->prev.numero && se->fc[k].corte <= w->prev.numero && w->prev_same_catalog && off)
            continue;
        prep_buf_printf(b, "%s%lld", first ? "" : ",", (long long)se->fc[k].id);
        first = 0;
    }
    prep_buf_puts(b, "]}");
    free(old);
    free(off);
    free(rlen);
    return prep_buf_ok(b) ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

/* ---- Databases ------------------------------------------------------------ */

static int write_eleccion(prep_cw *w, const prep_snapshot *s, int e, prep_err *err)
{
    prep_corte_times *tm = &prep_corte_last_times;
    const prep_catalog *cat = s->cat;
    const prep_snap_eleccion *se = &s->el[e];
    double t0 = prep_cw_ms();
    if (prep_pub_tally_build(s, e, &w->tally[e], err) < 0)
        return -1;
    double t1 = prep_cw_ms();
    tm->tallies += t1 - t0;

    prep_buf csv, cand, leeme;
    prep_buf_init(&csv);
    prep_buf_init(&cand);
    prep_buf_init(&leeme);
    prep_csv_rowref *rows = malloc(sizeof *rows * ((size_t)se->n + (size_t)se->nfc + 1));
    char p_csv[PREP_NAME_CAP], p_cand[PREP_NAME_CAP], p_leeme[PREP_NAME_CAP],
        p_zip[PREP_NAME_CAP], n_csv[PREP_NAME_CAP], n_cand[PREP_NAME_CAP], zpath[PREP_PATH_CAP];
    prep_path_csv(cat, e, p_csv);
    prep_path_csv_candidaturas(cat, e, p_cand);
    prep_path_leeme(cat, e, p_leeme);
    prep_path_zip(cat, e, s->at, p_zip);
    prep_name_csv(cat, e, n_csv);
    prep_name_csv_candidaturas(cat, e, n_cand);
    int rc = rows ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
    if (rc == 0)
        rc = prep_csv_resultados(s, &w->tally[e], &csv, rows, err);
    if (rc == 0)
        rc = prep_csv_candidaturas(cat, e, &cand, err);
    if (rc == 0)
        rc = prep_leeme(cat, e, &leeme, err);
    double t2 = prep_cw_ms();
    if (rc == 0)
        rc = prep_cw_put(w, p_csv, csv.data, csv.len, err);
    if (rc == 0)
        rc = prep_cw_put(w, p_cand, cand.data, cand.len, err);
    if (rc == 0)
        rc = prep_cw_put(w, p_leeme, leeme.data, leeme.len, err);
    double t3 = prep_cw_ms();
    tm->csv += t3 - t1;
    tm->bytes_csv += (int64_t)csv.len;
    if (rc == 0)
        rc = cambios_eleccion(w, s, e, &csv, rows, err);
    double t4 = prep_cw_ms();
    tm->csv += t4 - t3;
    (void)t2;
    prep_zipw *z = NULL;
    if (rc == 0)
        rc = prep_fs_join(zpath, sizeof zpath, w->tmp, p_zip, err);
    if (rc == 0)
        rc = prep_zipw_open(&z, zpath, s->at, err);
    if (rc == 0)
        rc = prep_zipw_add_mem(z, n_csv, csv.data, csv.len, DB_ZIP_LEVEL, err);
    if (rc == 0)
        rc = prep_zipw_add_mem(z, n_cand, cand.data, cand.len, DB_ZIP_LEVEL, err);
    if (rc == 0)
        rc = prep_zipw_add_mem(z, prep_name_leeme(cat), leeme.data, leeme.len, DB_ZIP_LEVEL, err);
    if (rc == 0) {
        rc = prep_zipw_close(z, err);
        z = NULL;
    }
    prep_zipw_discard(z);
    struct stat zs;
    if (rc == 0 && stat(zpath, &zs) == 0)
        tm->bytes_zip += (int64_t)zs.st_size;
    tm->zip += prep_cw_ms() - t4;
    free(rows);
    prep_buf_free(&csv);
    prep_buf_free(&cand);
    prep_buf_free(&leeme);
    return rc;
}

/* ---- corte.json ----------------------------------------------------------- */

static json_t *summary_json(const prep_summary *sm)
{
    json_t *o = json_object();
    char v[32];
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        prep_summary_field(sm, i, v, sizeof v);
        /* Percentages keep their exact 4-decimal text; counts are numbers. */
        json_object_set_new(o, prep_summary_names[i],
                            strchr(v, '.') ? json_string(v) : json_integer(strtoll(v, NULL, 10)));
    }
    return o;
}

static int corte_json(prep_cw *w, const prep_snapshot *s, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    char iso[32], when[24], rel[PREP_NAME_CAP];
    prep_time_fmt_iso(s->at, iso);
    prep_time_fmt_min(s->at, when);
    json_t *root = json_object(), *els = json_array();
    json_object_set_new(root, "formato", json_integer(1));
    json_object_set_new(root, "numero", json_integer(s->numero));
    json_object_set_new(root, "fecha", json_string(iso));
    char texto[40];
    snprintf(texto, sizeof texto, "%s (UTC-6)", when);
    json_object_set_new(root, "fecha_texto", json_string(texto));
    json_object_set_new(root, "ms", json_integer(s->at));
    json_object_set_new(root, "final", json_boolean(s->final));
    json_object_set_new(root, "dir", json_string(w->dir));
    json_object_set_new(root, "proceso", json_string(cat->proceso));
    json_object_set_new(root, "entidad", json_string(cat->ent_codigo));
    json_object_set_new(root, "anio", json_integer(cat->anio));
    json_object_set_new(root, "jornada", json_string(w->fecha));
    json_object_set_new(root, "catalogo_sha256", json_string(w->fingerprint));
    json_object_set_new(root, "version", json_string(PREP_VERSION));
    json_object_set_new(root, "commit", json_string(prep_source_commit()));
    json_object_set_new(root, "binario_sha256", json_string(prep_binary_sha256()));
    if (w->prev.numero)
        json_object_set_new(root, "corte_anterior",
                            json_pack("{s:i, s:s, s:s}", "numero", w->prev.numero, "dir",
                                      w->prev.dir, "manifest_sha256", w->prev.manifest_sha));
    else
        json_object_set_new(root, "corte_anterior", json_null());
    if (w->next_due && !s->final) {
        prep_time_fmt_iso(w->next_due, iso);
        json_object_set_new(root, "proximo_corte", json_string(iso));
    } else {
        json_object_set_new(root, "proximo_corte", json_null());
    }
    int64_t actas = 0;
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        json_t *o = json_object();
        json_object_set_new(o, "codigo", json_string(el->codigo));
        json_object_set_new(o, "nombre", json_string(el->nombre));
        prep_path_csv(cat, e, rel);
        json_object_set_new(o, "csv", json_string(rel));
        prep_path_csv_candidaturas(cat, e, rel);
        json_object_set_new(o, "csv_candidaturas", json_string(rel));
        prep_path_leeme(cat, e, rel);
        json_object_set_new(o, "leeme", json_string(rel));
        prep_path_zip(cat, e, s->at, rel);
        json_object_set_new(o, "zip", json_string(rel));
        json_object_set_new(o, "resumen", summary_json(&w->tally[e].total.s));
        json_array_append_new(els, o);
        actas += s->el[e].n + s->el[e].nfc;
    }
    json_object_set_new(root, "actas_registradas", json_integer(actas));
    json_object_set_new(root, "actas_publicadas_en_este_corte", json_integer(w->publicadas));
    json_object_set_new(root, "elecciones", els);
    prep_path_nist(cat, rel);
    json_object_set_new(root, "nist", json_string(rel));
    json_object_set_new(root, "catalogo", json_string(PREP_CATALOGO_DIR "/"));
    json_t *falt = json_array();
    for (size_t i = 0; i < w->nfaltantes; i++)
        json_array_append_new(falt, json_string(w->imagenes_faltantes[i]));
    json_object_set_new(root, "imagenes_faltantes", falt);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing corte.json");
    size_t n = strlen(text);
    text[n] = '\n'; /* replaces the NUL: write n + 1 bytes */
    int rc = prep_cw_put(w, PREP_CORTE_JSON, text, n + 1, err);
    free(text);
    return rc;
}

static int cambios_json(prep_cw *w, const prep_snapshot *s, prep_err *err)
{
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_printf(&b, "{\n\"corte\":%d,\n\"corte_anterior\":", s->numero);
    if (w->prev.numero)
        prep_buf_printf(&b, "%d", w->prev.numero);
    else
        prep_buf_puts(&b, "null");
    prep_buf_printf(&b, ",\n\"completo\":%s,\n\"elecciones\":{%s},\n\"imagenes_nuevas\":[",
                    w->prev.numero && w->prev_same_catalog ? "false" : "true",
                    prep_buf_str(&w->cambios));
    for (size_t i = 0; i < w->nimagenes_nuevas; i++)
        prep_buf_printf(&b, "%s\"%s\"", i ? "," : "", w->imagenes_nuevas[i]);
    prep_buf_puts(&b, "]\n}\n");
    int rc = prep_buf_ok(&b) ? prep_cw_put(w, PREP_CAMBIOS_JSON, b.data, b.len, err)
                             : prep_fail(err, PREP_E_NOMEM, "out of memory");
    prep_buf_free(&b);
    return rc;
}

int prep_cw_write_files(prep_cw *w, const prep_snapshot *s, prep_err *err)
{
    prep_corte_times *tm = &prep_corte_last_times;
    const prep_catalog *cat = s->cat;
    for (int e = 0; e < cat->nelecciones; e++)
        if (write_eleccion(w, s, e, err) < 0)
            return -1;

    double t0 = prep_cw_ms();
    char path[PREP_PATH_CAP];
    if (prep_fs_join(path, sizeof path, w->tmp, PREP_CATALOGO_DIR, err) < 0 ||
        prep_fs_mkdirs(path, err) < 0 || prep_catalog_write_dir(cat, path, err) < 0)
        return -1;
    double t1 = prep_cw_ms();
    tm->catalog += t1 - t0;

    prep_buf nist;
    prep_buf_init(&nist);
    char rel[PREP_NAME_CAP];
    prep_path_nist(cat, rel);
    int rc = prep_nist_export(s, w->tally, w->fecha, &nist, err);
    if (rc == 0)
        rc = prep_cw_put(w, rel, nist.data, nist.len, err);
    prep_buf_free(&nist);
    tm->nist += prep_cw_ms() - t1;
    if (rc < 0)
        return -1;

    char pkh[2 * PREP_PK_LEN + 2];
    prep_hex(w->pk, PREP_PK_LEN, pkh);
    strcat(pkh, "\n");
    if (cambios_json(w, s, err) < 0 || prep_cw_put(w, PREP_CORTE_PUB, pkh, strlen(pkh), err) < 0)
        return -1;
    return corte_json(w, s, err);
}

int prep_cw_manifest(prep_cw *w, char manifest_sha[65], prep_err *err)
{
    prep_corte_times *tm = &prep_corte_last_times;
    double t0 = prep_cw_ms();
    prep_buf b;
    prep_buf_init(&b);
    char path[PREP_PATH_CAP];
    int rc = prep_manifest_scan(&w->man, w->tmp, err);
    if (rc == 0)
        rc = prep_manifest_text(&w->man, &b, err);
    if (rc == 0)
        rc = prep_fs_join(path, sizeof path, w->tmp, PREP_MANIFEST, err);
    if (rc == 0)
        rc = prep_fs_write(path, b.data, b.len, 0, err);
    double t1 = prep_cw_ms();
    tm->manifest += t1 - t0;
    if (rc == 0) {
        uint8_t sig[PREP_SIG_LEN];
        char hex[2 * PREP_SIG_LEN + 2];
        prep_sign(w->sk, b.data, b.len, sig);
        prep_hex(sig, sizeof sig, hex);
        strcat(hex, "\n");
        prep_sha256_hex(b.data, b.len, manifest_sha);
        rc = prep_fs_join(path, sizeof path, w->tmp, PREP_MANIFEST_SIG, err);
        if (rc == 0)
            rc = prep_fs_write(path, hex, strlen(hex), 0, err);
    }
    tm->sign += prep_cw_ms() - t1;
    prep_buf_free(&b);
    return rc;
}
