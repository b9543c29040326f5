/**
 * The index cache, `.tasks/.local/index.json`: what each task file parsed to, keyed by the
 * file's size, mtime in nanoseconds and inode, so a warm run re-parses nothing unchanged.
 * The file starts with a SHA-1 of its body: a truncated or corrupt index is detected and
 * rebuilt, never trusted. Entries for files modified within RACY_MS of being indexed are
 * not stored (git's "racily clean" problem: a same-size edit within one timestamp tick).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem, Task } from '../core/types.js';
import type { Config } from '../schema/config.js';
import { writeAtomic } from './atomic-write.js';

/** Bump when the meaning of a cached entry changes. */
export const INDEX_VERSION = 1;
export const RACY_MS = 2000;
const NAME = 'index.json';

/** What one file parsed to: a task, problems, or both. */
export interface CachedFile {
  task?: Pick<Task, 'data' | 'lines'>;
  problems?: Problem[];
}

export interface IndexData {
  v: number;
  config?: { key: string; config: Config };
  /** rel path -> [stat key, parsed]. */
  files: Record<string, [string, CachedFile]>;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The index, or undefined when absent, of another version, or corrupt. */
export function readIndex(localDir: string): IndexData | undefined {
  let text: string;
  try {
    text = readFileSync(join(localDir, NAME), 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  if (nl !== 40) return undefined;
  const body = text.slice(nl + 1);
  if (hash(body) !== text.slice(0, 40)) return undefined;
  try {
    const data = JSON.parse(body) as IndexData;
    if (data.v !== INDEX_VERSION || typeof data.files !== 'object' || data.files === null) {
      return undefined;
    }
    return data;
  } catch {
    return undefined;
  }
}

/** Create `.tasks/.local/` with a `.gitignore` that keeps everything in it out of git. */
export function ensureLocalDir(localDir: string): void {
  mkdirSync(localDir, { recursive: true });
  const ignore = join(localDir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# baton: local state, never committed\n*\n');
}

export function writeIndex(localDir: string, data: IndexData): void {
  ensureLocalDir(localDir);
  const body = JSON.stringify(data);
  writeAtomic(join(localDir, NAME), `${hash(body)}\n${body}`);
}
