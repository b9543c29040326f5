/** Public API: the pure core and the loaders, for tools that embed baton. */
export type { Problem, Snapshot, Task } from './core/types.js';
export { ExitError, UserError } from './errors.js';
