/**
 * End-to-end: `baton news` and the post-merge / post-checkout / post-rewrite hooks, with a
 * bare remote and two clones (alice's and bob's), as a team would use them.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedTaskFiles, newsSides } from '../../src/cli/commands/news.js';
import { tasksAtRev } from '../../src/store/git-snapshot.js';
import { loadSnapshot } from '../../src/store/load.js';
import { findRoot } from '../../src/store/root.js';
import {
  batonLines,
  commitAll,
  git,
  gitAs,
  gitRepo,
  runBaton,
  shareWithBob,
  taskFile,
  writeTree,
} from '../helpers/git-repo.js';

const T = '2026-11-22T10:00:00Z';

function task(id: string, extra: Record<string, string> = {}, log: string[] = []): string {
  const body = log.length > 0 ? `\n## Log\n${log.map((l) => `- ${l}\n`).join('')}` : '';
  return taskFile({ id, title: `Task ${id}`, status: 'todo', depends_on: '[]', ...extra }, body);
}

/**
 * A bare remote, alice's clone (the original, hooks not needed) and bob's clone with the
 * hooks installed. Tasks: `t1` assigned to alice, `t2` waiting on `t1`, `t3` bob's.
 */
function team(): { alice: string; bob: string } {
  const alice = gitRepo();
  expect(runBaton(alice, ['init', '--no-hooks']).code).toBe(0);
  writeTree(alice, {
    '.tasks/main/t1.md': task('t1', { assignee: 'alice', status: 'in_progress' }),
    '.tasks/main/t2.md': task('t2', { depends_on: '[t1]' }),
    '.tasks/main/t3.md': task('t3', { assignee: 'bob', status: 'in_progress' }),
    '.tasks/main/t4.md': task('t4', { assignee: 'carol' }),
  });
  commitAll(alice, 'plan');
  const bob = shareWithBob(alice);
  return { alice, bob };
}

function aliceChanges(alice: string, tree: Record<string, string>, message = 'work'): void {
  writeTree(alice, tree);
  commitAll(alice, message);
  git(alice, 'push', '-q', 'origin', 'main');
}

describe('news after git pull (post-merge hook)', () => {
  it('announces a hand-off to bob, committed in alice clone', () => {
    const { alice, bob } = team();
    aliceChanges(alice, {
      '.tasks/main/t1.md': task('t1', { assignee: 'bob', status: 'in_progress' }, [
        `${T} alice handoff -> bob: take it`,
      ]),
    });
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).toBe(0);
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 task handed to you:',
      '  t1  Task t1 (from alice: take it)',
    ]);
    // carol hears nothing about it
    git(bob, 'reset', '-q', '--hard', 'HEAD~1');
    expect(gitAs('carol', bob, 'pull', '-q').out).toBe('');
  });

  it('announces a task that became ready, and a new discovery', () => {
    const { alice, bob } = team();
    aliceChanges(alice, {
      '.tasks/main/t1.md': task('t1', { assignee: 'alice', status: 'done' }, [
        `${T} alice discover: the vendor feed drops ticks on reconnect`,
        `${T} alice done`,
      ]),
    });
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).toBe(0);
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 task became ready:',
      '  t2  Task t2',
      'baton: 1 new discovery:',
      '  t1  Task t1: alice: the vendor feed drops ticks on reconnect',
    ]);
  });

  it('prints nothing when nothing relevant to bob changed', () => {
    const { alice, bob } = team();
    aliceChanges(alice, {
      'README.md': '# changed\n',
      '.tasks/main/t4.md': task('t4', { assignee: 'carol', priority: 'high' }, [
        `${T} alice share: bumped`,
      ]),
    });
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).toBe(0);
    expect(pull.out).toBe('');
  });

  it('tells bob when someone else took a task he held, and about a new cycle', () => {
    const { alice, bob } = team();
    aliceChanges(alice, {
      '.tasks/main/t3.md': task('t3', { assignee: 'carol', status: 'in_progress' }, [
        `${T} carol claim`,
      ]),
      '.tasks/main/t1.md': task('t1', {
        assignee: 'alice',
        status: 'in_progress',
        depends_on: '[t2]',
      }),
    });
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 task you held was taken by someone else:',
      '  t3  Task t3 (now carol)',
      'baton: 1 new dependency cycle:',
      '  t1 -> t2 -> t1',
    ]);
  });

  it('does not count bob’s own uncommitted edits as news', () => {
    const { alice, bob } = team();
    // bob, uncommitted: a new ready task of his own
    writeTree(bob, { '.tasks/main/b1.md': task('b1', { assignee: 'bob' }) });
    aliceChanges(alice, { 'README.md': '# changed\n' });
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).toBe(0);
    expect(pull.out).toBe('');
  });
});

describe('news after a pull that stopped on a conflict (post-commit hook)', () => {
  const handoff = (note: string, extra: Record<string, string> = {}) =>
    task('t1', { assignee: 'bob', status: 'in_progress', ...extra }, [
      `${T} alice handoff -> bob: ${note}`,
    ]);

  it('announces the hand-off when the merge is concluded, once', () => {
    const { alice, bob } = team();
    aliceChanges(alice, { '.tasks/main/t1.md': handoff('take it'), 'README.md': '# alice\n' });
    writeTree(bob, { 'README.md': '# bob\n' });
    commitAll(bob, 'bob edits the readme');
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).not.toBe(0);
    expect(pull.out).toContain('CONFLICT (content): Merge conflict in README.md');
    expect(batonLines(pull.out)).toEqual([]);
    writeTree(bob, { 'README.md': '# alice and bob\n' });
    git(bob, 'add', 'README.md');
    const done = gitAs('bob', bob, 'commit', '-q', '--no-edit');
    expect(done.code).toBe(0);
    expect(batonLines(done.out)).toEqual([
      'baton: 1 task handed to you:',
      '  t1  Task t1 (from alice: take it)',
    ]);
    expect(git(bob, 'log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
    // shown: neither an amend of the merge nor `baton news` says it again
    expect(gitAs('bob', bob, 'commit', '-q', '--amend', '--no-edit').out).toBe('');
    expect(runBaton(bob, ['news'], { env: { BATON_AGENT: 'bob' } })).toMatchObject({
      code: 0,
      stdout: '',
    });
  });

  it('announces it after a conflict in a task field, resolved by hand, with merge --continue', () => {
    const { alice, bob } = team();
    aliceChanges(alice, { '.tasks/main/t1.md': handoff('over to you', { priority: 'high' }) });
    writeTree(bob, {
      '.tasks/main/t1.md': task('t1', {
        assignee: 'alice',
        status: 'in_progress',
        priority: 'low',
      }),
    });
    commitAll(bob, 'bob lowers t1');
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).not.toBe(0);
    expect(pull.out).toContain('conflicting changes to priority');
    expect(batonLines(pull.out).filter((l) => l.includes('handed'))).toEqual([]);
    writeTree(bob, { '.tasks/main/t1.md': handoff('over to you', { priority: 'high' }) });
    git(bob, 'add', '.tasks');
    git(bob, 'config', 'core.editor', 'true');
    const done = gitAs('bob', bob, 'merge', '--continue');
    expect(done.code).toBe(0);
    expect(batonLines(done.out)).toEqual([
      'baton: 1 task handed to you:',
      '  t1  Task t1 (from alice: over to you)',
    ]);
  });
});

describe('news from post-checkout and post-rewrite', () => {
  it('announces news when switching branches, not for file checkouts', () => {
    const { bob } = team();
    git(bob, 'checkout', '-q', '-b', 'feature');
    writeTree(bob, {
      '.tasks/main/t1.md': task('t1', { assignee: 'bob', status: 'in_progress' }, [
        `${T} alice handoff -> bob: on the branch`,
      ]),
    });
    commitAll(bob, 'handoff on a branch');
    gitAs('bob', bob, 'checkout', '-q', 'main');
    const sw = gitAs('bob', bob, 'checkout', '-q', 'feature');
    expect(sw.code).toBe(0);
    expect(batonLines(sw.out)).toEqual([
      'baton: 1 task handed to you:',
      '  t1  Task t1 (from alice: on the branch)',
    ]);
    // A file checkout ($3 = 0) says nothing; neither does a new branch at the same commit.
    expect(gitAs('bob', bob, 'checkout', '-q', 'main', '--', '.tasks/main/t1.md').out).toBe('');
    expect(gitAs('bob', bob, 'checkout', '-q', '-b', 'other').out).toBe('');
  });

  it('announces news once after git pull --rebase', () => {
    const { alice, bob } = team();
    writeTree(bob, { 'bob.txt': 'local work\n' });
    commitAll(bob, 'bob local commit');
    aliceChanges(alice, {
      '.tasks/main/t1.md': task('t1', { assignee: 'bob', status: 'in_progress' }, [
        `${T} alice handoff -> bob: rebased`,
      ]),
    });
    const pull = gitAs('bob', bob, 'pull', '-q', '--rebase');
    expect(pull.code).toBe(0);
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 task handed to you:',
      '  t1  Task t1 (from alice: rebased)',
    ]);
  });
});

describe('baton news', () => {
  it('compares with --since and prints JSON', () => {
    const { alice } = team();
    const base = git(alice, 'rev-parse', 'HEAD').trim();
    writeTree(alice, {
      '.tasks/main/t1.md': task('t1', { assignee: 'bob', status: 'in_progress' }, [
        `${T} alice handoff -> bob: take it [artifacts: db/schema.sql]`,
      ]),
    });
    commitAll(alice, 'handoff');
    const res = runBaton(alice, ['news', '--since', base, '--json'], {
      env: { BATON_AGENT: 'bob' },
    });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      {
        kind: 'handoff',
        id: 't1',
        title: 'Task t1',
        path: '.tasks/main/t1.md',
        from: 'alice',
        previous: 'alice',
        note: 'take it',
        artifacts: ['db/schema.sql'],
        ready: false,
      },
    ]);
    const text = runBaton(alice, ['news', '--since', base, '--agent', 'bob']);
    expect(text.stdout).toBe(
      'baton: 1 task handed to you:\n  t1  Task t1 (from alice: take it) [artifacts: db/schema.sql]\n',
    );
    const none = runBaton(alice, ['news', '--since', 'HEAD', '--json', '--agent', 'bob']);
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('reports a new bad file', () => {
    const { alice } = team();
    writeFileSync(join(alice, '.tasks/main/t4.md'), '---\nid: t4\ntitle: [\n---\n');
    commitAll(alice, 'broken');
    const res = runBaton(alice, ['news', '--since', 'HEAD~1', '--agent', 'bob']);
    expect(res.stdout).toMatch(
      /^baton: 1 new bad file:\n {2}\.tasks\/main\/t4\.md:\d+: \[schema\]/,
    );
  });

  it('fails clearly when the revision does not resolve, and is silent for a hook', () => {
    const dir = gitRepo();
    expect(runBaton(dir, ['init', '--no-hooks']).code).toBe(0);
    // nothing shown before and nothing merged: no news yet, and from here on
    expect(runBaton(dir, ['news'])).toEqual({
      code: 0,
      stdout: 'No news yet: news starts from here (after your next pull).\n',
      stderr: '',
    });
    expect(runBaton(dir, ['news', '--json']).stdout).toBe('[]\n');
    const bogus = runBaton(dir, ['news', '--since', 'no-such-rev']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('cannot resolve "no-such-rev" to a commit');
    const hook = runBaton(dir, ['news', '--hook', 'post-merge']);
    expect(hook).toEqual({ code: 0, stdout: '', stderr: '' });
    // and a hook in a repository without .tasks/ says nothing
    const plain = gitRepo();
    expect(runBaton(plain, ['news', '--since', 'HEAD', '--hook', 'post-checkout'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('with no argument shows what arrived since the news last shown to this agent', () => {
    const { alice, bob } = team();
    // a clone whose hooks do not run (as after a pull that stopped on a conflict)
    for (const hook of ['post-merge', 'post-commit']) {
      rmSync(join(bob, '.git/hooks', hook), { force: true });
    }
    const news = (agent: string, ...args: string[]) =>
      runBaton(bob, ['news', ...args], { env: { BATON_AGENT: agent } });
    // nothing shown yet and nothing merged: no news, and the mark starts here
    expect(news('bob')).toEqual({
      code: 0,
      stdout: 'No news yet: news starts from here (after your next pull).\n',
      stderr: '',
    });
    aliceChanges(alice, {
      '.tasks/main/t1.md': task('t1', { assignee: 'bob', status: 'in_progress' }, [
        `${T} alice handoff -> bob: take it`,
      ]),
    });
    expect(gitAs('bob', bob, 'pull', '-q').out).toBe('');
    aliceChanges(alice, {
      '.tasks/main/t4.md': task('t4', { assignee: 'carol' }, [
        `${T} alice discover: the feed drops ticks`,
      ]),
    });
    expect(gitAs('bob', bob, 'pull', '-q').out).toBe('');
    // both pulls, not only the last one (ORIG_HEAD)
    expect(news('bob').stdout).toBe(
      [
        'baton: 1 task handed to you:',
        '  t1  Task t1 (from alice: take it)',
        'baton: 1 new discovery:',
        '  t4  Task t4: alice: the feed drops ticks',
        '',
      ].join('\n'),
    );
    expect(news('bob')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(news('bob', '--json').stdout).toBe('[]\n');
    // --since REV answers without moving the mark
    expect(news('bob', '--since', 'HEAD~2').stdout).toContain('1 task handed to you');
    expect(news('bob').stdout).toBe('');
    // each agent has their own mark: carol has seen nothing yet (ORIG_HEAD: the last pull)
    expect(JSON.parse(news('carol', '--json').stdout)).toMatchObject([{ kind: 'discovery' }]);
    expect(news('carol', '--json').stdout).toBe('[]\n');
    // news a hook printed counts as shown
    expect(runBaton(bob, ['hooks', 'install']).code).toBe(0);
    aliceChanges(alice, {
      '.tasks/main/t2.md': task('t2', { assignee: 'bob' }, [`${T} alice handoff -> bob: t2`]),
    });
    expect(batonLines(gitAs('bob', bob, 'pull', '-q').out)).toContain(
      'baton: 1 task handed to you:',
    );
    expect(news('bob').stdout).toBe('');
  });

  it('limits long lists', () => {
    const { alice } = team();
    const tree: Record<string, string> = {};
    for (let i = 0; i < 14; i++) tree[`.tasks/main/n${i}.md`] = task(`n${i}`);
    writeTree(alice, tree);
    commitAll(alice, 'many');
    const res = runBaton(alice, ['news', '--since', 'HEAD~1', '--agent', 'bob']);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('baton: 14 tasks became ready:');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toMatch(/^ {2}\.\.\. and 4 more \(baton news --since [0-9a-f]{12}\)$/);
    expect(readFileSync(join(alice, '.tasks/main/n0.md'), 'utf8')).toContain('id: n0');
  });

  it('reads the same before side as tasksAtRev, from the changed files only', async () => {
    const { alice } = team();
    writeTree(alice, { '.tasks/main/fixed.md': '---\nid: fixed\ntitle: [\n---\n' });
    commitAll(alice, 'a bad file');
    const base = git(alice, 'rev-parse', 'HEAD').trim();
    writeTree(alice, {
      '.tasks/main/fixed.md': task('fixed'),
      '.tasks/main/t2.md': task('t2', { depends_on: '[t1]', priority: 'high' }),
      '.tasks/feature-x/t5.md': task('t5'),
      '.tasks/main/bad.md': '---\nid: bad\n---\n',
    });
    unlinkSync(join(alice, '.tasks/main/t4.md'));
    git(alice, 'mv', '.tasks/main/t3.md', '.tasks/feature-x/t3.md');
    commitAll(alice, 'many kinds of change');
    const root = findRoot(alice)!;
    const head = git(alice, 'rev-parse', 'HEAD').trim();
    const after = await loadSnapshot(root);
    const changed = changedTaskFiles(root, base, head);
    expect(changed.sort()).toEqual([
      '.tasks/feature-x/t3.md',
      '.tasks/feature-x/t5.md',
      '.tasks/main/bad.md',
      '.tasks/main/fixed.md',
      '.tasks/main/t2.md',
      '.tasks/main/t3.md',
      '.tasks/main/t4.md',
    ]);
    const { before } = await newsSides(root, base, changed, after);
    const atRev = await tasksAtRev(alice, base);
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
    expect([...before.tasks].sort(byPath)).toEqual([...atRev.tasks].sort(byPath));
    expect(before.problems).toEqual(atRev.problems);
    expect(atRev.problems.map((p) => p.path)).toEqual(['.tasks/main/fixed.md']);
  });
});
