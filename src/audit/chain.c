/* chain.c — hash-chain sealing and checking for the bitácora. */
#include "audit/chain.h"
#include "util/hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>


static void put_field(prep_sha256_ctx *st, const char *s)
{
    if (!s)
        s = "";
    char len[24];
    int n = snprintf(len, sizeof len, "%zu:", strlen(s));
    prep_sha256_update(st, (const unsigned char *)len, (size_t)n);
    prep_sha256_update(st, (const unsigned char *)s, strlen(s));
}

void prep_chain_seal(prep_chain_entry *e)
{
    prep_sha256_ctx st;
    char num[64];
    uint8_t d[PREP_SHA256_LEN];
    prep_sha256_init(&st);
    put_field(&st, "prep-bitacora-v1");
    put_field(&st, e->prev);
    snprintf(num, sizeof num, "%" PRId64 "|%" PRId64 "|%" PRId64, e->seq, (int64_t)e->at, e->user);
    put_field(&st, num);
    put_field(&st, e->station);
    put_field(&st, e->action);
    put_field(&st, e->object);
    put_field(&st, e->before);
    put_field(&st, e->after);
    prep_sha256_final(&st, d);
    prep_hex(d, sizeof d, e->hash);
}

int prep_chain_check(const prep_chain_entry *e, int64_t prev_seq, const char *prev_hash,
                     char *why, size_t cap)
{
    if (e->seq != prev_seq + 1) {
        snprintf(why, cap, "entry %" PRId64 " follows entry %" PRId64 ": an entry is missing or out of order",
                 e->seq, prev_seq);
        return -1;
    }
    if (strcmp(e->prev, prev_hash) != 0) {
        snprintf(why, cap, "entry %" PRId64 ": its previous-hash does not match entry %" PRId64,
                 e->seq, prev_seq);
        return -1;
    }
    prep_chain_entry copy = *e;
    prep_chain_seal(&copy);
    if (strcmp(copy.hash, e->hash) != 0) {
        snprintf(why, cap, "entry %" PRId64 ": its contents do not match its hash (altered)", e->seq);
        return -1;
    }
    return 0;
}
