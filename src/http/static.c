/* static.c — read-only files: /cortes/... from DATADIR/cortes (immutable
 * corte directories, long cache; the `latest` pointer and feed.json are not
 * cached), /operacion/... the operator pages (embedded in the binary by
 * web_assets.c, or from --web DIR while developing them), and "/"
 * which sends the reader to the latest corte's site (its links are
 * relative to cortes/<dir>/sitio/) or says that nothing is published yet.
 * Paths: no "..", no hidden names, and the resolved file must stay inside
 * its root (symlinks may only point within it, as `latest` does). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/internal.h"
#include "http/static_gzip.h"
#include "http/web_assets.h"

static const struct {
    const char *ext, *mime;
} types[] = {
    {".html", "text/html; charset=utf-8"},   {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},     {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},               {".png", "image/png"},
    {".jpg", "image/jpeg"},                  {".jpeg", "image/jpeg"},
    {".ico", "image/x-icon"},                {".csv", "text/csv; charset=utf-8"},
    {".zip", "application/zip"},             {".txt", "text/plain; charset=utf-8"},
    {".pub", "text/plain; charset=utf-8"},   {".sig", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},                {".xml", "application/xml"},
};

static const char *mime_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return "text/plain; charset=utf-8"; /* MANIFEST */
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].mime;
    return "application/octet-stream";
}

/* Relative path safe to append to a root: segments of printable characters,
 * none empty-dot, "..", or starting with '.'. "" is the root itself. */
static int safe_rel(const char *rel)
{
    const char *p = rel;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 0 && p[0] == '.')
            return 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7f)
                return 0;
        if (!end)
            break;
        p = end + 1;
    }
    return 1;
}

static void not_found_html(prep_req *r)
{
    static const char page[] =
        "<!doctype html><html lang=\"es\"><meta charset=\"utf-8\"><title>No encontrado</title>"
        "<p>No existe esta página. <a href=\"/\">Ir al inicio</a>.</p></html>\n";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof page - 1, (void *)page, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return;
    MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    add_security_headers(resp, "default-src 'none'", 0);
    MHD_queue_response(r->conn, 404, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = 404;
}

static void redirect(prep_req *r, const char *to, int status)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return;
    MHD_add_response_header(resp, "Location", to);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    add_security_headers(resp, "default-src 'none'", 0);
    MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = status;
}

/* The public site has no inline script or style at all. */
static const char csp_public[] = "default-src 'self'; img-src 'self' data:; "
                                 "style-src 'self'; script-src 'self'";
static const char csp_operacion[] = "default-src 'self'; img-src 'self' blob: data:; "
                                    "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                                    "connect-src 'self'";

typedef enum { CACHE_NONE, CACHE_IMMUTABLE } cache_kind;

/* Serve root/rel. url is the request path (for the directory redirect). */
static void serve_file(prep_req *r, const char *root, const char *rel, cache_kind cache,
                       const char *csp)
{
    char rootreal[PATH_MAX], want[PATH_MAX + 64], real[PATH_MAX];
    if (!safe_rel(rel))
        return not_found_html(r);
    if (!realpath(root, rootreal))
        return not_found_html(r);
    if ((size_t)snprintf(want, sizeof want, "%s/%s", rootreal, rel) >= sizeof want)
        return not_found_html(r);
    if (!realpath(want, real))
        return not_found_html(r);
    size_t rl = strlen(rootreal);
    if (strcmp(real, rootreal) != 0 && !(strncmp(real, rootreal, rl) == 0 && real[rl] == '/'))
        return not_found_html(r);
    struct stat sb;
    if (stat(real, &sb) < 0)
        return not_found_html(r);
    if (S_ISDIR(sb.st_mode)) {
        size_t ul = strlen(r->path);
        if (ul == 0 || r->path[ul - 1] != '/') {
            char to[600];
            snprintf(to, sizeof to, "%s/", r->path);
            return redirect(r, to, 301);
        }
        if (strlen(real) + 12 >= sizeof real)
            return not_found_html(r);
        strcat(real, "/index.html");
        if (stat(real, &sb) < 0)
            return not_found_html(r);
    }
    if (!S_ISREG(sb.st_mode))
        return not_found_html(r);
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return not_found_html(r);
    const char *mime = mime_of(real);
    int text = prep_gzip_type(mime);
    unsigned char *gz = NULL;
    size_t gz_len = 0;
    struct MHD_Response *resp = NULL;
    if (text && prep_gzip_accepted(header(r, "Accept-Encoding")) &&
        prep_gzip_fd(fd, (size_t)sb.st_size, &gz, &gz_len) == 0) {
        close(fd);
        resp = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
            free(gz);
            return reply_errf(r, PREP_E_NOMEM, "out of memory");
        }
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    } else {
        resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
        if (!resp) {
            close(fd);
            return reply_errf(r, PREP_E_NOMEM, "out of memory");
        }
    }
    if (text)
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "Content-Type", mime);
    add_security_headers(resp, csp, csp == csp_public);
    MHD_add_response_header(resp, "Cache-Control", cache == CACHE_IMMUTABLE
                                                       ? "public, max-age=31536000, immutable"
                                                       : "no-cache");
    MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = 200;
}

/* An operator page compiled into the binary (web_assets.c); "dir/" is its index.html. */
static void serve_embedded(prep_req *r, const char *rel)
{
    char want[300];
    size_t n = strlen(rel);
    if (n >= sizeof want - 12)
        return not_found_html(r);
    snprintf(want, sizeof want, "%s%s", rel, n == 0 || rel[n - 1] == '/' ? "index.html" : "");
    const prep_web_asset *a = prep_web_asset_find(want);
    if (!a) {
        char dir[320], to[600];
        snprintf(dir, sizeof dir, "%s/index.html", rel);
        if (n > 0 && prep_web_asset_find(dir)) {
            snprintf(to, sizeof to, "%s/", r->path);
            return redirect(r, to, 301);
        }
        return not_found_html(r);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    MHD_add_response_header(resp, "Content-Type", mime_of(want));
    add_security_headers(resp, csp_operacion, 0);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "ETag", a->etag);
    MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = 200;
}

static void home(prep_req *r)
{
    char idx[700];
    struct stat sb;
    snprintf(idx, sizeof idx, "%s/cortes/latest/sitio/index.html", r->srv->datadir);
    if (stat(idx, &sb) == 0)
        return redirect(r, "/cortes/latest/sitio/", 302);
    static const char page[] =
        "<!doctype html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>PREP — sin publicación</title></head><body>"
        "<h1>Programa de Resultados Electorales Preliminares</h1>"
        "<p>Todavía no se ha publicado ningún corte de resultados. "
        "Esta página mostrará los resultados preliminares en cuanto se publique el primero.</p>"
        "</body></html>\n";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof page - 1, (void *)page, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return;
    MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    add_security_headers(resp, "default-src 'none'", 1);
    MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = 200;
}

void serve_static(prep_req *r)
{
    const char *p = r->path;
    if (strcmp(p, "/") == 0)
        return home(r);
    if (strcmp(p, "/cortes") == 0 || strcmp(p, "/operacion") == 0) {
        char to[600];
        snprintf(to, sizeof to, "%s/", p);
        return redirect(r, to, 301);
    }
    if (strncmp(p, "/cortes/", 8) == 0) {
        char root[600];
        snprintf(root, sizeof root, "%s/cortes", r->srv->datadir);
        const char *rel = p + 8;
        int mutable = strncmp(rel, "latest", 6) == 0 || strcmp(rel, "feed.json") == 0 ||
                      strcmp(rel, "feed.sig") == 0 || *rel == '\0';
        return serve_file(r, root, rel, mutable ? CACHE_NONE : CACHE_IMMUTABLE, csp_public);
    }
    if (strncmp(p, "/operacion/", 11) == 0)
        return r->srv->web[0] ? serve_file(r, r->srv->web, p + 11, CACHE_NONE, csp_operacion)
                              : serve_embedded(r, p + 11);
    not_found_html(r);
}
