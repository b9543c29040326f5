/**
 * The I/O side of `baton watch`: chokidar on the task files and on git's HEAD, deciding
 * when to re-read what, and the timer for leases and `not_before`. The model (live-state.ts)
 * decides what changed; this only feeds it.
 *
 * Decisions:
 * - One chokidar watcher on the folder holding `.tasks/` (depth 2, filtered to
 *   `.tasks/<namespace>/*.md` and `.tasks/config.yaml`): it sees `.tasks/` itself go and
 *   come back. Hidden files, `.tasks/.local/`, `agents/`, editor temp and backup files
 *   (`x.md~`, `.x.md.swp`, vim's `4913`) are never task files. No `awaitWriteFinish` (it
 *   adds its whole threshold to every event); chokidar's `atomic` turns a delete + re-create
 *   within 100 ms (rename-over saves) into one change.
 * - A second watcher on git's HEAD, `index.lock`, `packed-refs` and `refs/heads/` (the git
 *   dir and, for worktrees, the common dir, from one `git rev-parse`).
 * - A task-file event waits for 20 ms of quiet (at most 100 ms), then only the named files
 *   are re-read and parsed (`parseTaskFileFully`) and applied to the model. chokidar drops a
 *   second `change` of a file within 50 ms, so each re-read file is stat-ed again 75 ms
 *   later and re-queued if it moved on.
 * - Git activity (HEAD, refs, `index.lock`), a config change, `.tasks/` coming back or more
 *   than 200 pending files switch to burst mode: 100 ms of quiet, at most 2 s, and nothing is
 *   read while `index.lock` exists (at most 5 s: a crashed git leaves it behind). Git updates
 *   HEAD right after it drops the index lock, so a checkout gives one flush. Then, if HEAD
 *   moved, the config changed or the burst was big, the whole snapshot is reloaded once
 *   (`loadSnapshot`, warm index) and diffed with the model; a `head` event (old and new
 *   commit) or a `reload` event comes first, then what changed.
 * - `.tasks/` gone: one `tasks-dir` event, the model is kept as it was, and pending events
 *   are dropped until it is back; then a reload diffs against the kept model.
 * - Log news needs each file's log before the change: the logs of every task file are read
 *   once at start (in chunks, while chokidar scans).
 */
import { readFileSync, type Stats } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type FSWatcher, watch } from 'chokidar';
import { buildGraph } from '../core/graph.js';
import { readyQueue } from '../core/ready-queue.js';
import type { Snapshot, Task } from '../core/types.js';
import { NAMESPACE_PATTERN } from '../schema/fields.js';
import { loadSnapshot } from '../store/load.js';
import type { Root } from '../store/root.js';
import { taskFileNamespace } from '../store/scan.js';
import type { WatchEvent } from './events.js';
import { type GitDirs, gitDirs, type Head, readHead } from './git-head.js';
import { LiveState } from './live-state.js';
import { logLines } from './read-task.js';
import { Session, TIMING, type Timing } from './session.js';

export interface WatchOptions {
  root: Root;
  agent: string;
  emit: (event: WatchEvent) => void;
  timing?: Partial<Timing>;
  /** After every step that may have changed `model` (before that step's events). */
  onModelChange?: () => void;
}

export interface WatchHandle {
  model: LiveState;
  close(): Promise<void>;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** Paths under `base` as POSIX paths relative to it ('' for base), else undefined. */
function inside(base: string, p: string): string | undefined {
  const rel = relative(base, p);
  if (rel.startsWith('..') || resolve(base, rel) !== resolve(p)) return undefined;
  return toPosix(rel);
}

/** chokidar's `ignored` for the root watcher: all but `.tasks/`, its namespaces and files. */
function ignoreTaskPath(root: Root, p: string, stats?: Stats): boolean {
  const rel = inside(root.root, p);
  if (rel === undefined) return true;
  if (rel === '') return false;
  const parts = rel.split('/');
  if (parts[0] !== '.tasks') return true;
  if (parts.length === 1) return stats !== undefined && !stats.isDirectory();
  const name = parts[1]!;
  if (parts.length === 2) {
    if (name === 'config.yaml') return false;
    if (stats?.isFile()) return true;
    return name === 'agents' || !NAMESPACE_PATTERN.test(name);
  }
  if (parts.length === 3)
    return stats?.isDirectory() === true || taskFileNamespace(rel) === undefined;
  return true;
}

const isRef = (rel: string) =>
  rel === 'packed-refs' || rel === 'refs' || rel === 'refs/heads' || rel.startsWith('refs/heads/');

/** chokidar's `ignored` for the git watcher: HEAD, the index lock, branch refs. */
function ignoreGitPath(dirs: GitDirs, p: string): boolean {
  const g = inside(dirs.gitDir, p);
  if (g !== undefined) {
    if (g === '' || g === 'HEAD' || g === 'index.lock') return false;
    return dirs.gitDir !== dirs.commonDir || !isRef(g);
  }
  const c = inside(dirs.commonDir, p);
  if (c === undefined) return true;
  return c !== '' && !isRef(c);
}

function whenReady(w: FSWatcher): Promise<void> {
  return new Promise((done) => w.once('ready', () => done()));
}

/** Load, report the starting state, watch; resolves once watching (after a `watching` event). */
export async function startWatch(options: WatchOptions): Promise<WatchHandle> {
  const { root, agent, emit } = options;
  const timing: Timing = { ...TIMING, ...options.timing };
  const snapshot = await loadSnapshot(root);
  const model = new LiveState({ agent });
  model.apply(model.changesFrom(snapshot), snapshot.now, { quiet: true });
  const dirs = gitDirs(root.root);
  const head = dirs ? readHead(root.root) : {};
  emit(readyState(model, snapshot, head));

  const session = new Session(root, dirs, model, emit, timing, head, options.onModelChange);
  const watchers: FSWatcher[] = [];
  const tasksWatcher = watch(root.root, {
    ignoreInitial: true,
    depth: 2,
    followSymlinks: false,
    ignored: (p: string, stats?: Stats) => ignoreTaskPath(root, p, stats),
  });
  watchers.push(tasksWatcher);
  const onFile = (p: string) => {
    const rel = inside(root.root, p);
    if (rel === '.tasks/config.yaml') session.configChanged();
    else if (rel !== undefined && taskFileNamespace(rel) !== undefined) session.taskFile(rel);
  };
  tasksWatcher
    .on('add', onFile)
    .on('change', onFile)
    .on('unlink', onFile)
    .on('addDir', (p) => {
      if (resolve(p) === resolve(root.tasksDir)) session.tasksDirEvent();
    })
    .on('unlinkDir', (p) => {
      if (resolve(p) === resolve(root.tasksDir)) session.tasksDirEvent();
    })
    .on('error', (e) => emit({ type: 'error', message: `watcher: ${String(e)}` }));
  if (dirs) {
    const gitWatcher = watch([...new Set([dirs.gitDir, dirs.commonDir])], {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (p: string) => ignoreGitPath(dirs, p),
    });
    watchers.push(gitWatcher);
    gitWatcher
      .on('all', (_event, p) => session.gitEvent(basename(p) !== 'index.lock'))
      .on('error', (e) => emit({ type: 'error', message: `git watcher: ${String(e)}` }));
  }
  const ready = Promise.all(watchers.map(whenReady));
  await readLogBaselines(root, model, snapshot.tasks);
  await ready;
  await session.start();
  emit({ type: 'watching', root: root.root, git: dirs !== undefined });
  return {
    model,
    close: async () => {
      session.close();
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}

function readyState(model: LiveState, snapshot: Snapshot, head: Head): WatchEvent {
  const queue = readyQueue(buildGraph(snapshot.tasks), snapshot.config, snapshot.now);
  const event: WatchEvent = {
    type: 'ready-state',
    tasks: snapshot.tasks.length,
    ready: queue.map((r) => r.task.data.id),
    counts: model.counts(),
    cycles: model.cycles(),
    badFiles: model.badFileCount(),
  };
  if (head.commit) event.head = head.commit;
  if (head.branch) event.branch = head.branch;
  return event;
}

async function readLogBaselines(root: Root, model: LiveState, tasks: readonly Task[]) {
  const CHUNK = 500;
  for (let i = 0; i < tasks.length; i += CHUNK) {
    for (const t of tasks.slice(i, i + CHUNK)) {
      try {
        const log = logLines(readFileSync(join(root.root, t.path), 'utf8'));
        if (log) model.setLogBaseline(t.path, log);
      } catch {
        // gone since the load: its change event will say so
      }
    }
    await yieldToLoop();
  }
}
