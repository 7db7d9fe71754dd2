/* static_gzip.c — gzip for the public site served by `prep serve` itself,
 * as deploy/nginx.conf does in front of it: text types (HTML, CSS, JS,
 * JSON, CSV, plain text, SVG, XML) of 1 KB to 4 MB, level 5, only when the
 * request's Accept-Encoding allows gzip; compressed on the fly (the files
 * are small and corte files never change; a CDN caches the result). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "http/static_gzip.h"

#define GZ_MIN 1024
#define GZ_MAX ((size_t)4 << 20)
#define GZ_LEVEL 5

int prep_gzip_type(const char *mime)
{
    static const char *const types[] = {"text/",           "application/json",
                                        "image/svg+xml",   "application/xml",
                                        "application/manifest+json"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strncmp(mime, types[i], strlen(types[i])) == 0)
            return 1;
    return 0;
}

/* "gzip" listed with a q-value other than 0 (RFC 9110 §12.5.3); "*" counts. */
int prep_gzip_accepted(const char *accept)
{
    const char *p = accept;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t n = strcspn(p, ",;");
        size_t tn = n;
        while (tn && (p[tn - 1] == ' ' || p[tn - 1] == '\t'))
            tn--;
        int match = (tn == 4 && strncasecmp(p, "gzip", 4) == 0) || (tn == 1 && p[0] == '*');
        const char *end = p + strcspn(p, ",");
        double q = 1;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (semi) {
            const char *qs = semi + 1;
            while (*qs == ' ')
                qs++;
            if ((qs[0] == 'q' || qs[0] == 'Q') && qs[1] == '=')
                q = strtod(qs + 2, NULL);
        }
        if (match)
            return q > 0;
        p = *end ? end + 1 : end;
    }
    return 0;
}

int prep_gzip_fd(int fd, size_t size, unsigned char **out, size_t *out_len)
{
    if (size < GZ_MIN || size > GZ_MAX)
        return -1;
    unsigned char *in = malloc(size);
    size_t got = 0;
    while (in && got < size) {
        ssize_t r = pread(fd, in + got, size - got, (off_t)got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (!in || got != size) {
        free(in);
        return -1;
    }
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* windowBits 15 + 16: a gzip header and trailer, no file name or time. */
    if (deflateInit2(&zs, GZ_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(in);
        return -1;
    }
    size_t cap = deflateBound(&zs, (uLong)size);
    unsigned char *o = malloc(cap);
    int rc = -1;
    if (o) {
        zs.next_in = in;
        zs.avail_in = (uInt)size;
        zs.next_out = o;
        zs.avail_out = (uInt)cap;
        if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
            *out = o;
            *out_len = (size_t)zs.total_out;
            rc = 0;
        } else {
            free(o);
        }
    }
    deflateEnd(&zs);
    free(in);
    return rc;
}
