/* limits.c — token buckets and login throttling (see limits.h). Keys are
 * 64-bit hashes of the address or "user:NAME"; a collision only makes two
 * clients share one limit. */
#include <string.h>

#include "http/limits.h"

static uint64_t fnv(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = a; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *p = b; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ? h : 1;
}

void prep_limits_init(prep_limits *l, int rate)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    l->rate = rate;
    l->burst = rate * 4.0;
}

int prep_limits_request(prep_limits *l, const char *client, int64_t now_us)
{
    if (l->rate <= 0)
        return 0;
    uint64_t k = fnv("ip", client);
    pthread_mutex_lock(&l->mu);
    lim_bucket *b = &l->buckets[k % LIM_BUCKETS];
    if (b->key != k) {
        b->key = k;
        b->tokens = l->burst;
        b->last_us = now_us;
    }
    b->tokens += (double)(now_us - b->last_us) / 1e6 * l->rate;
    if (b->tokens > l->burst)
        b->tokens = l->burst;
    b->last_us = now_us;
    int wait = 0;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (int)((1.0 - b->tokens) / l->rate) + 1;
    pthread_mutex_unlock(&l->mu);
    return wait;
}

/* The slot for key: its own, else the least recently used one. */
static lim_login *login_slot(prep_limits *l, uint64_t k, int create)
{
    lim_login *oldest = &l->login[0];
    for (int i = 0; i < LIM_LOGIN; i++) {
        if (l->login[i].key == k)
            return &l->login[i];
        if (l->login[i].last_us < oldest->last_us)
            oldest = &l->login[i];
    }
    if (!create)
        return NULL;
    memset(oldest, 0, sizeof *oldest);
    oldest->key = k;
    return oldest;
}

static int wait_of(const lim_login *s, int64_t now_us)
{
    if (!s || s->locked_until_us <= now_us)
        return 0;
    return (int)((s->locked_until_us - now_us) / 1000000) + 1;
}

int prep_limits_login_check(prep_limits *l, const char *user, const char *client, int64_t now_us)
{
    pthread_mutex_lock(&l->mu);
    int a = wait_of(login_slot(l, fnv("user", user), 0), now_us);
    int b = wait_of(login_slot(l, fnv("addr", client), 0), now_us);
    pthread_mutex_unlock(&l->mu);
    return a > b ? a : b;
}

static void fail(lim_login *s, int64_t now_us)
{
    /* Failures older than 15 minutes are forgotten. */
    if (now_us - s->last_us > 15ll * 60 * 1000000)
        s->failures = 0;
    s->failures++;
    s->last_us = now_us;
    if (s->failures >= LOGIN_FREE_FAILURES) {
        int n = s->failures - LOGIN_FREE_FAILURES;
        int64_t lock = (int64_t)2000000 << (n > 9 ? 9 : n); /* 2 s, 4 s, ... ~17 min */
        s->locked_until_us = now_us + lock;
    }
}

void prep_limits_login_result(prep_limits *l, const char *user, const char *client, int ok,
                              int64_t now_us)
{
    pthread_mutex_lock(&l->mu);
    lim_login *u = login_slot(l, fnv("user", user), !ok);
    if (ok) {
        if (u)
            memset(u, 0, sizeof *u);
    } else {
        fail(u, now_us);
        fail(login_slot(l, fnv("addr", client), 1), now_us);
    }
    pthread_mutex_unlock(&l->mu);
}
