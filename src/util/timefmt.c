/* timefmt.c — fixed UTC-6 formatting and parsing (no TZ database, no locale). */
#include "util/timefmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

prep_time prep_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (prep_time)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Format into a roomy buffer, then copy the first cap-1 chars: keeps gcc's
 * format-truncation analysis quiet for values that are always in range. */
static void put(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t cap, const char *fmt, ...)
{
    char tmp[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = strlen(tmp);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
}

static void local_tm(prep_time t, struct tm *tm)
{
    time_t s = (time_t)(t / 1000) + PREP_TZ_OFFSET_S;
    gmtime_r(&s, tm);
}

void prep_time_fmt(prep_time t, char *buf)
{
    if (t == 0) {
        buf[0] = '\0';
        return;
    }
    struct tm tm;
    local_tm(t, &tm);
    put(buf, 20, "%02d/%02d/%04d %02d:%02d:%02d", tm.tm_mday, tm.tm_mon + 1,
             (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void prep_time_fmt_min(prep_time t, char *buf)
{
    struct tm tm;
    local_tm(t, &tm);
    put(buf, 17, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
             (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min);
}

void prep_time_fmt_stamp(prep_time t, char *buf)
{
    struct tm tm;
    local_tm(t, &tm);
    put(buf, 14, "%04d%02d%02d_%02d%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void prep_time_fmt_iso(prep_time t, char *buf)
{
    struct tm tm;
    local_tm(t, &tm);
    put(buf, 26, "%04d-%02d-%02dT%02d:%02d:%02d-06:00", (tm.tm_year + 1900) % 10000,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* 1 when s has exactly the shape of pat, where '9' stands for a digit. */
static int shape(const char *s, const char *pat)
{
    for (; *pat; s++, pat++)
        if (*pat == '9' ? (*s < '0' || *s > '9') : *s != *pat)
            return 0;
    return *s == '\0';
}

int prep_time_parse(const char *s, prep_time *out)
{
    /* Fixed-width fields only: sscanf alone would also take signs, spaces,
     * one-digit fields and a missing separator. */
    int d, mo, y, h, mi, sec = 0;
    if (!s)
        return -1;
    if (shape(s, "99/99/9999 99:99") || shape(s, "99/99/9999 99:99:99"))
        sscanf(s, "%2d/%2d/%4d %2d:%2d:%2d", &d, &mo, &y, &h, &mi, &sec);
    else if (shape(s, "9999-99-99 99:99") || shape(s, "9999-99-99 99:99:99"))
        sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
    else
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || y < 1970)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm);
    /* timegm normalises 31/02 to 02/03: a date that does not come back as
     * written does not exist. */
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1)
        return -1;
    *out = ((prep_time)t - PREP_TZ_OFFSET_S) * 1000;
    return 0;
}
