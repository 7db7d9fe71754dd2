/* gen_rng.h — the generator's own pseudo-random numbers: xoshiro256**
 * seeded through splitmix64, so a seed gives the same catálogo on every
 * machine and libc. Internal to src/catalog/; not for anything secret
 * (tokens and keys come from libsodium). */
#ifndef PREP_GEN_RNG_H
#define PREP_GEN_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} gen_rng;

static inline uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void gen_rng_seed(gen_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = gen_splitmix64(&seed);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return out;
}

/* Uniform integer in [lo, hi] (hi - lo < 2^32; multiply-shift, bias < 2^-32). */
static inline int gen_range(gen_rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return lo + (int)(((gen_next(r) >> 32) * span) >> 32);
}

/* Uniform double in [0, 1). */
static inline double gen_unit(gen_rng *r)
{
    return (double)(gen_next(r) >> 11) * 0x1.0p-53;
}

/* 1 with probability p. */
static inline int gen_chance(gen_rng *r, double p)
{
    return gen_unit(r) < p;
}

#endif
