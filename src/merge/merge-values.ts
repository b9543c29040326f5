/**
 * The merge driver's field rules: three parsed front matters (base, ours, theirs) -> the
 * merged values, the keys left in conflict, and log entries the merge itself adds.
 *
 * Decisions:
 * - A key changed on one side only takes that side's value, deletion included; both sides
 *   writing the same value take it. Absent is `undefined` (YAML never yields it).
 * - Lists merge as sets, honoring removals: the known list keys (`LIST_KEYS`, where absent or
 *   null counts as `[]`) and any key whose values are all lists of scalars. The order is
 *   ours', then theirs' additions. An empty result where a side has no key at all is absent.
 * - Maps on every side merge key by key with the same rules; a conflict inside a map makes
 *   the whole top-level key a conflict.
 * - `updated` changed on both sides takes the later time (dates read as UTC, see
 *   `parseDate`); equal instants written differently take the larger text.
 * - Claim race: both sides changed `lease` from base to leases of different agents. The
 *   earlier `lease.claimed` wins (a missing or unreadable time counts as latest; ties go to
 *   the smaller agent name) and takes `status`, `assignee` and `lease` as one. A
 *   `lost-claim` entry records the loser, timed at the later claim (never "now"), so both
 *   clones compute the same line.
 * - Anything else changed differently on both sides is a conflict: ours' value is kept and
 *   the key is reported.
 */
import { parseDate } from '../core/estimate.js';
import { formatEntry } from '../core/log-entry.js';
import { deepEqual } from '../format/deep-equal.js';

export type Data = Record<string, unknown>;

export const LIST_KEYS: ReadonlySet<string> = new Set([
  'depends_on',
  'labels',
  'skills',
  'resources',
  'inputs',
  'reviewers',
]);

const CLAIM_KEYS = ['status', 'assignee', 'lease'] as const;

export interface FieldMerge {
  /** Every key of the result in order (ours' keys, then theirs' additions); absent ones left out. */
  data: Map<string, unknown>;
  /** Top-level keys changed differently on both sides; `data` holds ours' value for them. */
  conflicts: string[];
  /** Log entries the merge adds (the `lost-claim` line), formatted. */
  entries: string[];
}

type Merged = { ok: true; value: unknown } | { ok: false };

const ok = (value: unknown): Merged => ({ ok: true, value });
const CONFLICT: Merged = { ok: false };

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalarList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

/** A scalar's identity in a set: type and value, so `1` and `'1'` stay apart. */
const itemKey = (x: unknown): string => `${typeof x}:${String(x)}`;

/** Base items kept unless a side removed them, plus both sides' additions (ours' order first). */
export function mergeSet(base: unknown[], ours: unknown[], theirs: unknown[]): unknown[] {
  const b = new Set(base.map(itemKey));
  const o = new Set(ours.map(itemKey));
  const t = new Set(theirs.map(itemKey));
  const seen = new Set<string>();
  const out: unknown[] = [];
  const push = (x: unknown) => {
    const k = itemKey(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  };
  for (const x of ours) if (!(b.has(itemKey(x)) && !t.has(itemKey(x)))) push(x);
  for (const x of theirs) if (!b.has(itemKey(x)) && !o.has(itemKey(x))) push(x);
  return out;
}

/** Keys of the given maps in first-seen order. */
function keysOf(...maps: Array<Record<string, unknown> | undefined>): string[] {
  const keys = new Set<string>();
  for (const m of maps) for (const k of Object.keys(m ?? {})) keys.add(k);
  return [...keys];
}

function mergeMaps(
  b: Record<string, unknown> | undefined,
  o: Record<string, unknown>,
  t: Record<string, unknown>,
): Merged {
  const out: Record<string, unknown> = {};
  for (const k of keysOf(o, t, b)) {
    const m = mergeValue(b?.[k], o[k], t[k], false);
    if (!m.ok) return CONFLICT;
    if (m.value !== undefined) {
      Object.defineProperty(out, k, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return ok(out);
}

/** Three-way merge of one value; `listKey` reads absent or null as an empty list. */
function mergeValue(b: unknown, o: unknown, t: unknown, listKey: boolean): Merged {
  if (deepEqual(o, t)) return ok(o);
  if (deepEqual(b, o)) return ok(t);
  if (deepEqual(b, t)) return ok(o);
  const asList = (v: unknown) => (listKey && (v === undefined || v === null) ? [] : v);
  const [lb, lo, lt] = [asList(b), asList(o), asList(t)];
  if (isScalarList(lo) && isScalarList(lt) && (lb === undefined || isScalarList(lb))) {
    const merged = mergeSet(lb ?? [], lo, lt);
    return ok(merged.length === 0 && (o === undefined || t === undefined) ? undefined : merged);
  }
  if (isPlainMap(o) && isPlainMap(t) && (b === undefined || isPlainMap(b))) {
    return mergeMaps(b, o, t);
  }
  return CONFLICT;
}

/** The later of two `updated` values, or a conflict when either is not a time. */
function laterTime(o: unknown, t: unknown): Merged {
  if (o === undefined || o === null) return ok(t);
  if (t === undefined || t === null) return ok(o);
  const a = typeof o === 'string' ? parseDate(o) : undefined;
  const b = typeof t === 'string' ? parseDate(t) : undefined;
  if (a === undefined || b === undefined) return CONFLICT;
  if (a !== b) return ok(a > b ? o : t);
  return ok(String(o) > String(t) ? o : t);
}

interface Lease {
  agent: string;
  claimed?: unknown;
}

function leaseOf(data: Data): Lease | undefined {
  const lease = data.lease;
  if (!isPlainMap(lease) || typeof lease.agent !== 'string') return undefined;
  return { agent: lease.agent, claimed: lease.claimed };
}

/** A time as an ISO string without milliseconds when they are zero. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function timeText(v: unknown): string | undefined {
  return typeof v === 'string' && parseDate(v) !== undefined ? v : undefined;
}

/** The later of the readable times among `values`, as ISO, or undefined. */
function latest(values: unknown[]): string | undefined {
  let best: number | undefined;
  for (const v of values) {
    const ms = typeof v === 'string' ? parseDate(v) : undefined;
    if (ms !== undefined && (best === undefined || ms > best)) best = ms;
  }
  return best === undefined ? undefined : iso(best);
}

interface ClaimRace {
  winner: 'ours' | 'theirs';
  entry: string;
}

/** Both sides claimed the task for different agents: who wins, and the log line. */
export function claimRace(base: Data, ours: Data, theirs: Data): ClaimRace | undefined {
  const o = leaseOf(ours);
  const t = leaseOf(theirs);
  if (!o || !t || o.agent === t.agent) return undefined;
  if (deepEqual(base.lease, ours.lease) || deepEqual(base.lease, theirs.lease)) return undefined;
  const rank = (l: Lease) => (typeof l.claimed === 'string' ? parseDate(l.claimed) : undefined);
  const ro = rank(o) ?? Number.POSITIVE_INFINITY;
  const rt = rank(t) ?? Number.POSITIVE_INFINITY;
  const oursWins = ro < rt || (ro === rt && o.agent < t.agent);
  const [w, l] = oursWins ? [o, t] : [t, o];
  const time =
    latest([o.claimed, t.claimed]) ??
    latest([ours.updated, theirs.updated]) ??
    latest([base.updated, base.created]) ??
    iso(0);
  const at = (x: Lease) => timeText(x.claimed) ?? 'an unknown time';
  const entry = formatEntry({
    time,
    agent: w.agent,
    verb: 'lost-claim',
    target: l.agent,
    message: `claim of ${l.agent} at ${at(l)} lost to ${w.agent} at ${at(w)}`,
  });
  return { winner: oursWins ? 'ours' : 'theirs', entry };
}

/** Merges the three front matters field by field. */
export function mergeFields(base: Data, ours: Data, theirs: Data): FieldMerge {
  const data = new Map<string, unknown>();
  const conflicts: string[] = [];
  const entries: string[] = [];
  const race = claimRace(base, ours, theirs);
  if (race) entries.push(race.entry);
  const get = (d: Data, k: string) => (Object.hasOwn(d, k) ? d[k] : undefined);
  for (const key of keysOf(ours, theirs, base)) {
    const [b, o, t] = [get(base, key), get(ours, key), get(theirs, key)];
    let m: Merged;
    if (race && (CLAIM_KEYS as readonly string[]).includes(key)) {
      m = ok(get(race.winner === 'ours' ? ours : theirs, key));
    } else {
      m = mergeValue(b, o, t, LIST_KEYS.has(key));
      if (!m.ok && key === 'updated') m = laterTime(o, t);
    }
    const value = m.ok ? m.value : o;
    if (!m.ok) conflicts.push(key);
    if (value !== undefined) data.set(key, value);
  }
  return { data, conflicts, entries };
}
