import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A safety net for hangs, not a speed target: end-to-end tests spawn many processes, and
    // on a loaded 2-core machine one of them took 30 s. No test asserts on wall-clock time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
