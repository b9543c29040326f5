/**
 * Read every task file into a `Snapshot`: scan, reuse index entries whose stat key matches,
 * parse the rest (fast paths first, the slow parsers imported only if some file needs them),
 * then save the index if anything changed. One bad file never hides the others: its
 * problems are collected and every other file still loads.
 */
import { sep } from 'node:path';
import type { Problem, Snapshot, Task } from '../core/types.js';
import { loadConfig } from './config-load.js';
import {
  type CachedFile,
  INDEX_VERSION,
  RACY_MS,
  type Row,
  readIndex,
  rowResult,
  toRow,
  writeIndex,
} from './index-cache.js';
import { loadParsers, type Parsers, type Pending, parseTaskFile } from './parse-file.js';
import { atRoot, localDir, type Root } from './root.js';
import { MAX_FILE_BYTES, scanTasks, takeScan, taskFileNamespace } from './scan.js';
import { readText } from './stat.js';

export interface LoadOptions {
  /** Use and refresh the index cache (default true). */
  index?: boolean;
  now?: Date;
}

function tooLarge(file: { rel: string; size: number }): CachedFile {
  return {
    problems: [
      {
        rule: 'schema',
        severity: 'error',
        path: file.rel,
        message: `file is ${file.size} bytes, over the 1 MiB limit for a task file; not read`,
      },
    ],
  };
}

/**
 * Parse many texts: the fast paths for all, then the slow parsers, imported once, for the
 * files that need them. `texts[i]` undefined means "already have results[i]".
 */
async function parseAll(
  files: readonly { rel: string; namespace: string }[],
  texts: readonly (string | undefined)[],
  results: (CachedFile | undefined)[],
): Promise<void> {
  let parsers: Parsers = {};
  let pending: { i: number; why: Pending }[] = [];
  for (let i = 0; i < files.length; i++) {
    const text = texts[i];
    if (text === undefined) continue;
    const r = parseTaskFile(files[i]!.rel, files[i]!.namespace, text, parsers);
    if (typeof r === 'string') pending.push({ i, why: r });
    else results[i] = r;
  }
  while (pending.length > 0) {
    parsers = await loadParsers(
      pending.map((p) => p.why),
      parsers,
    );
    const again: typeof pending = [];
    for (const { i } of pending) {
      const r = parseTaskFile(files[i]!.rel, files[i]!.namespace, texts[i]!, parsers);
      if (typeof r === 'string') again.push({ i, why: r });
      else results[i] = r;
    }
    pending = again;
  }
}

function collect(
  files: readonly { rel: string; namespace: string }[],
  results: readonly (CachedFile | undefined)[],
  problems: Problem[],
): Task[] {
  const tasks: Task[] = [];
  for (let i = 0; i < files.length; i++) {
    const r = results[i];
    if (!r) continue;
    const file = files[i]!;
    if (r.task) {
      // parsed this run: a whole Task already; from an index row: data and lines only
      if ((r.task as Partial<Task>).path === file.rel) tasks.push(r.task as Task);
      else {
        const task: Task = { data: r.task.data, namespace: file.namespace, path: file.rel };
        if (r.task.lines) task.lines = r.task.lines;
        tasks.push(task);
      }
    }
    if (r.problems && r.problems.length > 0) problems.push(...r.problems);
  }
  return tasks;
}

/** Tasks from texts not on disk (git's index, another branch), by the scan's path rules. */
export async function parseTexts(
  input: readonly { rel: string; text: string }[],
): Promise<{ tasks: Task[]; problems: Problem[]; byInput: (Task | undefined)[] }> {
  const files: { rel: string; namespace: string }[] = [];
  const texts: (string | undefined)[] = [];
  const results: (CachedFile | undefined)[] = [];
  const inputOf: number[] = [];
  input.forEach(({ rel, text }, k) => {
    const namespace = taskFileNamespace(rel);
    if (namespace === undefined) return;
    files.push({ rel, namespace });
    inputOf.push(k);
    if (text.length > MAX_FILE_BYTES) {
      texts.push(undefined);
      results.push(tooLarge({ rel, size: Buffer.byteLength(text) }));
    } else {
      texts.push(text);
      results.push(undefined);
    }
  });
  await parseAll(files, texts, results);
  const problems: Problem[] = [];
  const tasks = collect(files, results, problems);
  // collect keeps file order and skips files without a task: walk both to align with input.
  const byInput: (Task | undefined)[] = new Array(input.length);
  let t = 0;
  for (let f = 0; f < files.length; f++) {
    if (results[f]?.task) byInput[inputOf[f]!] = tasks[t++];
  }
  return { tasks, problems, byInput };
}

export async function loadSnapshot(root: Root, opts: LoadOptions = {}): Promise<Snapshot> {
  const useIndex = opts.index !== false;
  const now = opts.now ?? new Date();
  const local = localDir(root);
  // Scan first: its short-lived garbage is cheap to collect while the heap is still small.
  const scan = takeScan(root) ?? scanTasks(root);
  const index = useIndex ? readIndex(local) : undefined;
  const loadedConfig = await loadConfig(root, index?.config);
  const rows: readonly Row[] = index?.rows ?? [];

  const results: (CachedFile | undefined)[] = new Array(scan.files.length);
  const texts: (string | undefined)[] = new Array(scan.files.length);
  const parsers: Parsers = {};
  const base = atRoot(root) ? '' : root.root + sep;
  const fresh = now.getTime() - RACY_MS;
  let dirty = !index || index.config?.key !== loadedConfig.key;
  let seen = 0;
  // Rows are stored in scan order, so walk both lists together; a Map is built only if the
  // file set changed.
  let byPath: Map<string, Row> | undefined;
  for (let i = 0; i < scan.files.length; i++) {
    const file = scan.files[i]!;
    let row = rows[i];
    if (row === undefined || row[0] !== file.rel) {
      byPath ??= new Map(rows.map((r) => [r[0], r]));
      row = byPath.get(file.rel);
    }
    if (row) seen++;
    if (row && row[1] === file.key) {
      results[i] = rowResult(row);
      continue;
    }
    // A file too recent to cache is re-parsed every run until it ages; that alone is no
    // reason to rewrite the whole index (megabytes at 10k tasks).
    if (file.mtimeMs < fresh) dirty = true;
    if (file.size > MAX_FILE_BYTES) {
      results[i] = tooLarge(file);
      continue;
    }
    let text: string;
    try {
      text = readText(base + file.rel);
    } catch {
      continue; // removed since the scan
    }
    // Parsed at once, so the text can go: holding every text until the end doubled the
    // peak memory of a cold load (110 MB of text at 100,000 tasks). Files that need the slow
    // parsers keep theirs for parseAll, which loads those parsers once.
    const r = parseTaskFile(file.rel, file.namespace, text, parsers);
    if (typeof r === 'string') texts[i] = text;
    else results[i] = r;
  }
  // Files removed since the index was written leave rows behind: drop them.
  if (seen !== rows.length) dirty = true;
  await parseAll(scan.files, texts, results);
  const fileProblems: Problem[] = [...scan.problems];
  const tasks = collect(scan.files, results, fileProblems);

  if (useIndex && dirty) {
    const newRows: Row[] = [];
    for (let i = 0; i < scan.files.length; i++) {
      const r = results[i];
      const file = scan.files[i]!;
      if (r && file.mtimeMs < fresh) newRows.push(toRow(file.rel, file.key, r));
    }
    try {
      writeIndex(local, { v: INDEX_VERSION, config: loadedConfig, rows: newRows });
    } catch {
      // The cache is an optimisation: a read-only checkout still works, just slower.
    }
  }
  return { tasks, fileProblems, config: loadedConfig.config, now };
}
