/**
 * End-to-end: `baton hooks install | uninstall` and the pre-commit hook in real git
 * repositories, plus the fast staged snapshot against the full read of every staged blob.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/core/check.js';
import { buildGraph } from '../../src/core/graph.js';
import type { Snapshot } from '../../src/core/types.js';
import { installHooks } from '../../src/hooks/install.js';
import type { TaskData } from '../../src/schema/task.js';
import { readIndex, writeIndex } from '../../src/store/index-cache.js';
import { loadSnapshot } from '../../src/store/load.js';
import { findRoot } from '../../src/store/root.js';
import {
  CHECK_KEYS,
  STAGED_CACHE,
  STAGED_DELTA,
  stagedSnapshot,
  stagedSnapshotFromCache,
  stagedSnapshotFromWorkingTree,
  stagedSnapshotFull,
} from '../../src/store/staged.js';
import {
  GIT_ENV,
  git,
  gitRepo,
  runBaton,
  taskFile,
  tempDir,
  writeTree,
} from '../helpers/git-repo.js';

/** A snapshot as the staged cache keeps it: each task with only the keys `check` reads. */
function checkView(snapshot: Snapshot): Snapshot {
  const tasks = snapshot.tasks.map((t) => {
    const data = Object.fromEntries(
      CHECK_KEYS.filter((k) => t.data[k] !== undefined).map((k) => [k, t.data[k]]),
    ) as TaskData;
    return { ...t, data };
  });
  return { ...snapshot, tasks };
}

function task(id: string, extra: Record<string, string> = {}): string {
  return taskFile({ id, title: `Task ${id}`, status: 'todo', depends_on: '[]', ...extra });
}

/** A repo with baton initialised (no hooks yet) and two tasks, committed. */
function batonRepo(): string {
  const dir = gitRepo();
  expect(runBaton(dir, ['init', '--no-hooks']).code).toBe(0);
  writeTree(dir, { '.tasks/main/a.md': task('a'), '.tasks/main/b.md': task('b') });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'tasks');
  return dir;
}

/** `git commit` through the hooks; returns exit code and all output. */
function commit(dir: string, ...args: string[]): { code: number; out: string } {
  const res = spawnSync('git', ['commit', '-q', '-m', 'change', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: '' },
  });
  return { code: res.status ?? -1, out: res.stdout + res.stderr };
}

function writeHook(path: string, body: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

const hookPath = (dir: string, name: string) => join(dir, '.git/hooks', name);

function makeCycle(dir: string): void {
  writeTree(dir, {
    '.tasks/main/a.md': task('a', { depends_on: '[b]' }),
    '.tasks/main/b.md': task('b', { depends_on: '[a]' }),
  });
}

describe('baton hooks install', () => {
  it('is idempotent and chains an existing pre-commit hook (both run)', () => {
    const dir = batonRepo();
    const original = '#!/bin/sh\necho "chained ran $*" >> chained.log\n';
    writeFileSync(hookPath(dir, 'pre-commit'), original);
    chmodSync(hookPath(dir, 'pre-commit'), 0o755);

    const first = runBaton(dir, ['hooks', 'install']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('pre-commit.baton-chained');
    const installed = readFileSync(hookPath(dir, 'pre-commit'), 'utf8');
    expect(installed).toMatch(/^# baton hook$/m);
    expect(readFileSync(hookPath(dir, 'pre-commit.baton-chained'), 'utf8')).toBe(original);

    const again = runBaton(dir, ['hooks', 'install']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already installed');
    expect(readFileSync(hookPath(dir, 'pre-commit'), 'utf8')).toBe(installed);
    expect(readFileSync(hookPath(dir, 'pre-commit.baton-chained'), 'utf8')).toBe(original);
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe('.tasks/**/*.md merge=baton\n');
    expect(git(dir, 'config', '--local', 'merge.baton.name').trim()).toBe('baton task merge');
    expect(git(dir, 'config', '--local', 'merge.baton.driver')).toContain(
      'merge-driver %O %A %B %P',
    );

    // A clean commit: the chained hook ran, baton's check passed silently.
    writeTree(dir, { '.tasks/main/c.md': task('c', { depends_on: '[a]' }) });
    git(dir, 'add', '-A');
    const ok = commit(dir);
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'chained.log'), 'utf8')).toBe('chained ran \n');

    // A cycle: the chained hook still runs first, baton refuses the commit.
    makeCycle(dir);
    git(dir, 'add', '.tasks');
    const refused = commit(dir);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('dependency cycle: a -> b -> a');
    expect(refused.out).toContain('commit refused');
    expect(readFileSync(join(dir, 'chained.log'), 'utf8')).toBe('chained ran \nchained ran \n');
  });

  it('fails the commit when the chained hook fails', () => {
    const dir = batonRepo();
    writeHook(hookPath(dir, 'pre-commit'), 'echo "lint failed" >&2\nexit 3');
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    writeTree(dir, { 'notes.txt': 'x\n' });
    git(dir, 'add', '-A');
    const res = commit(dir);
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('lint failed');
    expect(git(dir, 'status', '--porcelain')).toContain('A  notes.txt');
  });

  it('prints warnings and lets the commit go on', () => {
    const dir = batonRepo();
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    // a file name that does not start with its id is a warning
    writeTree(dir, { '.tasks/main/misnamed.md': task('zz') });
    git(dir, 'add', '-A');
    const res = commit(dir);
    expect(res.code).toBe(0);
    expect(res.out).toContain('warning [file-name]');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('checks what is staged, not the working tree', () => {
    const dir = batonRepo();
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    // A cycle in the working tree only: the commit of something else goes through.
    writeTree(dir, { 'notes.txt': 'x\n' });
    git(dir, 'add', 'notes.txt');
    makeCycle(dir);
    expect(commit(dir).code).toBe(0);
    // The cycle staged, then repaired in the working tree without staging: refused.
    git(dir, 'add', '.tasks');
    writeTree(dir, { '.tasks/main/b.md': task('b') });
    const res = commit(dir);
    expect(res.code).toBe(1);
    expect(res.out).toContain('dependency cycle');
    // `commit -a` stages the repair: git's temporary index is what the hook reads.
    expect(commit(dir, '-a').code).toBe(0);
  });

  it('does not check a commit that changes no task file', () => {
    const dir = batonRepo();
    makeCycle(dir);
    git(dir, 'add', '.tasks');
    git(dir, 'commit', '-q', '--no-verify', '-m', 'a cycle slipped in');
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    writeTree(dir, { 'notes.txt': 'x\n' });
    git(dir, 'add', 'notes.txt');
    expect(commit(dir)).toEqual({ code: 0, out: '' });
    // Any change to a task file is checked, with what was there before.
    writeTree(dir, { '.tasks/main/c.md': task('c') });
    git(dir, 'add', '.tasks');
    const res = commit(dir);
    expect(res.code).toBe(1);
    expect(res.out).toContain('dependency cycle: a -> b -> a');
  });

  it('works with core.hooksPath', () => {
    const dir = batonRepo();
    git(dir, 'config', 'core.hooksPath', '.githooks');
    writeHook(join(dir, '.githooks/pre-commit'), 'echo ran > hookspath.log');
    const res = runBaton(dir, ['hooks', 'install']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('installed in .githooks/');
    expect(existsSync(join(dir, '.githooks/post-merge'))).toBe(true);
    expect(existsSync(hookPath(dir, 'post-merge'))).toBe(false);
    makeCycle(dir);
    git(dir, 'add', '.tasks');
    expect(commit(dir).code).toBe(1);
    expect(readFileSync(join(dir, 'hookspath.log'), 'utf8')).toBe('ran\n');
  });

  it("writes into .husky/ under husky 9's core.hooksPath=.husky/_", () => {
    const dir = batonRepo();
    // What `husky` (v9) generates: .husky/_/<hook> runs .husky/<hook> with sh -e.
    writeTree(dir, {
      '.husky/_/h':
        '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nsh -e "$s" "$@"\nc=$?\n[ $c != 0 ] && echo "husky - $n script failed (code $c)"\nexit $c\n',
      '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n',
      '.husky/pre-commit': 'echo husky-user >> husky.log\n',
    });
    chmodSync(join(dir, '.husky/_/h'), 0o755);
    chmodSync(join(dir, '.husky/_/pre-commit'), 0o755);
    git(dir, 'config', 'core.hooksPath', '.husky/_');
    const res = runBaton(dir, ['hooks', 'install']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('husky');
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toMatch(/^# baton hook$/m);
    expect(readFileSync(join(dir, '.husky/pre-commit.baton-chained'), 'utf8')).toBe(
      'echo husky-user >> husky.log\n',
    );
    expect(readFileSync(join(dir, '.husky/_/pre-commit'), 'utf8')).not.toContain('baton');

    writeTree(dir, { 'notes.txt': 'x\n' });
    git(dir, 'add', 'notes.txt');
    expect(commit(dir).code).toBe(0);
    makeCycle(dir);
    git(dir, 'add', '.tasks');
    const refused = commit(dir);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('dependency cycle');
    expect(readFileSync(join(dir, 'husky.log'), 'utf8')).toBe('husky-user\nhusky-user\n');
  });

  it('never blocks git when baton cannot be found', () => {
    const dir = batonRepo();
    installHooks(dir, { node: '/nonexistent/node', js: '/nonexistent/bin/baton.js' });
    makeCycle(dir);
    git(dir, 'add', '.tasks');
    // A PATH with git, node and what the hooks use, and no baton (`npm link` may have put
    // one in /usr/bin next to git).
    const bin = tempDir('baton-path-');
    for (const tool of ['git', 'node', 'sh', 'dirname']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
      symlinkSync(found.stdout.trim(), join(bin, tool));
    }
    const env = { ...process.env, ...GIT_ENV, PATH: bin };
    expect(spawnSync('sh', ['-c', 'command -v baton'], { env }).status).not.toBe(0);
    const res = spawnSync('git', ['commit', '-q', '-m', 'cycle'], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toContain('baton: not found');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('post-commit is silent for ordinary commits and chains an existing post-commit hook', () => {
    const dir = batonRepo();
    writeHook(hookPath(dir, 'post-commit'), 'echo "post-commit ran" >> .git/post-commit.log');
    const res = runBaton(dir, ['hooks', 'install']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /post-commit +installed; the existing hook is kept as post-commit\.baton-chained/,
    );
    expect(readFileSync(hookPath(dir, 'post-commit'), 'utf8')).toMatch(/^# baton hook$/m);
    expect(runBaton(dir, ['hooks', 'install']).stdout).toMatch(/post-commit +already installed/);
    // ordinary commits, a task change, an amend and a merge that did not stop: not a word
    writeTree(dir, { '.tasks/main/c.md': task('c', { assignee: 'bob' }) });
    git(dir, 'add', '-A');
    expect(commit(dir)).toEqual({ code: 0, out: '' });
    expect(commit(dir, '--amend')).toEqual({ code: 0, out: '' });
    git(dir, 'checkout', '-q', '-b', 'side');
    writeTree(dir, { 'side.txt': 'x\n' });
    git(dir, 'add', '-A');
    expect(commit(dir)).toEqual({ code: 0, out: '' });
    git(dir, 'checkout', '-q', 'main');
    const merged = spawnSync('git', ['merge', '-q', '--no-ff', '--no-edit', 'side'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: 'bob' },
    });
    expect(merged.status).toBe(0);
    expect(merged.stdout + merged.stderr).toBe('');
    expect(readFileSync(join(dir, '.git/post-commit.log'), 'utf8')).toBe(
      'post-commit ran\n'.repeat(3),
    );
    // uninstall puts the chained hook back
    expect(runBaton(dir, ['hooks', 'uninstall']).stdout).toMatch(
      /post-commit +removed; post-commit\.baton-chained restored as post-commit/,
    );
    expect(readFileSync(hookPath(dir, 'post-commit'), 'utf8')).toContain('post-commit ran');
  });

  it('appends to an existing .gitattributes once and uninstall restores everything', () => {
    const dir = batonRepo();
    writeFileSync(join(dir, '.gitattributes'), '*.png binary');
    const original = '#!/bin/sh\necho original\n';
    writeFileSync(hookPath(dir, 'post-merge'), original);
    chmodSync(hookPath(dir, 'post-merge'), 0o755);
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe(
      '*.png binary\n.tasks/**/*.md merge=baton\n',
    );

    const res = runBaton(dir, ['hooks', 'uninstall']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('post-merge.baton-chained restored');
    expect(readFileSync(hookPath(dir, 'post-merge'), 'utf8')).toBe(original);
    expect(existsSync(hookPath(dir, 'post-merge.baton-chained'))).toBe(false);
    for (const name of ['pre-commit', 'post-checkout', 'post-rewrite', 'post-commit']) {
      expect(existsSync(hookPath(dir, name))).toBe(false);
    }
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe('*.png binary\n');
    expect(git(dir, 'config', '--local', '--list')).not.toContain('merge.baton');
    // Uninstalling twice changes nothing more.
    expect(runBaton(dir, ['hooks', 'uninstall']).code).toBe(0);
    expect(readFileSync(hookPath(dir, 'post-merge'), 'utf8')).toBe(original);
  });

  it('never overwrites a hook that replaced ours while a chained one is kept', () => {
    const dir = batonRepo();
    writeHook(hookPath(dir, 'pre-commit'), 'echo first');
    expect(runBaton(dir, ['hooks', 'install']).code).toBe(0);
    writeHook(hookPath(dir, 'pre-commit'), 'echo second');
    const res = runBaton(dir, ['hooks', 'install']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('NOT installed');
    expect(readFileSync(hookPath(dir, 'pre-commit'), 'utf8')).toContain('echo second');
    expect(readFileSync(hookPath(dir, 'pre-commit.baton-chained'), 'utf8')).toContain('echo first');
  });

  it('is installed by init unless --no-hooks, and skipped outside git', () => {
    const dir = gitRepo();
    const res = runBaton(dir, ['init']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /hooks {3}installed pre-commit, post-merge, post-checkout, post-rewrite, post-commit and the merge driver/,
    );
    expect(existsSync(hookPath(dir, 'pre-commit'))).toBe(true);

    const plain = gitRepo();
    rmSync(join(plain, '.git'), { recursive: true, force: true });
    const outside = runBaton(plain, ['init']);
    expect(outside.code).toBe(0);
    expect(outside.stdout).toContain('hooks   skipped: not a git repository');

    const skip = gitRepo();
    const none = runBaton(skip, ['init', '--no-hooks']);
    expect(none.stdout).not.toContain('hooks');
    expect(existsSync(hookPath(skip, 'pre-commit'))).toBe(false);
  });

  it('requires a git working tree', () => {
    const dir = gitRepo();
    rmSync(join(dir, '.git'), { recursive: true, force: true });
    const res = runBaton(dir, ['hooks', 'install']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('not inside a git working tree');
  });
});

describe('the fast staged snapshot', () => {
  it('equals reading every staged blob, with staged, unstaged and untracked edits', async () => {
    const dir = batonRepo();
    writeTree(dir, {
      '.tasks/main/c.md': task('c', { depends_on: '[a]' }),
      '.tasks/main/d.md': task('d'),
      '.tasks/main/e.md': task('e'),
      '.tasks/feature-x/f.md': task('f'),
      '.tasks/main/g.md': task('g'),
    });
    // a symbolic link to a task: git stores the link, the working tree shows a task
    symlinkSync('g.md', join(dir, '.tasks/main/sym.md'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'more');
    // Warm the index cache on the committed state.
    const root = findRoot(dir)!;
    await loadSnapshot(root);

    // staged only
    writeTree(dir, { '.tasks/main/a.md': task('a', { title: 'staged' }) });
    git(dir, 'add', '.tasks/main/a.md');
    // staged, then changed again in the working tree (a cycle only in the working tree)
    writeTree(dir, { '.tasks/main/b.md': task('b', { depends_on: '[c]' }) });
    git(dir, 'add', '.tasks/main/b.md');
    writeTree(dir, { '.tasks/main/c.md': task('c', { depends_on: '[b]' }) });
    // unstaged edit, and an unstaged deletion
    writeTree(dir, { '.tasks/main/d.md': task('d', { status: 'done' }) });
    unlinkSync(join(dir, '.tasks/main/e.md'));
    // staged deletion that the working tree still has
    git(dir, 'rm', '-q', '--cached', '.tasks/feature-x/f.md');
    // untracked and ignored files
    writeTree(dir, {
      '.tasks/main/new.md': task('new'),
      '.tasks/main/broken.md': '---\nid: broken\n---\n',
      '.tasks/main/ignored.md': task('ignored'),
      '.gitignore': '.tasks/main/ignored.md\n',
    });
    // a staged file that is broken in the index but fixed in the working tree
    writeTree(dir, { '.tasks/main/h.md': '---\nid: h\ntitle: [\n---\n' });
    git(dir, 'add', '.tasks/main/h.md');
    writeTree(dir, { '.tasks/main/h.md': task('h') });

    // The index cache now knows the working tree (files younger than RACY_MS excepted).
    const working = await loadSnapshot(root);
    const full = await stagedSnapshotFull(root, working.now);
    const ids = full.tasks.map((t) => t.data.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e', 'g']);
    expect(full.tasks.find((t) => t.data.id === 'b')!.data.depends_on).toEqual(['c']);
    expect(full.tasks.find((t) => t.data.id === 'c')!.data.depends_on).toEqual(['a']);
    expect(full.tasks.find((t) => t.data.id === 'd')!.data.status).toBe('todo');
    expect(full.fileProblems.map((p) => p.path)).toEqual(['.tasks/main/h.md']);

    expect(await stagedSnapshotFromWorkingTree(root, working)).toEqual(full);
    // No staged cache yet: the cache path declines; stagedSnapshot answers and writes it.
    expect(await stagedSnapshotFromCache(root, working.now)).toBeUndefined();
    expect(await stagedSnapshot(root, async () => working)).toEqual(full);
    const cached = await stagedSnapshotFromCache(root, working.now);
    expect(cached).toEqual(checkView(full));

    // A blob the cache does not know (staged after it was written) is read and parsed.
    writeTree(dir, { '.tasks/main/d.md': task('d', { status: 'done', depends_on: '[z]' }) });
    git(dir, 'add', '.tasks/main/d.md');
    const full2 = await stagedSnapshotFull(root, working.now);
    expect(await stagedSnapshotFromCache(root, working.now)).toEqual(checkView(full2));
    // ...and recorded in the small delta file, which the next run reads over the cache.
    expect(existsSync(join(dir, '.tasks/.local', STAGED_DELTA))).toBe(true);
    expect(await stagedSnapshotFromCache(root, working.now)).toEqual(checkView(full2));
    git(dir, 'reset', '-q', '--', '.tasks/main/d.md');

    // The cache path trusts a row whose blob id matches git's: a doctored row shows through.
    const local = join(dir, '.tasks/.local');
    const index = readIndex(local, STAGED_CACHE)!;
    const row = index.rows.find((r) => r[0] === '.tasks/main/g.md')!;
    if (row[2]) row[2] = { ...row[2], status: 'cancelled' };
    writeIndex(local, index, STAGED_CACHE);
    const doctored = await stagedSnapshotFromCache(root, working.now);
    expect(doctored!.tasks.find((t) => t.data.id === 'g')!.data.status).toBe('cancelled');

    // A corrupt cache is not trusted; without the index cache the working tree still agrees.
    writeFileSync(join(local, STAGED_CACHE), 'garbage');
    expect(await stagedSnapshotFromCache(root, working.now)).toBeUndefined();
    rmSync(join(local, 'index.json'), { force: true });
    const cold = await loadSnapshot(root, { index: false, now: working.now });
    const fromCold = await stagedSnapshotFromWorkingTree(root, cold);
    expect(fromCold).toEqual(full);
    // Check results are the same from every path.
    const results = [full, fromCold, cached!].map((snap) =>
      runChecks(snap, buildGraph(snap.tasks)),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('does not trust a racily clean entry (changed in the tick git indexed it)', async () => {
    const dir = batonRepo();
    const root = findRoot(dir)!;
    const path = join(dir, '.tasks/main/a.md');
    const tick = new Date(Date.now() - 3_600_000);
    // git records a.md and writes its index in the same (coarse) tick as a.md's mtime...
    writeTree(dir, { '.tasks/main/a.md': task('a', { title: 'staged' }) });
    utimesSync(path, tick, tick);
    git(dir, 'add', '.tasks/main/a.md');
    utimesSync(join(dir, '.git/index'), tick, tick);
    // ...then a.md changes again within that tick: same size, same mtime, same inode.
    writeFileSync(path, task('a', { title: 'edited' }));
    utimesSync(path, tick, tick);
    const working = await loadSnapshot(root);
    expect(working.tasks.find((t) => t.data.id === 'a')!.data.title).toBe('edited');
    const full = await stagedSnapshotFull(root, working.now);
    expect(full.tasks.find((t) => t.data.id === 'a')!.data.title).toBe('staged');
    expect(await stagedSnapshot(root, async () => working)).toEqual(full);
    expect(await stagedSnapshotFromCache(root, working.now)).toEqual(checkView(full));
    expect(await stagedSnapshotFromWorkingTree(root, working)).toEqual(full);
  });
});
