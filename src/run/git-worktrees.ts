/**
 * Branches and worktrees of attempts: where they live, making and removing them, and which
 * worktree has a branch checked out (a branch checked out somewhere is moved by merging there).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { git, gitFailure, runGit } from './git-exec.js';

interface WorktreeEntry {
  path: string;
  branch: string | undefined;
  prunable: boolean;
}

async function worktrees(root: string): Promise<WorktreeEntry[]> {
  const out = await git(root, ['worktree', 'list', '--porcelain', '-z']);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  // One attribute per NUL-terminated field; an empty field ends a worktree's record.
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), branch: undefined, prunable: false };
      entries.push(current);
    } else if (current && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length);
    } else if (current && (field === 'prunable' || field.startsWith('prunable '))) {
      current.prunable = true;
    }
  }
  return entries;
}

/**
 * The worktree path (absolute) that has refs/heads/<branch> checked out, if any. A worktree
 * whose folder is gone (git calls it prunable) has no files to keep in step and is left out.
 */
export async function checkedOutIn(root: string, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  return (await worktrees(root)).find((w) => w.branch === ref && !w.prunable)?.path;
}

/** Where attempt worktrees live: `<git common dir>/baton-worktrees`, outside the user's files. */
export async function worktreesDir(root: string): Promise<string> {
  let dir = worktreeDirs.get(root);
  if (dir === undefined) {
    const out = await git(root, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
    dir = join(resolve(root, out.trim()), 'baton-worktrees');
    worktreeDirs.set(root, dir);
  }
  return dir;
}

const worktreeDirs = new Map<string, string>();

/** `git worktree add --quiet -b <branch> <dir> <start>` (dir must not exist; parents created). */
export async function addWorktree(
  root: string,
  dir: string,
  branch: string,
  start: string,
): Promise<void> {
  const target = resolve(root, dir);
  await mkdir(dirname(target), { recursive: true });
  await git(root, ['worktree', 'add', '--quiet', '--no-track', '-b', branch, target, start]);
}

/**
 * `git worktree remove --force <dir>`; no error when dir is gone. When git could not remove
 * it (its folder was deleted by hand), `git worktree prune` drops what git kept of it.
 */
export async function removeWorktree(root: string, dir: string): Promise<void> {
  const target = resolve(root, dir);
  const args = ['worktree', 'remove', '--force', target];
  const result = await runGit(root, args);
  if (result.code === 0) return;
  // A folder that is gone is what was asked for; one that stays was not removed.
  if (existsSync(target)) throw gitFailure(args, result);
  await git(root, ['worktree', 'prune']);
}

/** `git branch -D <branch>`; no error when it does not exist. */
export async function deleteBranch(root: string, branch: string): Promise<void> {
  const args = ['branch', '-D', branch];
  const result = await runGit(root, args);
  if (result.code === 0) return;
  const exists = await runGit(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
  if (exists.code === 0) throw gitFailure(args, result);
}

/**
 * Local branches whose name starts with `prefix` (e.g. 'baton/'): short name, tip sha and
 * committer time (ISO, UTC).
 */
export async function listBranches(
  root: string,
  prefix: string,
): Promise<{ name: string; sha: string; time: string }[]> {
  // for-each-ref matches whole path components: list the prefix's folder, then filter.
  const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const out = await git(root, [
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(committerdate:unix)',
    `refs/heads/${folder}`,
  ]);
  const branches: { name: string; sha: string; time: string }[] = [];
  for (const line of out.split('\n')) {
    const [ref, sha, unix] = line.split('\0');
    if (!ref || !sha) continue;
    const name = ref.slice('refs/heads/'.length);
    if (!name.startsWith(prefix)) continue;
    branches.push({ name, sha, time: new Date(Number(unix) * 1000).toISOString() });
  }
  return branches;
}
