/* fuzz_time.c — prep_time_parse, the UTC-6 date-times an operator or a file
 * gives ("dd/mm/AAAA HH:MM[:SS]", "AAAA-MM-DD HH:MM[:SS]"). Properties: a
 * parsed time formats to a string that parses to the same instant, and is
 * on a whole second. */
#include "fuzz_util.h"

#include "util/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    prep_time t, u;
    if (prep_time_parse(s, &t) == 0) {
        char buf[32];
        FUZZ_CHECK(t % 1000 == 0);
        prep_time_fmt(t, buf);
        FUZZ_CHECK(prep_time_parse(buf, &u) == 0 && u == t);
    }
    free(s);
    return 0;
}
