/**
 * The git facts `baton watch` follows: where the git dir is (and the common dir, which
 * differs in a linked worktree), and what HEAD points at. Plain `git` calls (~3 ms each),
 * made once at start and again only after git touched HEAD, a ref or the index lock.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

export interface Head {
  commit?: string;
  branch?: string;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The git dir and common dir (they differ in a linked worktree), or undefined outside git. */
export function gitDirs(cwd: string): GitDirs | undefined {
  const out = git(cwd, ['rev-parse', '--git-dir', '--git-common-dir']);
  const [gitDir, commonDir] = out?.split('\n') ?? [];
  if (!gitDir || !commonDir) return undefined;
  return { gitDir: resolve(cwd, gitDir), commonDir: resolve(cwd, commonDir) };
}

/** The commit HEAD names and its branch (none when detached, unborn or outside git). */
export function readHead(cwd: string): Head {
  const head: Head = {};
  const commit = git(cwd, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']);
  const branch = git(cwd, ['symbolic-ref', '-q', '--short', 'HEAD']);
  if (commit) head.commit = commit;
  if (branch) head.branch = branch;
  return head;
}

/**
 * The subject of HEAD's last reflog entry (`commit: ...`, `pull: Fast-forward`,
 * `checkout: moving from a to b`), or undefined when there is no reflog.
 */
export function lastHeadMove(cwd: string): string | undefined {
  return git(cwd, ['reflog', '-1', '--format=%gs', 'HEAD']) || undefined;
}
