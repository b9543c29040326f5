/** Parsing of option values shared by several commands. */
import { UserError } from '../errors.js';

export function parseLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new UserError('USAGE', `--limit takes a whole number, not "${String(value)}"`);
  }
  return n;
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}
