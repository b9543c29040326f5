/**
 * Small mappings every reader shares: dates into ISO 8601, source keys into snake_case
 * front-matter keys that never take a key baton owns, and baton's own values carried
 * back by `baton export` (`baton_status`, ...).
 */
import {
  DATE_PATTERN,
  OWNED_KEYS,
  PRIORITIES,
  type Priority,
  STATUSES,
  type Status,
} from '../schema/fields.js';

const OWNED: ReadonlySet<string> = new Set(OWNED_KEYS);

/** Taskwarrior's compact form `20261201T120000Z`, or any ISO text. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * An ISO 8601 date or date-time for `value`, or `undefined` when it is not a date.
 * Compact Taskwarrior dates become `2026-12-01T12:00:00Z`; ISO text is kept as written.
 */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const c = COMPACT.exec(value);
  if (c) return `${c[1]}-${c[2]}-${c[3]}T${c[4]}:${c[5]}:${c[6]}Z`;
  if (DATE_PATTERN.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace('.000Z', 'Z');
}

/** `key` as a front-matter key: snake_case; a key baton owns gets `prefix`. */
export function extraKey(key: string, prefix: string): string {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  const safe = snake === '' ? 'field' : snake;
  return OWNED.has(safe) ? `${prefix}_${safe}` : safe;
}

export function batonStatus(value: unknown): Status | undefined {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value)
    ? (value as Status)
    : undefined;
}

export function batonPriority(value: unknown): Priority | undefined {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value)
    ? (value as Priority)
    : undefined;
}

/** "3 tasks: ..." / "1 task: ..." for notes said once per kind. */
export function countNote(ids: readonly string[], what: string): string {
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', ...' : '');
  return `${ids.length} ${ids.length === 1 ? 'task' : 'tasks'} (${shown}): ${what}`;
}

/** Groups ids under a note text, to say each kind of loss once. */
export class Notes {
  private readonly byText = new Map<string, string[]>();
  readonly plain: string[] = [];

  add(id: string, text: string): void {
    const ids = this.byText.get(text);
    if (ids) ids.push(id);
    else this.byText.set(text, [id]);
  }

  list(): string[] {
    return [...this.plain, ...[...this.byText].map(([text, ids]) => countNote(ids, text))];
  }
}
