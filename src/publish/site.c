/* site.c — prep_site_write(): resolve the options, build the per-level
 * tallies once (site_model.c), create the directory tree, then render every
 * page and JSON document, split over a few worker threads that each take the
 * next batch of pages (the output does not depend on how many there are),
 * and write it — or hard-link it from the previous corte's site when its
 * bytes are the same there (site_reuse.c).
 * Files are written, not fsync'd: the corte syncs the finished directory
 * before it switches `latest` to it. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/catalog.h"
#include "publish/site_internal.h"
#include "util/hash.h"
#include "util/version.h"

/* ---- files -------------------------------------------------------------- */

static int write_file(const char *root, const char *rel, const void *data, size_t len,
                      prep_err *err)
{
    char path[4096 + 512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            return prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) < 0)
        return prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/* Tell the caller's on_file hook (if any) of a file of the site. */
static void tell(const site_ctx *x, const char *rel, const uint8_t sha[32], size_t len,
                 int linked)
{
    if (!x->on_file)
        return;
    char hex[PREP_SHA256_HEX];
    prep_hex(sha, PREP_SHA256_LEN, hex);
    x->on_file(x->on_file_ctx, rel, hex, len, linked);
}

/* Write a file and hash it; slot >= 0 records it in the page index. */
static int emit(const site_ctx *x, int slot, const char *rel, const void *data, size_t len,
                prep_err *err)
{
    if (write_file(x->outdir, rel, data, len, err) < 0)
        return -1;
    uint8_t sha[PREP_SHA256_LEN];
    if (x->on_file || (slot >= 0 && x->reuse.cur)) {
        prep_sha256(data, len, sha);
        if (slot >= 0)
            site_reuse_written(x, slot, sha);
        tell(x, rel, sha, len, 0);
    }
    return 0;
}

static int make_dir(const char *root, const char *rel, prep_err *err)
{
    char path[4096 + 512];
    if (rel)
        snprintf(path, sizeof path, "%s/%s", root, rel);
    else
        snprintf(path, sizeof path, "%s", root);
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return prep_fail(err, PREP_E_IO, "cannot create directory %s: %s", path,
                         strerror(errno));
    return 0;
}

/* ---- options ------------------------------------------------------------ */

static int safe_code(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int resolve(site_ctx *x, const prep_snapshot *snap, const char *outdir,
                   const prep_site_opts *o, prep_err *err)
{
    static const prep_site_opts none;
    if (!o)
        o = &none;
    x->snap = snap;
    x->cat = snap->cat;
    if (!x->cat || x->cat->nelecciones <= 0 || x->cat->nentidades <= 0)
        return prep_fail(err, PREP_E_INVALID, "snapshot has no catalog");
    if (strlen(outdir) >= sizeof x->outdir)
        return prep_fail(err, PREP_E_INVALID, "site directory name too long");
    snprintf(x->outdir, sizeof x->outdir, "%s", outdir);
    x->imagenes = o->imagenes ? o->imagenes : "../../imagenes/";
    x->datos = o->datos ? o->datos : "../datos/";
    x->manifest = o->manifest ? o->manifest : "../MANIFEST";
    x->firma = o->firma ? o->firma : "../MANIFEST.sig";
    x->clave_publica = o->clave_publica ? o->clave_publica : "../corte.pub";
    char stamp[16], min[20];
    prep_time_fmt_stamp(snap->at, stamp);
    for (int e = 0; e < x->cat->nelecciones; e++) {
        const char *code = x->cat->elecciones[e].codigo;
        if (!safe_code(code))
            return prep_fail(err, PREP_E_INVALID,
                             "election code '%s' cannot name a directory of the site", code);
        if (o->zip[e])
            snprintf(x->zip[e], sizeof x->zip[e], "%s", o->zip[e]);
        else
            snprintf(x->zip[e], sizeof x->zip[e], "%s_PREP_%s_%s.zip", stamp, code,
                     x->cat->ent_codigo);
    }
    if (o->corte_hora) {
        snprintf(x->corte_hora, sizeof x->corte_hora, "%s", o->corte_hora);
    } else {
        prep_time_fmt_min(snap->at, min);
        snprintf(x->corte_hora, sizeof x->corte_hora, "%s (UTC-6)", min);
    }
    prep_time_fmt_iso(snap->at, x->corte_iso);
    x->proximo_ms = o->proximo;
    if (o->proximo) {
        prep_time_fmt_min(o->proximo, min);
        snprintf(x->proximo_hora, sizeof x->proximo_hora, "%s (UTC-6)", min);
        prep_time_fmt_iso(o->proximo, x->proximo_iso);
    }
    snprintf(x->binario, sizeof x->binario, "%s", o->binario_sha ? o->binario_sha
                                                                   : prep_binary_sha256());
    if (o->catalogo_sha)
        snprintf(x->catalogo, sizeof x->catalogo, "%s", o->catalogo_sha);
    else
        prep_catalog_fingerprint(x->cat, x->catalogo);
    long n = o->hilos > 0 ? o->hilos : sysconf(_SC_NPROCESSORS_ONLN);
    x->hilos = n < 1 ? 1 : n > 8 ? 8 : (int)n;
    x->on_file = o->on_file;
    x->on_file_ctx = o->on_file_ctx;
    x->imagen_ext = o->imagen_ext;
    x->imagen_ext_ctx = o->imagen_ext_ctx;
    return 0;
}

/* ---- directory tree ----------------------------------------------------- */

static int tree(const site_ctx *x, prep_err *err)
{
    char rel[512];
    if (make_dir(x->outdir, NULL, err) < 0 || make_dir(x->outdir, "json", err) < 0)
        return -1;
    for (int e = 0; e < x->cat->nelecciones; e++) {
        const site_elec *se = &x->el[e];
        const char *code = se->el->codigo;
        for (int j = 0; j < 2; j++) {
            const char *pre = j ? "json/" : "";
            snprintf(rel, sizeof rel, "%s%s", pre, code);
            if (make_dir(x->outdir, rel, err) < 0)
                return -1;
            const site_rows *eg = site_ent_geos(x, se);
            for (int n = 0; n < x->cat->nentidades; n++) {
                int id = x->cat->entidades[n].id;
                snprintf(rel, sizeof rel, "%s%s/%02d", pre, code, id);
                if (make_dir(x->outdir, rel, err) < 0)
                    return -1;
                snprintf(rel, sizeof rel, "%s%s/%02d/seccion", pre, code, id);
                if (make_dir(x->outdir, rel, err) < 0)
                    return -1;
                if (eg->off[n + 1] > eg->off[n]) {
                    snprintf(rel, sizeof rel, "%s%s/%02d/%s", pre, code, id,
                             site_tipo_slug(se->geo_tipo));
                    if (make_dir(x->outdir, rel, err) < 0)
                        return -1;
                }
            }
        }
    }
    return 0;
}

/* ---- pages, in parallel ------------------------------------------------- */

typedef struct {
    int e, nivel, idx;
} site_item;

/* The pages of one election: a contiguous run of items, taken in batches.
 * Each thread starts on an election of its own and moves to the next one
 * with work left when its own is done: two threads creating files in the
 * same directory queue on its lock, and the kernel spins while they wait
 * (a quarter of a cdmx corte's CPU during a drill went there). */
typedef struct {
    int end;
    atomic_int next; /* first item not yet taken */
} site_lane;

typedef struct {
    const site_ctx *x;
    const site_item *items;
    int nitems;
    site_lane lanes[PREP_MAX_ELECCIONES];
    int nlanes;
    atomic_int threads; /* workers started so far: the next one's number */
    atomic_int failed;
    atomic_long archivos, enlazados;
    atomic_llong bytes;
    pthread_mutex_t mu;
    prep_err err; /* first failure */
} site_work;

#define BATCH 32

/* Link (or else write) one rendered file of the site, noted already. */
static int put_file(site_work *w, int slot, const char *rel, const prep_buf *b, prep_err *err)
{
    const site_ctx *x = w->x;
    if (site_reuse_link(x, slot, rel)) {
        tell(x, rel, x->reuse.cur[slot].sha, b->len, 1);
        atomic_fetch_add(&w->enlazados, 1);
    } else if (emit(x, slot, rel, b->data, b->len, err) < 0) {
        return -1;
    }
    atomic_fetch_add(&w->archivos, 1);
    atomic_fetch_add(&w->bytes, (long long)b->len);
    return 0;
}

/* One page and its JSON. The JSON goes first: a sección whose JSON is the
 * same as in the previous corte has the same HTML too (site_reuse.c says
 * why), which is then linked without being rendered. */
static int one_item(site_work *w, int i, prep_buf *b, prep_err *err)
{
    const site_item *it = &w->items[i];
    const site_ctx *x = w->x;
    const site_elec *se = &x->el[it->e];
    site_page p;
    char rel_json[512], rel_html[512];
    if (site_page_init(x, se, it->nivel, it->idx, &p, err) < 0)
        return -1;
    int s_html = 2 * i, s_json = 2 * i + 1;
    site_path_json(x, se, it->nivel, it->idx, rel_json, sizeof rel_json);
    site_path_html(x, se, it->nivel, it->idx, rel_html, sizeof rel_html);
    prep_buf_reset(b);
    site_json_page(x, &p, b);
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing %s", rel_json);
    site_reuse_note(x, s_json, b->data, b->len);
    if (it->nivel == SITE_SECCION && site_reuse_html_of(x, s_html, rel_html, s_json)) {
        const site_page_rec *h = &x->reuse.cur[s_html];
        tell(x, rel_html, h->sha, (size_t)h->len, 1);
        atomic_fetch_add(&w->enlazados, 1);
        atomic_fetch_add(&w->archivos, 1);
        atomic_fetch_add(&w->bytes, (long long)h->len);
    } else {
        if (put_file(w, s_json, rel_json, b, err) < 0)
            return -1;
        prep_buf_reset(b);
        site_html_page(x, &p, b);
        if (!prep_buf_ok(b))
            return prep_fail(err, PREP_E_NOMEM, "out of memory writing %s", rel_html);
        site_reuse_note(x, s_html, b->data, b->len);
        return put_file(w, s_html, rel_html, b, err);
    }
    return put_file(w, s_json, rel_json, b, err);
}

/* The next batch [*i0, *i1) for a thread that started on lane `first`;
 * 0 when every lane is done. */
static int next_batch(site_work *w, int first, int *i0, int *i1)
{
    for (int k = 0; k < w->nlanes; k++) {
        site_lane *l = &w->lanes[(first + k) % w->nlanes];
        if (atomic_load(&l->next) >= l->end)
            continue;
        int a = atomic_fetch_add(&l->next, BATCH);
        if (a >= l->end)
            continue;
        *i0 = a;
        *i1 = a + BATCH < l->end ? a + BATCH : l->end;
        return 1;
    }
    return 0;
}

static void *worker(void *arg)
{
    site_work *w = arg;
    prep_buf b;
    prep_buf_init(&b);
    prep_err err = {0};
    int first = w->nlanes ? atomic_fetch_add(&w->threads, 1) % w->nlanes : 0;
    int i0, i1;
    while (!atomic_load(&w->failed) && next_batch(w, first, &i0, &i1)) {
        for (int i = i0; i < i1; i++) {
            if (one_item(w, i, &b, &err) < 0) {
                pthread_mutex_lock(&w->mu);
                if (!atomic_load(&w->failed))
                    w->err = err;
                atomic_store(&w->failed, 1);
                pthread_mutex_unlock(&w->mu);
                goto out;
            }
        }
    }
out:
    prep_buf_free(&b);
    return NULL;
}

/* Every page of the site, election by election: one lane each (w). */
static site_item *list_items(const site_ctx *x, site_work *w)
{
    const prep_catalog *cat = x->cat;
    size_t cap = 0;
    for (int e = 0; e < cat->nelecciones; e++)
        cap += 1 + (size_t)cat->nentidades + (size_t)x->el[e].ngeo + (size_t)cat->nsecciones;
    site_item *it = malloc(sizeof *it * (cap ? cap : 1));
    if (!it)
        return NULL;
    int k = 0;
    for (int e = 0; e < cat->nelecciones; e++) {
        const site_elec *se = &x->el[e];
        atomic_init(&w->lanes[e].next, k);
        if (cat->nentidades > 1)
            it[k++] = (site_item){e, SITE_NACIONAL, -1};
        for (int i = 0; i < cat->nentidades; i++)
            it[k++] = (site_item){e, SITE_ENTIDAD, i};
        const site_rows *eg = site_ent_geos(x, se);
        for (int i = 0; i < cat->nentidades; i++)
            for (int j = eg->off[i]; j < eg->off[i + 1]; j++)
                it[k++] = (site_item){e, SITE_GEO, eg->idx[j]};
        for (int s = 0; s < cat->nsecciones; s++)
            it[k++] = (site_item){e, SITE_SECCION, s};
        w->lanes[e].end = k;
    }
    w->nlanes = cat->nelecciones;
    w->nitems = k;
    return it;
}

static int pages(site_ctx *x, const prep_site_opts *o, prep_site_stats *st, prep_err *err)
{
    site_work w = {.x = x};
    w.items = list_items(x, &w);
    if (!w.items)
        return prep_fail(err, PREP_E_NOMEM, "out of memory listing the site's pages");
    if (site_reuse_open(x, o, 2 * w.nitems, err) < 0) {
        free((void *)w.items);
        return -1;
    }
    pthread_mutex_init(&w.mu, NULL);
    pthread_t th[8];
    int started = 0;
    for (int i = 1; i < x->hilos; i++) {
        if (pthread_create(&th[started], NULL, worker, &w) != 0)
            break; /* fewer threads: the calling thread still does the rest */
        started++;
    }
    worker(&w);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&w.mu);
    free((void *)w.items);
    st->archivos += atomic_load(&w.archivos);
    st->enlazados += atomic_load(&w.enlazados);
    st->bytes += atomic_load(&w.bytes);
    if (atomic_load(&w.failed)) {
        if (err)
            *err = w.err;
        return -1;
    }
    return site_reuse_finish(x, o ? o->indice : NULL, err);
}

/* ---- the whole site ----------------------------------------------------- */

static int put(const site_ctx *x, const char *rel, prep_buf *b, prep_site_stats *st,
               prep_err *err)
{
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing %s", rel);
    if (emit(x, -1, rel, b->data, b->len, err) < 0)
        return -1;
    st->archivos++;
    st->bytes += (long long)b->len;
    return 0;
}

int prep_site_write(const prep_snapshot *snap, const char *outdir, const prep_site_opts *opts,
                    prep_err *err)
{
    site_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    x->out_fd = -1;
    x->reuse.prev_fd = -1;
    prep_site_stats st = {0};
    prep_buf b;
    prep_buf_init(&b);
    int rc = resolve(x, snap, outdir, opts, err);
    if (rc == 0)
        rc = site_model_build(x, err);
    if (rc == 0)
        rc = tree(x, err);
    if (rc == 0 && (x->out_fd = open(x->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        rc = prep_fail(err, PREP_E_IO, "cannot open %s: %s", x->outdir, strerror(errno));
    if (rc == 0) {
        const site_asset *a;
        int n = site_assets(&a);
        for (int i = 0; rc == 0 && i < n; i++) {
            rc = emit(x, -1, a[i].name, a[i].data, a[i].len, err);
            st.archivos++;
            st.bytes += (long long)a[i].len;
        }
    }
    if (rc == 0) {
        site_html_home(x, &b);
        rc = put(x, "index.html", &b, &st, err);
    }
    if (rc == 0) {
        prep_buf_reset(&b);
        site_json_index(x, &b);
        rc = put(x, "json/index.json", &b, &st, err);
    }
    if (rc == 0)
        rc = pages(x, opts, &st, err);
    if (opts && opts->stats)
        *opts->stats = st;
    prep_buf_free(&b);
    if (x->out_fd >= 0)
        close(x->out_fd);
    site_reuse_close(x);
    site_model_free(x);
    free(x);
    return rc;
}
