/** ISO 8601 weeks (Monday to Sunday, UTC; week 1 holds the year's first Thursday). */

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** The start (Monday 00:00 UTC, ms) of the ISO week holding `ms`. */
export function isoWeek(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  const fromMonday = (((day + 3) % 7) + 7) % 7;
  return (day - fromMonday) * DAY_MS;
}

/** `2026-W47`: the ISO week-numbering year and week of the week starting at `monday`. */
export function weekLabel(monday: number): string {
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
