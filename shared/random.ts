// A small seeded PRNG (mulberry32): reproducible randomness for the scheduler's improvement
// search, tests and benchmarks. Same seed, same sequence.

export type Rng = () => number;

/** Returns a generator of floats in [0, 1) fully determined by `seed`. */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
