import { defineConfig } from 'vitest/config';

// Tests build real namespaces, cgroups and processes as root: run files one at a time so they never
// compete for the machine's two cores, and give set-up generous time. Timing belongs in bench/: a test
// waits on conditions, and its timeouts only guard against a hang on a slow or busy machine (longer than
// the waits inside, test/helpers/http.ts HANG_GUARD_MS, so that a stuck wait says what it waited for).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/temp-root.ts'],
    // One seed (PODSNIFF_TEST_SEED or a fixed default) for fast-check and the tests' PRNG; printed on failure.
    setupFiles: ['./test/support/seed-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
