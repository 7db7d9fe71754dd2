/* log_verify.c — walk the whole bitácora through prep_chain_check and say
 * whether the chain holds: used by `prep log verify` and by the opening and
 * closing ceremonies, which record the head they verified. Reads only. */
#include <string.h>

#include "audit/chain.h"
#include "ops/ops.h"

typedef struct {
    int64_t seq;
    char hash[65];
    char *why;
    size_t cap;
} walk;

static int check_cb(void *ctx, const prep_chain_entry *e)
{
    walk *w = ctx;
    if (prep_chain_check(e, w->seq, w->hash, w->why, w->cap) < 0)
        return 1;
    w->seq = e->seq;
    memcpy(w->hash, e->hash, 65);
    return 0;
}

int prep_log_verify(prep_store *st, int64_t *seq, char head[65], char *why, size_t cap,
                    prep_err *err)
{
    walk w = {.seq = 0, .why = why, .cap = cap};
    memcpy(w.hash, PREP_CHAIN_GENESIS, 65);
    if (cap)
        why[0] = '\0';
    int rc = st->vt->log_iter(st, 1, check_cb, &w, err);
    *seq = w.seq;
    memcpy(head, w.hash, 65);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}
