/* test_print.c — printed actas (prep simulate --print): a PDF is the same
 * bytes for the same truth; rasterized with pdftoppm (poppler-utils) its QR
 * code reads back, through prep's own QR reader, as the acta's
 * CLAVE_CASILLA; its text (pdftotext) carries exactly the figures of the
 * truth, row by row, nothing where a field is Ilegible or Sin dato; and
 * sim_print_all writes one PDF per printable acta and an index whose
 * SHA-256 match the files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog_io.h"
#include "images/qr.h"
#include "sim/sim.h"
#include "util/hash.h"

static prep_catalog cat;
static sim_truth truth;
static char tmp[64];

static int setup(void **state)
{
    (void)state;
    prep_err err = {0};
    sim_faults f;
    snprintf(tmp, sizeof tmp, "/tmp/prep-print-XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    if (prep_catalog_generate("small", 1, &cat, &err) < 0 || sim_faults_preset("default", &f) < 0)
        return -1;
    return sim_truth_build(&cat, 1, &f, &truth, &err);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    int rc = system(cmd);
    sim_truth_free(&truth);
    prep_catalog_free(&cat);
    sim_render_cleanup();
    return rc == 0 ? 0 : -1;
}

static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void spit(const char *path, const prep_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
}

static void run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fail_msg("'%s' failed (%d): poppler-utils installed? (scripts/debian-packages.txt)", cmd,
                 rc);
}

/* Actas worth looking at: first, middle, last, and one with an Ilegible and
 * one with a Sin dato field (the default mix has both). */
static int pick(int *e, int *c, int max)
{
    int n = 0;
    e[n] = 0, c[n++] = 0;
    e[n] = 1, c[n++] = cat.ncasillas / 2;
    e[n] = cat.nelecciones - 1, c[n++] = cat.ncasillas - 1;
    for (int k = SIM_FAULT_ILEGIBLE; k <= SIM_FAULT_SIN_DATO && n < max; k++) {
        int found = 0;
        for (int ee = 0; ee < cat.nelecciones && !found; ee++)
            for (int cc = 0; cc < cat.ncasillas && !found; cc++)
                if (sim_has(&truth, ee, cc, (sim_fault)k) &&
                    !sim_has(&truth, ee, cc, SIM_FAULT_SIN_ACTA)) {
                    e[n] = ee, c[n++] = cc;
                    found = 1;
                }
        assert_true(found);
    }
    return n;
}

static void pdf_is_deterministic(void **state)
{
    (void)state;
    prep_buf a, b;
    prep_buf_init(&a);
    prep_buf_init(&b);
    prep_err err = {0};
    assert_int_equal(sim_print_acta(&truth, 0, 3, &a, &err), 0);
    assert_int_equal(sim_print_acta(&truth, 0, 3, &b, &err), 0);
    assert_memory_equal(a.data, "%PDF-", 5);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    /* Another acta is another document. */
    assert_int_equal(sim_print_acta(&truth, 0, 4, &b, &err), 0);
    assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    prep_buf_free(&a);
    prep_buf_free(&b);
}

static void qr_reads_back_as_clave(void **state)
{
    (void)state;
    int es[8], cs[8], n = pick(es, cs, 8);
    prep_buf b;
    prep_buf_init(&b);
    prep_err err = {0};
    for (int i = 0; i < n; i++) {
        char pdf[128], png[128], cmd[400];
        snprintf(pdf, sizeof pdf, "%s/qr%d.pdf", tmp, i);
        snprintf(png, sizeof png, "%s/qr%d", tmp, i);
        assert_int_equal(sim_print_acta(&truth, es[i], cs[i], &b, &err), 0);
        spit(pdf, &b);
        /* 150 dpi, grayscale: about what a phone or an office scanner gives. */
        snprintf(cmd, sizeof cmd, "pdftoppm -r 150 -gray -png -singlefile '%s' '%s'", pdf, png);
        run(cmd);
        strcat(png, ".png");
        size_t len;
        void *img = slurp(png, &len);
        char text[256], clave[12];
        assert_int_equal(prep_qr_decode(img, len, text, sizeof text, &err), 1);
        assert_int_equal(prep_qr_clave(text, clave), 0);
        assert_string_equal(clave, cat.casillas[cs[i]].clave);
        free(img);
    }
    prep_buf_free(&b);
}

static void label_of(const prep_eleccion *el, int f, char *out, size_t cap)
{
    static const char *const fixed[] = {"BOLETAS SOBRANTES", "PERSONAS QUE VOTARON",
                                        "REPRESENTANTES QUE VOTARON", "VOTOS SACADOS DE LA URNA"};
    int n = el->ncols;
    snprintf(out, cap, "%s",
             f < PREP_F_COL0         ? fixed[f]
             : f < PREP_F_NOREG(n)   ? el->cols[f - PREP_F_COL0].nombre
             : f == PREP_F_NOREG(n)  ? "CANDIDATURAS NO REGISTRADAS"
             : f == PREP_F_NULOS(n)  ? "VOTOS NULOS"
                                     : "TOTAL DE VOTOS");
}

/* Next line of the text (advances *p); NULL at the end. */
static char *next_line(char **p)
{
    if (!*p || !**p)
        return NULL;
    char *s = *p, *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static void figures_match_truth(void **state)
{
    (void)state;
    int es[8], cs[8], n = pick(es, cs, 8);
    prep_buf b;
    prep_buf_init(&b);
    prep_err err = {0};
    for (int i = 0; i < n; i++) {
        int e = es[i], c = cs[i];
        const prep_eleccion *el = &cat.elecciones[e];
        const prep_val *v = truth.el[e].actas[c].vals;
        char pdf[128], txt[128], cmd[400];
        snprintf(pdf, sizeof pdf, "%s/tx%d.pdf", tmp, i);
        snprintf(txt, sizeof txt, "%s/tx%d.txt", tmp, i);
        assert_int_equal(sim_print_acta(&truth, e, c, &b, &err), 0);
        spit(pdf, &b);
        snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' '%s'", pdf, txt);
        run(cmd);
        size_t len;
        char *text = slurp(txt, &len), *p = text, *line;
        assert_non_null(strstr(text, cat.casillas[c].clave));
        assert_non_null(strstr(text, el->nombre));
        /* Skip the heading: the table starts after the proceso line. */
        while ((line = next_line(&p)) && !strstr(line, cat.proceso)) {
        }
        assert_non_null(line);
        int rows = 0, numbers = 0;
        for (int f = 0; f < PREP_NFIELDS(el->ncols); f++) {
            if (v[f] == PREP_V_NA)
                continue;
            char want[PREP_NAME_MAX + 8];
            label_of(el, f, want, sizeof want);
            while ((line = next_line(&p)) && strspn(line, " ") == strlen(line)) {
            }
            assert_non_null(line);
            char *s = line + strspn(line, " ");
            /* "LABEL<spaces>FIGURE": the label, then only the figure if any. */
            size_t wl = strlen(want);
            if (strncmp(s, want, wl) != 0 || (s[wl] && s[wl] != ' '))
                fail_msg("%s %s row %d: expected '%s', found '%s'", el->codigo,
                         cat.casillas[c].clave, f, want, s);
            char *rest = s + wl, *end;
            rest += strspn(rest, " ");
            if (v[f] >= 0) {
                long got = strtol(rest, &end, 10);
                if (end == rest || *end)
                    fail_msg("%s %s %s: no figure in '%s'", el->codigo, cat.casillas[c].clave,
                             want, s);
                assert_int_equal(got, v[f]);
                numbers++;
            } else {
                assert_string_equal(rest, ""); /* Ilegible: a scribble; Sin dato: blank */
            }
            rows++;
        }
        assert_true(rows > 10 && numbers > 0);
        free(text);
    }
    prep_buf_free(&b);
}

static int count_pdfs(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strlen(de->d_name) > 4 && strcmp(de->d_name + strlen(de->d_name) - 4, ".pdf") == 0;
    closedir(d);
    return n;
}

static void print_all_writes_the_set(void **state)
{
    (void)state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/set", tmp);
    sim_print_result res;
    prep_err err = {0};
    assert_int_equal(sim_print_all(&truth, dir, 2, &res, &err), 0);
    int sin_acta = 0;
    for (int c = 0; c < cat.ncasillas; c++)
        sin_acta += sim_has(&truth, 0, c, SIM_FAULT_SIN_ACTA);
    assert_true(sin_acta > 0 && truth.nfuera > 0);
    assert_int_equal(res.pdfs, (int64_t)cat.nelecciones * (cat.ncasillas - sin_acta));
    assert_int_equal(res.sin_acta, (int64_t)cat.nelecciones * sin_acta);
    assert_int_equal(res.fuera, truth.nfuera);
    for (int e = 0; e < cat.nelecciones; e++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s/%s", dir, cat.elecciones[e].codigo);
        assert_int_equal(count_pdfs(sub), cat.ncasillas - sin_acta);
    }
    /* The index: one row per acta of the truth; each SHA-256 is its file's. */
    char path[256];
    snprintf(path, sizeof path, "%s/indice.csv", dir);
    size_t len;
    char *idx = slurp(path, &len), *p = idx, *line = next_line(&p);
    assert_string_equal(line, "ELECCION,CLAVE_CASILLA,CATD,ARCHIVO,SHA256,SITUACION");
    int64_t rows = 0, checked = 0;
    while ((line = next_line(&p))) {
        char *f[6], *q = line;
        for (int k = 0; k < 6; k++) {
            f[k] = q;
            q = strchr(q, ',');
            if (k < 5) {
                assert_non_null(q);
                *q++ = '\0';
            }
        }
        assert_null(q);
        rows++;
        if (!*f[3]) {
            assert_true(strncmp(f[5], "sin_acta:", 9) == 0 || strcmp(f[5], "fuera_catalogo") == 0);
            continue;
        }
        if (rows % 37 == 1) { /* a sample: hashing all is the same check again */
            char fp[512], hex[PREP_SHA256_HEX];
            snprintf(fp, sizeof fp, "%s/%s", dir, f[3]);
            size_t fl;
            void *data = slurp(fp, &fl);
            prep_sha256_hex(data, fl, hex);
            assert_string_equal(hex, f[4]);
            free(data);
            checked++;
        }
    }
    assert_int_equal(rows, res.pdfs + res.sin_acta + res.fuera);
    assert_true(checked > 5);
    free(idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_is_deterministic),
        cmocka_unit_test(qr_reads_back_as_clave),
        cmocka_unit_test(figures_match_truth),
        cmocka_unit_test(print_all_writes_the_set),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
