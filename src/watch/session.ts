/**
 * When to re-read what: pending task-file events, git activity and the lease timer, and the
 * two ways of applying them to the model (a few files, or a whole reload). The timings and
 * their reasons are in the module comment of watcher.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../store/load.js';
import type { Root } from '../store/root.js';
import type { ReloadEvent, WatchEvent } from './events.js';
import { type GitDirs, type Head, readHead } from './git-head.js';
import type { FileChange, LiveState } from './live-state.js';
import { logLines, readTaskChange, statKey } from './read-task.js';
import { staleEvents } from './stale-watch.js';

export interface Timing {
  quietMs: number;
  maxMs: number;
  burstQuietMs: number;
  burstMaxMs: number;
  burstFiles: number;
  gitLockMaxMs: number;
  recheckMs: number;
  /** Longest wait between two lease / not_before checks. */
  tickMaxMs: number;
}

export const TIMING: Timing = {
  quietMs: 20,
  maxMs: 100,
  burstQuietMs: 100,
  burstMaxMs: 2000,
  burstFiles: 200,
  gitLockMaxMs: 5000,
  recheckMs: 75,
  tickMaxMs: 30_000,
};

/** Pending work, its timing, and the two ways of applying it (a few files, or a reload). */
export class Session {
  private pending = new Set<string>();
  private firstAt = 0;
  private lastAt = 0;
  private headDirty = false;
  private configDirty = false;
  private gitActive = false;
  private tasksDirDirty = false;
  private tasksMissing = false;
  private live = false;
  private closed = false;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private readonly recheckKeys = new Map<string, string>();

  constructor(
    private readonly root: Root,
    private readonly dirs: GitDirs | undefined,
    private readonly model: LiveState,
    private readonly emit: (event: WatchEvent) => void,
    private readonly t: Timing,
    private head: Head,
    /** Called after every step that may have changed the model (a board re-derives rows). */
    private readonly changed: () => void = () => {},
  ) {}

  taskFile(rel: string): void {
    this.pending.add(rel);
    this.touch();
  }

  configChanged(): void {
    this.configDirty = true;
    this.touch();
  }

  gitEvent(headMayMove: boolean): void {
    if (headMayMove) this.headDirty = true;
    this.gitActive = true;
    this.touch();
  }

  tasksDirEvent(): void {
    this.tasksDirDirty = true;
    this.touch();
  }

  /** Catch up with what changed while starting (a reload), then go live. */
  async start(): Promise<void> {
    this.running = true;
    try {
      const paths = this.take();
      const head = this.dirs ? readHead(this.root.root) : this.head;
      const moved = head.commit !== this.head.commit || head.branch !== this.head.branch;
      await this.reload(paths, moved ? head : undefined, 'start', true);
    } finally {
      this.running = false;
      this.live = true;
    }
    this.afterFlush();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.tickTimer);
    clearTimeout(this.recheckTimer);
  }

  private touch(): void {
    const now = Date.now();
    if (this.firstAt === 0) this.firstAt = now;
    this.lastAt = now;
    this.schedule();
  }

  private hasWork(): boolean {
    return this.pending.size > 0 || this.headDirty || this.configDirty || this.tasksDirDirty;
  }

  private schedule(delay?: number): void {
    if (this.closed || this.running || !this.live) return;
    clearTimeout(this.timer);
    if (delay === undefined) {
      const t = this.t;
      const burst =
        this.headDirty ||
        this.gitActive ||
        this.configDirty ||
        this.tasksDirDirty ||
        this.pending.size > t.burstFiles;
      const due = Math.min(
        this.lastAt + (burst ? t.burstQuietMs : t.quietMs),
        this.firstAt + (burst ? t.burstMaxMs : t.maxMs),
      );
      delay = Math.max(0, due - Date.now());
    }
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  private take(): Set<string> {
    const paths = this.pending;
    this.pending = new Set();
    this.firstAt = 0;
    this.gitActive = false;
    return paths;
  }

  private async flush(): Promise<void> {
    if (this.closed || this.running) return;
    if (!this.hasWork()) {
      this.firstAt = 0;
      this.gitActive = false;
      return;
    }
    const locked = this.dirs !== undefined && existsSync(join(this.dirs.gitDir, 'index.lock'));
    if (locked && Date.now() - this.firstAt < this.t.gitLockMaxMs) {
      this.schedule(50);
      return;
    }
    this.running = true;
    const headDirty = this.headDirty;
    const configDirty = this.configDirty;
    this.headDirty = this.configDirty = this.tasksDirDirty = false;
    const paths = this.take();
    try {
      if (!existsSync(this.root.tasksDir)) {
        if (!this.tasksMissing) this.emit({ type: 'tasks-dir', state: 'missing' });
        this.tasksMissing = true;
        return;
      }
      let reason: ReloadEvent['reason'] | undefined = configDirty ? 'config' : undefined;
      if (this.tasksMissing) {
        this.tasksMissing = false;
        this.emit({ type: 'tasks-dir', state: 'restored' });
        reason = 'tasks-dir';
      }
      const head = headDirty && this.dirs ? readHead(this.root.root) : this.head;
      const moved = head.commit !== this.head.commit || head.branch !== this.head.branch;
      if (moved || reason || paths.size > this.t.burstFiles) {
        await this.reload(paths, moved ? head : undefined, reason ?? 'burst', false);
      } else if (paths.size > 0) {
        await this.incremental(paths);
      }
    } catch (error) {
      this.emit({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = false;
      this.afterFlush();
    }
  }

  private afterFlush(): void {
    if (this.closed) return;
    if (this.hasWork()) this.schedule();
    this.armTick();
  }

  private async incremental(paths: Set<string>): Promise<void> {
    const changes: FileChange[] = [];
    const keys = new Map<string, string>();
    for (const rel of paths) {
      const { change, key } = await readTaskChange(this.root, rel);
      changes.push(change);
      keys.set(rel, key ?? 'gone');
    }
    const events = this.model.apply(changes, new Date());
    this.changed();
    for (const e of events) this.emit(e);
    this.recheck(keys);
  }

  /** Reload the whole snapshot and apply what differs; `paths` had events (logs re-read). */
  private async reload(
    paths: Set<string>,
    head: Head | undefined,
    reason: ReloadEvent['reason'],
    quietIfSame: boolean,
  ): Promise<void> {
    const snap = await loadSnapshot(this.root);
    const changes = this.model.changesFrom(snap);
    const byPath = new Map(snap.tasks.map((t) => [t.path, t]));
    const named = new Set(changes.map((c) => c.path));
    for (const rel of paths) {
      const task = byPath.get(rel);
      if (named.has(rel) || !task || !this.model.hasFile(rel)) continue;
      const problems = snap.fileProblems.filter((p) => p.path === rel);
      changes.push({ path: rel, file: { task, problems } });
    }
    for (const c of changes) {
      if (!c.file?.task) continue;
      try {
        const log = logLines(readFileSync(join(this.root.root, c.path), 'utf8'));
        if (log) c.file = { ...c.file, log };
      } catch {
        // removed since the load; the next event says so
      }
    }
    const changed = named.size;
    if (head) {
      const e: WatchEvent = { type: 'head', changed };
      if (this.head.commit) e.from = this.head.commit;
      if (head.commit) e.to = head.commit;
      if (head.branch) e.branch = head.branch;
      this.emit(e);
    } else if (!(quietIfSame && changed === 0)) {
      this.emit({ type: 'reload', reason, changed });
    }
    const from = this.head.commit;
    if (head) this.head = head;
    const events = this.model.apply(changes, snap.now);
    this.changed();
    for (const e of events) this.emit(e);
    // Stale caches and results: once per HEAD move, never per file event.
    if (head?.commit && from && head.commit !== from) {
      try {
        for (const e of await staleEvents(this.root, snap, this.model.agent, from, head.commit))
          this.emit(e);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        this.emit({ type: 'error', message: `stale check: ${why}` });
      }
    }
  }

  /** chokidar drops a second change within 50 ms: look again at what was just read. */
  private recheck(keys: Map<string, string>): void {
    for (const [k, v] of keys) this.recheckKeys.set(k, v);
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      for (const [rel, key] of this.recheckKeys) {
        let now = 'gone';
        try {
          now = statKey(statSync(join(this.root.root, rel)));
        } catch {
          // gone
        }
        if (now !== key) this.pending.add(rel);
      }
      this.recheckKeys.clear();
      if (this.pending.size > 0) this.touch();
    }, this.t.recheckMs);
  }

  private armTick(): void {
    clearTimeout(this.tickTimer);
    if (this.closed) return;
    const next = this.model.nextDeadline();
    const wait =
      next === undefined
        ? this.t.tickMaxMs
        : Math.min(Math.max(next - Date.now(), 0) + 5, this.t.tickMaxMs);
    this.tickTimer = setTimeout(() => {
      const events = this.model.tick(new Date());
      if (events.length > 0) this.changed();
      for (const e of events) this.emit(e);
      this.armTick();
    }, wait);
  }
}
