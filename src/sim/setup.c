/* setup.c — everything around the drill's night: an empty data directory
 * is prepared by running this same binary (prep init, prep catalog gen,
 * prep catalog load — the code the CLI runs, not a copy); the drill's
 * accounts are created through the store with one argon2id hash shared by
 * all (a drill has hundreds to thousands of accounts and one hash costs
 * ~0.15 s), each creation logged in the bitácora as `user.add`; our own
 * `prep serve` runs as a child process on a loopback port; cortes are taken
 * with `prep corte`. It does not drive actas (workers.c). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "ops/ops.h"
#include "ops/users.h"
#include "publish/fsutil.h"
#include "sim/drill_internal.h"
#include "store/store.h"

extern char **environ;

/* ---- child processes ------------------------------------------------------ */

static int spawn(const char *const *argv, int out_fd, int err_fd, pid_t *pid, prep_err *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    if (err_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    int rc = posix_spawn(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return prep_fail(err, PREP_E_IO, "cannot run %s: %s", argv[0], strerror(rc));
    return 0;
}

int sim_run(const char *const *argv, const char *log, char *out, size_t outcap, prep_err *err)
{
    int p[2] = {-1, -1};
    if (out && pipe(p) < 0)
        return prep_fail(err, PREP_E_IO, "pipe: %s", strerror(errno));
    int lfd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    pid_t pid;
    int rc = spawn(argv, out ? p[1] : lfd, lfd, &pid, err);
    if (out)
        close(p[1]);
    if (rc < 0) {
        if (out)
            close(p[0]);
        if (lfd >= 0)
            close(lfd);
        return -1;
    }
    size_t len = 0;
    if (out) {
        ssize_t n;
        char tmp[4096];
        while ((n = read(p[0], tmp, sizeof tmp)) > 0) {
            if (lfd >= 0 && write(lfd, tmp, (size_t)n) < 0) {
                /* the log is best effort */
            }
            size_t k = (size_t)n;
            if (len + k >= outcap)
                k = outcap > len + 1 ? outcap - len - 1 : 0;
            memcpy(out + len, tmp, k);
            len += k;
        }
        out[len] = '\0';
        close(p[0]);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (lfd >= 0)
        close(lfd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int run_ok(sim_drill *d, const char *const *argv, char *out, size_t cap, prep_err *err)
{
    char log[720];
    snprintf(log, sizeof log, "%s/servidor.log", d->report_dir);
    int rc = sim_run(argv, log, out, cap, err);
    if (rc < 0)
        return -1;
    if (rc != 0)
        return prep_fail(err, PREP_E_IO, "'%s %s' failed (exit %d); see %s", argv[0], argv[1],
                         rc, log);
    return 0;
}

/* ---- data directory ----------------------------------------------------- */

typedef struct {
    int64_t n;
} count_ctx;

static int count_cb(void *ctx, const prep_corte_info *c)
{
    (void)c;
    ((count_ctx *)ctx)->n++;
    return 0;
}

static int count_fc(void *ctx, const prep_fuera_catalogo *f)
{
    (void)f;
    ((count_ctx *)ctx)->n++;
    return 0;
}

/* A drill compares against a truth that starts from nothing: refuse a store
 * where actas, fuera de catálogo or cortes are already recorded. */
static int check_fresh(sim_drill *d, prep_store *st, prep_err *err)
{
    for (int e = 0; e < d->cat->nelecciones; e++) {
        int64_t counts[PREP_EST__COUNT];
        if (st->vt->acta_counts(st, e, counts, err) < 0)
            return -1;
        for (int s = 1; s < PREP_EST__COUNT; s++)
            if (counts[s])
                return prep_fail(err, PREP_E_STATE,
                                 "%s already has actas recorded (%s: %lld %s); a drill needs a "
                                 "data directory where nothing has happened yet (use a new --data)",
                                 d->data, d->cat->elecciones[e].codigo, (long long)counts[s],
                                 prep_estado_name(s));
        count_ctx fc = {0};
        if (st->vt->fc_iter(st, e, count_fc, &fc, err) < 0)
            return -1;
        if (fc.n)
            return prep_fail(err, PREP_E_STATE, "%s already has actas fuera de catálogo; use a "
                                                "new --data", d->data);
    }
    count_ctx cc = {0};
    if (st->vt->corte_iter(st, count_cb, &cc, err) < 0)
        return -1;
    if (cc.n)
        return prep_fail(err, PREP_E_STATE, "%s already has %lld cortes; use a new --data",
                         d->data, (long long)cc.n);
    return 0;
}

int sim_setup_datadir(sim_drill *d, prep_err *err)
{
    const sim_drill_opts *o = d->o;
    int fresh = prep_fs_dir_is_empty(d->data);
    if (fresh && !o->preset)
        return prep_fail(err, PREP_E_INVALID, "%s is empty: say which catálogo with --preset",
                         d->data);
    if (fresh && o->check_dir)
        return prep_fail(err, PREP_E_INVALID,
                         "%s is empty: --check needs the data directory the drill ran on "
                         "(its catálogo)",
                         d->data);
    /* The report directory (and its servidor.log) is made only for a data
     * directory the drill may use: a fresh one, or one checked below. */
    if (fresh && prep_fs_mkdirs(d->report_dir, err) < 0)
        return -1;
    if (fresh) {
        char catdir[700], seed[24];
        snprintf(catdir, sizeof catdir, "%s/simulacros/catalogo", d->data);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
        const char *init[] = {o->exe, "init", "--data", d->data, NULL};
        const char *gen[] = {o->exe, "catalog", "gen", "--preset", o->preset, "--seed", seed,
                             "--out", catdir, "--force", NULL};
        const char *load[] = {o->exe, "catalog", "load", catdir, "--data", d->data, NULL};
        if (run_ok(d, init, NULL, 0, err) < 0 || run_ok(d, gen, NULL, 0, err) < 0 ||
            run_ok(d, load, NULL, 0, err) < 0)
            return -1;
    }
    prep_store *st;
    if (prep_store_open(d->data, &st, err) < 0)
        return -1;
    int rc = prep_store_catalog_load(st, &d->catbuf, err);
    if (rc == 1)
        rc = prep_fail(err, PREP_E_STATE, "%s has no catálogo loaded (prep catalog load)", d->data);
    if (rc == 0) {
        d->cat = &d->catbuf;
        /* --check reads a night that happened: its actas are the point. */
        rc = o->check_dir ? 0 : check_fresh(d, st, err);
    }
    prep_store_close(st);
    if (rc == 0 && !fresh && !o->check_dir)
        rc = prep_fs_mkdirs(d->report_dir, err);
    return rc;
}

/* ---- accounts ------------------------------------------------------------- */

static int add_account(sim_accounts *a, int *cap, const char *nombre, const char *rol, int catd,
                       int cae)
{
    if (a->n == *cap) {
        int nc = *cap ? *cap * 2 : 256;
        sim_account *x = realloc(a->a, (size_t)nc * sizeof *x);
        if (!x)
            return -1;
        a->a = x;
        *cap = nc;
    }
    sim_account *x = &a->a[a->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->nombre, sizeof x->nombre, "%s", nombre);
    snprintf(x->rol, sizeof x->rol, "%s", rol);
    x->catd = catd;
    x->cae = cae;
    return 0;
}

/* The accounts a drill of this catalog and operator count needs. */
static int plan_accounts(sim_drill *d, int ncap, int nver, sim_accounts *a)
{
    const prep_catalog *cat = d->cat;
    int cap = 0;
    char name[64];
    if (add_account(a, &cap, "sim-admin", "admin", 0, 0) < 0)
        return -1;
    for (int k = 1; k <= cat->ncatd; k++) {
        snprintf(name, sizeof name, "sim-acopio-%03d", k);
        if (add_account(a, &cap, name, "acopio", k, 0) < 0)
            return -1;
        snprintf(name, sizeof name, "sim-digitalizacion-%03d", k);
        if (add_account(a, &cap, name, "digitalizacion", k, 0) < 0)
            return -1;
    }
    int maxcae = 0;
    for (int c = 0; c < cat->ncasillas; c++)
        if (cat->casillas[c].cae > maxcae)
            maxcae = cat->casillas[c].cae;
    uint8_t *has = calloc((size_t)maxcae + 1, 1);
    if (!has)
        return -1;
    for (int c = 0; c < cat->ncasillas; c++)
        has[cat->casillas[c].cae] = 1;
    for (int k = 1; k <= maxcae; k++) {
        if (!has[k])
            continue;
        snprintf(name, sizeof name, "sim-cae-%05d", k);
        if (add_account(a, &cap, name, "cae", 0, k) < 0) {
            free(has);
            return -1;
        }
    }
    free(has);
    for (int k = 1; k <= ncap; k++) {
        snprintf(name, sizeof name, "sim-captura-%03d", k);
        if (add_account(a, &cap, name, "captura", 0, 0) < 0)
            return -1;
    }
    for (int k = 1; k <= nver; k++) {
        snprintf(name, sizeof name, "sim-verificacion-%03d", k);
        if (add_account(a, &cap, name, "verificacion", 0, 0) < 0)
            return -1;
    }
    return 0;
}

static int index_accounts(sim_drill *d, sim_accounts *a, prep_err *err)
{
    const prep_catalog *cat = d->cat;
    a->admin = -1;
    a->maxcae = 0;
    for (int i = 0; i < a->n; i++)
        if (a->a[i].cae > a->maxcae)
            a->maxcae = a->a[i].cae;
    free(a->acopio);
    free(a->dig);
    free(a->cae);
    free(a->cap);
    free(a->ver);
    a->acopio = malloc(sizeof(int) * (size_t)(cat->ncatd + 1));
    a->dig = malloc(sizeof(int) * (size_t)(cat->ncatd + 1));
    a->cae = malloc(sizeof(int) * (size_t)(a->maxcae + 1));
    a->cap = malloc(sizeof(int) * (size_t)(a->n + 1));
    a->ver = malloc(sizeof(int) * (size_t)(a->n + 1));
    if (!a->acopio || !a->dig || !a->cae || !a->cap || !a->ver)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int k = 0; k <= cat->ncatd; k++)
        a->acopio[k] = a->dig[k] = -1;
    for (int k = 0; k <= a->maxcae; k++)
        a->cae[k] = -1;
    a->ncap = a->nver = 0;
    for (int i = 0; i < a->n; i++) {
        sim_account *x = &a->a[i];
        if (strcmp(x->rol, "admin") == 0)
            a->admin = i;
        else if (strcmp(x->rol, "acopio") == 0 && x->catd >= 0 && x->catd <= cat->ncatd)
            a->acopio[x->catd] = i;
        else if (strcmp(x->rol, "digitalizacion") == 0 && x->catd >= 0 && x->catd <= cat->ncatd)
            a->dig[x->catd] = i;
        else if (strcmp(x->rol, "cae") == 0 && x->cae > 0)
            a->cae[x->cae] = i;
        else if (strcmp(x->rol, "captura") == 0)
            a->cap[a->ncap++] = i;
        else if (strcmp(x->rol, "verificacion") == 0)
            a->ver[a->nver++] = i;
    }
    for (int k = 1; k <= cat->ncatd; k++)
        if (a->acopio[k] < 0 || a->dig[k] < 0)
            return prep_fail(err, PREP_E_NOT_FOUND,
                             "the accounts file has no acopio/digitalizacion account for CATD %d",
                             k);
    for (int c = 0; c < cat->ncasillas; c++) {
        int k = cat->casillas[c].cae;
        if (k > 0 && (k > a->maxcae || a->cae[k] < 0))
            return prep_fail(err, PREP_E_NOT_FOUND, "the accounts file has no account for CAE %d",
                             k);
    }
    if (a->ncap < 2 || a->nver < 1)
        return prep_fail(err, PREP_E_NOT_FOUND,
                         "a drill needs at least 2 capturistas and 1 verificador");
    return 0;
}

void sim_accounts_free(sim_accounts *a)
{
    free(a->a);
    free(a->acopio);
    free(a->dig);
    free(a->cae);
    free(a->cap);
    free(a->ver);
    memset(a, 0, sizeof *a);
}

static int read_accounts(const char *path, sim_accounts *a, prep_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        return prep_fail(err, PREP_E_INVALID, "%s: %s (line %d)", path, je.text, je.line);
    const char *pw = json_string_value(json_object_get(j, "password"));
    json_t *us = json_object_get(j, "usuarios");
    int rc = 0, cap = 0;
    if (!pw || !json_is_array(us)) {
        rc = prep_fail(err, PREP_E_INVALID, "%s: needs \"password\" and \"usuarios\"", path);
    } else {
        snprintf(a->password, sizeof a->password, "%s", pw);
        size_t i;
        json_t *u;
        json_array_foreach(us, i, u)
        {
            const char *n = json_string_value(json_object_get(u, "usuario"));
            const char *r = json_string_value(json_object_get(u, "rol"));
            if (!n || !r) {
                rc = prep_fail(err, PREP_E_INVALID, "%s: usuario %zu lacks usuario/rol", path, i);
                break;
            }
            if (add_account(a, &cap, n, r, (int)json_integer_value(json_object_get(u, "catd")),
                            (int)json_integer_value(json_object_get(u, "cae"))) < 0) {
                rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
                break;
            }
        }
    }
    json_decref(j);
    return rc;
}

static int write_accounts(const char *path, const sim_accounts *a, prep_err *err)
{
    json_t *us = json_array();
    for (int i = 0; i < a->n; i++)
        json_array_append_new(us, json_pack("{s:s,s:s,s:i,s:i}", "usuario", a->a[i].nombre, "rol",
                                            a->a[i].rol, "catd", a->a[i].catd, "cae",
                                            a->a[i].cae));
    json_t *j = json_pack("{s:s,s:s,s:o}", "nota",
                          "Cuentas del simulacro (prep simulate). Una sola contraseña para todas; "
                          "no usar en la jornada.",
                          "password", a->password, "usuarios", us);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = fd >= 0 && j ? json_dumpfd(j, fd, JSON_INDENT(1)) : -1;
    if (fd >= 0 && (fsync(fd) < 0 || close(fd) < 0))
        rc = -1;
    json_decref(j);
    if (rc < 0 || rename(tmp, path) < 0)
        return prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/* Create the accounts that do not exist yet, in one transaction, each with
 * its bitácora entry (the same action and fields prep_user_create logs). */
static int create_accounts(sim_drill *d, sim_accounts *a, prep_err *err)
{
    char hash[128];
    if (prep_password_hash(a->password, hash, err) < 0)
        return -1;
    prep_store *st;
    if (prep_store_open(d->data, &st, err) < 0)
        return -1;
    prep_ops o = {.st = st, .cat = d->cat};
    prep_actor who = prep_actor_system;
    who.station = "prep simulate";
    int rc = prep_store_begin(st, 1, err);
    prep_time now = prep_now();
    for (int i = 0; rc == 0 && i < a->n; i++) {
        sim_account *x = &a->a[i];
        prep_user u;
        int f = st->vt->user_find(st, x->nombre, &u, err);
        if (f < 0) {
            rc = -1;
            break;
        }
        if (f == 0) {
            if (strcmp(u.rol, x->rol) != 0 || u.catd != x->catd || u.cae != x->cae || !u.activo)
                rc = prep_fail(err, PREP_E_CONFLICT,
                               "account %s exists with another role or scope; the drill's "
                               "accounts are sim-*",
                               x->nombre);
            continue;
        }
        memset(&u, 0, sizeof u);
        snprintf(u.nombre, sizeof u.nombre, "%s", x->nombre);
        snprintf(u.rol, sizeof u.rol, "%s", x->rol);
        u.catd = x->catd;
        u.cae = x->cae;
        u.activo = 1;
        u.creado = now;
        memcpy(u.pwhash, hash, sizeof u.pwhash);
        char object[80], after[160];
        snprintf(object, sizeof object, "user/%s", u.nombre);
        snprintf(after, sizeof after, "{\"rol\":\"%s\",\"catd\":%d,\"cae\":%d,\"activo\":true}",
                 u.rol, u.catd, u.cae);
        if (st->vt->user_add(st, &u, err) < 0 ||
            prep_ops_log(&o, &who, now, "user.add", object, "", after, err) < 0)
            rc = -1;
    }
    if (rc == 0)
        rc = prep_store_commit(st, err);
    else
        prep_store_rollback(st);
    prep_store_close(st);
    return rc;
}

int sim_accounts_load_or_create(sim_drill *d, prep_err *err)
{
    const sim_drill_opts *o = d->o;
    char path[700];
    if (o->cuentas)
        snprintf(path, sizeof path, "%s", o->cuentas);
    else
        snprintf(path, sizeof path, "%s/simulacros/cuentas.json", d->data);
    sim_accounts *a = &d->acc;
    int ops = o->operators;
    int ncap = ops - ops / 3, nver = ops / 3;
    if (nver < 1)
        nver = 1;
    if (ncap < 2)
        ncap = 2;
    if (access(path, R_OK) == 0) {
        if (read_accounts(path, a, err) < 0)
            return -1;
    } else if (o->url && !d->data[0]) {
        return prep_fail(err, PREP_E_NOT_FOUND,
                         "no accounts file %s: prepare the server's data directory first with "
                         "prep simulate --data DIR --setup-only (see docs/simulacro.md)",
                         path);
    } else {
        prep_password_random(a->password, 25);
    }
    /* Add what this drill needs and the file lacks (more operators, CAEs). */
    sim_accounts want = {0};
    if (plan_accounts(d, ncap, nver, &want) < 0)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    int cap = a->n, added = 0;
    for (int i = 0; i < want.n; i++) {
        int have = 0;
        for (int j = 0; j < a->n && !have; j++)
            have = strcmp(a->a[j].nombre, want.a[i].nombre) == 0;
        if (!have) {
            sim_account *w = &want.a[i];
            if (add_account(a, &cap, w->nombre, w->rol, w->catd, w->cae) < 0) {
                sim_accounts_free(&want);
                return prep_fail(err, PREP_E_NOMEM, "out of memory");
            }
            added++;
        }
    }
    sim_accounts_free(&want);
    if (added) {
        if (o->url && !d->own_server && !d->data[0])
            return prep_fail(err, PREP_E_NOT_FOUND, "%s lacks %d accounts this drill needs",
                             path, added);
        if (create_accounts(d, a, err) < 0 || write_accounts(path, a, err) < 0)
            return -1;
    }
    return index_accounts(d, a, err);
}

/* Open the sessions of the CAE and CATD accounts through the ops layer
 * (phones and CATD stations enrolled before the night), so thousands of
 * argon2id logins are not part of the drill's timing. Only for our own,
 * not yet running, server. */
int sim_sessions_provision(sim_drill *d, prep_err *err)
{
    prep_store *st;
    if (prep_store_open(d->data, &st, err) < 0)
        return -1;
    prep_ops o = {.st = st, .cat = d->cat};
    prep_time now = prep_now(), until = now + 48LL * 3600 * 1000;
    int rc = prep_store_begin(st, 1, err);
    for (int i = 0; rc == 0 && i < d->acc.n; i++) {
        sim_account *x = &d->acc.a[i];
        if (strcmp(x->rol, "cae") != 0 && strcmp(x->rol, "acopio") != 0 &&
            strcmp(x->rol, "digitalizacion") != 0)
            continue;
        prep_user u;
        int f = st->vt->user_find(st, x->nombre, &u, err);
        if (f != 0) {
            rc = f < 0 ? -1 : prep_fail(err, PREP_E_NOT_FOUND, "no account %s", x->nombre);
            break;
        }
        char sha[PREP_TOKEN_HEX];
        prep_token_new(x->token, sha);
        rc = prep_session_open(&o, &u, sha,
                               u.cae ? "PREP Casilla (simulacro)" : "CATD (simulacro)", now, until,
                               err);
    }
    if (rc == 0)
        rc = prep_store_commit(st, err);
    else
        prep_store_rollback(st);
    prep_store_close(st);
    return rc;
}

/* ---- our server ----------------------------------------------------------- */

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

int sim_server_start(sim_drill *d, prep_err *err)
{
    const sim_drill_opts *o = d->o;
    char listen[300];
    if (o->listen) {
        snprintf(listen, sizeof listen, "%s", o->listen);
    } else {
        int port = free_port();
        if (port < 0)
            return prep_fail(err, PREP_E_IO, "no free loopback port");
        snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    }
    const char *colon = strrchr(listen, ':');
    const char *host = listen;
    char hostbuf[256];
    if (colon) {
        snprintf(hostbuf, sizeof hostbuf, "%.*s", (int)(colon - listen), listen);
        host = strcmp(hostbuf, "0.0.0.0") == 0 || !hostbuf[0] ? "127.0.0.1" : hostbuf;
    }
    snprintf(d->base, sizeof d->base, "http://%.200s:%.16s", host, colon ? colon + 1 : "8080");
    char log[720];
    snprintf(log, sizeof log, "%s/servidor.log", d->report_dir);
    int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    /* Cortes are the drill's (prep corte), and every virtual operator comes
     * from this one address: no automatic cortes, no per-address rate limit. */
    const char *argv[] = {o->exe,       "serve", "--data", d->data, "--listen", listen,
                          "--corte-every", "0",  "--rate", "0",     NULL};
    pid_t pid;
    int rc = spawn(argv, lfd, lfd, &pid, err);
    if (lfd >= 0)
        close(lfd);
    if (rc < 0)
        return -1;
    d->server_pid = pid;
    sim_server_pid_for_signals = pid;
    /* Wait until /healthz answers (or the child dies). */
    sim_http h;
    if (sim_http_init(&h, d->base, err) < 0)
        return -1;
    for (int i = 0; i < 300; i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            d->server_pid = 0;
            sim_http_free(&h);
            return prep_fail(err, PREP_E_IO, "prep serve exited at start; see %s", log);
        }
        prep_err e2;
        if (sim_http_req(&h, "GET", "/healthz", NULL, 0, NULL, &e2) == 0 && h.status == 200) {
            sim_http_free(&h);
            return 0;
        }
        sim_sleep_ms(100);
    }
    sim_http_free(&h);
    sim_server_stop(d);
    return prep_fail(err, PREP_E_IO, "prep serve did not answer /healthz in 30 s; see %s", log);
}

volatile pid_t sim_server_pid_for_signals;

void sim_drill_kill_server(void)
{
    if (sim_server_pid_for_signals > 0)
        kill(sim_server_pid_for_signals, SIGTERM);
}

/* Peak resident memory of a running process (VmHWM), in KiB; 0 unknown. */
static int64_t peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    int64_t kb = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtoll(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

void sim_server_note_rss(sim_drill *d)
{
    if (d->server_pid > 0) {
        int64_t kb = peak_rss_kb(d->server_pid);
        if (kb > d->server_rss_kb)
            d->server_rss_kb = kb;
    }
}

int sim_server_stop(sim_drill *d)
{
    sim_server_pid_for_signals = 0;
    if (d->server_pid <= 0)
        return 0;
    sim_server_note_rss(d);
    kill(d->server_pid, SIGTERM);
    int status = 0, clean = 0;
    for (int i = 0; i < 600; i++) {
        pid_t r = waitpid(d->server_pid, &status, WNOHANG);
        if (r == d->server_pid) {
            clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            break;
        }
        if (r < 0 && errno != EINTR)
            break;
        sim_sleep_ms(50);
        if (i == 599) {
            kill(d->server_pid, SIGKILL);
            waitpid(d->server_pid, &status, 0);
        }
    }
    d->server_pid = 0;
    return clean ? 0 : -1;
}

/* ---- cortes --------------------------------------------------------------- */

int sim_corte_take(sim_drill *d, int final, sim_corte_rec *rec, prep_err *err)
{
    const char *argv[] = {d->o->exe, "corte", "--json", "--data", d->data,
                          final ? "--final" : NULL, NULL};
    char out[4096];
    int64_t t0 = sim_now_us();
    if (run_ok(d, argv, out, sizeof out, err) < 0)
        return -1;
    memset(rec, 0, sizeof *rec);
    rec->at_ms = (t0 - d->t0_us) / 1000;
    rec->seconds = (double)(sim_now_us() - t0) / 1e6;
    rec->final = final;
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    const char *dir = json_string_value(json_object_get(j, "directorio"));
    if (!dir) {
        json_decref(j);
        return prep_fail(err, PREP_E_IO, "prep corte --json printed no directorio: %.200s", out);
    }
    snprintf(rec->dir, sizeof rec->dir, "%s", dir);
    rec->numero = (int)json_integer_value(json_object_get(j, "numero"));
    json_decref(j);
    return 0;
}
