/* fuzz_catalog.c — the catálogo files an institute loads (catalog_read.c,
 * csv_table.c on libcsv). One input is a whole catálogo directory: the ten
 * files in prep_catalog_files order, separated by NUL bytes (missing ones
 * are empty); they are written to a scratch directory and read with
 * prep_catalog_read_dir. Properties: an error names its file:line, and an
 * accepted catálogo writes out and reads back with the same fingerprint. */
#include "fuzz_util.h"

#include <unistd.h>

#include "catalog/catalog_io.h"

static char dir_in[64], dir_out[64];

static void put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir_in, sizeof dir_in, "%s/prep-fuzz-cat-XXXXXX", base);
    snprintf(dir_out, sizeof dir_out, "%s/prep-fuzz-out-XXXXXX", base);
    if (!mkdtemp(dir_in) || !mkdtemp(dir_out))
        abort();
    return 0;
}

static void cleanup(const char *dir)
{
    char path[128];
    for (int i = 0; prep_catalog_files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, prep_catalog_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void at_exit(void)
{
    cleanup(dir_in);
    cleanup(dir_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int registered;
    if (!dir_in[0])
        LLVMFuzzerInitialize(NULL, NULL);
    if (!registered++)
        atexit(at_exit);
    size_t off = 0;
    for (int i = 0; prep_catalog_files[i]; i++) {
        const uint8_t *nul = off < size ? memchr(data + off, 0, size - off) : NULL;
        size_t n = off < size ? (nul ? (size_t)(nul - data) - off : size - off) : 0;
        put(dir_in, prep_catalog_files[i], data + off, n);
        off += n + (nul ? 1 : 0);
        if (!nul)
            off = size;
    }
    prep_catalog cat, back;
    prep_err err = {0};
    if (prep_catalog_read_dir(dir_in, &cat, &err) < 0) {
        FUZZ_CHECK(err.code != PREP_OK && strstr(err.msg, ".csv") != NULL);
        FUZZ_CHECK(cat.ncasillas == 0 && cat.nelecciones == 0);
        return 0;
    }
    char f1[65], f2[65];
    prep_catalog_fingerprint(&cat, f1);
    FUZZ_CHECK(prep_catalog_write_dir(&cat, dir_out, &err) == 0);
    FUZZ_CHECK(prep_catalog_read_dir(dir_out, &back, &err) == 0);
    prep_catalog_fingerprint(&back, f2);
    FUZZ_CHECK(strcmp(f1, f2) == 0);
    prep_catalog_free(&cat);
    prep_catalog_free(&back);
    return 0;
}
