/**
 * Fast path for validating `config.yaml`: a config made only of flat settings with plainly
 * valid values is accepted without loading zod (~50 ms) or the YAML parser; anything else
 * (nested `aging:`, `caches:`, unknown keys, doubtful values) returns undefined and goes to
 * the zod schema in `config.ts`, the reference. A property test checks the two agree.
 */
import type { Config } from './config.js';
import { DEFAULT_CONFIG } from './config-defaults.js';
import { ESTIMATE_PATTERN, NAMESPACE_PATTERN } from './fields.js';

const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._]{0,15}$/;
const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

const CHECKS: Record<string, (v: unknown) => boolean> = {
  prefix: (v) => typeof v === 'string' && PREFIX.test(v),
  default_namespace: (v) => v === null || (typeof v === 'string' && NAMESPACE_PATTERN.test(v)),
  branch_namespaces: (v) => typeof v === 'boolean',
  default_estimate: (v) => typeof v === 'string' && ESTIMATE_PATTERN.test(v),
  hours_per_day: positive,
  days_per_week: positive,
  aging: (v) => v === false,
  max_attempts: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
};

export function validateConfigFast(raw: Record<string, unknown>): Config | undefined {
  for (const key in raw) {
    const check = CHECKS[key];
    if (!check?.(raw[key])) return undefined;
  }
  return { ...DEFAULT_CONFIG, ...raw } as Config;
}
