/** The default configuration as a literal, so reading a repo without config needs no zod. */
import type { Config } from './config.js';

export const DEFAULT_CONFIG: Config = {
  prefix: 't',
  branch_namespaces: true,
  default_estimate: '1h',
  hours_per_day: 8,
  days_per_week: 5,
  aging: { every_days: 7, max: 'high' },
  max_attempts: 3,
  retry: { base: '10m', cap: '1d' },
  resources: {},
  caches: {},
  on_stale: 'warn',
  stale: 'warning',
};
