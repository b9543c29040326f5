/**
 * The wait before a failed task may be tried again (`baton fail`, SPEC section 6).
 *
 * Decisions:
 * - After the n-th failed attempt the task waits `base * 2^(n-1)`, at most `cap`
 *   (config `retry`, default `10m` and `1d`): 10m, 20m, 40m, ... 1d.
 * - These are wall-clock durations, unlike estimates: `1d` is 24 hours and `1w` 7 days,
 *   whatever `hours_per_day` says. `m`, `h`, `d`, `w` and decimals (`1.5h`) are accepted.
 * - A `base` or `cap` that is not a duration falls back to the default (the config schema
 *   refuses such values, so this only guards hand-built configs).
 */
import type { Config } from '../schema/config.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DEFAULT_BASE_MS = 10 * 60_000;
const DEFAULT_CAP_MS = 86_400_000;

/** Milliseconds of a wall-clock duration (`10m`, `2h`, `1d`, `1w`), or undefined. */
export function parseWallDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** The wait after failed attempt number `attempt` (1-based): `min(cap, base * 2^(attempt-1))`. */
export function retryDelayMs(attempt: number, retry: Config['retry']): number {
  const base = parseWallDuration(retry.base) ?? DEFAULT_BASE_MS;
  const cap = parseWallDuration(retry.cap) ?? DEFAULT_CAP_MS;
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(cap, base * 2 ** (n - 1));
}
