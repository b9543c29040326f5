/**
 * The live model behind `baton watch`: every task file's parsed state, the dependency graph
 * and every task's readiness, updated in place when files change. Pure apart from the clock
 * passed in: the watcher reads and parses files, this decides what changed.
 *
 * Decisions:
 * - Ids get integer slots that live as long as a file declares the id or a task depends on
 *   it (a missing dependency is a slot without a task), then are recycled: the model's size
 *   follows the files, never the edit history.
 * - Duplicate ids: the first file in scan order (namespace, then file name) owns the id,
 *   as in `loadSnapshot` + `buildGraph`; the others are not nodes.
 * - Readiness of a task reads only its own fields, its direct dependencies' statuses, which
 *   of its dependencies exist, and whether it is on a cycle. An edit therefore re-decides the
 *   edited tasks, their direct dependents (when a status or existence changed) and the tasks
 *   whose cycle membership changed. Each decision is `readiness()` from core/readiness.ts,
 *   asked about a one-node view of the graph (node-view.ts), so there is still one place
 *   that decides what "ready" means.
 * - Cycles are re-derived only when edges change (a `depends_on` edit, a task added or
 *   removed): a Tarjan over what the changed tasks and their old cycles reach. Each cycle's
 *   id path comes from `buildGraph` over its members, so it is the path `check` prints.
 * - Time: `not_before` and leases make readiness change with no file changing. Tasks with
 *   such a future instant are kept with it; `tick(now)` re-decides those whose time came,
 *   and `nextDeadline()` says when that is.
 * - Logs are kept as 32-bit hashes of their lines (a multiset), enough to tell which entries
 *   an edit added; an unknown baseline (`log` never given) means no log news for that file.
 */
import { parseDate } from '../core/estimate.js';
import { buildGraph, compareIds } from '../core/graph.js';
import { type LogEntry, parseEntry } from '../core/log-entry.js';
import type { Readiness, ReadinessState } from '../core/readiness.js';
import type { Problem, Task } from '../core/types.js';
import {
  badProblems,
  cycleEvents,
  fileEvents,
  invalidEvent,
  mayHaveNews,
  type ReadyEvent,
  sameValue,
  statusEvent,
  type TaskRef,
  taskNews,
  taskRef,
  type UnreadyEvent,
  type WatchEvent,
} from './events.js';
import { readinessOfNode } from './node-view.js';
import { reachableComponents } from './scc.js';

/** One task file as parsed: its task (if it validated), its problems, its log lines. */
export interface FileEntry {
  task?: Task;
  problems: readonly Problem[];
  /** The `## Log` entries (text after `- `); undefined: not read, keep the last known. */
  log?: readonly string[];
}

/** A file changed: its new entry, or no `file` when it is gone. */
export interface FileChange {
  path: string;
  file?: FileEntry;
}

interface FileState {
  task?: Task;
  problems: readonly Problem[];
  log?: Uint32Array;
}

interface CycleGroup {
  members: number[];
  cycle: string[];
}

const NONE: readonly never[] = Object.freeze([]);
export const STATES: readonly ReadinessState[] = [
  'ready',
  'blocked',
  'scheduled',
  'active',
  'closed',
  'failed',
];

/** Scan order of repo-relative paths: folder by folder, then file name (plain `<`). */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

function hashLine(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The lines of `lines` not in the multiset `old`, in order. */
function freshLines(old: Uint32Array, lines: readonly string[], hashes: Uint32Array): string[] {
  const count = new Map<number, number>();
  for (const h of old) count.set(h, (count.get(h) ?? 0) + 1);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const n = count.get(hashes[i]!) ?? 0;
    if (n > 0) count.set(hashes[i]!, n - 1);
    else out.push(lines[i]!);
  }
  return out;
}

const untilOf = (task: Task): number | undefined => {
  const until: unknown = task.data.lease?.until;
  return parseDate(typeof until === 'string' ? until : undefined);
};

/** An in-progress task whose lease's `until` has passed. */
function leaseRanOut(task: Task, nowMs: number): boolean {
  if (task.data.status !== 'in_progress') return false;
  const until = untilOf(task);
  return until !== undefined && until < nowMs;
}

/** The next instant at which time alone changes the task's readiness, if any. */
function deadlineOf(task: Task, nowMs: number): number | undefined {
  let best: number | undefined;
  if (task.data.status === 'in_progress') {
    const until = untilOf(task);
    if (until !== undefined && until >= nowMs) best = until + 1;
  }
  const nb = parseDate(task.data.not_before);
  if (nb !== undefined && nb > nowMs && (best === undefined || nb < best)) best = nb;
  return best;
}

function sameEntry(a: FileState, b: FileEntry): boolean {
  if (!a.task !== !b.task) return false;
  if (a.task && b.task) {
    if (a.task.namespace !== b.task.namespace || !sameValue(a.task.data, b.task.data)) return false;
  }
  if (a.problems.length !== b.problems.length) return false;
  return a.problems.every((p, i) => {
    const q = b.problems[i]!;
    return (
      p.rule === q.rule &&
      p.severity === q.severity &&
      p.message === q.message &&
      p.line === q.line &&
      p.id === q.id
    );
  });
}

export class LiveState {
  readonly agent: string;
  private readonly files = new Map<string, FileState>();
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Files declaring the slot's id, in scan order; the first owns it. */
  private readonly paths: string[][] = [];
  private readonly owner: (Task | undefined)[] = [];
  /** The owner's dependencies as slots: once each, in `depends_on` order, without itself. */
  private readonly deps: (readonly number[])[] = [];
  private readonly self: boolean[] = [];
  /** Slots whose owner depends on this slot (undefined: none yet). */
  private readonly dependents: (Set<number> | undefined)[] = [];
  /** The cycle group the slot is in, or -1. */
  private readonly group: number[] = [];
  private readonly groups = new Map<number, CycleGroup>();
  private readonly state: (Readiness | undefined)[] = [];
  private readonly expired: boolean[] = [];
  private readonly deadlines = new Map<number, number>();
  private readonly free: number[] = [];
  private nextGroup = 0;

  constructor(options: { agent: string }) {
    this.agent = options.agent;
  }

  /**
   * Apply file changes as one step (a path named twice counts with its last change); returns
   * what changed (nothing when quiet).
   */
  apply(
    changes: readonly FileChange[],
    now: Date,
    options: { quiet?: boolean } = {},
  ): WatchEvent[] {
    const quiet = options.quiet === true;
    const nowMs = now.getTime();
    const fileOut: WatchEvent[] = [];
    const touched: { before: Task | undefined; after: Task; fresh: LogEntry[] }[] = [];
    const dirty = new Set<number>();
    /** Files that held a task and stopped parsing. */
    const invalid = new Set<string>();
    // A batch is the final state of each path it names.
    const last = new Map<string, FileEntry | undefined>();
    for (const c of changes) last.set(c.path, c.file);
    for (const [path, next] of last) {
      const old = this.files.get(path);
      if (!quiet) {
        const exists = next !== undefined;
        fileOut.push(
          ...fileEvents(path, old?.problems, next?.problems, exists, next?.task?.data.id),
        );
        if (!exists && old && !old.task && badProblems(old.problems).length > 0) {
          fileOut.push({ type: 'removed', path });
        }
        const e =
          old?.task && next && !next.task ? invalidEvent(old.task, next.problems) : undefined;
        if (e) {
          fileOut.push(e);
          invalid.add(path);
        }
      }
      let log = old?.log;
      let fresh: LogEntry[] = [];
      if (next?.log) {
        const hashes = Uint32Array.from(next.log, hashLine);
        if (old?.log && !quiet) fresh = freshLines(old.log, next.log, hashes).map(parseEntry);
        log = hashes;
      }
      const oldId = old?.task?.data.id;
      if (oldId !== undefined) {
        const s = this.slotOf.get(oldId)!;
        const list = this.paths[s]!;
        list.splice(list.indexOf(path), 1);
        dirty.add(s);
      }
      if (next) this.files.set(path, { task: next.task, problems: next.problems, log });
      else this.files.delete(path);
      if (next?.task) {
        const s = this.slot(next.task.data.id);
        const list = this.paths[s]!;
        let at = list.length;
        while (at > 0 && comparePaths(list[at - 1]!, path) > 0) at--;
        list.splice(at, 0, path);
        dirty.add(s);
        if (!quiet) touched.push({ before: old?.task, after: next.task, fresh });
      }
    }

    const recompute = new Set<number>();
    const roots = new Set<number>();
    const freeable = new Set<number>();
    const gone = new Map<number, Task>();
    const statusChanged: { prev: Task; next: Task }[] = [];
    for (const s of dirty) {
      const first = this.paths[s]![0];
      const next = first === undefined ? undefined : this.files.get(first)?.task;
      const prev = this.owner[s];
      if (next === undefined) freeable.add(s);
      if (next === prev) continue;
      if (prev && next && prev.data.status !== next.data.status && !quiet) {
        statusChanged.push({ prev, next });
      }
      this.owner[s] = next;
      recompute.add(s);
      if (!prev !== !next) roots.add(s);
      if (prev && !next) gone.set(s, prev);
      if (!prev || !next || prev.data.status !== next.data.status) {
        for (const d of this.dependents[s] ?? NONE) recompute.add(d);
      }
      if (this.relink(s, next, freeable)) roots.add(s);
      const deadline = next ? deadlineOf(next, nowMs) : undefined;
      if (deadline === undefined) this.deadlines.delete(s);
      else this.deadlines.set(s, deadline);
    }

    const cycleOut = roots.size > 0 ? this.recycle(roots, recompute) : undefined;
    const decided = this.decideAll(recompute, now, quiet, gone, invalid);

    const newsOut: WatchEvent[] = [];
    if (!quiet) {
      for (const { before, after, fresh } of touched) {
        const s = this.slotOf.get(after.data.id);
        if (s === undefined || this.owner[s] !== after) continue;
        const prev = before?.data.id === after.data.id ? before : undefined;
        if (!mayHaveNews(prev, after, fresh)) continue;
        const readyNow = this.state[s]?.state === 'ready';
        newsOut.push(...taskNews(prev, after, fresh, this.agent, now, readyNow));
      }
    }
    for (const s of freeable) this.release(s);
    if (quiet) return [];
    const removed: WatchEvent[] = [...gone.values()]
      .filter((t) => !invalid.has(t.path))
      .sort((a, b) => comparePaths(a.path, b.path))
      .map((t) => ({ type: 'removed', id: t.data.id, path: t.path, title: t.data.title }));
    const statusOut: WatchEvent[] = [];
    if (statusChanged.length > 0) {
      const freshAt = new Map(touched.map((t) => [t.after.path, t.fresh]));
      statusChanged.sort((a, b) => comparePaths(a.next.path, b.next.path));
      for (const { prev, next } of statusChanged) {
        statusOut.push(statusEvent(prev, next, freshAt.get(next.path) ?? NONE));
      }
    }
    return [
      ...fileOut,
      ...removed,
      ...newsOut,
      ...statusOut,
      ...decided.lease,
      ...(cycleOut ? cycleEvents(cycleOut.before, cycleOut.after) : []),
      ...decided.unready,
      ...decided.ready,
    ];
  }

  /** Re-decide the tasks whose `not_before` or lease time has come. */
  tick(now: Date): WatchEvent[] {
    const nowMs = now.getTime();
    const due = new Set<number>();
    for (const [s, at] of this.deadlines) if (at <= nowMs) due.add(s);
    if (due.size === 0) return [];
    for (const s of due) {
      const deadline = deadlineOf(this.owner[s]!, nowMs);
      if (deadline === undefined) this.deadlines.delete(s);
      else this.deadlines.set(s, deadline);
    }
    const decided = this.decideAll(due, now, false, new Map(), new Set());
    return [...decided.lease, ...decided.unready, ...decided.ready];
  }

  /** When `tick` next has something to do (ms since the epoch), if ever. */
  nextDeadline(): number | undefined {
    let best: number | undefined;
    for (const at of this.deadlines.values()) if (best === undefined || at < best) best = at;
    return best;
  }

  /** The file changes that turn this model into `snapshot` (paths that differ). */
  changesFrom(snapshot: {
    tasks: readonly Task[];
    fileProblems: readonly Problem[];
  }): FileChange[] {
    const next = new Map<string, { task?: Task; problems: readonly Problem[] }>();
    for (const t of snapshot.tasks) next.set(t.path, { task: t, problems: NONE });
    for (const p of snapshot.fileProblems) {
      if (p.path === undefined) continue;
      const e = next.get(p.path);
      if (e) e.problems = [...e.problems, p];
      else next.set(p.path, { problems: [p] });
    }
    const out: FileChange[] = [];
    for (const [path, entry] of next) {
      const old = this.files.get(path);
      if (!old || !sameEntry(old, entry)) out.push({ path, file: entry });
    }
    for (const path of this.files.keys()) if (!next.has(path)) out.push({ path });
    return out;
  }

  /** Record a file's log as the baseline for log news, unless one is known already. */
  setLogBaseline(path: string, lines: readonly string[]): void {
    const f = this.files.get(path);
    if (f && !f.log) f.log = Uint32Array.from(lines, hashLine);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /** Every task that loaded (duplicates included), in scan order. */
  tasks(): Task[] {
    const out: Task[] = [];
    for (const f of this.files.values()) if (f.task) out.push(f.task);
    return out.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** File problems of every file, in scan order. */
  problems(): Problem[] {
    const keys = [...this.files.keys()].sort(comparePaths);
    return keys.flatMap((k) => this.files.get(k)!.problems);
  }

  readinessOf(id: string): Readiness | undefined {
    const s = this.slotOf.get(id);
    return s === undefined ? undefined : this.state[s];
  }

  readyIds(): string[] {
    const out: string[] = [];
    for (let s = 0; s < this.ids.length; s++) {
      if (this.state[s]?.state === 'ready') out.push(this.ids[s]!);
    }
    return out.sort(compareIds);
  }

  counts(): Record<ReadinessState, number> {
    const c = Object.fromEntries(STATES.map((k) => [k, 0])) as Record<ReadinessState, number>;
    for (const st of this.state) if (st) c[st.state]++;
    return c;
  }

  /** One id path per cycle, sorted by first id (as `buildGraph(...).cycles`). */
  cycles(): string[][] {
    return [...this.groups.values()]
      .map((g) => [...g.cycle])
      .sort((a, b) => compareIds(a[0]!, b[0]!));
  }

  /** Files with errors that keep them out (schema, conflict markers). */
  badFileCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (badProblems(f.problems).length > 0) n++;
    return n;
  }

  /** Slot count (live and placeholder), for tests of the model's size. */
  get slotCount(): number {
    return this.slotOf.size;
  }

  // ------------------------------------------------------------ internals

  private slot(id: string): number {
    const found = this.slotOf.get(id);
    if (found !== undefined) return found;
    const s = this.free.pop() ?? this.ids.length;
    this.ids[s] = id;
    this.paths[s] = [];
    this.owner[s] = undefined;
    this.deps[s] = NONE;
    this.self[s] = false;
    this.dependents[s] = undefined;
    this.group[s] = -1;
    this.state[s] = undefined;
    this.expired[s] = false;
    this.slotOf.set(id, s);
    return s;
  }

  /** Give a slot back once nothing names it. */
  private release(s: number): void {
    if (this.owner[s] !== undefined || this.paths[s]!.length > 0) return;
    if ((this.dependents[s]?.size ?? 0) > 0 || this.group[s] !== -1) return;
    if (this.slotOf.get(this.ids[s]!) !== s) return;
    this.slotOf.delete(this.ids[s]!);
    this.ids[s] = '';
    this.deps[s] = NONE;
    this.state[s] = undefined;
    this.expired[s] = false;
    this.deadlines.delete(s);
    this.free.push(s);
  }

  /** Point slot s's edges at `task`'s dependencies; true when the edge list changed. */
  private relink(s: number, task: Task | undefined, freeable: Set<number>): boolean {
    const list: number[] = [];
    let self = false;
    for (const id of task?.data.depends_on ?? NONE) {
      const d = this.slot(id);
      if (d === s) self = true;
      else if (!list.includes(d)) list.push(d);
    }
    this.self[s] = self;
    const old = this.deps[s]!;
    if (old.length === list.length && old.every((d, i) => d === list[i])) return false;
    for (const d of old) {
      if (list.includes(d)) continue;
      this.dependents[d]?.delete(s);
      freeable.add(d);
    }
    for (const d of list) {
      if (old.includes(d)) continue;
      const set = this.dependents[d];
      if (set) set.add(s);
      else this.dependents[d] = new Set([s]);
    }
    this.deps[s] = list.length === 0 ? NONE : list;
    return true;
  }

  /**
   * Re-derive the cycles through what `roots` (slots whose edges changed) and their old
   * cycle groups reach; marks the slots whose cycle membership changed for re-deciding.
   */
  private recycle(
    roots: Set<number>,
    recompute: Set<number>,
  ): { before: string[][]; after: string[][] } {
    const start = new Set(roots);
    const dropped = new Set<number>();
    for (const r of roots) {
      const g = this.group[r]!;
      if (g === -1) continue;
      dropped.add(g);
      for (const m of this.groups.get(g)!.members) start.add(m);
    }
    const { visited, components } = reachableComponents(
      start,
      this.ids.length,
      (v) => this.deps[v]!,
      (v) => this.owner[v] !== undefined,
    );
    for (const v of visited) if (this.group[v] !== -1) dropped.add(this.group[v]!);
    const before: string[][] = [];
    const wasOn = new Set<number>();
    for (const g of dropped) {
      const group = this.groups.get(g)!;
      before.push(group.cycle);
      for (const m of group.members) {
        this.group[m] = -1;
        wasOn.add(m);
      }
      this.groups.delete(g);
    }
    const after: string[][] = [];
    for (const members of components) {
      if (members.length < 2) continue;
      const g = this.nextGroup++;
      const cycle = buildGraph(members.map((m) => this.owner[m]!)).cycles[0]!;
      this.groups.set(g, { members, cycle: [...cycle] });
      after.push([...cycle]);
      for (const m of members) {
        this.group[m] = g;
        if (!wasOn.delete(m)) recompute.add(m);
      }
    }
    for (const m of wasOn) recompute.add(m);
    return { before, after };
  }

  private decideAll(
    slots: Set<number>,
    now: Date,
    quiet: boolean,
    gone: ReadonlyMap<number, Task>,
    invalid: ReadonlySet<string>,
  ): { ready: WatchEvent[]; unready: WatchEvent[]; lease: WatchEvent[] } {
    const nowMs = now.getTime();
    const ready: { path: string; event: WatchEvent }[] = [];
    const unready: { path: string; event: WatchEvent }[] = [];
    const lease: { path: string; event: WatchEvent }[] = [];
    for (const s of slots) {
      const task = this.owner[s];
      const prev = this.state[s];
      const next = task ? this.decide(s, task, now) : undefined;
      this.state[s] = next;
      const ranOut = task ? leaseRanOut(task, nowMs) : false;
      const wasOut = this.expired[s]!;
      this.expired[s] = ranOut;
      if (quiet) continue;
      if (task && ranOut && !wasOut) {
        lease.push({
          path: task.path,
          event: {
            type: 'lease-expired',
            ...taskRef(task),
            agent: String(task.data.lease?.agent ?? ''),
            until: String(task.data.lease?.until ?? ''),
          },
        });
      }
      const was = prev?.state === 'ready';
      const is = next?.state === 'ready';
      if (is && !was && task && next?.state === 'ready') {
        const event: ReadyEvent = { type: 'ready', ...taskRef(task), priority: task.data.priority };
        if (task.data.assignee) event.assignee = task.data.assignee;
        if (next.leaseExpired) event.leaseExpired = true;
        ready.push({ path: task.path, event });
      } else if (was && !is) {
        const ref: TaskRef | undefined = task ? taskRef(task) : refOf(gone.get(s));
        if (ref) {
          const event = unreadyEvent(ref, next);
          if (!task && invalid.has(ref.path)) event.state = 'invalid';
          unready.push({ path: ref.path, event });
        }
      }
    }
    const order = (list: { path: string; event: WatchEvent }[]) =>
      list.sort((a, b) => comparePaths(a.path, b.path)).map((x) => x.event);
    return { ready: order(ready), unready: order(unready), lease: order(lease) };
  }

  /** Readiness of slot s from the facts around it (see node-view.ts). */
  private decide(s: number, task: Task, now: Date): Readiness {
    const deps: Task[] = [];
    const missing: string[] = [];
    for (const d of this.deps[s]!) {
      const t = this.owner[d];
      if (t) deps.push(t);
      else missing.push(this.ids[d]!);
    }
    const selfDep = this.self[s]!;
    const onCycle = selfDep || this.group[s] !== -1;
    return readinessOfNode({ task, deps, missing, selfDep, onCycle }, now);
  }
}

function refOf(t: Task | undefined): TaskRef | undefined {
  return t ? taskRef(t) : undefined;
}

function unreadyEvent(ref: TaskRef, next: Readiness | undefined): UnreadyEvent {
  const e: UnreadyEvent = { type: 'unready', ...ref, state: next?.state ?? 'removed' };
  if (next?.state === 'blocked') {
    if (next.waitingOn.length > 0) e.waitingOn = [...next.waitingOn];
    if (next.missing.length > 0) e.missing = [...next.missing];
    if (next.cycle) e.cycle = true;
  }
  return e;
}
