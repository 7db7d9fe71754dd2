/* sim_rng.h — the drill's deterministic random numbers: splitmix64 keyed by
 * (seed, election, casilla, purpose), so each acta's truth depends only on
 * its own key and never on the order things are generated or on threads.
 * Internal to src/sim/; nothing here is for secrets. */
#ifndef PREP_SIM_RNG_H
#define PREP_SIM_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t x;
} sim_rng;

static inline uint64_t sim_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void sim_rng_key(sim_rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t purpose)
{
    r->x = sim_mix(seed ^ sim_mix(a * 0x9E3779B97F4A7C15ull + b) ^ (purpose << 56));
}

static inline uint64_t sim_next(sim_rng *r)
{
    return sim_mix(r->x += 0x9E3779B97F4A7C15ull);
}

/* Uniform in [0, 1). */
static inline double sim_unit(sim_rng *r)
{
    return (double)(sim_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]. */
static inline int sim_range(sim_rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(sim_next(r) % (uint64_t)(hi - lo + 1));
}

static inline int sim_chance(sim_rng *r, double p)
{
    return p > 0 && sim_unit(r) < p;
}

#endif
