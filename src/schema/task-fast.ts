/**
 * A hand-written fast path for validating the common shape of a task (the keys `baton new`
 * writes, and the lists, counters and result people and baton add). It returns `undefined`
 * for anything it does not fully check (a lease, for one), and the caller then asks zod
 * (`task.ts`, the reference). User keys ride along unchecked, nested or not. A property test proves the fast path never accepts
 * what zod rejects and returns what zod returns. Why: zod's first use in a process costs
 * ~90 ms, a third of the whole cold-load budget at 10,000 tasks; this module imports no zod.
 */
import { isDate } from './dates.js';
import { ESTIMATE_PATTERN, ID_PATTERN, PRIORITIES, STATUSES } from './fields.js';
import type { TaskData } from './task.js';

const STATUS_SET: ReadonlySet<string> = new Set(STATUSES);
const PRIORITY_SET: ReadonlySet<string> = new Set(PRIORITIES);
/** Keys the fast path checks itself; any other owned key sends the object to zod. */
const FAST_KEYS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'status',
  'priority',
  'depends_on',
  'assignee',
  'labels',
  'estimate',
  'due',
  'created',
  'updated',
  'parent',
  'not_before',
]);
/** Owned keys only zod checks; any of them sends the object to zod. */
const ZOD_ONLY_KEYS: ReadonlySet<string> = new Set(['lease']);
/** Owned lists of strings, checked after the loop when one is there. */
const STRING_LISTS = ['skills', 'resources', 'inputs', 'reviewers'] as const;
/**
 * Owned keys most tasks lack, checked only when the loop met one: reading a missing key of
 * objects of many shapes (hand-written files have hundreds) costs a cache miss each time.
 */
const RARE_KEYS: ReadonlySet<string> = new Set([
  ...STRING_LISTS,
  'attempts',
  'max_attempts',
  'result',
]);

function optMatch(v: unknown, re: RegExp): boolean {
  return v === undefined || v === null || (typeof v === 'string' && re.test(v));
}

/** Absent, or a real date (`isDate`: the pattern, a day the month has, a clock time). */
function optDate(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && isDate(v));
}

function idList(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'string' || !ID_PATTERN.test(x)) return false;
  }
  return true;
}

function stringList(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/** A count as zod's `z.int().min(min).nullish()` takes it. */
function optCount(v: unknown, min: number): boolean {
  return v === undefined || v === null || (Number.isSafeInteger(v) && (v as number) >= min);
}

/** The rare keys as zod takes them. */
function rareKeys(raw: Record<string, unknown>): boolean {
  for (const key of STRING_LISTS) {
    const v = raw[key];
    if (v !== undefined && v !== null && !stringList(v)) return false;
  }
  return optCount(raw.attempts, 0) && optCount(raw.max_attempts, 1) && optResult(raw.result);
}

/** `result: { commit, fingerprint, ... }` as zod's loose object takes it (a plain object). */
function optResult(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  // zod drops an own `__proto__` key, as at the top level
  if (Object.hasOwn(v, '__proto__')) return false;
  const r = v as Record<string, unknown>;
  return typeof r.commit === 'string' && typeof r.fingerprint === 'string';
}

/**
 * Fast path: the validated task, or `undefined` when zod must decide. The task is `raw`
 * itself, completed with zod's defaults (in the places zod's output has them): callers pass
 * an object they own, such as what the parser just returned. Copying it instead was half of
 * this function's time in a cold load. `raw` is changed only when the answer is a task.
 */
export function validateTaskFast(raw: Record<string, unknown>): TaskData | undefined {
  // zod drops an own `__proto__` key; leave such an object to zod so both agree.
  if (Object.hasOwn(raw, '__proto__')) return undefined;
  let rare = false;
  for (const key in raw) {
    if (ZOD_ONLY_KEYS.has(key)) return undefined;
    if (FAST_KEYS.has(key)) continue;
    if (raw[key] === undefined) return undefined;
    if (RARE_KEYS.has(key)) rare = true;
  }
  const { id: i, title, status, priority, depends_on, assignee, labels } = raw;
  if (typeof i !== 'string' || !ID_PATTERN.test(i)) return undefined;
  if (typeof title !== 'string' || title.length === 0) return undefined;
  if (status !== undefined && (typeof status !== 'string' || !STATUS_SET.has(status)))
    return undefined;
  if (priority !== undefined && (typeof priority !== 'string' || !PRIORITY_SET.has(priority)))
    return undefined;
  if (depends_on !== undefined && !idList(depends_on)) return undefined;
  if (labels !== undefined && !stringList(labels)) return undefined;
  if (
    assignee !== undefined &&
    assignee !== null &&
    (typeof assignee !== 'string' || assignee === '')
  )
    return undefined;
  if (!optMatch(raw.estimate, ESTIMATE_PATTERN)) return undefined;
  if (!optDate(raw.due)) return undefined;
  if (!optDate(raw.created)) return undefined;
  if (!optDate(raw.updated)) return undefined;
  if (!optDate(raw.not_before)) return undefined;
  if (!optMatch(raw.parent, ID_PATTERN)) return undefined;
  if (rare && !rareKeys(raw)) return undefined;
  // Same keys in the same order as `{ ...raw, id, title, status, ... }`: present keys keep
  // their place, missing ones are appended in this order.
  raw.status = status ?? 'todo';
  raw.priority = priority ?? 'medium';
  raw.depends_on = depends_on ?? [];
  raw.labels = labels ?? [];
  return raw as TaskData;
}
