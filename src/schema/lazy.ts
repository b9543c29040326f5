/**
 * The zod validators as one module, for the small bundles (read.cjs, check-staged.cjs): they
 * import `task.js` and `config.js` on demand, and the build points both at one file built
 * from this, so zod is loaded at most once per process (esbuild.config.mjs).
 */
export { validateConfig } from './config.js';
export { validateTaskZod } from './task.js';
