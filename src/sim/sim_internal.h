/* sim_internal.h — what the files of src/sim/ share and nobody else needs:
 * the streaming CSV record reader. */
#ifndef PREP_SIM_INTERNAL_H
#define PREP_SIM_INTERNAL_H

#include "util/err.h"

/* Called once per CSV record (blank lines skipped, BOM dropped): 0 goes on,
 * 1 stops reading early (success), -1 (err filled) stops with failure. */
typedef int (*sim_csv_rec_fn)(void *ctx, int nf, char **f, long recno, prep_err *err);

int sim_csv_stream(const char *path, sim_csv_rec_fn fn, void *ctx, prep_err *err);

#endif
