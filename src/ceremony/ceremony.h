/* ceremony.h — the opening and closing of publication (`prep ceremony`).
 * Opening checks, in front of the ente auditor and a notary, that the system
 * about to publish is the audited one and that nothing has been captured or
 * published yet, and writes a dated, signed record of what it checked;
 * closing takes the final corte and records what was published. Records go
 * to DATADIR/cortes/ceremonia/ (served with the site), in Spanish, as plain
 * text and HTML, each signed with the corte key (ceremonia/<acta>.sig). Each
 * ceremony is also a bitácora entry. Layout and wording: docs/ceremony.md. */
#ifndef PREP_CEREMONY_H
#define PREP_CEREMONY_H

#include <stdint.h>

#include "core/acta.h"
#include "core/catalog.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/timefmt.h"

#define PREP_CEREMONIA_DIR "ceremonia"          /* under DATADIR/cortes */
#define PREP_META_APERTURA "ceremonia.apertura" /* "<iso time> <sha256 of apertura.txt>" */
#define PREP_META_CIERRE "ceremonia.cierre"

/* Names of the people who attest (printed on the record; may be ""). */
typedef struct {
    const char *auditor;      /* ente auditor */
    const char *notario;      /* tercero con fe pública */
    const char *responsable;  /* responsable del PREP en el instituto */
} prep_ceremony_people;

typedef struct {
    char codigo[8], nombre[PREP_NAME_MAX];
    int64_t esperadas;
    int64_t estados[PREP_EST__COUNT];  /* actas per state (ESPERADA = not yet stored) */
    int64_t fuera_catalogo;
    char resumen[13][2][48];           /* closing: final corte's 13 summary fields, name/value */
    int nresumen;
} prep_ceremony_eleccion;

/* Everything a record states, gathered from the store, the binary and the key. */
typedef struct {
    int cierre;                        /* 0 opening, 1 closing */
    prep_time at;
    char version[32], commit[80], binario[65];
    char catalogo[65], proceso[PREP_NAME_MAX], entidad[16];
    int ncasillas;
    char clave_publica[65];
    int nelecciones;
    prep_ceremony_eleccion el[PREP_MAX_ELECCIONES];
    int64_t log_seq;                   /* bitácora entries, all verified */
    char log_head[65];
    int ncortes;                       /* cortes recorded */
    prep_corte_info primero, ultimo;   /* closing: first and final corte */
    char apertura[160];                /* closing: the opening's meta value */
    prep_ceremony_people people;
} prep_ceremony_facts;

/* Open publication: refuses (PREP_E_STATE) when already opened, when an
 * acta has been captured or published or a corte taken, and (PREP_E_CORRUPT)
 * when the bitácora chain is broken. On success the record files exist and
 * facts describes them; dir receives the records' directory. */
int prep_ceremony_open(const char *datadir, prep_store *st, const prep_catalog *cat,
                       const prep_ceremony_people *who, prep_ceremony_facts *facts,
                       char *dir, size_t dircap, prep_err *err);

/* Close publication: refuses when not opened or already closed; takes the
 * final corte unless one was already taken, then writes the closing record. */
int prep_ceremony_close(const char *datadir, prep_store *st, const prep_catalog *cat,
                        const prep_ceremony_people *who, prep_ceremony_facts *facts,
                        char *dir, size_t dircap, prep_err *err);

/* Check the signatures of every record present in DATADIR/cortes/ceremonia
 * (or in dir, when given) with the public key next to them; *n = records. */
int prep_ceremony_verify(const char *datadir, const char *dir, int *n, prep_err *err);

/* The record as Spanish plain text and as HTML (record.c; pure). */
void prep_ceremony_text(const prep_ceremony_facts *f, prep_buf *out);
void prep_ceremony_html(const prep_ceremony_facts *f, prep_buf *out);

#endif
