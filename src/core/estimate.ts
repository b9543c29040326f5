/**
 * Durations and dates as numbers, for the ready order, the critical path and leases.
 *
 * Decisions:
 * - An estimate is `<number><unit>` (`ESTIMATE_PATTERN`): `m` minutes, `h` hours, `d` working
 *   days of `config.hours_per_day` hours, `w` working weeks of `config.days_per_week` days.
 *   A missing or unreadable estimate counts as `config.default_estimate`; if that too is
 *   unreadable, as 1 hour.
 * - Dates are read by `schema/dates.ts` (re-exported here for the core's callers).
 */
import type { Config } from '../schema/config.js';
import { ESTIMATE_PATTERN } from '../schema/fields.js';

export { parseDate, parseDatePattern } from '../schema/dates.js';

type HoursConfig = Pick<Config, 'default_estimate' | 'hours_per_day' | 'days_per_week'>;

/** Hours of one estimate string, or `undefined` when it is not a duration. */
export function parseEstimate(estimate: string, config: HoursConfig): number | undefined {
  const m = ESTIMATE_PATTERN.exec(estimate);
  if (m === null) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'm':
      return n / 60;
    case 'h':
      return n;
    case 'd':
      return n * config.hours_per_day;
    default:
      return n * config.days_per_week * config.hours_per_day;
  }
}

/** Hours of a task's estimate; a missing estimate counts as `config.default_estimate`. */
export function estimateHours(estimate: string | null | undefined, config: HoursConfig): number {
  if (typeof estimate === 'string') {
    const h = parseEstimate(estimate, config);
    if (h !== undefined) return h;
  }
  return parseEstimate(config.default_estimate, config) ?? 1;
}
