/** `.tasks/config.yaml`: every setting optional, with the defaults documented in the README. */
import { z } from 'zod';
import { ESTIMATE_PATTERN, NAMESPACE_PATTERN } from './fields.js';

/** Cache names: they become folder names through `{name}`. */
export const CACHE_NAME = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CACHE_NAME_MESSAGE = 'a cache name is letters, digits, . _ - (at most 64)';
const RESOURCE_NAME_MESSAGE = 'a resource name is letters, digits, . _ - (at most 64)';

/** A cache's folder before placeholders: relative, inside the repository, no `..`. */
function safeDirTemplate(dir: string): boolean {
  if (dir.includes('..') || dir.includes('\\') || dir.includes('\0')) return false;
  if (dir.startsWith('/') || /^[A-Za-z]:/.test(dir)) return false;
  const parts = dir.split('/').filter((p) => p !== '' && p !== '.');
  return parts.length > 0 && parts[0] !== '.git' && parts[0] !== '.tasks';
}

const CacheSchema = z.object({
  inputs: z.array(z.string().min(1)).min(1, 'list at least one glob'),
  dir: z
    .string()
    .refine(
      safeDirTemplate,
      'a folder inside the repository: relative, no "..", not the root, .git or .tasks',
    )
    .default('cache/{namespace}/{name}'),
});

export type CacheConfig = z.infer<typeof CacheSchema>;

export const ConfigSchema = z.looseObject({
  /** Prefix of generated ids: `<prefix>-<random base36>`. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._]{0,15}$/, 'letters, digits, . and _ (at most 16)')
    .default('t'),
  /** Namespace for new tasks when not on a branch (detached HEAD) or when set explicitly. */
  default_namespace: z.string().regex(NAMESPACE_PATTERN).nullish(),
  /** Use the current branch's namespace for new tasks (default true). */
  branch_namespaces: z.boolean().default(true),
  /** Estimate assumed for tasks without one, for the ready order and the critical path. */
  default_estimate: z.string().regex(ESTIMATE_PATTERN).default('1h'),
  /** Hours in a working day and days in a working week, for `d` and `w` estimates. */
  hours_per_day: z.number().positive().default(8),
  days_per_week: z.number().positive().default(5),
  /**
   * Aging: a ready task raised one priority level per `every_days` it has waited (since
   * `created`), never above `max` (at most `high`). `false` turns it off.
   */
  aging: z
    .union([
      z.literal(false),
      z.object({
        every_days: z.number().positive().default(7),
        max: z.enum(['high', 'medium', 'low']).default('high'),
      }),
    ])
    .default({ every_days: 7, max: 'high' }),
  max_attempts: z.int().min(1).default(3),
  /**
   * Backoff after `baton fail`: the task waits `base * 2^(attempts-1)`, at most `cap`,
   * before it is ready again (`not_before`).
   */
  retry: z
    .object({
      base: z.string().regex(ESTIMATE_PATTERN).default('10m'),
      cap: z.string().regex(ESTIMATE_PATTERN).default('1d'),
    })
    .default({ base: '10m', cap: '1d' }),
  /**
   * Shared limits such as a rate-limited API or a GPU box: `name: { capacity: N }`, counted
   * over in-progress tasks that list the name in `resources`.
   */
  resources: z
    .record(
      z.string().regex(CACHE_NAME, RESOURCE_NAME_MESSAGE),
      z.object({ capacity: z.int().min(0) }),
    )
    .default({}),
  /**
   * Local caches (SPEC section 4): `name: { inputs: [globs], dir }`. `dir` is relative to
   * the repository root and may use `{namespace}`, `{branch}`, `{agent}` and `{name}`.
   */
  caches: z.record(z.string().regex(CACHE_NAME, CACHE_NAME_MESSAGE), CacheSchema).default({}),
  /** After a pull, merge, checkout or rebase: only report stale caches, or also clear them. */
  on_stale: z.enum(['warn', 'clear']).default('warn'),
  /** Severity of `stale-result` in `check` (always error under `check --base`). */
  stale: z.enum(['warning', 'error']).default('warning'),
});

export type Config = z.infer<typeof ConfigSchema>;

export interface ConfigValidation {
  ok: boolean;
  config?: Config;
  issues: { field: string; message: string }[];
}

export function validateConfig(raw: unknown): ConfigValidation {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (result.success) return { ok: true, config: result.data, issues: [] };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      field: i.path.map(String).join('.'),
      message: i.message,
    })),
  };
}
