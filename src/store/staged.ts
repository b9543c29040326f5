/**
 * The snapshot in git's index (what the next commit will contain), fast: the pre-commit hook
 * must add little to `git commit` at 10,000 tasks. Three ways to the same result:
 *
 * - `stagedSnapshotFull`, the reference: read every staged blob (one `ls-files -s`, one
 *   `cat-file --batch`) and parse them all. Correct by definition, and slow: every task is
 *   parsed again (~0.5 s at 10,000).
 * - `stagedSnapshotFromWorkingTree`: start from the working-tree snapshot (`ctx.load()`, warm
 *   through the index cache) and let git say where the index differs from it:
 *   `git diff-files` lists the tracked files whose working copy may differ from the staged
 *   one (modified, deleted, or only touched: over-reporting is safe), and for those, and any
 *   staged path the working tree has no result for, the staged blob is read and parsed.
 *   `git ls-files -s` is the authority on the file set: working-tree files not in it
 *   (untracked, ignored) are not in the commit and are dropped, and symbolic links in it
 *   (mode 120000) are skipped, as the reference skips them. It pays for the whole scan (a
 *   `stat` of every file, ~0.1 s at 10,000) and refreshes the index cache.
 * - `stagedSnapshotFromCache`, used first: no scan at all. git's index stores, per entry, the
 *   size, mtime (ns) and inode of the file its blob was hashed from (`ls-files --debug`);
 *   baton's index cache stores the same three, as its row key, for the file each parse came
 *   from. Equal keys mean the same file state, so the cached parse is the staged content's
 *   parse; any other entry's blob is read and parsed. Like git, it does not trust an entry
 *   whose mtime is within RACY_MS of git's index file (it could have changed again within one
 *   timestamp tick): those blobs are read too, and baton's index keeps no row younger than
 *   RACY_MS either. It gives up (undefined) when there is no index cache or more than a few
 *   files would need parsing, e.g. right after a large pull.
 * `stagedSnapshot` tries the cache, then the working tree. All of them return tasks and
 * problems in index order, like the reference (with unmerged entries, which a commit cannot
 * have, the stages of one path are grouped).
 *
 * Inside a pre-commit hook git sets GIT_INDEX_FILE (e.g. for `commit -a` or `commit <path>`);
 * the git calls here inherit it, so they read the index the commit is made from.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Problem, Snapshot, Task } from '../core/types.js';
import { loadConfig } from './config-load.js';
import { gitOutput, stagedTaskFiles } from './git.js';
import { readBlobs } from './git-snapshot.js';
import { RACY_MS, type Row, readIndex } from './index-cache.js';
import { parseTexts } from './load.js';
import { localDir, type Root } from './root.js';
import { taskFileNamespace } from './scan.js';

export interface IndexEntry {
  rel: string;
  blob: string;
  stage: string;
  /** `size:mtimeNs:ino` as git's index recorded it (with `withStat`), the index cache's key. */
  key?: string;
  /** The recorded mtime in ms (with `withStat`). */
  mtimeMs?: number;
}

const NO_NAMESPACE = Symbol('none');
const namespaces = new Map<string, string | typeof NO_NAMESPACE>();

/** `taskFileNamespace`, with the folder's verdict remembered (10,000 paths, a few folders). */
function namespaceOf(rel: string): string | undefined {
  const slash = rel.lastIndexOf('/');
  const name = rel.slice(slash + 1);
  if (name.charCodeAt(0) === 46 /* . */ || !name.endsWith('.md')) return undefined;
  const dir = rel.slice(0, slash + 1);
  let ns = namespaces.get(dir);
  if (ns === undefined) {
    ns = taskFileNamespace(`${dir}x.md`) ?? NO_NAMESPACE;
    namespaces.set(dir, ns);
  }
  return ns === NO_NAMESPACE ? undefined : ns;
}

/** Index of the end of the line starting at `pos` if it starts with `prefix`, else -1. */
function lineEnd(out: string, pos: number, prefix: string): number {
  return out.startsWith(prefix, pos) ? out.indexOf('\n', pos) : -1;
}

const lsFilesArgs = (withStat: boolean) => [
  'ls-files',
  '-s',
  '-z',
  ...(withStat ? ['--debug'] : []),
  '--',
  '.tasks',
];

/**
 * The staged task files (`.tasks/<namespace>/*.md`, no symbolic links), in index order;
 * undefined when the listing is not in the expected form (callers then take a slower path).
 * With `withStat`, `git ls-files --debug` adds each entry's stat data, read into `key`.
 */
export function indexEntries(root: string, withStat = false): IndexEntry[] | undefined {
  return parseListing(gitOutput(root, lsFilesArgs(withStat)), withStat);
}

/** git's output without blocking (undefined if it fails): git works while this process does. */
function gitAsync(root: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(
      'git',
      args,
      { cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout) => done(error ? undefined : stdout),
    );
  });
}

function parseListing(out: string, withStat: boolean): IndexEntry[] | undefined {
  const entries: IndexEntry[] = [];
  let pos = 0;
  while (pos < out.length) {
    // <mode> SP <blob> SP <stage> TAB <path> NUL
    const sp1 = out.indexOf(' ', pos);
    const sp2 = out.indexOf(' ', sp1 + 1);
    const tab = out.indexOf('\t', sp2 + 1);
    const nul = out.indexOf('\0', tab + 1);
    if (sp1 < 0 || sp2 < 0 || tab < 0 || nul < 0) return undefined;
    const symlink = out.startsWith('120000', pos);
    const blob = out.slice(sp1 + 1, sp2);
    const stage = out.slice(sp2 + 1, tab);
    const rel = out.slice(tab + 1, nul);
    pos = nul + 1;
    let key: string | undefined;
    let mtimeMs = 0;
    if (withStat) {
      //   ctime: s:ns / mtime: s:ns / dev: d TAB ino: i / uid: u TAB gid: g / size: n TAB flags: f
      const ctime = lineEnd(out, pos, '  ctime: ');
      const mtime = lineEnd(out, ctime + 1, '  mtime: ');
      const dev = lineEnd(out, mtime + 1, '  dev: ');
      const uid = lineEnd(out, dev + 1, '  uid: ');
      const size = lineEnd(out, uid + 1, '  size: ');
      if (ctime < 0 || mtime < 0 || dev < 0 || uid < 0 || size < 0) return undefined;
      const colon = out.indexOf(':', ctime + 10);
      const sec = out.slice(ctime + 10, colon);
      const nsec = out.slice(colon + 1, mtime);
      const ino = out.slice(out.indexOf('ino: ', mtime + 1) + 5, dev);
      const bytes = out.slice(uid + 9, out.indexOf('\t', uid + 9));
      pos = size + 1;
      if (!/^\d+$/.test(sec) || !/^\d+$/.test(nsec) || !/^\d+$/.test(ino)) return undefined;
      // mtime in ns as the decimal of sec * 1e9 + nsec, like the index cache's BigInt key
      key = `${bytes}:${sec === '0' ? Number(nsec) : sec + nsec.padStart(9, '0')}:${ino}`;
      mtimeMs = Number(sec) * 1000 + Number(nsec) / 1e6;
    }
    if (symlink || namespaceOf(rel) === undefined) continue;
    const entry: IndexEntry = { rel, blob, stage };
    if (key !== undefined) {
      entry.key = key;
      entry.mtimeMs = mtimeMs;
    }
    entries.push(entry);
  }
  return entries;
}

/** Tracked task paths whose working copy may differ from the index (paths relative to root). */
export function unstagedPaths(root: string): Set<string> {
  const out = gitOutput(root, ['diff-files', '--name-only', '--relative', '-z', '--', '.tasks']);
  return new Set(out.split('\0').filter(Boolean));
}

interface Parsed {
  tasks: Task[];
  problems: Problem[];
}

function slot(map: Map<string, Parsed>, path: string): Parsed {
  let s = map.get(path);
  if (!s) {
    s = { tasks: [], problems: [] };
    map.set(path, s);
  }
  return s;
}

function byPath(tasks: readonly Task[], problems: readonly Problem[]): Map<string, Parsed> {
  const map = new Map<string, Parsed>();
  for (const t of tasks) slot(map, t.path).tasks.push(t);
  // Problems without a path, or about a folder, come from the scan of the working tree and
  // have no counterpart in the index: they land in slots no index entry asks for.
  for (const p of problems) if (p.path !== undefined) slot(map, p.path).problems.push(p);
  return map;
}

/** Parse the staged blobs of `entries`, grouped by path. */
async function parseBlobs(root: string, entries: readonly IndexEntry[]) {
  if (entries.length === 0) return new Map<string, Parsed>();
  const texts = readBlobs(
    root,
    entries.map((e) => e.blob),
  );
  const parsed = await parseTexts(
    entries.map((e) => ({ rel: e.rel, text: texts.get(e.blob) ?? '' })),
  );
  return byPath(parsed.tasks, parsed.problems);
}

/** Tasks and problems in index order, each path from `known` or else from `read`. */
function assemble(
  entries: readonly IndexEntry[],
  known: ReadonlyMap<string, Parsed>,
  read: ReadonlyMap<string, Parsed>,
  readSet: ReadonlySet<string>,
): { tasks: Task[]; fileProblems: Problem[] } {
  const tasks: Task[] = [];
  const fileProblems: Problem[] = [];
  let last = '';
  for (const e of entries) {
    if (e.rel === last) continue; // further stages of an unmerged path
    last = e.rel;
    const r = readSet.has(e.rel) ? read.get(e.rel) : known.get(e.rel);
    if (!r) continue;
    for (const t of r.tasks) tasks.push(t);
    for (const p of r.problems) fileProblems.push(p);
  }
  return { tasks, fileProblems };
}

/**
 * The staged snapshot, reusing `working` (the working-tree snapshot, normally from the warm
 * index cache) for every file whose staged content equals its working copy.
 */
export async function stagedSnapshotFromWorkingTree(
  root: Root,
  working: Snapshot,
): Promise<Snapshot> {
  const entries = indexEntries(root.root);
  if (!entries) return stagedSnapshotFull(root, working.now);
  const differ = unstagedPaths(root.root);
  const fromTree = byPath(working.tasks, working.fileProblems);
  const toRead = entries.filter(
    (e) => differ.has(e.rel) || e.stage !== '0' || !fromTree.has(e.rel),
  );
  const readSet = new Set(toRead.map((e) => e.rel));
  const fromIndex = await parseBlobs(root.root, toRead);
  return {
    ...assemble(entries, fromTree, fromIndex, readSet),
    config: working.config,
    now: working.now,
  };
}

/**
 * Entries whose recorded mtime is at or after this (ms) are not trusted: git's index file was
 * written within RACY_MS of the file's change, so the file may have changed again within
 * one timestamp tick without its stat data showing it (git re-checks such "racily clean"
 * entries by content; so does this, by reading their blobs).
 */
function racyLimit(root: string, indexPath: string | undefined): number | undefined {
  if (!indexPath) return undefined;
  try {
    return statSync(resolve(root, indexPath.trim())).mtimeMs - RACY_MS;
  } catch {
    return undefined;
  }
}

/** Above this many files to parse, the cache path gives up (the working-tree path refreshes). */
export function cacheMissLimit(entries: number): number {
  return Math.max(64, Math.ceil(entries * 0.02));
}

/** The staged snapshot from git's index stat data and the index cache; see the module comment. */
export async function stagedSnapshotFromCache(
  root: Root,
  now = new Date(),
): Promise<Snapshot | undefined> {
  // git lists its index (~20 ms at 10,000) while this process parses the index cache.
  const listing = gitAsync(root.root, lsFilesArgs(true));
  const indexPath = gitAsync(root.root, ['rev-parse', '--git-path', 'index']);
  const index = readIndex(localDir(root));
  const out = await listing;
  const entries = out === undefined ? undefined : parseListing(out, true);
  const trustedBefore = racyLimit(root.root, await indexPath);
  if (!index || !entries || trustedBefore === undefined) return undefined;
  const rows = index.rows;
  let tasks: Task[] = [];
  let fileProblems: Problem[] = [];
  // Files whose blob must be read, and where their results go in `tasks` / `fileProblems`.
  const toRead: IndexEntry[] = [];
  const holes: { rel: string; t: number; p: number }[] = [];
  // Rows are in the scan's order, which is git's for usual names: walk both lists together
  // and build a map only when they part.
  let byPath: Map<string, Row> | undefined;
  let r = 0;
  let last = '';
  for (const e of entries) {
    const again = e.rel === last;
    last = e.rel;
    let row = rows[r];
    if (row === undefined || row[0] !== e.rel) {
      byPath ??= new Map(rows.map((x) => [x[0], x]));
      row = byPath.get(e.rel);
    } else {
      r++;
    }
    if (again || !row || row[1] !== e.key || e.stage !== '0' || e.mtimeMs! >= trustedBefore) {
      toRead.push(e);
      if (!again) holes.push({ rel: e.rel, t: tasks.length, p: fileProblems.length });
      continue;
    }
    const [, , data, lines, problems] = row;
    if (data) {
      const task: Task = { data, namespace: namespaceOf(e.rel)!, path: e.rel };
      if (lines) task.lines = lines;
      tasks.push(task);
    }
    if (problems) for (const p of problems) fileProblems.push(p);
  }
  if (toRead.length > cacheMissLimit(entries.length)) return undefined;
  if (holes.length > 0) {
    const read = await parseBlobs(root.root, toRead);
    const allTasks: Task[] = [];
    const allProblems: Problem[] = [];
    let t = 0;
    let p = 0;
    for (const hole of holes) {
      for (; t < hole.t; t++) allTasks.push(tasks[t]!);
      for (; p < hole.p; p++) allProblems.push(fileProblems[p]!);
      const got = read.get(hole.rel);
      if (got) {
        allTasks.push(...got.tasks);
        allProblems.push(...got.problems);
      }
    }
    for (; t < tasks.length; t++) allTasks.push(tasks[t]!);
    for (; p < fileProblems.length; p++) allProblems.push(fileProblems[p]!);
    tasks = allTasks;
    fileProblems = allProblems;
  }
  const { config } = await loadConfig(root, index.config);
  return { tasks, fileProblems, config, now };
}

/** The staged snapshot the fastest way that applies; `load` gives the working-tree snapshot. */
export async function stagedSnapshot(root: Root, load: () => Promise<Snapshot>): Promise<Snapshot> {
  return (await stagedSnapshotFromCache(root)) ?? stagedSnapshotFromWorkingTree(root, await load());
}

/**
 * The reference: read and parse every staged blob. Slower (it parses every task), kept as
 * the definition the fast paths are tested against.
 */
export async function stagedSnapshotFull(root: Root, now = new Date()): Promise<Snapshot> {
  const { config } = await loadConfig(root);
  const parsed = await parseTexts(stagedTaskFiles(root.root));
  return { tasks: parsed.tasks, fileProblems: parsed.problems, config, now };
}
