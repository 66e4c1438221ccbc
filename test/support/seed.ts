/**
 * The one seed behind every random choice the tests make: fast-check's (set globally by
 * test/support/seed-setup.ts) and the small PRNG below. From `PODSNIFF_TEST_SEED`, else a fixed default,
 * so every run makes the same choices; a failing test prints the seed that reproduces it.
 */

/** Used when `PODSNIFF_TEST_SEED` is not set. */
export const DEFAULT_TEST_SEED = 20_261_127;

/** The run's seed: `PODSNIFF_TEST_SEED` (an integer) or the default. */
export const TEST_SEED = parseSeed(process.env.PODSNIFF_TEST_SEED);

function parseSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_TEST_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`PODSNIFF_TEST_SEED must be an integer, got "${text}"`);
  return seed | 0;
}

/** How to rerun a test with the same random choices. */
export function seedHint(): string {
  return `PODSNIFF_TEST_SEED=${TEST_SEED} reproduces this test's random choices`;
}

/**
 * A deterministic `Math.random` replacement (mulberry32) seeded from the run's seed and `stream`, so
 * that two users of randomness in one test file do not draw the same numbers.
 */
export function seededRandom(stream = ''): () => number {
  let state = (TEST_SEED ^ hash(stream)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer from `lo` to `hi` inclusive, drawn from `random`. */
export function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** FNV-1a of a string: spreads stream names over the seed space. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
