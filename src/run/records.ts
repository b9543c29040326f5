/**
 * What this clone remembers of `baton run` attempts, under `.tasks/.local/runs/<task>/`:
 * `<attempt>.json` (who runs it, where, and how it ended) and `<attempt>.log` (the
 * command's whole output). Never committed: the shared history of an attempt is in the
 * task file's log and the commits; these are for `run log`, for recovering from a crashed
 * runner, and for `run gc`.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLocalDir } from '../store/index-cache.js';

export type AttemptState =
  | 'running'
  | 'merged'
  | 'review'
  | 'failed'
  | 'conflict'
  | 'released'
  | 'recovered';

export interface AttemptRecord {
  id: string;
  attempt: number;
  branch: string;
  /** The attempt's worktree (removed when the attempt ends). */
  dir: string;
  /** The claim commit the worktree started from. */
  base: string;
  agent: string;
  command: string;
  /** The runner's process. */
  runner_pid: number;
  /** The command's process (its process group), once started. */
  pid?: number;
  started: string;
  ended?: string;
  state: AttemptState;
  reason?: string;
}

export function runsDir(localDir: string): string {
  return join(localDir, 'runs');
}

export function logPath(localDir: string, id: string, attempt: number): string {
  return join(runsDir(localDir), id, `${attempt}.log`);
}

function recordPath(localDir: string, id: string, attempt: number): string {
  return join(runsDir(localDir), id, `${attempt}.json`);
}

/** Write the record whole (write a temp file, then rename: a reader never sees half). */
export function saveRecord(localDir: string, r: AttemptRecord): void {
  const path = recordPath(localDir, r.id, r.attempt);
  ensureLocalDir(localDir, 'runs', r.id);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(r, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Every record, by task then attempt; unreadable ones are skipped (they hold no work). */
export function listRecords(localDir: string): AttemptRecord[] {
  const dir = runsDir(localDir);
  if (!existsSync(dir)) return [];
  const out: AttemptRecord[] = [];
  for (const id of readdirSync(dir).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(dir, id));
    } catch {
      continue;
    }
    for (const f of files) {
      if (!/^\d+\.json$/.test(f)) continue;
      try {
        out.push(JSON.parse(readFileSync(join(dir, id, f), 'utf8')) as AttemptRecord);
      } catch {
        // a record cut short by a crash: its worktree is still found by `git worktree list`
      }
    }
  }
  return out.sort((a, b) => (a.id === b.id ? a.attempt - b.attempt : a.id < b.id ? -1 : 1));
}

/** The attempts of one task that have a log, newest last. */
export function attemptsWithLogs(localDir: string, id: string): number[] {
  const dir = join(runsDir(localDir), id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^(\d+)\.log$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
