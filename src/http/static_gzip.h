/* static_gzip.h — gzip of public files served by prep serve (static.c). */
#ifndef PREP_STATIC_GZIP_H
#define PREP_STATIC_GZIP_H

#include <stddef.h>

/* 1 if a file of this Content-Type is worth compressing (text, JSON, SVG, XML). */
int prep_gzip_type(const char *mime);
/* 1 if the Accept-Encoding header value (NULL: none) allows gzip. */
int prep_gzip_accepted(const char *accept);
/* Gzip the size bytes of fd into *out (malloc'ed, caller frees).
 * -1 when the file is too small or too large to bother, or on any error:
 * the caller then sends it as it is. */
int prep_gzip_fd(int fd, size_t size, unsigned char **out, size_t *out_len);

#endif
