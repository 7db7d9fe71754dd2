/* buf.c — growable byte buffer with sticky allocation failure. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void prep_buf_init(prep_buf *b)
{
    memset(b, 0, sizeof *b);
}

void prep_buf_free(prep_buf *b)
{
    free(b->data);
    prep_buf_init(b);
}

void prep_buf_reset(prep_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(prep_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void prep_buf_append(prep_buf *b, const void *data, size_t len)
{
    if (reserve(b, len) < 0)
        return;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void prep_buf_puts(prep_buf *b, const char *s)
{
    prep_buf_append(b, s, strlen(s));
}

void prep_buf_putc(prep_buf *b, char c)
{
    prep_buf_append(b, &c, 1);
}

void prep_buf_printf(prep_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void prep_buf_html(prep_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': prep_buf_puts(b, "&amp;"); break;
        case '<': prep_buf_puts(b, "&lt;"); break;
        case '>': prep_buf_puts(b, "&gt;"); break;
        case '"': prep_buf_puts(b, "&quot;"); break;
        case '\'': prep_buf_puts(b, "&#39;"); break;
        default: prep_buf_putc(b, *s);
        }
    }
}

int prep_buf_ok(const prep_buf *b)
{
    return !b->failed;
}

const char *prep_buf_str(prep_buf *b)
{
    if (!b->data)
        prep_buf_append(b, "", 0);
    return b->data ? b->data : "";
}
