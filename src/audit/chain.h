/* chain.h — the bitácora's hash chain, as pure functions.
 * Each entry's hash is SHA-256 over the previous entry's hash and a
 * canonical, length-prefixed rendering of every field, so changing, deleting,
 * inserting or reordering any entry breaks every hash after it. The store
 * keeps the entries; `prep log verify` walks them through prep_chain_check. */
#ifndef PREP_CHAIN_H
#define PREP_CHAIN_H

#include <stdint.h>

#include "util/hash.h"
#include "util/timefmt.h"

#define PREP_CHAIN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct {
    int64_t seq;             /* 1, 2, 3, ... no gaps */
    prep_time at;
    int64_t user;            /* 0 = the system itself */
    const char *station;     /* workstation / CATD / node, "" if none */
    const char *action;      /* "acta.captura", "user.add", "corte", "server.start" ... */
    const char *object;      /* "GUB/090123B0100", "user/ana", "corte/12" */
    const char *before;      /* JSON text or "" */
    const char *after;       /* JSON text or "" */
    char prev[PREP_SHA256_HEX];
    char hash[PREP_SHA256_HEX];
} prep_chain_entry;

/* Compute e->hash from e->prev and the fields. */
void prep_chain_seal(prep_chain_entry *e);

/* Check one entry against the previous entry's hash and sequence:
 * 0 ok, -1 broken (reason written to why, cap bytes). */
int prep_chain_check(const prep_chain_entry *e, int64_t prev_seq, const char *prev_hash,
                     char *why, size_t cap);

#endif
