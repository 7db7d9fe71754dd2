/* site.h — the static public results site of a corte (docs/design.md, "Publication"): HTML
 * pages, their JSON and inline SVG charts, written into one directory from
 * a prep_snapshot alone. Counting is tally.h's; this room only arranges and
 * formats. It does not write the CSV/ZIP databases, the MANIFEST or the
 * images (the corte does, and lists every file written here in the MANIFEST).
 * Layout, JSON schema and page weights: docs/site.md. */
#ifndef PREP_SITE_H
#define PREP_SITE_H

#include "core/values.h"
#include "publish/snapshot.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/timefmt.h"

/* Counts of what prep_site_write produced. */
typedef struct {
    long archivos;      /* files in the site (written or linked) */
    long long bytes;    /* their total size */
    long enlazados;     /* of those, hard-linked from the previous site */
} prep_site_stats;

typedef struct {
    /* The corte's time as people read it; NULL = "dd/mm/AAAA HH:MM (UTC-6)"
     * of snap->at. */
    const char *corte_hora;
    /* When the next corte is due; 0 = none announced (e.g. the final corte).
     * Pages print it, and a tiny optional script says "la actualización se
     * ha retrasado" once the reader's clock passes it. */
    prep_time proximo;
    /* URL prefixes relative to the site root (outdir); each page adds the
     * "../" it needs. Absolute ones ("/x/", "https://...") are used as they
     * are. Images are content-addressed: <imagenes><sha256>.png.
     * NULL = the defaults in brackets. */
    const char *imagenes;       /* ["../../imagenes/"] */
    const char *datos;          /* ["../datos/"]: the CSV ZIPs of this corte */
    const char *manifest;       /* ["../MANIFEST"] */
    const char *firma;          /* ["../MANIFEST.sig"] */
    const char *clave_publica;  /* ["../corte.pub"]: the Ed25519 public key (hex) */
    /* ZIP file name of election e inside `datos`; NULL entries (or all) =
     * "AAAAMMDD_HHMM_PREP_<ELECCION>_<ENT>.zip" of snap->at. */
    const char *zip[PREP_MAX_ELECCIONES];
    /* Footer fingerprints: SHA-256 hex of the prep binary and of the
     * catalog; NULL = prep_binary_sha256() / prep_catalog_fingerprint(). */
    const char *binario_sha;
    const char *catalogo_sha;
    /* Worker threads; 0 = as many as online CPUs (at most 8). Output is the
     * same byte for byte whatever the count. */
    int hilos;
    /* Optional out: what was written, for benchmarks and logs. */
    prep_site_stats *stats;
    /* Optional: called once per file of the site, with its path relative
     * to outdir, its SHA-256 (hex), its size and whether it was hard-linked
     * from the previous site (previo_dir), from the writer threads (so it
     * must be thread-safe). The corte builds its MANIFEST this way instead
     * of reading every file back. */
    void (*on_file)(void *ctx, const char *rel, const char sha[65], size_t len, int linked);
    void *on_file_ctx;
    /* Optional reuse of the previous corte's pages (docs/site.md): its site
     * directory and the page index prep_site_write returned for it. A page
     * whose bytes are the same there is hard-linked instead of written.
     * NULL = write every page. */
    const char *previo_dir;
    const void *indice_previo;
    size_t indice_previo_len;
    /* Optional out: this site's page index (a private cache for the next
     * corte: keep it outside the published directory). */
    prep_buf *indice;
    /* Optional: the file extension ("png", "jpg", ...) under which the image
     * with this SHA-256 is published (names.h's prep_image_ext of its bytes);
     * called from the writer threads. NULL = "png". */
    const char *(*imagen_ext)(void *ctx, const char *sha);
    void *imagen_ext_ctx;
} prep_site_opts;

/* Write the whole site of this corte into outdir (created if missing; its
 * parent must exist). Files are only created, never read back; on failure
 * the directory is incomplete and the caller discards it (a corte is
 * published only once complete). opts may be NULL (all defaults). */
int prep_site_write(const prep_snapshot *snap, const char *outdir, const prep_site_opts *opts,
                    prep_err *err);

#endif
