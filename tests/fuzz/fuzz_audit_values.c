/* fuzz_audit_values.c — how `prep audit` reads one value of a published
 * file (src/recount/values.c): counts with thousands separators, percentages,
 * every timestamp form of real files, hashes, spreadsheet wrappers, and the
 * accent folding of names (columns.c). The first byte picks the reader.
 * Properties: what a reader accepts, written again in its plain form, reads
 * back to the same value; unwrapping never grows a value; folding is stable. */
#include "fuzz_util.h"

#include <time.h>

#include "core/rules.h"
#include "recount/recount_int.h"

static void check_count(const char *s)
{
    int64_t v, w;
    if (rc_parse_count(s, &v) < 0)
        return;
    FUZZ_CHECK(v >= 0 && v < 1000000000000000LL);
    char plain[32], grouped[40];
    snprintf(plain, sizeof plain, "%lld", (long long)v);
    FUZZ_CHECK(rc_parse_count(plain, &w) == 0 && w == v);
    /* The same number with its thousands separators. */
    size_t n = strlen(plain), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = plain[i];
    }
    grouped[k] = '\0';
    FUZZ_CHECK(rc_parse_count(grouped, &w) == 0 && w == v);
}

static void check_pct(const char *s)
{
    int64_t v, w;
    if (rc_parse_pct(s, &v) < 0)
        return;
    char buf[32];
    prep_pct_fmt(v, buf, sizeof buf);
    FUZZ_CHECK(rc_parse_pct(buf, &w) == 0 && w == v);
}

static void check_time(const char *s)
{
    int64_t t, u;
    if (rc_parse_time(s, &t) < 0)
        return;
    /* Written again in UTC-6, to the second, both ways. */
    time_t sec = (time_t)((t >= 0 ? t : t - 999) / 1000 - 6 * 3600);
    struct tm tm;
    if (!gmtime_r(&sec, &tm))
        return;
    long long y = tm.tm_year + 1900LL;
    char a[64], b[64];
    snprintf(a, sizeof a, "%02d/%02d/%04lld %02d:%02d:%02d (UTC-6)", tm.tm_mday, tm.tm_mon + 1, y,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(b, sizeof b, "%04lld-%02d-%02d %02d:%02d:%02d", y, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    int64_t whole = t - (t % 1000 + 1000) % 1000;
    if (y >= 1990 && y <= 2200) {
        FUZZ_CHECK(rc_parse_time(a, &u) == 0 && u == whole);
        FUZZ_CHECK(rc_parse_time(b, &u) == 0 && u == whole);
    }
}

static void check_text(const char *s)
{
    char u[64], v[64];
    rc_unwrap(s, u, sizeof u);
    FUZZ_CHECK(strlen(u) <= strlen(s));
    rc_upper(s, u, sizeof u);
    rc_upper(u, v, sizeof v);
    FUZZ_CHECK(strcmp(u, v) == 0);
    int h = rc_hash_digits(s);
    FUZZ_CHECK(h == 0 || (size_t)h == strlen(s));
    (void)rc_absent(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *s = fuzz_cstr(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: check_count(s); break;
    case 1: check_pct(s); break;
    case 2: check_time(s); break;
    default: check_text(s); break;
    }
    free(s);
    return 0;
}
