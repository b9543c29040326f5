import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addWorktree,
  advanceBranch,
  branchTip,
  checkedOutIn,
  commitAll,
  deleteBranch,
  listBranches,
  makeCommit,
  mergeTrees,
  readAt,
  removeWorktree,
  taskTouching,
  worktreesDir,
} from '../../src/run/git-plumbing.js';
import { git, gitRepo, writeTree } from '../helpers/git-repo.js';

const status = (dir: string) => git(dir, 'status', '--porcelain');
const head = (dir: string) => git(dir, 'rev-parse', 'HEAD').trim();
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

/** A commit on top of `parent` changing `changes`, made with the module under test. */
const child = (root: string, parent: string, changes: Record<string, string | null>, task = 't') =>
  makeCommit(root, {
    parent,
    changes,
    message: `change for ${task}`,
    trailers: { 'Baton-Task': task },
  });

describe('makeCommit', () => {
  it('builds a commit with changes, deletes and trailers, leaving the index and files alone', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'run.sh': '#!/bin/sh\n' });
    chmodSync(join(root, 'run.sh'), 0o755);
    git(root, 'commit', '-q', '-am', 'executable');
    // The user's state: a staged new file, an unstaged edit, an untracked file.
    writeTree(root, { 'staged.txt': 'staged\n', 'a.txt': 'edited\n', 'loose.txt': 'loose\n' });
    git(root, 'add', 'staged.txt');
    const before = status(root);
    const indexBefore = git(root, 'ls-files', '-s');
    const parent = await branchTip(root, 'main');

    const sha = await makeCommit(root, {
      parent,
      changes: { 'a.txt': 'A\n', 'new/c.txt': 'c\n', 'dir/b.txt': null, 'run.sh': 'exit 0\n' },
      message: 'Runner state\n\nA body line.',
      trailers: { 'Baton-Task': 't1', 'Baton-Attempt': '2' },
    });

    expect(git(root, 'rev-parse', `${sha}^`).trim()).toBe(parent);
    expect(await readAt(root, sha, 'a.txt')).toBe('A\n');
    expect(await readAt(root, sha, 'new/c.txt')).toBe('c\n');
    expect(await readAt(root, sha, 'dir/b.txt')).toBeUndefined();
    expect(await readAt(root, sha, 'new')).toBeUndefined(); // a folder is no file
    expect(await readAt(root, sha, 'README.md')).toBe('# test repo\n');
    expect(git(root, 'ls-tree', sha, 'run.sh')).toMatch(/^100755 /);
    expect(git(root, 'log', '-1', '--format=%B', sha)).toBe(
      'Runner state\n\nA body line.\n\nBaton-Task: t1\nBaton-Attempt: 2\n\n',
    );
    expect(git(root, 'log', '-1', '--format=%(trailers)', sha)).toContain('Baton-Task: t1\n');

    expect(await branchTip(root, 'main')).toBe(parent);
    expect(status(root)).toBe(before);
    expect(git(root, 'ls-files', '-s')).toBe(indexBefore);
    expect(read(root, 'a.txt')).toBe('edited\n');
    expect(readdirSync(join(root, '.git')).filter((f) => f.startsWith('baton-index'))).toEqual([]);
  });

  it('takes a base tree and extra parents: a merge commit', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const base = await branchTip(root, 'main');
    const ours = await child(root, base, { 'a.txt': 'A\n' });
    const theirs = await child(root, base, { 'b.txt': 'B\n' });
    const merge = await mergeTrees(root, ours, theirs);
    if (!merge.clean) throw new Error('expected a clean merge');
    const sha = await makeCommit(root, {
      parent: ours,
      extraParents: [theirs],
      baseTree: merge.tree,
      changes: { 'c.txt': 'c\n' },
      message: 'Merge',
    });
    expect(git(root, 'log', '-1', '--format=%P', sha).trim()).toBe(`${ours} ${theirs}`);
    expect(await readAt(root, sha, 'a.txt')).toBe('A\n');
    expect(await readAt(root, sha, 'b.txt')).toBe('B\n');
    expect(await readAt(root, sha, 'c.txt')).toBe('c\n');
  });
});

describe('branchTip and readAt', () => {
  it('throws GIT_FAILED for a missing branch or commit', async () => {
    const root = gitRepo();
    await expect(branchTip(root, 'nope')).rejects.toMatchObject({ code: 'GIT_FAILED' });
    await expect(readAt(root, '0'.repeat(40), 'README.md')).rejects.toMatchObject({
      code: 'GIT_FAILED',
    });
  });
});

describe('advanceBranch', () => {
  it('moves a branch that is not checked out by compare-and-swap', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    git(root, 'branch', 'side');
    const from = await branchTip(root, 'side');
    const to = await child(root, from, { 'a.txt': 'A\n' });
    const other = await child(root, from, { 'a.txt': 'other\n' });
    expect(await checkedOutIn(root, 'side')).toBeUndefined();

    expect(await advanceBranch(root, 'side', from, to)).toEqual({ ok: true });
    expect(await branchTip(root, 'side')).toBe(to);
    expect(await advanceBranch(root, 'side', from, other)).toEqual({ ok: false, reason: 'moved' });
    expect(await branchTip(root, 'side')).toBe(to);
    expect(head(root)).toBe(from); // main, checked out, did not move
    expect(status(root)).toBe('');
  });

  it('fast-forwards the worktree that has the branch, keeping unrelated local edits', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });
    expect(await checkedOutIn(root, 'main')).toBe(realpathSync(root));
    const from = await branchTip(root, 'main');
    const to = await child(root, from, { 'a.txt': 'A\n', 'c.txt': null, 'd/new.txt': 'new\n' });
    writeTree(root, { 'b.txt': 'my edit\n', 'untracked.txt': 'mine\n', 'staged.txt': 's\n' });
    git(root, 'add', 'staged.txt');

    expect(await advanceBranch(root, 'main', from, to)).toEqual({ ok: true });
    expect(head(root)).toBe(to);
    expect(read(root, 'a.txt')).toBe('A\n');
    expect(existsSync(join(root, 'c.txt'))).toBe(false);
    expect(read(root, 'd/new.txt')).toBe('new\n');
    expect(read(root, 'b.txt')).toBe('my edit\n');
    expect(read(root, 'untracked.txt')).toBe('mine\n');
    expect(status(root)).toBe(' M b.txt\nA  staged.txt\n?? untracked.txt\n');
  });

  it('refuses when the worktree has local changes in files the change touches', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 's.txt': 's\n', 'b.txt': 'b\n' });
    const from = await branchTip(root, 'main');
    const to = await child(root, from, { 'a.txt': 'A\n', 's.txt': 'S\n', 'n.txt': 'n\n' });
    writeTree(root, { 'a.txt': 'unstaged\n', 's.txt': 'staged\n', 'n.txt': 'in the way\n' });
    git(root, 'add', 's.txt');
    const before = status(root);

    expect(await advanceBranch(root, 'main', from, to)).toEqual({
      ok: false,
      reason: 'local-changes',
      files: ['a.txt', 'n.txt', 's.txt'],
    });
    expect(head(root)).toBe(from);
    expect(status(root)).toBe(before);
    expect(read(root, 'a.txt')).toBe('unstaged\n');
    expect(read(root, 'n.txt')).toBe('in the way\n');
  });

  it('counts untracked files under a path that becomes a file, and ignored files, in the way', async () => {
    const root = gitRepo({ '.gitignore': '*.env\n', 'a.txt': 'a\n' });
    const from = await branchTip(root, 'main');
    const to = await child(root, from, { x: 'x\n', 'secret.env': 'committed\n', 'y/z.txt': 'z\n' });
    // y/mine.txt sits beside the new y/z.txt: not in its way.
    writeTree(root, { 'x/mine.txt': 'mine\n', 'secret.env': 'KEY=1\n', 'y/mine.txt': 'mine\n' });
    expect(await advanceBranch(root, 'main', from, to)).toEqual({
      ok: false,
      reason: 'local-changes',
      files: ['secret.env', 'x'],
    });
    expect(read(root, 'secret.env')).toBe('KEY=1\n');
    expect(head(root)).toBe(from);
  });

  it("says moved when the worktree's HEAD is not `from`", async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const from = await branchTip(root, 'main');
    const to = await child(root, from, { 'a.txt': 'A\n' });
    writeTree(root, { 'b.txt': 'b\n' });
    git(root, 'add', 'b.txt');
    git(root, 'commit', '-q', '-m', 'user commit');
    const mine = head(root);
    expect(await advanceBranch(root, 'main', from, to)).toEqual({ ok: false, reason: 'moved' });
    expect(head(root)).toBe(mine);
    expect(status(root)).toBe('');
  });

  it('fast-forwards a branch checked out in a linked worktree', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const from = await branchTip(root, 'main');
    const dir = join(await worktreesDir(root), 'side');
    await addWorktree(root, dir, 'side', from);
    const to = await child(root, from, { 'a.txt': 'A\n' });
    expect(await advanceBranch(root, 'side', from, to)).toEqual({ ok: true });
    expect(read(dir, 'a.txt')).toBe('A\n');
    expect(status(dir)).toBe('');
    expect(head(root)).toBe(from);
  });

  it('throws when `to` does not descend from `from`', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const from = await branchTip(root, 'main');
    const to = await child(root, from, { 'a.txt': 'A\n' });
    await expect(advanceBranch(root, 'main', to, from)).rejects.toThrow(/does not descend/);
  });

  for (const checkedOut of [false, true]) {
    it(`lets exactly one of two concurrent advances win (checked out: ${checkedOut})`, async () => {
      const root = gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
      const branch = checkedOut ? 'main' : 'side';
      if (!checkedOut) git(root, 'branch', 'side');
      for (let round = 0; round < 3; round++) {
        const from = await branchTip(root, branch);
        const one = await child(root, from, { 'a.txt': `one ${round}\n` });
        const two = await child(root, from, { 'b.txt': `two ${round}\n` });
        const results = await Promise.all([
          advanceBranch(root, branch, from, one),
          advanceBranch(root, branch, from, two),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'moved' }]);
        const winner = results[0]!.ok ? one : two;
        expect(await branchTip(root, branch)).toBe(winner);
        if (checkedOut) expect(status(root)).toBe('');
      }
    });
  }
});

describe('mergeTrees and taskTouching', () => {
  it('reports the conflicted files of two edits of one line', async () => {
    const root = gitRepo({ 'a.txt': 'line\n', 'b.txt': 'b\n' });
    const base = await branchTip(root, 'main');
    const ours = await child(root, base, { 'a.txt': 'ours\n', 'b.txt': 'B\n' });
    const theirs = await child(root, base, { 'a.txt': 'theirs\n' });
    expect(await mergeTrees(root, ours, theirs)).toEqual({ clean: false, files: ['a.txt'] });
  });

  it('finds the Baton-Task trailer of the commit that touched a file', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const base = await branchTip(root, 'main');
    const c1 = await child(root, base, { 'a.txt': 'A\n' }, 't1');
    const c2 = await child(root, c1, { 'b.txt': 'B\n' }, 't2');
    expect(await taskTouching(root, base, c2, ['a.txt'])).toBe('t1');
    expect(await taskTouching(root, base, c2, ['b.txt'])).toBe('t2');
    expect(await taskTouching(root, base, c2, ['a.txt', 'b.txt'])).toBe('t2');
    expect(await taskTouching(root, c1, c2, ['a.txt'])).toBeUndefined();
    expect(await taskTouching(root, base, c2, ['README.md'])).toBeUndefined();
    expect(await taskTouching(root, base, c2, [])).toBeUndefined();
  });

  it('with firstParent, names the merge commit that brought a change in', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const base = await branchTip(root, 'main');
    // An attempt's own commit without a trailer, merged by a runner commit with one.
    const work = await makeCommit(root, {
      parent: base,
      changes: { 'a.txt': 'A\n' },
      message: 'w',
    });
    const merged = await mergeTrees(root, base, work);
    if (!merged.clean) throw new Error('expected a clean merge');
    const merge = await makeCommit(root, {
      parent: base,
      extraParents: [work],
      baseTree: merged.tree,
      message: 'Merge t3',
      trailers: { 'Baton-Task': 't3' },
    });
    expect(await taskTouching(root, base, merge, ['a.txt'])).toBeUndefined();
    expect(await taskTouching(root, base, merge, ['a.txt'], { firstParent: true })).toBe('t3');
  });
});

describe('attempt worktrees and branches', () => {
  it('adds, commits in, lists, removes and deletes', async () => {
    const root = gitRepo({ 'a.txt': 'a\n' });
    const start = await branchTip(root, 'main');
    const wts = await worktreesDir(root);
    expect(wts).toBe(join(realpathSync(root), '.git', 'baton-worktrees'));
    const dir = join(wts, 't1', '1');
    await addWorktree(root, dir, 'baton/t1/1', start);
    expect(read(dir, 'a.txt')).toBe('a\n');
    expect(await checkedOutIn(root, 'baton/t1/1')).toBe(dir);
    expect(status(root)).toBe(''); // the worktree is not in the user's files

    expect(await commitAll(dir, 'nothing')).toBeUndefined();
    writeTree(dir, { 'a.txt': 'A\n', 'new.txt': 'new\n' });
    writeFileSync(join(dir, 'gone.txt'), 'x');
    const sha = await commitAll(dir, 'Work on t1', { 'Baton-Task': 't1' });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await branchTip(root, 'baton/t1/1')).toBe(sha);
    expect(status(dir)).toBe('');
    expect(git(root, 'log', '-1', '--format=%(trailers:key=Baton-Task,valueonly)', sha!)).toBe(
      't1\n\n',
    );
    expect(await readAt(root, sha!, 'gone.txt')).toBe('x');

    git(root, 'branch', 'batonx', start);
    git(root, 'branch', 'baton/t2/1', start);
    const branches = await listBranches(root, 'baton/');
    expect(branches.map((b) => b.name)).toEqual(['baton/t1/1', 'baton/t2/1']);
    expect(branches[0]).toMatchObject({
      sha,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect((await listBranches(root, 'baton/t1')).map((b) => b.name)).toEqual(['baton/t1/1']);
    expect((await listBranches(root, 'baton')).map((b) => b.name)).toEqual([
      'baton/t1/1',
      'baton/t2/1',
      'batonx',
    ]);

    await removeWorktree(root, dir);
    expect(existsSync(dir)).toBe(false);
    const list = git(root, 'worktree', 'list', '--porcelain');
    expect(list.match(/^worktree /gm)).toHaveLength(1);
    await removeWorktree(root, dir);

    await deleteBranch(root, 'baton/t1/1');
    await deleteBranch(root, 'baton/t1/1');
    expect((await listBranches(root, 'baton/')).map((b) => b.name)).toEqual(['baton/t2/1']);
  });

  it('deleteBranch refuses a branch checked out in a worktree', async () => {
    const root = gitRepo();
    const dir = join(await worktreesDir(root), 'x');
    await addWorktree(root, dir, 'baton/x/1', 'main');
    await expect(deleteBranch(root, 'baton/x/1')).rejects.toMatchObject({ code: 'GIT_FAILED' });
  });
});
