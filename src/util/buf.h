/* buf.h — a growable byte buffer for building CSV, JSON, HTML and SVG text.
 * Allocation failure is sticky: once set, appends are ignored and
 * prep_buf_ok() returns 0, so writers check once at the end. */
#ifndef PREP_BUF_H
#define PREP_BUF_H

#include <stddef.h>

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} prep_buf;

void prep_buf_init(prep_buf *b);
void prep_buf_free(prep_buf *b);
void prep_buf_reset(prep_buf *b); /* len = 0, keeps memory */
void prep_buf_append(prep_buf *b, const void *data, size_t len);
void prep_buf_puts(prep_buf *b, const char *s);
void prep_buf_putc(prep_buf *b, char c);
void prep_buf_printf(prep_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escape for HTML text and attribute values (& < > " '). */
void prep_buf_html(prep_buf *b, const char *s);
int prep_buf_ok(const prep_buf *b);
/* NUL-terminated view (always valid after init). */
const char *prep_buf_str(prep_buf *b);

#endif
