/**
 * What `baton watch` reports, and the small pure diffs that produce the per-task news. The
 * reporters (one JSON object per line, or a short text line) are in event-format.ts.
 *
 * Decisions:
 * - `handoff` and `discovery` are exactly what `baton news` calls them (core/news.ts, run
 *   on the one task that changed), so a hand-off announced live and one announced after a
 *   pull agree. `handoff.ready` is the live model's answer, not a one-task graph's.
 * - `claimed`: the holder of a task that already existed (the lease's agent, else the
 *   assignee) changed to someone, the acting agent included (the agent that watches is often
 *   the identity several terminals share). `wasYours` marks the case news calls `claimed` (a
 *   task the agent held, taken by someone else). A hand-off to the acting agent is reported
 *   as `handoff` alone. `released`: the task had a holder and has none now.
 * - `status`: the status of a task id changed (judged on the task that owns the id, so a
 *   renamed file is the same task). `by` is the agent of the log line the change appended
 *   (the last one), else the task's holder after the change, else absent: nobody to name.
 *   `released.by` comes from the log line only.
 * - `bad-file` is a `schema` or `conflict-markers` error that was not on the file before
 *   (compared by rule and message: lines move); `file-fixed` is a file that had such errors
 *   and has none now.
 * - `invalid`: a file that held a task stopped parsing (its first error, beside the
 *   `bad-file` events that list them all). Its task is out of the graph until the file is
 *   fixed, as in every other command, but it is not reported `removed`: `unready.state`
 *   says `invalid` for it, and `file-fixed` follows when it parses again.
 * - `unready.state` is the task's new readiness state, `removed` (its file was deleted, or
 *   now declares another id) or `invalid`.
 * - `stale-cache` / `stale-result`: what a HEAD move (pull, merge, checkout) made stale,
 *   the items `baton news` prints for the same commits (stale-watch.ts).
 */
import type { LogEntry } from '../core/log-entry.js';
import { news } from '../core/news.js';
import type { ReadinessState } from '../core/readiness.js';
import type { Problem, Task } from '../core/types.js';

export interface TaskRef {
  id: string;
  path: string;
  title: string;
}

export interface ReadyEvent extends TaskRef {
  type: 'ready';
  priority: string;
  assignee?: string;
  /** An in-progress task whose lease ran out, back in the queue. */
  leaseExpired?: true;
}

export interface UnreadyEvent extends TaskRef {
  type: 'unready';
  state: ReadinessState | 'removed' | 'invalid';
  waitingOn?: string[];
  missing?: string[];
  cycle?: true;
}

export interface ClaimedEvent extends TaskRef {
  type: 'claimed';
  by: string;
  previous?: string;
  wasYours?: true;
}

export interface ReleasedEvent extends TaskRef {
  type: 'released';
  /** Who held it (the lease's agent, else the assignee). */
  previous: string;
  /** The agent of the log line the change appended, if any. */
  by?: string;
}

export interface StatusEvent extends TaskRef {
  type: 'status';
  from: string;
  to: string;
  /** See the module comment; absent when nobody can be named. */
  by?: string;
}

export interface HandoffEvent extends TaskRef {
  type: 'handoff';
  from?: string;
  previous?: string;
  note?: string;
  artifacts?: string[];
  ready: boolean;
}

export interface DiscoveryEvent extends TaskRef {
  type: 'discovery';
  agent: string;
  /** The log entry's time. */
  at: string;
  message: string;
}

export interface LeaseExpiredEvent extends TaskRef {
  type: 'lease-expired';
  agent: string;
  until: string;
}

export interface RemovedEvent {
  type: 'removed';
  path: string;
  id?: string;
  title?: string;
}

/** `cycle`: an id path that starts and ends with the same id. */
export type CycleEvent =
  | { type: 'cycle'; cycle: string[] }
  | { type: 'cycle-resolved'; cycle: string[] };

export interface BadFileEvent {
  type: 'bad-file';
  path: string;
  rule: string;
  line?: number;
  message: string;
}

/** A file that held a task stopped parsing: its first error. */
export interface InvalidEvent extends TaskRef {
  type: 'invalid';
  rule: string;
  line?: number;
  message: string;
}

export interface FileFixedEvent {
  type: 'file-fixed';
  path: string;
  id?: string;
}

export interface HeadEvent {
  type: 'head';
  from?: string;
  to?: string;
  branch?: string;
  /** Task files that differ after the reload. */
  changed: number;
}

export interface ReloadEvent {
  type: 'reload';
  reason: 'start' | 'burst' | 'config' | 'tasks-dir';
  changed: number;
}

export interface TasksDirEvent {
  type: 'tasks-dir';
  state: 'missing' | 'restored';
}

export interface CommitRef {
  commit: string;
  subject: string;
}

/** A cache the commits HEAD moved over made stale (news's `stale-cache`, never cleared). */
export interface StaleCacheEvent {
  type: 'stale-cache';
  name: string;
  dir: string;
  /** The inputs those commits changed (added, removed or modified). */
  inputs: string[];
  commits: CommitRef[];
}

/** A task result those commits made stale (news's `stale-result`). */
export interface StaleResultEvent extends TaskRef {
  type: 'stale-result';
  inherited: boolean;
  via?: string;
  inputs?: string[];
  commits?: CommitRef[];
}

export interface ReadyStateEvent {
  type: 'ready-state';
  tasks: number;
  /** Ready ids, in ready-queue order. */
  ready: string[];
  counts: Record<ReadinessState, number>;
  cycles: string[][];
  badFiles: number;
  head?: string;
  branch?: string;
}

export interface WatchingEvent {
  type: 'watching';
  root: string;
  git: boolean;
}

export interface ErrorEvent {
  type: 'error';
  message: string;
}

export type WatchEvent =
  | ReadyEvent
  | UnreadyEvent
  | ClaimedEvent
  | ReleasedEvent
  | StatusEvent
  | HandoffEvent
  | DiscoveryEvent
  | LeaseExpiredEvent
  | RemovedEvent
  | CycleEvent
  | BadFileEvent
  | InvalidEvent
  | FileFixedEvent
  | HeadEvent
  | ReloadEvent
  | TasksDirEvent
  | StaleCacheEvent
  | StaleResultEvent
  | ReadyStateEvent
  | WatchingEvent
  | ErrorEvent;

export const taskRef = (t: Task): TaskRef => ({ id: t.data.id, path: t.path, title: t.data.title });

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Who holds a task: the lease's agent, else the assignee. */
export function holderOf(t: Task | undefined): string | undefined {
  return str(t?.data.lease?.agent) ?? str(t?.data.assignee);
}

/** Whether `taskNews` can have anything to say (saves the one-task graphs otherwise). */
export function mayHaveNews(
  before: Task | undefined,
  after: Task,
  fresh: readonly LogEntry[],
): boolean {
  return (
    fresh.length > 0 ||
    holderOf(before) !== holderOf(after) ||
    str(before?.data.assignee) !== str(after.data.assignee)
  );
}

/**
 * Hand-offs to `agent`, claims and discoveries for one task that changed: `before` is its
 * previous version (same id) if any, `fresh` the log entries that are new in this change.
 */
export function taskNews(
  before: Task | undefined,
  after: Task,
  fresh: readonly LogEntry[],
  agent: string,
  now: Date,
  readyNow: boolean,
): WatchEvent[] {
  const id = after.data.id;
  const items = news(
    { tasks: before ? [before] : [], logs: new Map([[id, []]]) },
    { tasks: [after], logs: new Map([[id, fresh]]) },
    agent,
    now,
  );
  const out: WatchEvent[] = [];
  const ref = taskRef(after);
  for (const item of items) {
    if (item.kind === 'handoff') {
      const e: HandoffEvent = { type: 'handoff', ...ref, ready: readyNow };
      if (item.from) e.from = item.from;
      if (item.previous) e.previous = item.previous;
      if (item.note) e.note = item.note;
      if (item.artifacts) e.artifacts = item.artifacts;
      out.push(e);
    } else if (item.kind === 'discovery') {
      out.push({
        type: 'discovery',
        ...ref,
        agent: item.agent,
        at: item.time,
        message: item.message,
      });
    }
  }
  const holder = holderOf(after);
  const previous = holderOf(before);
  if (before && holder !== previous) {
    const handedToAgent = holder === agent && items.some((i) => i.kind === 'handoff');
    if (holder && !handedToAgent) {
      const e: ClaimedEvent = { type: 'claimed', ...ref, by: holder };
      if (previous) e.previous = previous;
      if (items.some((i) => i.kind === 'claimed')) e.wasYours = true;
      out.unshift(e);
    } else if (!holder && previous) {
      const e: ReleasedEvent = { type: 'released', ...ref, previous };
      const by = actorOf(fresh);
      if (by) e.by = by;
      out.unshift(e);
    }
  }
  return out;
}

/** The agent of the last log line a change appended, if it names one. */
export function actorOf(fresh: readonly LogEntry[]): string | undefined {
  for (let i = fresh.length - 1; i >= 0; i--) {
    const agent = fresh[i]!.agent;
    if (agent) return agent;
  }
  return undefined;
}

/** `status` for a task whose status changed; `fresh`: the log lines the change appended. */
export function statusEvent(before: Task, after: Task, fresh: readonly LogEntry[]): StatusEvent {
  const e: StatusEvent = {
    type: 'status',
    ...taskRef(after),
    from: before.data.status,
    to: after.data.status,
  };
  const by = actorOf(fresh) ?? holderOf(after);
  if (by) e.by = by;
  return e;
}

/** `invalid` for a file that held `task` and now has the bad `problems` (first one named). */
export function invalidEvent(task: Task, problems: readonly Problem[]): InvalidEvent | undefined {
  const p = badProblems(problems)[0];
  if (!p) return undefined;
  const e: InvalidEvent = { type: 'invalid', ...taskRef(task), rule: p.rule, message: p.message };
  if (p.line !== undefined) e.line = p.line;
  return e;
}

/** The errors that make a file bad: it does not parse, or holds conflict markers. */
export function badProblems(problems: readonly Problem[] | undefined): Problem[] {
  return (problems ?? []).filter(
    (p) => p.severity === 'error' && (p.rule === 'schema' || p.rule === 'conflict-markers'),
  );
}

const problemKey = (p: Problem) => `${p.rule}\0${p.message}`;

/** `bad-file` for the new errors of one file, `file-fixed` when its errors are gone. */
export function fileEvents(
  path: string,
  before: readonly Problem[] | undefined,
  after: readonly Problem[] | undefined,
  exists: boolean,
  id: string | undefined,
): WatchEvent[] {
  const old = badProblems(before);
  const now = badProblems(after);
  if (now.length === 0) {
    if (old.length === 0 || !exists) return [];
    const e: FileFixedEvent = { type: 'file-fixed', path };
    if (id) e.id = id;
    return [e];
  }
  const seen = new Set(old.map(problemKey));
  const out: WatchEvent[] = [];
  for (const p of now) {
    if (seen.has(problemKey(p))) continue;
    seen.add(problemKey(p));
    const e: BadFileEvent = { type: 'bad-file', path, rule: p.rule, message: p.message };
    if (p.line !== undefined) e.line = p.line;
    out.push(e);
  }
  return out;
}

/** `cycle` for paths new in `after`, `cycle-resolved` for paths gone from `before`. */
export function cycleEvents(
  before: readonly (readonly string[])[],
  after: readonly (readonly string[])[],
): CycleEvent[] {
  const key = (c: readonly string[]) => c.join(' -> ');
  const old = new Set(before.map(key));
  const now = new Set(after.map(key));
  const out: CycleEvent[] = [];
  for (const c of before) if (!now.has(key(c))) out.push({ type: 'cycle-resolved', cycle: [...c] });
  for (const c of after) if (!old.has(key(c))) out.push({ type: 'cycle', cycle: [...c] });
  return out;
}

/** Deep equality of parsed front-matter values (plain JSON-like data). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}
