/* limits.h — in-memory abuse limits of one server process: a token bucket
 * per client address (requests per second) and login throttling per user
 * name and per address (after 5 failures, each try waits longer: 429).
 * Bounded tables: a flood of addresses evicts the oldest entries, it never
 * grows memory. Nothing here is persistent or shared between nodes. */
#ifndef PREP_HTTP_LIMITS_H
#define PREP_HTTP_LIMITS_H

#include <pthread.h>
#include <stdint.h>

#define LIM_BUCKETS 4096
#define LIM_LOGIN 1024
#define LOGIN_FREE_FAILURES 5

typedef struct {
    uint64_t key;
    double tokens;
    int64_t last_us;
} lim_bucket;

typedef struct {
    uint64_t key;
    int failures;
    int64_t last_us, locked_until_us;
} lim_login;

typedef struct {
    pthread_mutex_t mu;
    double rate, burst;
    lim_bucket buckets[LIM_BUCKETS];
    lim_login login[LIM_LOGIN];
} prep_limits;

void prep_limits_init(prep_limits *l, int rate);
/* 0 allowed, else the seconds to wait (rate limited). */
int prep_limits_request(prep_limits *l, const char *client, int64_t now_us);
/* Before checking a password: 0 may try, else seconds to wait. */
int prep_limits_login_check(prep_limits *l, const char *user, const char *client, int64_t now_us);
void prep_limits_login_result(prep_limits *l, const char *user, const char *client, int ok,
                              int64_t now_us);

#endif
