/* corte_int.h — shared between the parts of the corte writer (corte.c runs
 * the steps, corte_files.c writes the corte's files, difusion.c publishes
 * images, packages and the feed). Not a public interface. */
#ifndef PREP_CORTE_INT_H
#define PREP_CORTE_INT_H

#include <stdint.h>

#include "ops/ops.h"
#include "publish/corte.h"
#include "publish/manifest.h"
#include "publish/names.h"
#include "publish/snapshot.h"
#include "publish/tallies.h"
#include "util/buf.h"

#define PREP_PATH_CAP 4096

typedef struct {
    const char *datadir;
    const prep_catalog *cat;
    char cortes[PREP_PATH_CAP];     /* DATADIR/cortes */
    char tmp[PREP_PATH_CAP];        /* DATADIR/cortes/.tmp-<dir> */
    char dir[PREP_NAME_CAP];        /* <AAAAMMDD_HHMM>_c<NNNN> */
    prep_manifest man;
    /* The previous published corte (chain and change list); numero 0 = none. */
    prep_corte_info prev;
    int prev_same_catalog;          /* its catalog fingerprint equals ours */
    char fingerprint[65];
    char fecha[16];                 /* jornada date AAAA-MM-DD (first corte's day) */
    prep_time next_due;             /* when the next corte is due, 0 unknown */
    int64_t publicadas;             /* actas newly marked published */
    /* Filled while writing. */
    prep_pub_tally tally[PREP_MAX_ELECCIONES];
    prep_buf cambios;               /* JSON object body: "GUB":{...},... */
    char **imagenes_nuevas;         /* "imagenes/<sha>.<ext>" */
    size_t nimagenes_nuevas, cap_imagenes;
    char **imagenes_faltantes;      /* sha of images not found in DATADIR/images */
    size_t nfaltantes, cap_faltantes;
    uint8_t pk[32], sk[64];
} prep_cw;

/* Write a file of the corte (relative path) and record it in the MANIFEST. */
int prep_cw_put(prep_cw *w, const char *rel, const void *data, size_t len, prep_err *err);
/* Every file of the corte under w->tmp: databases, ZIPs, catalog copy, NIST,
 * cambios.json, corte.pub, corte.json (site files are written by the caller
 * before the MANIFEST). Images are published first (prep_difusion_images). */
int prep_cw_write_files(prep_cw *w, const prep_snapshot *s, prep_err *err);
/* MANIFEST (covering everything now under w->tmp) and MANIFEST.sig;
 * manifest_sha receives the SHA-256 of the MANIFEST text. */
int prep_cw_manifest(prep_cw *w, char manifest_sha[65], prep_err *err);

/* Publish the images of actas first published after corte `after`:
 * hard link (or copy) DATADIR/images/... into DATADIR/cortes/imagenes/. */
int prep_difusion_images(prep_cw *w, const prep_snapshot *s, int after, prep_err *err);
/* Package DATADIR/cortes/<dir> (+ the new images cambios.json lists) as
 * paquetes/<dir>.zip and write its feed entry paquetes/<dir>.json. prev_dir
 * (NULL: none): the previous corte, whose package's compressed entries are
 * copied for the files hard-linked from its directory, when that package
 * matches its feed entry's hash (else everything is deflated; the bytes are
 * the same either way). known (NULL: none) is the corte's MANIFEST as the
 * corte built it, sorted, whose `linked` entries say which files the site
 * writer hard-linked from prev_dir; without it each file's inode is
 * compared with the previous corte's. *reused: the entries copied (NULL
 * is fine). */
int prep_difusion_package(const char *cortes, const char *dir, const char *prev_dir,
                          const prep_manifest *known, int64_t *bytes, int64_t *reused,
                          prep_err *err);
/* Rewrite feed.json (and feed.sig) from the entries of the recorded cortes. */
int prep_difusion_feed(const char *cortes, const prep_corte_info *cortes_list, int n,
                       const uint8_t sk[64], prep_err *err);

double prep_cw_ms(void); /* monotonic clock in ms */

/* What a corte newly publishes (corte_marks.c): kept in a private file
 * beside the cortes from just before the corte's directory appears until
 * the store records it, so recovery can mark exactly those actas. */
typedef struct {
    int numero;
    prep_time at;
    prep_pub_item *it;
    size_t n, cap;
    int64_t fc_max; /* fuera de catálogo published: id <= fc_max (0 none) */
} prep_corte_marks;
int prep_marks_from_snapshot(const prep_snapshot *s, prep_corte_marks *m, prep_err *err);
/* cortes/.publica-<dir>, written atomically and fsync'd. */
int prep_marks_write(const char *cortes, const char *dir, const prep_corte_marks *m,
                     prep_err *err);
/* 0 read, 1 no such file, -1 error. */
int prep_marks_read(const char *cortes, const char *dir, prep_corte_marks *m, prep_err *err);
void prep_marks_remove(const char *cortes, const char *dir);
/* 1 when a directory entry name is a publication list (*dir = its corte). */
int prep_marks_is_file(const char *name, const char **dir);
void prep_marks_free(prep_corte_marks *m);

#endif
