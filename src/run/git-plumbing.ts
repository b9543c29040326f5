/**
 * The git operations of `baton run`. Runner state changes are commits built with plumbing
 * (git-commit.ts); the target branch moves only by compare-and-swap (advanceBranch), and the
 * user's working tree is touched only to fast-forward it.
 */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { acquireLock } from '../store/lock.js';
import { fields, git, gitFailure, runGit } from './git-exec.js';
import { checkedOutIn } from './git-worktrees.js';

export { commitAll, commitMessage, makeCommit } from './git-commit.js';
export {
  addWorktree,
  checkedOutIn,
  deleteBranch,
  listBranches,
  removeWorktree,
  worktreesDir,
} from './git-worktrees.js';

/** Commit sha the branch points at (refs/heads/<branch>); throws GIT_FAILED when missing. */
export async function branchTip(root: string, branch: string): Promise<string> {
  const ref = `refs/heads/${branch}`;
  const result = await runGit(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (result.code === 0) return result.stdout.trim();
  if (result.code === 1) throw new UserError('GIT_FAILED', `git rev-parse failed: no ${ref}`);
  throw gitFailure(['rev-parse'], result);
}

/** The text of `path` at `commit`, or undefined when no file is at that path there. */
export async function readAt(
  root: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  const listing = fields(await git(root, ['ls-tree', '-z', '--full-tree', commit, '--', path]));
  for (const entry of listing) {
    const tab = entry.indexOf('\t');
    const [, type, object] = entry.slice(0, tab).split(' ');
    if (entry.slice(tab + 1) === path && type === 'blob' && object) {
      return git(root, ['cat-file', 'blob', object]);
    }
  }
  return undefined;
}

export type Advance =
  | { ok: true }
  | { ok: false; reason: 'moved' }
  | { ok: false; reason: 'local-changes'; files: string[] };

const MOVED: Advance = { ok: false, reason: 'moved' };

/**
 * Move refs/heads/<branch> from `from` to `to` (full shas; `to` descends from `from`) by
 * compare-and-swap. Not checked out: `update-ref` with the old value. Checked out in a
 * worktree: that worktree is fast-forwarded, so its index and files follow the branch and the
 * user's other uncommitted edits stay; when it has local changes (or untracked or ignored
 * files in the way) in files the change touches, nothing moves and they are named.
 */
export async function advanceBranch(
  root: string,
  branch: string,
  from: string,
  to: string,
): Promise<Advance> {
  const ancestry = ['merge-base', '--is-ancestor', from, to];
  const related = await runGit(root, ancestry);
  // Moving a branch to a commit that does not contain its tip would drop commits: a bug.
  if (related.code === 1) throw new Error(`advanceBranch: ${to} does not descend from ${from}`);
  if (related.code !== 0) throw gitFailure(ancestry, related);
  const worktree = await checkedOutIn(root, branch);
  if (worktree === undefined) return swapRef(root, `refs/heads/${branch}`, from, to);
  return fastForward(worktree, from, to);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function swapRef(root: string, ref: string, from: string, to: string): Promise<Advance> {
  const args = ['update-ref', '-m', 'baton: advance', ref, to, from];
  for (let attempt = 1; ; attempt++) {
    const result = await runGit(root, args);
    if (result.code === 0) return { ok: true };
    const now = await runGit(root, ['rev-parse', '--verify', '--quiet', ref]);
    if (now.stdout.trim() !== from) return MOVED;
    // Still at `from`: another writer held the ref's lock and gave up; try again shortly.
    if (attempt === 5) throw gitFailure(args, result);
    await sleep(20 * attempt);
  }
}

/**
 * Fast-forward the worktree holding the branch. git's merge writes the index before it moves
 * HEAD, so two merges at once could mix their changes into the index: baton processes take
 * turns through a lock in the worktree's git dir (held for a few git calls).
 */
async function fastForward(worktree: string, from: string, to: string): Promise<Advance> {
  let gitDir = gitDirs.get(worktree);
  if (gitDir === undefined) {
    gitDir = (await git(worktree, ['rev-parse', '--absolute-git-dir'])).trim();
    gitDirs.set(worktree, gitDir);
  }
  const lock = await acquireLock(join(gitDir, 'baton-advance.lock'), {
    what: `the branch checked out in ${worktree}`,
  });
  try {
    return await fastForwardLocked(worktree, from, to);
  } finally {
    lock.release();
  }
}

/** The git dir of each worktree fast-forwarded so far (it does not change while we run). */
const gitDirs = new Map<string, string>();

async function fastForwardLocked(worktree: string, from: string, to: string): Promise<Advance> {
  const head = await runGit(worktree, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (head.stdout.trim() !== from) return MOVED;
  // merge --ff-only moves HEAD only forward to `to`, and only from the commit it read itself:
  // a commit the user made meanwhile, or a git command holding the index lock, makes it fail.
  // It refuses, changing nothing, when a local change (or an untracked or ignored file) is in
  // the way; only then is it worth a status of the whole worktree to say which.
  const merge = await runGit(worktree, [
    '-c',
    'submodule.recurse=false',
    'merge',
    '--ff-only',
    '--quiet',
    '--no-autostash',
    '--no-overwrite-ignore',
    '--no-verify-signatures',
    to,
  ]);
  if (merge.code === 0) return { ok: true };
  const diff = ['diff', '--no-renames', '--name-only', '-z', from, to];
  const changed = fields(await git(worktree, diff));
  const status = await git(worktree, [
    'status',
    '--porcelain',
    '-z',
    '--no-renames',
    '--untracked-files=all',
    '--ignored=matching',
  ]);
  // Each record is `XY <path>`; a folder (untracked or ignored as a whole) ends with '/'.
  const local = fields(status).map((record) => record.slice(3));
  const blocked = changed.filter((file) => local.some((path) => inTheWay(file, path)));
  if (blocked.length > 0) return { ok: false, reason: 'local-changes', files: blocked.sort() };
  return MOVED;
}

/** Whether a local change at `path` (a folder when it ends with '/') is in the way of `file`. */
function inTheWay(file: string, path: string): boolean {
  if (path.endsWith('/')) return file.startsWith(path);
  return file === path || file.startsWith(`${path}/`) || path.startsWith(`${file}/`);
}

export type Merge = { clean: true; tree: string } | { clean: false; files: string[] };

/** Merge `theirs` into `ours` without a worktree (`git merge-tree --write-tree`). */
export async function mergeTrees(root: string, ours: string, theirs: string): Promise<Merge> {
  const args = ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs];
  const result = await runGit(root, args);
  const [tree, ...conflicted] = fields(result.stdout);
  if (result.code === 0 && tree) return { clean: true, tree };
  if (result.code === 1) return { clean: false, files: [...new Set(conflicted)] };
  throw gitFailure(args, result);
}

/**
 * The `Baton-Task` trailer of the newest commit in `since..until` touching any of `files`, or
 * undefined (none, or that commit has no such trailer). `firstParent` looks only at the
 * commits made on `until`'s branch itself (a merge commit then counts as touching what it
 * brought in).
 */
export async function taskTouching(
  root: string,
  since: string,
  until: string,
  files: string[],
  opts: { firstParent?: boolean } = {},
): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  const out = await git(root, [
    'log',
    '-1',
    ...(opts.firstParent ? ['--first-parent'] : []),
    '--format=%(trailers:key=Baton-Task,valueonly)',
    `${since}..${until}`,
    '--',
    ...files,
  ]);
  return out
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
}
