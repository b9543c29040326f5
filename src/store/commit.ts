/**
 * Committing, pushing and merging for `--commit` and `claim --push`, through simple-git
 * (imported lazily: read paths never load it).
 *
 * Decisions:
 * - `commitPaths` commits exactly the given paths, like `git commit --only <paths>`:
 *   whatever else the user staged stays staged and out of the commit. Untracked paths are
 *   added first; git-ignored ones and unchanged ones are skipped (and reported).
 * - Messages are `baton: <verb> <id>`, then a blank line, then the trailers
 *   (`Baton-Task: <id>`, ...), so `git interpret-trailers` and `git log` read them.
 * - `commitWritten` undoes the file writes when the commit fails (only files still holding
 *   what baton wrote), so a failed `--commit` leaves the working tree as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';
import { writeAtomic } from './atomic-write.js';

export async function openGit(cwd: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 1 });
}

/** `git <args>` through simple-git; a failure becomes a `GIT_FAILED` user error. */
export async function gitRun(g: SimpleGit, args: string[]): Promise<string> {
  try {
    return await g.raw(args);
  } catch (error) {
    throw new UserError('GIT_FAILED', `git ${args[0]} failed: ${firstLine(error)}`);
  }
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /^(error|fatal|!|hint: Updates were rejected)/.test(l)) ?? lines[0] ?? ''
  );
}

export interface CommitResult {
  /** The new commit's id; undefined when none of the paths had anything to commit. */
  commit?: string;
  /** Paths left out: unchanged, or ignored by git. */
  skipped: string[];
}

/** `Key: value` trailer lines. */
export function trailers(pairs: Record<string, string>): string[] {
  return Object.entries(pairs).map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`);
}

async function requireWorkTree(g: SimpleGit, cwd: string): Promise<void> {
  let inside = '';
  try {
    inside = (await g.raw(['rev-parse', '--is-inside-work-tree'])).trim();
  } catch {}
  if (inside !== 'true') {
    throw new UserError('NOT_A_GIT_REPOSITORY', `${cwd} is not inside a git work tree`);
  }
}

/** Commit only `paths` (relative to `cwd`) with `message` and trailer lines. */
export async function commitPaths(
  cwd: string,
  paths: readonly string[],
  message: string,
  trailerLines: readonly string[] = [],
): Promise<CommitResult> {
  const g = await openGit(cwd);
  await requireWorkTree(g, cwd);
  const unique = [...new Set(paths)];
  const status = await gitRun(g, [
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--ignored=matching',
    '--',
    ...unique,
  ]);
  const changed = new Set<string>();
  const untracked: string[] = [];
  const records = status.split('\0');
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec.length < 4) continue;
    const code = rec.slice(0, 2);
    const path = rec.slice(3);
    if (code[0] === 'R' || code[0] === 'C') i++; // the original path follows
    if (code === '!!') continue;
    if (code === '??') untracked.push(path);
    else changed.add(path);
  }
  // git prints paths relative to the top level; map them back to what we were given
  const top = (await gitRun(g, ['rev-parse', '--show-prefix'])).trim();
  const rel = (p: string) => (top && p.startsWith(top) ? p.slice(top.length) : p);
  const include = unique.filter((p) =>
    [...changed, ...untracked].some((s) => rel(s) === p || rel(s).startsWith(`${p}/`)),
  );
  const skipped = unique.filter((p) => !include.includes(p));
  if (include.length === 0) return { skipped };
  const toAdd = untracked
    .map(rel)
    .filter((p) => include.some((q) => p === q || p.startsWith(`${q}/`)));
  if (toAdd.length > 0) await gitRun(g, ['add', '--', ...toAdd]);
  const before = (await g.raw(['rev-parse', '-q', '--verify', 'HEAD']).catch(() => '')).trim();
  const args = ['commit', '--only', '-m', message];
  if (trailerLines.length > 0) args.push('-m', trailerLines.join('\n'));
  await gitRun(g, [...args, '--', ...include]);
  const after = (await gitRun(g, ['rev-parse', 'HEAD'])).trim();
  if (after === before) throw new UserError('GIT_FAILED', 'git commit made no commit');
  return { commit: after, skipped };
}

/** A file baton wrote: its text before and after (paths relative to `cwd`). */
export interface Written {
  path: string;
  before: string;
  after: string;
}

/**
 * Commit files baton just wrote (plus `extra` paths); if the commit fails, put back the
 * files that still hold what baton wrote, then rethrow.
 */
export async function commitWritten(
  cwd: string,
  written: readonly Written[],
  message: string,
  trailerLines: readonly string[],
  extra: readonly string[] = [],
): Promise<CommitResult> {
  try {
    return await commitPaths(cwd, [...written.map((w) => w.path), ...extra], message, trailerLines);
  } catch (error) {
    for (const w of written) {
      const abs = join(cwd, w.path);
      try {
        if (w.before !== w.after && readFileSync(abs, 'utf8') === w.after) {
          writeAtomic(abs, w.before);
        }
      } catch {}
    }
    throw error;
  }
}

/** What `baton <verb> --commit` prints. */
export function describeCommit(result: CommitResult, message: string): string {
  return result.commit
    ? `committed ${result.commit.slice(0, 7)} ${message}`
    : 'nothing to commit (the files match HEAD)';
}
