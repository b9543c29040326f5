/**
 * The board's live state: one Row per task, kept current by baton's watcher (chokidar on the
 * task files and git's HEAD, src/watch/watcher.ts), and the numbered deltas the browser gets
 * over the event stream.
 *
 * Decisions:
 * - The watcher's model is the truth. After each step it applies (file changes, a reload, a
 *   lease or `not_before` coming due), the rows are re-derived from it and compared with
 *   what was sent: a task whose row differs is a `task` delta, a task gone a `remove`. Only
 *   files whose parsed task changed are read again (for the fingerprint, the failed attempts
 *   and the open discoveries); the others reuse what was read, keyed by the parsed task.
 *   The step's watcher events become `activity` items, and a `team` delta says the team view
 *   is out of date.
 * - Nothing polls: with no file or HEAD change the state does no work at all.
 * - The last 1000 deltas stay in a ring, so a browser that reconnects with `Last-Event-ID`
 *   gets exactly what it missed; older than that, it gets a fresh snapshot.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isOverdue } from '../core/due.js';
import { parseEntry } from '../core/log-entry.js';
import type { Readiness, ReadinessState } from '../core/readiness.js';
import { failures } from '../core/retry.js';
import { openDiscoveries } from '../core/task-talk.js';
import type { Task } from '../core/types.js';
import { paint } from '../report/color.js';
import type { Status } from '../schema/fields.js';
import type { Root } from '../store/root.js';
import { eventText } from '../watch/event-format.js';
import type { WatchEvent } from '../watch/events.js';
import { logLines } from '../watch/read-task.js';
import { startWatch, type WatchHandle } from '../watch/watcher.js';

/** One task as the board shows it (the UI imports this type: one contract). */
export interface Row {
  id: string;
  title: string;
  status: Status;
  state: ReadinessState;
  priority: string;
  assignee: string | null;
  estimate: string | null;
  labels: string[];
  namespace: string;
  depends_on: string[];
  due: string | null;
  overdue: boolean;
  lease_expired: boolean;
  attempts: number;
  open_discoveries: number;
  fingerprint: string;
}

export interface Activity {
  type: string;
  id?: string;
  text: string;
  time: string;
}

export type DeltaEvent = 'task' | 'remove' | 'activity' | 'team';

export interface Delta {
  seq: number;
  event: DeltaEvent;
  data: unknown;
}

/** What the file itself adds to a row: read once per parsed version of the task. */
export interface FileFacts {
  fingerprint: string;
  attempts: number;
  open_discoveries: number;
}

export const RING_SIZE = 1000;
const ACTIVITY_SIZE = 50;

/** sha1 of the file's bytes, 16 hex digits: what `If-Match` carries. */
export function fingerprintOf(bytes: Buffer | string): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 16);
}

export function factsOf(bytes: Buffer): FileFacts {
  const entries = (logLines(bytes.toString('utf8')) ?? []).map(parseEntry);
  return {
    fingerprint: fingerprintOf(bytes),
    attempts: failures(entries).length,
    open_discoveries: openDiscoveries(entries).length,
  };
}

const strOrNull = (v: unknown): string | null =>
  v === undefined || v === null || v === '' ? null : String(v);

export function rowOf(
  task: Task,
  readiness: Readiness | undefined,
  facts: FileFacts,
  now: Date,
): Row {
  const d = task.data;
  return {
    id: d.id,
    title: d.title,
    status: d.status,
    state: readiness?.state ?? 'blocked',
    priority: d.priority,
    assignee: strOrNull(d.assignee),
    estimate: strOrNull(d.estimate),
    labels: [...(d.labels ?? [])],
    namespace: task.namespace,
    depends_on: [...(d.depends_on ?? [])],
    due: strOrNull(d.due),
    overdue: isOverdue(d, now),
    lease_expired: readiness?.state === 'ready' && readiness.leaseExpired === true,
    attempts: facts.attempts,
    open_discoveries: facts.open_discoveries,
    fingerprint: facts.fingerprint,
  };
}

export interface BoardStateOptions {
  root: Root;
  agent: string;
}

export class BoardState {
  readonly root: Root;
  readonly agent: string;
  seq = 0;
  branch: string | null = null;
  private handle: WatchHandle | undefined;
  private readonly rows = new Map<string, { row: Row; json: string; path: string }>();
  private facts = new WeakMap<Task, FileFacts>();
  private readonly ring: Delta[] = [];
  private readonly recent: Activity[] = [];
  private readonly listeners = new Set<(d: Delta) => void>();
  private pending: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(options: BoardStateOptions) {
    this.root = options.root;
    this.agent = options.agent;
  }

  async start(): Promise<void> {
    this.handle = await startWatch({
      root: this.root,
      agent: this.agent,
      emit: (e) => this.onEvent(e),
      // every step the watcher applies to its model: re-derive the rows after it
      onModelChange: () => this.schedule(),
    });
    this.refresh(false);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pending) clearImmediate(this.pending);
    this.listeners.clear();
    await this.handle?.close();
  }

  /** Deltas as they happen. */
  subscribe(fn: (d: Delta) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The deltas after `seq`, or undefined when they are no longer all in the ring. */
  since(seq: number): Delta[] | undefined {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const first = this.ring[0];
    if (!first || seq < first.seq - 1) return undefined;
    return this.ring.filter((d) => d.seq > seq);
  }

  rowList(): Row[] {
    return [...this.rows.values()].map((r) => r.row);
  }

  row(id: string): Row | undefined {
    return this.rows.get(id)?.row;
  }

  /** The repo-relative path of the file that holds task `id`, as loaded. */
  pathOf(id: string): string | undefined {
    return this.rows.get(id)?.path;
  }

  activity(): Activity[] {
    return [...this.recent];
  }

  /** The rows as of now (re-derived, so a write just made is in them). */
  refreshNow(): void {
    this.refresh(true);
  }

  private schedule(): void {
    if (this.pending || this.closed) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.refresh(true);
    });
  }

  private onEvent(e: WatchEvent): void {
    if (e.type === 'ready-state') {
      this.branch = e.branch ?? null;
      return;
    }
    if (e.type === 'watching') return;
    if (e.type === 'head') {
      if (e.branch !== undefined) this.branch = e.branch;
      // a checkout or merge may change bodies the model does not compare: read all again
      this.facts = new WeakMap();
    }
    if (e.type === 'reload') this.facts = new WeakMap();
    const now = new Date();
    const text = eventText(e, now, paint(false)).replace(/^\d\d:\d\d:\d\d /, '');
    const item: Activity = { type: e.type, text, time: now.toISOString() };
    if ('id' in e && typeof e.id === 'string') item.id = e.id;
    this.recent.unshift(item);
    if (this.recent.length > ACTIVITY_SIZE) this.recent.length = ACTIVITY_SIZE;
    this.push('activity', item);
    this.schedule();
  }

  private push(event: DeltaEvent, data: unknown): void {
    const d: Delta = { seq: ++this.seq, event, data };
    this.ring.push(d);
    if (this.ring.length > RING_SIZE) this.ring.shift();
    for (const fn of this.listeners) fn(d);
  }

  private factsFor(task: Task): FileFacts | undefined {
    let f = this.facts.get(task);
    if (!f) {
      try {
        f = factsOf(readFileSync(join(this.root.root, task.path)));
      } catch {
        return undefined; // gone: the watcher's next step says so
      }
      this.facts.set(task, f);
    }
    return f;
  }

  /** Re-derive every row from the model; send what differs (when `send`). */
  private refresh(send: boolean): void {
    const model = this.handle?.model;
    if (!model || this.closed) return;
    const now = new Date();
    const seen = new Set<string>();
    let changed = false;
    for (const task of model.tasks()) {
      const id = task.data.id;
      if (seen.has(id)) continue; // a duplicate: the first file in scan order owns the id
      seen.add(id);
      const facts = this.factsFor(task);
      if (!facts) continue;
      const row = rowOf(task, model.readinessOf(id), facts, now);
      const json = JSON.stringify(row);
      const prev = this.rows.get(id);
      if (prev && prev.json === json && prev.path === task.path) continue;
      this.rows.set(id, { row, json, path: task.path });
      if (send && prev?.json !== json) {
        this.push('task', row);
        changed = true;
      }
    }
    for (const id of [...this.rows.keys()]) {
      if (seen.has(id)) continue;
      this.rows.delete(id);
      if (send) {
        this.push('remove', { id });
        changed = true;
      }
    }
    if (send && changed) this.push('team', {});
  }
}

/** The repository's name for the header: its folder's name. */
export const repoName = (root: Root) => basename(root.root);
