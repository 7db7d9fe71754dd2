/* ceremony.c — `prep ceremony open|close|verify`: gather the facts from the
 * store, the running binary and the key; refuse what must not be attested
 * (a second opening, actas already captured, a broken bitácora, a closing
 * without opening); take the final corte on closing; write the record as
 * text and HTML with their Ed25519 signatures; and log the ceremony in the
 * bitácora in the same transaction as its meta key. The wording is
 * record.c's. */
#include "ceremony/ceremony.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "ops/ops.h"
#include "publish/corte.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "publish/names.h"
#include "util/hash.h"
#include "util/version.h"

/* ---- facts -------------------------------------------------------------------- */

typedef struct {
    prep_corte_info first, last;
    int n;
} corte_span;

static int span_cb(void *ctx, const prep_corte_info *c)
{
    corte_span *s = ctx;
    if (s->n++ == 0)
        s->first = *c;
    s->last = *c;
    return 0;
}

static int count_fc(void *ctx, const prep_fuera_catalogo *f)
{
    (void)f;
    (*(int64_t *)ctx)++;
    return 0;
}

static int gather(const char *datadir, prep_store *st, const prep_catalog *cat,
                  const prep_ceremony_people *who, int cierre, prep_ceremony_facts *f,
                  prep_err *err)
{
    memset(f, 0, sizeof *f);
    f->cierre = cierre;
    f->at = prep_now();
    snprintf(f->version, sizeof f->version, "%s", PREP_VERSION);
    snprintf(f->commit, sizeof f->commit, "%s", prep_source_commit());
    snprintf(f->binario, sizeof f->binario, "%s", prep_binary_sha256());
    prep_catalog_fingerprint(cat, f->catalogo);
    snprintf(f->proceso, sizeof f->proceso, "%s", cat->proceso);
    snprintf(f->entidad, sizeof f->entidad, "%s", cat->ent_codigo);
    f->ncasillas = cat->ncasillas;
    uint8_t pk[PREP_PK_LEN];
    if (prep_keys_public(datadir, pk, err) < 0)
        return -1;
    sodium_bin2hex(f->clave_publica, sizeof f->clave_publica, pk, sizeof pk);
    if (who)
        f->people = *who;
    f->nelecciones = cat->nelecciones;
    for (int e = 0; e < cat->nelecciones; e++) {
        prep_ceremony_eleccion *el = &f->el[e];
        snprintf(el->codigo, sizeof el->codigo, "%s", cat->elecciones[e].codigo);
        snprintf(el->nombre, sizeof el->nombre, "%s", cat->elecciones[e].nombre);
        el->esperadas = cat->ncasillas;
        if (st->vt->acta_counts(st, e, el->estados, err) < 0 ||
            st->vt->fc_iter(st, e, count_fc, &el->fuera_catalogo, err) < 0)
            return -1;
        int64_t stored = 0;
        for (int s = 1; s < PREP_EST__COUNT; s++)
            stored += el->estados[s];
        el->estados[PREP_EST_ESPERADA] = cat->ncasillas - stored;
    }
    corte_span sp = {0};
    if (st->vt->corte_iter(st, span_cb, &sp, err) < 0)
        return -1;
    f->ncortes = sp.n;
    f->primero = sp.first;
    f->ultimo = sp.last;
    char why[256];
    int rc = prep_log_verify(st, &f->log_seq, f->log_head, why, sizeof why, err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return prep_fail(err, PREP_E_CORRUPT,
                         "the bitácora chain is broken (%s): no ceremony can attest it; "
                         "see prep log verify",
                         why);
    return 0;
}

/* Closing: the 13 summary fields of each election, from the final corte's corte.json. */
static int final_totals(const char *datadir, prep_ceremony_facts *f, prep_err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s/%s", datadir, PREP_CORTES_DIR, f->ultimo.dir,
             PREP_CORTE_JSON);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        return prep_fail(err, PREP_E_IO, "cannot read %s: %s", path, je.text);
    json_t *els = json_object_get(j, "elecciones");
    for (size_t i = 0; i < json_array_size(els) && (int)i < f->nelecciones; i++) {
        json_t *res = json_object_get(json_array_get(els, i), "resumen");
        prep_ceremony_eleccion *el = &f->el[i];
        const char *k;
        json_t *v;
        json_object_foreach(res, k, v)
        {
            if (el->nresumen == 13)
                break;
            snprintf(el->resumen[el->nresumen][0], sizeof el->resumen[0][0], "%s", k);
            if (json_is_string(v))
                snprintf(el->resumen[el->nresumen][1], sizeof el->resumen[0][1], "%s",
                         json_string_value(v));
            else
                snprintf(el->resumen[el->nresumen][1], sizeof el->resumen[0][1], "%" PRId64,
                         (int64_t)json_integer_value(v));
            el->nresumen++;
        }
    }
    json_decref(j);
    return 0;
}

/* ---- writing -------------------------------------------------------------------- */

static int records_dir(const char *datadir, char *out, size_t cap, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/%s/%s", datadir, PREP_CORTES_DIR, PREP_CEREMONIA_DIR) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return prep_fs_mkdirs(out, err);
}

/* name.txt, name.html and name.sig ("<signature hex>  <file>" per line);
 * txt_sha receives the SHA-256 of the text record. */
static int write_record(const char *datadir, const char *name, const prep_ceremony_facts *f,
                        char txt_sha[65], char *dir, size_t dircap, prep_err *err)
{
    uint8_t pk[PREP_PK_LEN], sk[PREP_SK_LEN];
    if (prep_keys_load(datadir, pk, sk, err) < 0 || records_dir(datadir, dir, dircap, err) < 0)
        return -1;
    prep_buf txt, html, sig;
    prep_buf_init(&txt);
    prep_buf_init(&html);
    prep_buf_init(&sig);
    prep_ceremony_text(f, &txt);
    prep_ceremony_html(f, &html);
    int rc = prep_buf_ok(&txt) && prep_buf_ok(&html)
                 ? 0
                 : prep_fail(err, PREP_E_NOMEM, "out of memory writing the record");
    prep_buf *files[2] = {&txt, &html};
    const char *ext[2] = {"txt", "html"};
    for (int i = 0; i < 2 && rc == 0; i++) {
        uint8_t s[PREP_SIG_LEN];
        char hex[2 * PREP_SIG_LEN + 1], path[1200];
        prep_sign(sk, files[i]->data, files[i]->len, s);
        sodium_bin2hex(hex, sizeof hex, s, sizeof s);
        prep_buf_printf(&sig, "%s  %s.%s\n", hex, name, ext[i]);
        snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext[i]);
        rc = prep_fs_write_atomic(path, files[i]->data, files[i]->len, err);
    }
    if (rc == 0) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.sig", dir, name);
        rc = prep_fs_write_atomic(path, sig.data, sig.len, err);
        snprintf(path, sizeof path, "%s/%s", dir, PREP_CORTE_PUB);
        char pkhex[2 * PREP_PK_LEN + 2];
        sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
        strcat(pkhex, "\n");
        if (rc == 0)
            rc = prep_fs_write_atomic(path, pkhex, strlen(pkhex), err);
    }
    if (rc == 0)
        prep_sha256_hex(txt.data, txt.len, txt_sha);
    sodium_memzero(sk, sizeof sk);
    prep_buf_free(&txt);
    prep_buf_free(&html);
    prep_buf_free(&sig);
    return rc;
}

typedef struct {
    const char *action, *meta_key;
    char meta_val[160];
    char after[256];
    prep_time at;
} log_arg;

static int log_ceremony(prep_ops *o, void *ctx, prep_err *err)
{
    log_arg *a = ctx;
    if (prep_ops_log(o, &prep_actor_system, a->at, a->action, "publicacion", "", a->after, err) < 0)
        return -1;
    return o->st->vt->meta_set(o->st, a->meta_key, a->meta_val, err);
}

static int finish(const char *datadir, prep_store *st, const prep_catalog *cat, const char *name,
                  const char *action, const char *meta_key, const prep_ceremony_facts *f,
                  char *dir, size_t dircap, prep_err *err)
{
    char sha[65];
    if (write_record(datadir, name, f, sha, dir, dircap, err) < 0)
        return -1;
    log_arg a = {.action = action, .meta_key = meta_key, .at = f->at};
    char iso[32];
    prep_time_fmt_iso(f->at, iso);
    snprintf(a.meta_val, sizeof a.meta_val, "%s %s", iso, sha);
    snprintf(a.after, sizeof a.after,
             "{\"registro\":\"%s/%s.txt\",\"sha256\":\"%s\",\"binario\":\"%.64s\"}",
             PREP_CEREMONIA_DIR, name, sha, f->binario);
    prep_ops o = {.st = st, .cat = cat};
    return prep_ops_tx(&o, log_ceremony, &a, err);
}

/* ---- the ceremonies -------------------------------------------------------------- */

int prep_ceremony_open(const char *datadir, prep_store *st, const prep_catalog *cat,
                       const prep_ceremony_people *who, prep_ceremony_facts *f, char *dir,
                       size_t dircap, prep_err *err)
{
    char prev[160];
    if (st->vt->meta_get(st, PREP_META_APERTURA, prev, sizeof prev, NULL) == 0)
        return prep_fail(err, PREP_E_STATE, "publication was already opened (%s)", prev);
    if (gather(datadir, st, cat, who, 0, f, err) < 0)
        return -1;
    if (f->ncortes)
        return prep_fail(err, PREP_E_STATE,
                         "%d corte(s) already published (the last: %s): publication cannot be "
                         "opened after the fact",
                         f->ncortes, f->ultimo.dir);
    static const int capturada[] = {PREP_EST_CAPTURADA, PREP_EST_DISCREPANCIA,
                                    PREP_EST_POR_VERIFICAR, PREP_EST_VERIFICADA,
                                    PREP_EST_PUBLICADA};
    for (int e = 0; e < f->nelecciones; e++)
        for (size_t k = 0; k < sizeof capturada / sizeof capturada[0]; k++)
            if (f->el[e].estados[capturada[k]])
                return prep_fail(err, PREP_E_STATE,
                                 "%s: %" PRId64 " acta(s) already %s: publication must be "
                                 "opened before any capture",
                                 f->el[e].codigo, f->el[e].estados[capturada[k]],
                                 prep_estado_name(capturada[k]));
    return finish(datadir, st, cat, "apertura", "ceremonia.apertura", PREP_META_APERTURA, f, dir,
                  dircap, err);
}

int prep_ceremony_close(const char *datadir, prep_store *st, const prep_catalog *cat,
                        const prep_ceremony_people *who, prep_ceremony_facts *f, char *dir,
                        size_t dircap, prep_err *err)
{
    char apertura[160], prev[160], fin[32];
    if (st->vt->meta_get(st, PREP_META_APERTURA, apertura, sizeof apertura, NULL) != 0)
        return prep_fail(err, PREP_E_STATE,
                         "publication was never opened (run prep ceremony open first)");
    if (st->vt->meta_get(st, PREP_META_CIERRE, prev, sizeof prev, NULL) == 0)
        return prep_fail(err, PREP_E_STATE, "publication was already closed (%s)", prev);
    if (st->vt->meta_get(st, PREP_META_CORTE_FINAL, fin, sizeof fin, NULL) != 0) {
        prep_corte_info info;
        if (prep_corte_run(datadir, st, cat, 1, &info, err) < 0)
            return -1;
    }
    if (gather(datadir, st, cat, who, 1, f, err) < 0 || final_totals(datadir, f, err) < 0)
        return -1;
    snprintf(f->apertura, sizeof f->apertura, "%s", apertura);
    return finish(datadir, st, cat, "cierre", "ceremonia.cierre", PREP_META_CIERRE, f, dir,
                  dircap, err);
}

int prep_ceremony_verify(const char *datadir, const char *dir_in, int *n, prep_err *err)
{
    char dir[1024];
    if (dir_in)
        snprintf(dir, sizeof dir, "%s", dir_in);
    else
        snprintf(dir, sizeof dir, "%s/%s/%s", datadir, PREP_CORTES_DIR, PREP_CEREMONIA_DIR);
    *n = 0;
    char path[1200], *pkhex = NULL;
    size_t len;
    uint8_t pk[PREP_PK_LEN];
    snprintf(path, sizeof path, "%s/%s", dir, PREP_CORTE_PUB);
    if (prep_fs_read(path, &pkhex, &len, 1024, err) < 0)
        return -1;
    int rc = sodium_hex2bin(pk, sizeof pk, pkhex, len, "\n", NULL, NULL) == 0
                 ? 0
                 : prep_fail(err, PREP_E_CORRUPT, "%s is not an Ed25519 public key", path);
    free(pkhex);
    static const char *names[] = {"apertura", "cierre"};
    for (int i = 0; i < 2 && rc == 0; i++) {
        char *sig = NULL;
        snprintf(path, sizeof path, "%s/%s.sig", dir, names[i]);
        if (!prep_fs_exists(path))
            continue;
        if (prep_fs_read(path, &sig, &len, 4096, err) < 0)
            return -1;
        char *save = NULL;
        for (char *line = strtok_r(sig, "\n", &save); line && rc == 0;
             line = strtok_r(NULL, "\n", &save)) {
            char hex[2 * PREP_SIG_LEN + 1], file[128];
            uint8_t s[PREP_SIG_LEN];
            if (sscanf(line, "%128s %127s", hex, file) != 2 ||
                sodium_hex2bin(s, sizeof s, hex, strlen(hex), NULL, NULL, NULL) != 0 ||
                strchr(file, '/')) {
                rc = prep_fail(err, PREP_E_CORRUPT, "%s: malformed line '%s'", path, line);
                break;
            }
            char fpath[1200], *data = NULL;
            snprintf(fpath, sizeof fpath, "%s/%s", dir, file);
            if (prep_fs_read(fpath, &data, &len, 16u << 20, err) < 0) {
                rc = -1;
                break;
            }
            if (prep_sign_verify(pk, data, len, s) < 0)
                rc = prep_fail(err, PREP_E_CORRUPT,
                               "%s: the signature does not match its contents (altered record)",
                               fpath);
            free(data);
        }
        free(sig);
        if (rc == 0)
            (*n)++;
    }
    if (rc == 0 && *n == 0)
        return prep_fail(err, PREP_E_NOT_FOUND, "no ceremony record in %s", dir);
    return rc;
}
