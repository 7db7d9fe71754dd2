/* corte.h — publish a corte as one unit: read the consistent snapshot (in
 * a write transaction that is rolled back: the store does not change), write
 * every file of the corte (databases, ZIPs, NIST export, catalog copy,
 * public site, corte.json, MANIFEST and its Ed25519 signature) into a
 * temporary directory, make it durable, rename it into DATADIR/cortes/<dir>,
 * build the difusor package, switch `latest` atomically, and only then, in
 * one store transaction, mark its actas published, record the corte and
 * write `corte.publica` and `corte` to the bitácora; last, rewrite the feed.
 * A failure at any step before that transaction undoes the public files
 * (`latest` back, the directory and package removed), leaves the store as it
 * was and records the failed attempt (`corte.fallido`, with the reason in
 * Spanish). A kill leaves at most a .tmp-* directory (removed by the next
 * run) or a complete but unrecorded corte, which the next run (or the
 * server's start) records from the publication list kept beside it
 * (corte_marks.c). No acta is ever marked published in a corte that does
 * not exist. */
#ifndef PREP_CORTE_H
#define PREP_CORTE_H

#include "core/catalog.h"
#include "store/store.h"
#include "util/err.h"
#include "util/timefmt.h"

/* Meta keys in the store. */
#define PREP_META_CORTE_ULTIMO "corte.ultimo"   /* last corte number allocated */
#define PREP_META_CORTE_FINAL "corte.final"     /* number of the final corte, once published */
#define PREP_META_CORTE_CADA "corte.cada_min"   /* minutes between cortes (set by prep serve) */

/* Test hooks: make the run fail right after the named step, as a full disk
 * would ("snapshot", "files", "manifest", "rename", "package", "latest",
 * "record"); NULL or "" in production. prep_corte_step_hook, when set, is
 * called after each step with its name (the CLI's kill test kills itself
 * there). */
extern const char *prep_corte_fail_after;
extern void (*prep_corte_step_hook)(const char *step);
/* With prep_corte_fail_after: stop there as a kill would, undoing nothing. */
extern int prep_corte_kill_simulate;

/* Timings of the last prep_corte_run in this thread, in milliseconds
 * (for bench/bench_corte and the server's metrics). */
typedef struct {
    double snapshot, tallies, csv, zip, nist, site, catalog, manifest, sign, sync, images, package,
        feed, total;
    int64_t bytes_csv, bytes_zip, bytes_package;
    int64_t site_files, site_linked; /* site files, and those linked from the previous corte */
    int64_t package_reused; /* package entries copied from the previous package */
} prep_corte_times;
extern __thread prep_corte_times prep_corte_last_times;

/* Publish one corte now. final = the last corte of the publication
 * (participación with casillas especiales; refused afterwards). On success
 * out describes the corte recorded (dir is the name under DATADIR/cortes). */
int prep_corte_run(const char *datadir, prep_store *st, const prep_catalog *cat, int final,
                   prep_corte_info *out, prep_err *err);

/* Finish what a killed run left behind, without publishing a new corte:
 * remove .tmp-* directories, record complete unrecorded corte directories
 * (and their package and feed entry), and point `latest` at the newest
 * recorded corte. prep_corte_run() does this first; exposed for tests and
 * for `prep serve` at start-up. */
int prep_corte_recover(const char *datadir, prep_store *st, const prep_catalog *cat,
                       prep_err *err);

#endif
