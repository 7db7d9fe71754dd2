/* site_reuse.c — pages kept from the previous corte. When a page's bytes
 * hash (XXH3, 128 bits) the same as the page in the same place of the
 * previous corte's site, the file is hard-linked from that site instead of
 * written, and its SHA-256 is taken from the previous page index instead of
 * computed; a sección page whose JSON is unchanged is not even rendered
 * (site_reuse_html_of). Between two cortes a few minutes apart most
 * sección pages have not changed (docs/site.md says which pages can stay
 * the same), so a national corte writes and hashes only what changed.
 *
 * The page index is a private cache kept next to the cortes, never
 * published: a header (magic, version, slot count, catalog fingerprint,
 * globals) then one record per page slot (2 per page: HTML and JSON) with
 * its XXH3, SHA-256 and size. An index that does not match this site (other catalog,
 * other page list, short file) is ignored and every page is written; a
 * link that fails for any reason falls back to writing the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "publish/site_internal.h"

#define MAGIC "PREPSIDX"
#define VERSION 2u

typedef struct {
    char magic[8];
    uint32_t version, nslots;
    char catalogo[64];
    uint8_t globales[16]; /* XXH3-128 of what every page takes besides its data */
} idx_header;

/* What a page shows besides its own data and the catalog: the program's
 * SHA-256 and the links to images, databases, MANIFEST, signature and key. */
static void globales(const site_ctx *x, uint8_t out[16])
{
    const char *parts[] = {x->binario, x->catalogo, x->imagenes, x->datos,
                           x->manifest, x->firma,   x->clave_publica};
    XXH3_state_t *st = XXH3_createState();
    memset(out, 0, 16);
    if (!st)
        return;
    XXH3_128bits_reset(st);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        XXH3_128bits_update(st, parts[i], strlen(parts[i]) + 1);
    XXH128_canonicalFromHash((XXH128_canonical_t *)out, XXH3_128bits_digest(st));
    XXH3_freeState(st);
}

int site_reuse_open(site_ctx *x, const prep_site_opts *o, int nslots, prep_err *err)
{
    site_reuse *r = &x->reuse;
    memset(r, 0, sizeof *r);
    r->prev_fd = -1;
    r->nslots = nslots;
    if (!o || !o->indice)
        return 0;
    r->cur = calloc((size_t)(nslots > 0 ? nslots : 1), sizeof *r->cur);
    if (!r->cur)
        return prep_fail(err, PREP_E_NOMEM, "out of memory for the site's page index");
    const idx_header *h = o->indice_previo;
    size_t want = sizeof *h + (size_t)nslots * sizeof(site_page_rec);
    if (!o->previo_dir || !h || o->indice_previo_len != want ||
        memcmp(h->magic, MAGIC, 8) != 0 || h->version != VERSION ||
        h->nslots != (uint32_t)nslots || strlen(x->catalogo) != 64 ||
        memcmp(h->catalogo, x->catalogo, 64) != 0)
        return 0; /* nothing to reuse: every page is written */
    r->prev_fd = open(o->previo_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->prev_fd < 0)
        return 0;
    r->prev = (const site_page_rec *)(h + 1);
    uint8_t g[16];
    globales(x, g);
    r->same_globales = memcmp(g, h->globales, sizeof g) == 0;
    return 0;
}

void site_reuse_note(const site_ctx *x, int slot, const void *data, size_t len)
{
    site_page_rec *cur = x->reuse.cur ? &x->reuse.cur[slot] : NULL;
    if (!cur)
        return;
    XXH128_canonicalFromHash((XXH128_canonical_t *)cur->xxh, XXH3_128bits(data, len));
    cur->len = len;
}

/* Slot's noted bytes are those of the previous site's page in that slot. */
static int same_as_prev(const site_reuse *r, int slot)
{
    const site_page_rec *p = &r->prev[slot], *c = &r->cur[slot];
    return p->len == c->len && memcmp(p->xxh, c->xxh, sizeof c->xxh) == 0;
}

/* Hard-link rel from the previous site; 0 when the file system refuses
 * (EXDEV, EMLINK, a missing file...): the caller writes it instead. */
static int link_prev(const site_ctx *x, const char *rel)
{
    return linkat(x->reuse.prev_fd, rel, x->out_fd, rel, 0) == 0;
}

int site_reuse_link(const site_ctx *x, int slot, const char *rel)
{
    const site_reuse *r = &x->reuse;
    if (!r->prev || x->out_fd < 0 || !same_as_prev(r, slot) || !link_prev(x, rel))
        return 0;
    memcpy(r->cur[slot].sha, r->prev[slot].sha, sizeof r->cur[slot].sha);
    return 1;
}

/* A sección page shows nothing that its JSON document does not carry
 * (every acta's state, values, observaciones, times, origin and image; the
 * tallies; the candidaturas) besides the catalog and the globals the index
 * header checks: so when the JSON is the same bytes as in the previous
 * corte, so is the HTML. test_corte.c checks it against pages written in
 * full. */
int site_reuse_html_of(const site_ctx *x, int s_html, const char *rel_html, int s_json)
{
    const site_reuse *r = &x->reuse;
    if (!r->prev || !r->same_globales || x->out_fd < 0 || !same_as_prev(r, s_json) ||
        r->prev[s_html].len == 0 || !link_prev(x, rel_html))
        return 0;
    r->cur[s_html] = r->prev[s_html];
    return 1;
}

void site_reuse_written(const site_ctx *x, int slot, const uint8_t sha[32])
{
    if (x->reuse.cur)
        memcpy(x->reuse.cur[slot].sha, sha, 32);
}

int site_reuse_finish(site_ctx *x, prep_buf *out, prep_err *err)
{
    site_reuse *r = &x->reuse;
    if (!r->cur || !out)
        return 0;
    idx_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = VERSION;
    h.nslots = (uint32_t)r->nslots;
    memcpy(h.catalogo, x->catalogo, strlen(x->catalogo) == 64 ? 64 : 0);
    globales(x, h.globales);
    prep_buf_reset(out);
    prep_buf_append(out, &h, sizeof h);
    prep_buf_append(out, r->cur, (size_t)r->nslots * sizeof *r->cur);
    return prep_buf_ok(out) ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory for the page index");
}

void site_reuse_close(site_ctx *x)
{
    site_reuse *r = &x->reuse;
    if (r->prev_fd >= 0)
        close(r->prev_fd);
    free(r->cur);
    memset(r, 0, sizeof *r);
    r->prev_fd = -1;
}
