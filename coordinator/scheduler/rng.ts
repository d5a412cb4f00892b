// The scheduler's randomness is seeded (same seed, same plan); Math.random is never used.
export { seededRng, type Rng } from '../../shared/random.js';
