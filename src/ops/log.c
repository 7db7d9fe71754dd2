/* log.c — appending to the bitácora from inside an operation's transaction:
 * read the head, chain the new entry to it, write it. */
#include <stdio.h>
#include <string.h>

#include "audit/chain.h"
#include "ops/ops.h"

const prep_actor prep_actor_system = {.user = 0, .nombre = "", .rol = "system", .station = ""};

int prep_ops_log(prep_ops *o, const prep_actor *who, prep_time at, const char *action,
                 const char *object, const char *before, const char *after, prep_err *err)
{
    prep_chain_entry e = {0};
    if (o->st->vt->log_head(o->st, &e.seq, e.prev, err) < 0)
        return -1;
    e.seq++;
    e.at = at;
    e.user = who ? who->user : 0;
    e.station = who && who->station ? who->station : "";
    e.action = action;
    e.object = object ? object : "";
    e.before = before ? before : "";
    e.after = after ? after : "";
    prep_chain_seal(&e);
    return o->st->vt->log_append(o->st, &e, err);
}

void prep_ops_object(const prep_catalog *cat, int e, int c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", cat->elecciones[e].codigo, cat->casillas[c].clave);
}

int prep_ops_tx(prep_ops *o, prep_ops_fn fn, void *ctx, prep_err *err)
{
    if (prep_store_begin(o->st, 1, err) < 0)
        return -1;
    if (fn(o, ctx, err) < 0) {
        prep_store_rollback(o->st);
        return -1;
    }
    return prep_store_commit(o->st, err);
}
