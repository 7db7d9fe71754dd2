/* fuzz_audit.c — `prep audit` on files from anywhere (src/recount): the
 * tolerant reader of published results CSVs (encodings, delimiters, sep=
 * lines, quoted claves, column dialects) through prep_recount_buffer, and
 * its text and JSON reports; an input that starts "PK" is a ZIP and goes
 * through prep_recount_inputs (libzip, nested ZIPs) from a scratch file.
 * Bit 0 of the first byte is --final, bit 1 --extracto. Property: read or refused with a
 * message, and a report that was read renders. */
#include "fuzz_util.h"

#include <unistd.h>

#include "recount/recount.h"

static char zip_path[64];

static void recount_one(const char *data, size_t len, int flags)
{
    prep_recount_opts opts = {.final = flags & 1, .max_boletas_especial = -1,
                              .extracto = (flags >> 1) & 1};
    prep_recount_report rep;
    prep_err err = {0};
    if (prep_recount_buffer(data, len, "fuzz.csv", &opts, &rep, &err) < 0) {
        FUZZ_CHECK(err.code != PREP_OK && err.msg[0]);
        return;
    }
    prep_buf b;
    prep_buf_init(&b);
    FUZZ_CHECK(prep_recount_text(&rep, "fuzz.csv", &b, &err) == 0);
    prep_buf_reset(&b);
    FUZZ_CHECK(prep_recount_json(&rep, "fuzz.csv", &b, &err) == 0);
    prep_buf_free(&b);
    prep_recount_report_free(&rep);
}

static void unlink_zip(void)
{
    unlink(zip_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int final = data[0] & 3; /* --final, --extracto */
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    if (n < 2 || p[0] != 'P' || p[1] != 'K') {
        recount_one(p, n, final);
        return 0;
    }
    if (!zip_path[0]) {
        snprintf(zip_path, sizeof zip_path, "%s/prep-fuzz-audit-%d.zip",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
        atexit(unlink_zip);
    }
    FILE *f = fopen(zip_path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        abort();
    prep_recount_input *in = NULL;
    int nin = 0;
    prep_err err = {0};
    if (prep_recount_inputs(zip_path, &in, &nin, &err) < 0) {
        FUZZ_CHECK(err.code != PREP_OK && err.msg[0]);
        return 0;
    }
    FUZZ_CHECK(nin >= 1);
    for (int i = 0; i < nin; i++)
        recount_one(in[i].data, in[i].len, final);
    prep_recount_inputs_free(in, nin);
    return 0;
}
