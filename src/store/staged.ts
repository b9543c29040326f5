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
 * - `stagedSnapshotFromCache`, used first: no scan at all. `.tasks/.local/staged.json` keeps,
 *   per staged path and blob id, what `check` needs of the blob's parse (a few keys, not the
 *   whole task). Blob ids name content, so a matching row is exactly the staged content's
 *   parse; only blobs the cache does not know are read. One `git ls-files -s` and a small
 *   JSON file: the hook's cost no longer grows with what each task holds. It gives up
 *   (undefined) when there is no cache or many blobs are new to it, e.g. right after a large
 *   pull; the working-tree path then answers and refreshes the cache.
 * `stagedSnapshot` tries the cache, then the working tree. All of them return tasks and
 * problems in index order, like the reference (with unmerged entries, which a commit cannot
 * have, the stages of one path are grouped); the cache path's tasks carry only CHECK_KEYS.
 *
 * Inside a pre-commit hook git sets GIT_INDEX_FILE (e.g. for `commit -a` or `commit <path>`);
 * the git calls here inherit it, so they read the index the commit is made from.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem, Snapshot, Task } from '../core/types.js';
import type { TaskData } from '../schema/task.js';
import { loadConfig } from './config-load.js';
import { gitOutput, stagedTaskFiles } from './git.js';
import { readBlobs } from './git-snapshot.js';
import { INDEX_VERSION, type Row, readIndex, writeIndex } from './index-cache.js';
import { parseTexts } from './load.js';
import { localDir, type Root } from './root.js';
import { taskFileNamespace } from './scan.js';

/** The staged cache's file under `.tasks/.local/`. */
export const STAGED_CACHE = 'staged.json';
/**
 * Rows for blobs staged since the cache was written, which override its rows by path: a
 * commit then writes a few rows, not the whole cache. Folded into the cache past DELTA_LIMIT.
 */
export const STAGED_DELTA = 'staged-delta.json';
const DELTA_LIMIT = 256;

export interface IndexEntry {
  rel: string;
  blob: string;
  stage: string;
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

const LS_FILES = ['ls-files', '-s', '-z', '--', '.tasks'];

/**
 * The staged task files (`.tasks/<namespace>/*.md`, no symbolic links), in index order;
 * undefined when the listing is not in the expected form (callers then take a slower path).
 */
export function indexEntries(root: string): IndexEntry[] | undefined {
  return parseListing(gitOutput(root, LS_FILES));
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

function parseListing(out: string): IndexEntry[] | undefined {
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
    const rel = out.slice(tab + 1, nul);
    if (!symlink && namespaceOf(rel) !== undefined) {
      entries.push({ rel, blob: out.slice(sp1 + 1, sp2), stage: out.slice(sp2 + 1, tab) });
    }
    pos = nul + 1;
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

/** Above this many blobs to parse, the cache path gives up (the working-tree path refreshes). */
export function cacheMissLimit(entries: number): number {
  return Math.max(64, Math.ceil(entries * 0.02));
}

/**
 * The keys of a task's data that `check` reads (graph, readiness and result rules); the
 * staged cache keeps only these, so the pre-commit hook parses a small file.
 */
export const CHECK_KEYS = [
  'id',
  'status',
  'depends_on',
  'parent',
  'lease',
  'result',
  'inputs',
  'not_before',
] as const;

function checkData(data: TaskData): TaskData {
  const out: Record<string, unknown> = {};
  for (const key of CHECK_KEYS) if (data[key] !== undefined) out[key] = data[key];
  return out as TaskData;
}

function toStagedRow(entry: IndexEntry, parsed: Parsed | undefined): Row {
  const task = parsed?.tasks[0];
  const problems = parsed?.problems ?? [];
  return [
    entry.rel,
    entry.blob,
    task ? checkData(task.data) : 0,
    task?.lines ?? 0,
    problems.length > 0 ? problems : 0,
  ];
}

function rowParsed(row: Row, rel: string): Parsed {
  const [, , data, lines, problems] = row;
  const parsed: Parsed = { tasks: [], problems: problems || [] };
  if (data) {
    const task: Task = { data, namespace: namespaceOf(rel)!, path: rel };
    if (lines) task.lines = lines;
    parsed.tasks.push(task);
  }
  return parsed;
}

function save(local: string, rows: Row[], name: string): void {
  try {
    writeIndex(local, { v: INDEX_VERSION, rows }, name);
  } catch {
    // an optimisation only: a read-only checkout still works
  }
}

/** Record what each staged blob parsed to, for the next `check --staged`; the delta goes. */
function saveStaged(root: Root, entries: readonly IndexEntry[], parsed: Map<string, Parsed>) {
  const rows: Row[] = [];
  for (const e of entries) if (e.stage === '0') rows.push(toStagedRow(e, parsed.get(e.rel)));
  const local = localDir(root);
  save(local, rows, STAGED_CACHE);
  rmSync(join(local, STAGED_DELTA), { force: true });
}

/**
 * The staged snapshot from the staged cache: `.tasks/.local/staged.json` maps each staged
 * path and blob id to what `check` needs of its parse. Blob ids name content, so a row either
 * matches exactly or not at all (no racy timestamps to distrust). Rows for blobs staged
 * since it was written go to a small delta file (STAGED_DELTA). Only the blobs git's index
 * holds that the cache does not know are read and parsed. Tasks carry only the keys `check`
 * reads. Undefined when there is no cache or too many blobs are new to it.
 */
export async function stagedSnapshotFromCache(
  root: Root,
  now = new Date(),
): Promise<Snapshot | undefined> {
  // git lists its index (~10 ms at 10,000) while this process reads the cache.
  const listing = gitAsync(root.root, LS_FILES);
  const local = localDir(root);
  const cache = readIndex(local, STAGED_CACHE);
  const delta = cache ? readIndex(local, STAGED_DELTA) : undefined;
  const out = await listing;
  const entries = out === undefined ? undefined : parseListing(out);
  if (!cache || !entries) return undefined;
  const rows = cache.rows;
  const newer = new Map((delta?.rows ?? []).map((x) => [x[0], x]));
  // Pass 1: the cached row of every entry, or the entries whose blobs must be read.
  const found: (Row | undefined)[] = new Array(entries.length);
  const toRead: IndexEntry[] = [];
  let byRel: Map<string, Row> | undefined;
  let r = 0;
  let last = '';
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const again = e.rel === last;
    last = e.rel;
    let row = rows[r];
    if (row === undefined || row[0] !== e.rel) {
      byRel ??= new Map(rows.map((x) => [x[0], x]));
      row = byRel.get(e.rel);
    } else {
      r++;
    }
    row = newer.get(e.rel) ?? row;
    if (again || !row || row[1] !== e.blob || e.stage !== '0') toRead.push(e);
    else found[k] = row;
  }
  if (toRead.length > cacheMissLimit(entries.length)) return undefined;
  const read = await parseBlobs(root.root, toRead);
  // Pass 2: tasks and problems in index order; parsed blobs cut to CHECK_KEYS like the rows.
  const tasks: Task[] = [];
  const fileProblems: Problem[] = [];
  last = '';
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    if (e.rel === last) continue; // further stages of an unmerged path
    last = e.rel;
    const row = found[k];
    if (row) {
      const [, , data, lines, problems] = row;
      if (data) {
        const task: Task = { data, namespace: namespaceOf(e.rel)!, path: e.rel };
        if (lines) task.lines = lines;
        tasks.push(task);
      }
      if (problems) for (const p of problems) fileProblems.push(p);
      continue;
    }
    const parsed = read.get(e.rel);
    if (!parsed) continue;
    for (const t of parsed.tasks) tasks.push({ ...t, data: checkData(t.data) });
    for (const p of parsed.problems) fileProblems.push(p);
  }
  if (toRead.length > 0) {
    for (const e of toRead) if (e.stage === '0') newer.set(e.rel, toStagedRow(e, read.get(e.rel)));
    if (newer.size <= DELTA_LIMIT) {
      save(local, [...newer.values()], STAGED_DELTA);
    } else {
      const all = entries.filter((e) => e.stage === '0');
      const merged = new Map<string, Parsed>();
      found.forEach((row, k) => {
        if (row) merged.set(entries[k]!.rel, rowParsed(row, entries[k]!.rel));
      });
      for (const [rel, p] of read) merged.set(rel, p);
      saveStaged(root, all, merged);
    }
  }
  const { config } = await loadConfig(root);
  return { tasks, fileProblems, config, now };
}

/** The staged snapshot the fastest way that applies; `load` gives the working-tree snapshot. */
export async function stagedSnapshot(root: Root, load: () => Promise<Snapshot>): Promise<Snapshot> {
  const cached = await stagedSnapshotFromCache(root);
  if (cached) return cached;
  const snapshot = await stagedSnapshotFromWorkingTree(root, await load());
  const entries = indexEntries(root.root);
  if (entries) saveStaged(root, entries, byPath(snapshot.tasks, snapshot.fileProblems));
  return snapshot;
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
