/**
 * vitest setup file (runs in every test file): seeds fast-check with the run's seed (test/support/seed.ts)
 * so property tests are deterministic, and prints the seed whenever a test fails. fast-check's own failure
 * message also carries `{ seed, path }` for replaying just that property.
 */
import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { TEST_SEED, seedHint } from './seed.js';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: TEST_SEED });

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`[seed] ${seedHint()}`));
});
