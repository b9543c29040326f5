/**
 * Dates as numbers, and whether a string is a date at all.
 *
 * Decisions:
 * - A date is a bare date (`2026-12-01`, midnight UTC) or an ISO date-time. A date-time
 *   without an offset is read as UTC, never as the machine's local time, so every clone
 *   computes the same order. A value that does not match `DATE_PATTERN`, or names a day or
 *   time that does not exist (`2026-02-30`, `25:00`), gives `undefined`: callers treat it
 *   like an absent date, and validation (`isDate`) refuses it.
 * - Seconds run to 59 (no leap second), offsets to 23:59.
 */

const DATE_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

/** Milliseconds of a UTC wall-clock time; years 0000-0099 stay literal (unlike `Date.UTC`). */
function utc(year: number, month: number, day: number, h = 0, min = 0, s = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, h, min, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, min, s, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2) return leap ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written by the digits `s[from, from + n)`, or -1 if one is not a digit. */
function digitsAt(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The two shapes baton writes, `2026-12-01` and `2026-12-01T09:30:00Z`, read without the
 * regex and its eleven groups: the ready order reads two dates of every open task, before
 * V8 has optimised anything on a cold run. `null` when `s` has another shape; what it
 * answers is what the pattern gives (a unit test compares them).
 */
function commonDate(s: string): number | undefined | null {
  const n = s.length;
  if (n !== 10 && n !== 20) return null;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null; // '-'
  if (
    n === 20 &&
    (s.charCodeAt(10) !== 84 || // 'T'
      s.charCodeAt(13) !== 58 || // ':'
      s.charCodeAt(16) !== 58 ||
      s.charCodeAt(19) !== 90) // 'Z'
  ) {
    return null;
  }
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  if (year < 0 || month < 0 || day < 0) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (n === 10) return utc(year, month, day);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (hour < 0 || minute < 0 || second < 0) return null;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return utc(year, month, day, hour, minute, second);
}

/** Whether `s` is a date or date-time (`DATE_PATTERN`) naming a real day and clock time. */
export function isDate(s: string): boolean {
  return parseDate(s) !== undefined;
}

/** Milliseconds since the epoch, or `undefined` for anything that is not a real date. */
export function parseDate(s: string | null | undefined): number | undefined {
  if (typeof s !== 'string') return undefined;
  const common = commonDate(s);
  return common === null ? parseDatePattern(s) : common;
}

/** `parseDate` by the full pattern, for every shape. */
export function parseDatePattern(s: string): number | undefined {
  const m = DATE_PARTS.exec(s);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (m[4] === undefined) return utc(year, month, day);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return utc(year, month, day, hour, minute, second, ms) - offset;
}
