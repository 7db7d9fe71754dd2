/* version.h — which build this is: version, source commit (embedded at build
 * time, no timestamps, so builds are reproducible) and the SHA-256 of the
 * running binary read from /proc/self/exe: the fingerprint shown by
 * `prep version`, /healthz, every corte and the bitácora. */
#ifndef PREP_VERSION_H
#define PREP_VERSION_H

#define PREP_VERSION "0.1.0"

const char *prep_source_commit(void);
/* SHA-256 hex of the running executable; "unknown" if it cannot be read.
 * Computed once and cached. */
const char *prep_binary_sha256(void);

#endif
