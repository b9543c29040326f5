/**
 * Git facts on the hot path are read with a plain `execFileSync` (~3 ms a call; simple-git
 * costs ~50 ms to import and is kept for multi-step git work, see MEASURED.md).
 */
import { execFileSync } from 'node:child_process';
import { UserError } from '../errors.js';

export function gitOutput(cwd: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(input === undefined ? {} : { input }),
    });
  } catch (error) {
    const e = error as { stderr?: string; code?: string };
    if (e.code === 'ENOENT')
      throw new UserError('GIT_FAILED', 'git is not installed or not on PATH');
    const detail = (e.stderr ?? '').trim().split('\n')[0] ?? '';
    throw new UserError('GIT_FAILED', `git ${args[0]} failed${detail ? `: ${detail}` : ''}`);
  }
}

/** git's user.name, or undefined. */
export function gitUserName(cwd: string): string | undefined {
  try {
    return (
      execFileSync('git', ['config', 'user.name'], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The current branch name, or undefined outside git or on a detached HEAD. */
export function currentBranch(cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['symbolic-ref', '--short', '-q', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

/** `feature/Auth_v2` -> `feature-auth_v2`: a branch name as a namespace folder name. */
export function branchNamespace(branch: string): string {
  const ns = branch
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 64)
    .replace(/[-.]+$/, '');
  return ns || 'main';
}

export interface StagedFile {
  rel: string;
  text: string;
}

/**
 * The task files in git's index (what the next commit will contain): one `ls-files -s`
 * and one `cat-file --batch` fed blob ids (feeding `:path` specs re-reads the tree each time).
 */
export function stagedTaskFiles(root: string): StagedFile[] {
  const listing = gitOutput(root, ['ls-files', '-s', '-z', '--', '.tasks']);
  const entries: { rel: string; blob: string }[] = [];
  for (const rec of listing.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, blob] = rec.slice(0, tab).split(' ');
    const rel = rec.slice(tab + 1);
    if (mode === '120000' || !blob || !rel.endsWith('.md')) continue;
    entries.push({ rel, blob });
  }
  if (entries.length === 0) return [];
  const out = execFileSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: `${entries.map((e) => e.blob).join('\n')}\n`,
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const files: StagedFile[] = [];
  let pos = 0;
  for (const entry of entries) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('utf8');
    const size = Number(header.split(' ')[2]);
    const start = nl + 1;
    files.push({ rel: entry.rel, text: out.subarray(start, start + size).toString('utf8') });
    pos = start + size + 1;
  }
  return files;
}

/** The files the commits between two revisions changed, relative to `root` (optionally under `paths`). */
export function changedFiles(
  root: string,
  rev: string,
  head: string,
  paths: readonly string[] = [],
): string[] {
  const args = ['diff', '--no-renames', '--name-only', '--relative', '-z', rev, head];
  if (paths.length > 0) args.push('--', ...paths);
  return gitOutput(root, args).split('\0').filter(Boolean);
}
