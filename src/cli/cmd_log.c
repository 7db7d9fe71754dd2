/* cmd_log.c — `prep log verify` walks the bitácora's hash chain and reports
 * the first broken entry; `prep log show [--tail N]` prints entries. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/chain.h"
#include "cli/cli.h"
#include "ops/ops.h"
#include "store/store.h"

static int show_cb(void *ctx, const prep_chain_entry *e)
{
    (void)ctx;
    char t[24];
    prep_time_fmt(e->at, t);
    printf("%6" PRId64 "  %s  user %-4" PRId64 " %-12s %-24s %-28s %s -> %s\n", e->seq, t,
           e->user, e->station, e->action, e->object, e->before[0] ? e->before : "-",
           e->after[0] ? e->after : "-");
    return 0;
}

static void help(void)
{
    printf("usage: prep log verify [--data DIR]\n"
           "       prep log show [--data DIR] [--tail N]\n\n"
           "The bitácora records every operation (who, from where, when, what, before and\n"
           "after). Each entry carries the SHA-256 of the previous one; 'verify' recomputes\n"
           "the whole chain and names the first entry that was altered, removed or inserted.\n");
}

int cmd_log(int argc, char **argv)
{
    const char *data = cli_default_data(), *sub = NULL;
    long tail = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help();
            return 0;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strcmp(argv[i], "--tail") == 0) {
            if (cli_int("log", "--tail", i + 1 < argc ? argv[++i] : NULL, 1, 100000000, &tail) < 0)
                return 2;
        } else if (!sub && argv[i][0] != '-') {
            sub = argv[i];
        } else {
            return cli_failf("log", "unknown option '%s' (see prep log --help)", argv[i]);
        }
    }
    if (!sub || (strcmp(sub, "verify") != 0 && strcmp(sub, "show") != 0)) {
        help();
        return 2;
    }
    prep_err err = {0};
    prep_store *st;
    if (prep_store_open(data, &st, &err) < 0)
        return cli_fail("log", &err);
    int status = 0;
    if (strcmp(sub, "show") == 0) {
        int64_t head;
        char h[65];
        int64_t from = 1;
        if (st->vt->log_head(st, &head, h, &err) == 0 && tail > 0 && head > tail)
            from = head - tail + 1;
        if (st->vt->log_iter(st, from, show_cb, NULL, &err) < 0)
            status = cli_fail("log", &err);
    } else {
        int64_t seq;
        char head[65], why[256];
        int rc = prep_log_verify(st, &seq, head, why, sizeof why, &err);
        if (rc < 0) {
            status = cli_fail("log", &err);
        } else if (rc > 0) {
            fprintf(stderr, "prep log: BROKEN at %s (entries 1..%" PRId64 " verify)\n", why, seq);
            status = 1;
        } else {
            printf("bitácora OK: %" PRId64 " entries, head %s\n", seq, head);
        }
    }
    prep_store_close(st);
    return status;
}
