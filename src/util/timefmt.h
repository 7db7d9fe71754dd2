/* timefmt.h — PREP time: int64 milliseconds since the Unix epoch (UTC), shown
 * in America/Mexico_City, which is fixed UTC-6 since 2022 (no DST), so the
 * conversion is arithmetic and never depends on the host's TZ database. */
#ifndef PREP_TIMEFMT_H
#define PREP_TIMEFMT_H

#include <stdint.h>

typedef int64_t prep_time; /* ms since epoch, UTC; 0 = not set */

#define PREP_TZ_OFFSET_S (-6 * 3600)

prep_time prep_now(void);
/* "dd/mm/AAAA HH:MM:SS" in UTC-6; "" when t == 0. buf >= 20 bytes. */
void prep_time_fmt(prep_time t, char *buf);
/* "dd/mm/AAAA HH:MM" (corte header line without the zone). buf >= 17. */
void prep_time_fmt_min(prep_time t, char *buf);
/* "AAAAMMDD_HHMM" (zip names). buf >= 14. */
void prep_time_fmt_stamp(prep_time t, char *buf);
/* ISO 8601 with offset, "2024-06-02T20:00:00-06:00". buf >= 26. */
void prep_time_fmt_iso(prep_time t, char *buf);
/* Parse "dd/mm/AAAA HH:MM[:SS]" or "AAAA-MM-DD HH:MM[:SS]" as UTC-6. -1 on error. */
int prep_time_parse(const char *s, prep_time *out);

#endif
