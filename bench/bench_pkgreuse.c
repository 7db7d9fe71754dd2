/* bench_pkgreuse.c — what reusing the previous package's compressed entries
 * saves (src/publish/zipw.c, prep_zipw_add_copy): N site-like files
 * (HTML-ish text, sizes around the national site's mean of ~9 KB) packaged
 * by deflating them (level 1, the package's, on the default worker threads)
 * against the same files copied from that first package under new names,
 * as a corte does for the files it hard-links from the previous corte.
 * Prints wall and CPU time of each, their ratio, and checks both packages
 * are the same size. Usage: bench_pkgreuse [N] (default 20000);
 * BENCH_REPS repetitions (median). */
#define BENCH_NAME "bench_pkgreuse"
#include "bench_util.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "publish/fsutil.h"
#include "publish/zipw.h"

#define MTIME 1717300000000LL

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void write_page(const char *path, size_t n)
{
    static const char *const w[] = {"<td>", "casilla ", "acta ", "1234 ", "</tr>\n", "PAN ",
                                    "MORENA ", "sección ", "0 ", "votos ", "<tr class=\"c\">",
                                    "\"votos\":"};
    char *s = malloc(n);
    if (!s)
        die("malloc", "out of memory");
    size_t k = 0;
    while (k < n) {
        const char *x = w[next_rand() % 12];
        while (*x && k < n)
            s[k++] = *x++;
        if (next_rand() % 4 == 0) /* numbers: what makes pages differ */
            k += (size_t)snprintf(s + k, n - k, "%llu ",
                                  (unsigned long long)(next_rand() % 100000)) %
                 (n - k + 1);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s, 1, n, f) != n || fclose(f) != 0)
        die(path, "cannot write");
    free(s);
}

static off_t size_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 3;
    if (n < 1 || reps < 1 || reps > 16)
        die("usage", "bench_pkgreuse [N]");
    char dir[] = "/tmp/prep-bench-pkgreuse-XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp", "cannot create a temporary directory");
    char path[256], name[128], a[256], b[256];
    prep_err err = {0};
    long long total = 0;
    for (int i = 0; i < n; i++) {
        size_t len = 2000 + (size_t)(next_rand() % 14000);
        snprintf(path, sizeof path, "%s/p%06d.html", dir, i);
        write_page(path, len);
        total += (long long)len;
    }
    snprintf(a, sizeof a, "%s/a.zip", dir);
    snprintf(b, sizeof b, "%s/b.zip", dir);
    double dw[16], dc[16], cw[16], cc[16];
    for (int r = 0; r < reps; r++) {
        double w0 = now_ms(), c0 = cpu_ms();
        prep_zipw *z;
        if (prep_zipw_open(&z, a, MTIME, &err) < 0)
            die("open", err.msg);
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/p%06d.html", dir, i);
            snprintf(name, sizeof name, "c0001/sitio/p%06d.html", i);
            if (prep_zipw_add_file(z, name, path, 1, &err) < 0)
                die("add", err.msg);
        }
        if (prep_zipw_close(z, &err) < 0)
            die("deflate", err.msg);
        dw[r] = now_ms() - w0;
        dc[r] = cpu_ms() - c0;

        w0 = now_ms();
        c0 = cpu_ms();
        prep_zipr *from;
        if (prep_zipr_open(&from, a, &err) < 0 || prep_zipw_open(&z, b, MTIME, &err) < 0)
            die("open", err.msg);
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, "c0001/sitio/p%06d.html", i);
            snprintf(name, sizeof name, "c0002/sitio/p%06d.html", i);
            int64_t idx = prep_zipr_find(from, path, NULL, NULL);
            if (idx < 0 || prep_zipw_add_copy(z, name, from, idx, 1, &err) < 0)
                die("copy", idx < 0 ? path : err.msg);
        }
        if (prep_zipw_close(z, &err) < 0)
            die("copy", err.msg);
        prep_zipr_close(from);
        cw[r] = now_ms() - w0;
        cc[r] = cpu_ms() - c0;
    }
    off_t sa = size_of(a), sb = size_of(b);
    if (sa != sb)
        die("sizes", "the copied package is not the size of the deflated one");
    double mdw = median(dw, reps), mdc = median(dc, reps), mcw = median(cw, reps),
           mcc = median(cc, reps);
    printf("bench_pkgreuse: %d files, %.1f MB, package %.1f MB, %d reps (median)\n", n,
           total / 1e6, sa / 1e6, reps);
    printf("  deflate %8.0f ms wall %8.0f ms CPU\n", mdw, mdc);
    printf("  copy    %8.0f ms wall %8.0f ms CPU   ratio %.3f wall, %.3f CPU\n", mcw, mcc,
           mcw / mdw, mcc / mdc);
    prep_fs_rmtree(dir, &err);
    return 0;
}
