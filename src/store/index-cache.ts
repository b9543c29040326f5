/**
 * The index cache, `.tasks/.local/index.json`: what each task file parsed to, keyed by the
 * file's size, mtime and ctime in nanoseconds and inode, so a warm run re-parses nothing
 * unchanged.
 *
 * Layout, chosen for JSON.parse speed (objects per task are what it pays for): one tuple per
 * file, `[path, statKey, data | 0, lines | 0, problems | 0]`, with the lines of the keys in
 * LINE_KEYS as a number array. The file starts with a CRC-32 of the rest and its length: a
 * truncated or corrupt index is detected and rebuilt, never trusted. Entries for files
 * modified within RACY_MS of being indexed are not stored (git's "racily clean" problem: a
 * same-size edit within one timestamp tick would go unseen).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Problem, Task } from '../core/types.js';
import { UserError } from '../errors.js';
import type { Config } from '../schema/config.js';
import type { TaskData } from '../schema/task.js';
import { writeAtomic } from './atomic-write.js';

/** Bump when the meaning or layout of a cached entry changes. */
export const INDEX_VERSION = 3;
export const RACY_MS = 2000;
const NAME = 'index.json';
/** The parse cache of task files read from git objects (`--all-branches`), keyed by blob. */
export const BLOB_INDEX = 'blobs.json';

/** What one file parsed to: a task, problems, or both. */
export interface CachedFile {
  task?: Pick<Task, 'data' | 'lines'>;
  problems?: Problem[];
}

export type Row = [
  path: string,
  key: string,
  data: TaskData | 0,
  lines: readonly number[] | 0,
  problems: Problem[] | 0,
];

export interface IndexData {
  v: number;
  config?: { key: string; config: Config };
  /** One row per file, in the order the scan listed them. */
  rows: Row[];
}

function checksum(body: string): string {
  return `${crc32(body).toString(16).padStart(8, '0')} ${body.length}`;
}

/** The index, or undefined when absent, of another version, or corrupt. */
export function readIndex(localDir: string, name = NAME): IndexData | undefined {
  let text: string;
  try {
    text = readFileSync(join(localDir, name), 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  if (nl < 0 || nl > 40) return undefined;
  const body = text.slice(nl + 1);
  if (text.slice(0, nl) !== checksum(body)) return undefined;
  try {
    const parsed = JSON.parse(body) as IndexData;
    return parsed.v === INDEX_VERSION && Array.isArray(parsed.rows) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A row's cached parse result. */
export function rowResult(row: Row): CachedFile {
  const entry: CachedFile = {};
  if (row[2]) entry.task = row[3] ? { data: row[2], lines: row[3] } : { data: row[2] };
  if (row[4]) entry.problems = row[4];
  return entry;
}

export function toRow(path: string, key: string, entry: CachedFile): Row {
  return [
    path,
    key,
    entry.task?.data ?? 0,
    entry.task?.lines ?? 0,
    entry.problems && entry.problems.length > 0 ? entry.problems : 0,
  ];
}

/**
 * Create `.tasks/.local/` (and the folder `sub` names inside it) with a `.gitignore` that
 * keeps everything in it out of git; returns the folder. A file where one of these folders
 * belongs is a `LOCAL_STATE` error (exit 2) naming it and the fix, not a stack trace.
 */
export function ensureLocalDir(localDir: string, ...sub: string[]): string {
  const target = join(localDir, ...sub);
  try {
    mkdirSync(target, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'EEXIST') throw error;
    throw notAFolder(localDir, sub);
  }
  const ignore = join(localDir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# baton: local state, never committed\n*\n');
  return target;
}

/** The error for the first of `.tasks/.local/<sub...>` that exists and is not a folder. */
function notAFolder(localDir: string, sub: readonly string[]): UserError {
  const repo = dirname(dirname(localDir));
  let path = localDir;
  for (let i = 0; ; i++) {
    let isFile = false;
    try {
      isFile = !statSync(path).isDirectory();
    } catch {}
    if (isFile || i === sub.length) break;
    path = join(path, sub[i]!);
  }
  const shown = relative(repo, path);
  return new UserError(
    'LOCAL_STATE',
    `${shown} is a file, but baton keeps its local state (locks, index, notes) in a folder ` +
      `there; move the file away (mv ${shown} ${shown}.bak) and run the command again`,
    { path: shown },
  );
}

export function writeIndex(localDir: string, data: IndexData, name = NAME): void {
  ensureLocalDir(localDir);
  const body = JSON.stringify(data);
  // One UTF-8 copy, checksummed and written as it is: at 100,000 tasks the body is ~35 MB,
  // and joining it to its header first cost two more copies at the peak of a cold load.
  const bytes = Buffer.from(body);
  const header = `${crc32(bytes).toString(16).padStart(8, '0')} ${body.length}\n`;
  writeAtomic(join(localDir, name), [header, bytes]);
}
