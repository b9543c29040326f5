import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Most test time is spent in the baton and git processes that end-to-end tests spawn, not
    // in the worker: two files at a time keep both cores of a 2-core machine busy (vitest's
    // default, one worker fewer than the cores, leaves one idle there).
    maxWorkers: 2,
    // A safety net for hangs, not a speed target: end-to-end tests spawn many processes, and
    // on a loaded 2-core machine one of them took 30 s. No test asserts on wall-clock time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
