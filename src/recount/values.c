/* values.c — how institutes write one value in a published results CSV, read
 * back to what it means: spreadsheet wrappers around claves and figures
 * (="...", '...'), the many ways of writing "nothing here" (-, --, N/A),
 * counts with thousands separators (7,672), percentages with a '%' sign,
 * every timestamp form seen in real files (dd/mm/AAAA, AAAA-MM-DD, with
 * seconds, microseconds or a "(UTC-6)" zone, a spreadsheet's day number),
 * and SHA-256 / SHA-512 integrity codes. It judges nothing: recount.c and
 * acta_check.c decide what a value means for the count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "recount/recount_int.h"

void rc_unwrap(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
        s += 2;
        n -= 3;
    } else if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        s += 1;
        n -= 2;
    } else if (n >= 1 && s[0] == '\'') {
        s += 1;
        n -= 1;
    }
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

int rc_absent(const char *s)
{
    static const char *const none[] = {"", "-", "--", "N/A", "NA", "NULL"};
    char u[16];
    rc_unwrap(s, u, sizeof u);
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (strcasecmp(u, none[i]) == 0)
            return 1;
    return 0;
}

int rc_parse_count(const char *s, int64_t *out)
{
    char u[32];
    rc_unwrap(s, u, sizeof u);
    size_t n = strlen(u);
    if (n == 0 || n > 20)
        return -1;
    /* Thousands separators only where they belong: 1,234 and 12,345,678. */
    const char *comma = strchr(u, ',');
    if (comma && (comma == u || comma - u > 3))
        return -1;
    int64_t v = 0;
    int digits = 0, group = -1;
    for (const char *p = u; *p; p++) {
        if (*p == ',') {
            if (group >= 0 && group != 3)
                return -1;
            group = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 15)
            return -1;
        v = v * 10 + (*p - '0');
        if (group >= 0)
            group++;
    }
    if (group >= 0 && group != 3)
        return -1;
    *out = v;
    return 0;
}

int rc_parse_pct(const char *s, int64_t *out)
{
    char u[40];
    rc_unwrap(s, u, sizeof u);
    int64_t ip = 0, fp = 0;
    int nd = 0, ni = 0;
    const char *p = u;
    for (; *p >= '0' && *p <= '9'; p++, ni++)
        if (ni < 12)
            ip = ip * 10 + (*p - '0');
    if (ni == 0 || ni > 12)
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, nd++)
            if (nd < 4)
                fp = fp * 10 + (*p - '0');
    }
    while (*p == ' ')
        p++;
    if (*p == '%')
        p++;
    if (*p)
        return -1;
    for (int k = nd; k < 4; k++)
        fp *= 10;
    *out = ip * 10000 + fp;
    return 0;
}

/* n digits at *p (advanced), 1 <= width <= maxw. -1 when there are none. */
static int digits(const char **p, int minw, int maxw)
{
    int v = 0, w = 0;
    while (**p >= '0' && **p <= '9' && w < maxw) {
        v = v * 10 + (**p - '0');
        (*p)++;
        w++;
    }
    return w >= minw ? v : -1;
}

/* Seconds since the epoch of y-m-d h:mi:sec read as UTC, through timegm as
 * prep_time_parse does; -1 for a date that does not exist (timegm
 * normalises 31/02 to 02/03: a date that does not come back as written). */
static int civil_seconds(int y, int mo, int d, int h, int mi, int sec, int64_t *out)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm);
    struct tm back;
    if (!gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != mo - 1)
        return -1;
    *out = (int64_t)t;
    return 0;
}

/* A spreadsheet's day number with a fraction of a day ("45445.75071",
 * days since 1899-12-30), as a file saved from Excel keeps a date cell. */
static int excel_serial(const char *s, int64_t *ms)
{
    const char *p = s;
    int days = digits(&p, 5, 5);
    if (days < 20000 || *p != '.')
        return -1;
    p++;
    double frac = 0, scale = 0.1;
    int nd = 0;
    for (; *p >= '0' && *p <= '9'; p++, nd++, scale /= 10)
        frac += (*p - '0') * scale;
    if (nd == 0 || *p)
        return -1;
    int64_t epoch_days = days - 25569; /* 1899-12-30 to 1970-01-01 */
    *ms = epoch_days * 86400000LL + (int64_t)(frac * 86400000.0 + 0.5);
    return 0;
}

int rc_parse_time(const char *s, int64_t *out)
{
    char u[64];
    rc_unwrap(s, u, sizeof u);
    const char *p = u;
    int y, mo, d;
    if (excel_serial(u, out) == 0)
        return 0;
    if (strlen(u) >= 5 && u[4] == '-') {
        y = digits(&p, 4, 4);
        if (*p++ != '-' || (mo = digits(&p, 1, 2)) < 0 || *p++ != '-' ||
            (d = digits(&p, 1, 2)) < 0)
            return -1;
    } else {
        d = digits(&p, 1, 2);
        if (d < 0 || *p++ != '/' || (mo = digits(&p, 1, 2)) < 0 || *p++ != '/' ||
            (y = digits(&p, 4, 4)) < 0)
            return -1;
    }
    if (y < 1990 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    if (*p != ' ' && *p != 'T')
        return -1;
    while (*p == ' ' || *p == 'T')
        p++;
    int h = digits(&p, 1, 2), mi, sec = 0, ms = 0;
    if (h < 0 || h > 23 || *p++ != ':' || (mi = digits(&p, 2, 2)) < 0 || mi > 59)
        return -1;
    if (*p == ':') {
        p++;
        if ((sec = digits(&p, 2, 2)) < 0 || sec > 59)
            return -1;
        if (*p == '.') { /* fractions of a second: IEEC writes microseconds */
            p++;
            int n = 0;
            for (; *p >= '0' && *p <= '9'; p++, n++)
                if (n < 3)
                    ms = ms * 10 + (*p - '0');
            if (n == 0)
                return -1;
            for (int k = n; k < 3; k++)
                ms *= 10;
        }
    }
    /* A zone written after the time: "(UTC-6)", " (UTC-05)", "UTC-6". */
    int off_min = -6 * 60;
    while (*p == ' ')
        p++;
    if (*p) {
        int paren = *p == '(';
        p += paren;
        if (strncasecmp(p, "UTC", 3) != 0)
            return -1;
        p += 3;
        int sign = *p == '-' ? -1 : *p == '+' ? 1 : 0;
        if (!sign)
            return -1;
        p++;
        int oh = digits(&p, 1, 2), om = 0;
        if (oh < 0 || oh > 14)
            return -1;
        if (*p == ':') {
            p++;
            if ((om = digits(&p, 2, 2)) < 0)
                return -1;
        }
        off_min = sign * (oh * 60 + om);
        if (paren && *p++ != ')')
            return -1;
        while (*p == ' ')
            p++;
        if (*p)
            return -1;
    }
    int64_t secs;
    if (civil_seconds(y, mo, d, h, mi, sec, &secs) < 0)
        return -1;
    *out = (secs - (int64_t)off_min * 60) * 1000 + ms;
    return 0;
}

int rc_hash_digits(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return 0;
    return n == 64 || n == 128 ? (int)n : 0;
}
