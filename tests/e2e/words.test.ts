/**
 * End-to-end: the words people bring from other tools. `update`'s field flags and its log
 * line; the aliases `add`/`create`, `close`/`complete`, `search`, `show A B`; statuses and
 * priorities typed as other tools spell them; `list --priority/--sort`; `new -d/--tag` and
 * comma lists; messages that start with a dash; the unknown-flag suggestion; `graph --json`;
 * `news` in a fresh clone; the `near-miss-key` check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, taskFile, tempDir } from '../helpers/git-repo.js';

const repo = () =>
  gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    '.tasks/main/a.md': taskFile(
      { id: 'a', title: 'Set up the database', priority: 'medium', created: '2026-01-03' },
      'Postgres with JWT auth tables.\n',
    ),
    '.tasks/main/b.md': taskFile({
      id: 'b',
      title: 'Login page',
      priority: 'low',
      depends_on: '[a]',
      created: '2026-01-01',
    }),
    '.tasks/main/c.md': taskFile({
      id: 'c',
      title: 'Deploy',
      priority: 'critical',
      status: 'in_progress',
      created: '2026-01-02',
    }),
  });

/** Run baton as `ann`; expect exit 0 and no stderr; return stdout. */
function ok(dir: string, ...args: string[]): string {
  const r = runBaton(dir, [...args, '--agent', 'ann']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const json = (dir: string, ...args: string[]) => JSON.parse(ok(dir, ...args, '--json'));
const fileOf = (dir: string, id: string) => readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8');
const ids = (dir: string, ...args: string[]): string[] =>
  (json(dir, 'list', ...args) as { id: string }[]).map((t) => t.id);

describe('update with field flags', () => {
  it('sets fields from flags, reads other words, logs who changed what', () => {
    const dir = repo();
    const r = json(
      dir,
      'update',
      'b',
      '--title',
      'Login and logout',
      '--status',
      'in-progress',
      '-p',
      'P0',
      '--assignee',
      'bob',
      '--add-label',
      'ui,auth',
      '--add-label',
      'web',
      '--estimate',
      '4h',
      '--due',
      '2026-12-01',
      '--parent',
      'c',
    );
    expect(r).toMatchObject({ id: 'b', agent: 'ann', verb: 'update', changed: true });
    expect(r.fields).toEqual({
      title: { from: 'Login page', to: 'Login and logout' },
      status: { from: 'todo', to: 'in_progress' },
      priority: { from: 'low', to: 'critical' },
      assignee: { from: null, to: 'bob' },
      estimate: { from: null, to: '4h' },
      due: { from: null, to: '2026-12-01' },
      parent: { from: null, to: 'c' },
      labels: { from: [], to: ['ui', 'auth', 'web'] },
    });
    expect(r.logged).toContain('priority low -> critical');
    expect(r.now_ready).toEqual([]);
    const shown = json(dir, 'show', 'b');
    expect(shown).toMatchObject({
      title: 'Login and logout',
      status: 'in_progress',
      priority: 'critical',
      assignee: 'bob',
      labels: ['ui', 'auth', 'web'],
      estimate: '4h',
      due: '2026-12-01',
      parent: 'c',
    });

    // text: the change in one line; the log line shows in context, with who did it
    const text = ok(dir, 'update', 'b', '--priority', 'h', '--remove-label', 'auth');
    expect(text).toBe('b: priority critical -> high, labels -auth\n');
    expect(fileOf(dir, 'b')).toMatch(
      /- \S+Z ann update: priority critical -> high, labels -auth\n/,
    );
    const context = ok(dir, 'context', 'b');
    expect(context).toMatch(/ann +update: priority critical -> high, labels -auth/);

    // an empty value removes the field; the same value again writes nothing
    expect(json(dir, 'update', 'b', '--assignee', '').fields).toEqual({
      assignee: { from: 'bob', to: null },
    });
    const same = json(dir, 'update', 'b', '-p', 'HIGH');
    expect(same).toMatchObject({ changed: false, fields: {}, logged: null });
  });

  it('--set reads the same words; at least one change; a field once', () => {
    const dir = repo();
    const r = json(dir, 'update', 'a', '--set', 'status=completed', '--set', 'priority=p3');
    expect(r.fields).toEqual({
      status: { from: 'todo', to: 'done' },
      priority: { from: 'medium', to: 'low' },
    });
    expect(r.now_ready).toEqual(['b']);
    expect(json(dir, 'update', 'a', '--set', 'status=pending').fields.status.to).toBe('todo');

    const none = runBaton(dir, ['update', 'a']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('update needs a change');
    const twice = runBaton(dir, ['update', 'a', '-p', 'high', '--set', 'priority=low']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('priority is given twice');
    const bad = runBaton(dir, ['update', 'a', '--status', 'finished']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown status "finished"');
  });

  it('--add-dep and --remove-dep work as dep add and dep rm: a cycle is refused', () => {
    const dir = repo();
    const cycle = runBaton(dir, ['update', 'a', '--add-dep', 'b']);
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toContain('would close a dependency cycle: a -> b -> a');
    expect(fileOf(dir, 'a')).not.toContain('depends_on');
    expect(runBaton(dir, ['update', 'a', '--add-dep', 'a']).stderr).toContain(
      'a cannot depend on itself',
    );

    const added = json(dir, 'update', 'c', '--add-dep', 'a,b');
    expect(added.fields).toEqual({ depends_on: { from: [], to: ['a', 'b'] } });
    const removed = json(dir, 'update', 'c', '--remove-dep', 'a', '--add-label', 'ops');
    expect(removed.fields).toEqual({
      labels: { from: [], to: ['ops'] },
      depends_on: { from: ['a', 'b'], to: ['b'] },
    });
    expect(fileOf(dir, 'c')).toMatch(/ann update: labels \+ops, depends_on -a\n/);
    const gone = runBaton(dir, ['update', 'c', '--remove-dep', 'a']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('c does not depend on "a"');
  });

  it('an unknown flag names the one baton spells', () => {
    const dir = repo();
    const update = runBaton(dir, ['update', 'a', '--tag', 'x']);
    expect(update.code).toBe(2);
    expect(update.stderr).toContain("unknown option '--tag'\n(Did you mean --add-label?)");
    const created = runBaton(dir, ['new', 'X', '--tags', 'x']);
    expect(created.stderr).toContain('(Did you mean --label?)');
    expect(runBaton(dir, ['new', 'X', '--deps', 'a']).stderr).toContain(
      '(Did you mean --depends-on?)',
    );
    // commander's own suggestion where the table has none
    expect(runBaton(dir, ['list', '--stauts', 'todo']).stderr).toContain(
      '(Did you mean --status?)',
    );
  });
});

describe('aliases', () => {
  it('add and create are new, with -d, --tag and comma lists; close and complete are done', () => {
    const dir = repo();
    const x = json(dir, 'add', 'Write docs', '-p', 'M', '-d', 'The manual.', '--tag', 'docs,web');
    expect(x).toMatchObject({ verb: 'new', priority: 'medium', depends_on: [] });
    const y = json(dir, 'create', 'Ship', '--depends-on', 'a,b', '--label', 'ops,release');
    expect(y.depends_on).toEqual(['a', 'b']);
    const shownX = json(dir, 'show', x.id);
    expect(shownX.labels).toEqual(['docs', 'web']);
    expect(shownX.body).toBe('The manual.\n');
    expect(json(dir, 'show', y.id).labels).toEqual(['ops', 'release']);
    expect(ok(dir, 'new', 'Urgent', '-p', 'p0', '--description', 'now', '--json')).toContain(
      '"priority": "critical"',
    );

    expect(json(dir, 'close', 'a')).toMatchObject({ verb: 'done', to: 'done', now_ready: ['b'] });
    expect(json(dir, 'complete', 'c')).toMatchObject({ verb: 'done', to: 'done' });

    const help = ok(dir, '--help');
    expect(help).toMatch(/new\|add [^\n]*\(also:\s+add, create\)/);
    expect(help).toMatch(/done\|close [^\n]*\(also:\s+close,\s+complete\)/);
    expect(help).toMatch(/search \[options\] <text>/);
  });

  it('search is list --grep with the same filters; show takes several ids', () => {
    const dir = repo();
    expect(ids(dir, '--grep', 'jwt')).toEqual(['a']);
    expect((json(dir, 'search', 'JWT') as { id: string }[]).map((t) => t.id)).toEqual(['a']);
    expect(ok(dir, 'search', 'o', '--status', 'todo')).toMatch(/^a .*\nb /);
    expect(ok(dir, 'search', 'nothing like it')).toBe('No tasks match.\n');

    const two = json(dir, 'show', 'a', 'c') as { id: string }[];
    expect(two.map((t) => t.id)).toEqual(['a', 'c']);
    expect(json(dir, 'show', 'a').id).toBe('a');
    const text = ok(dir, 'show', 'b', 'c');
    expect(text).toMatch(/^b {2}Login page\n[\s\S]*\n\nc {2}Deploy\n/);
    const missing = runBaton(dir, ['show', 'a', 'zz']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
  });
});

describe('list', () => {
  it('--status and --priority take other words; --sort orders by a field', () => {
    const dir = repo();
    expect(ids(dir, '--status', 'in-progress')).toEqual(['c']);
    expect(ids(dir, '--status', 'pending')).toEqual(['a', 'b']);
    expect(ids(dir, '--priority', 'P0', '--priority', 'l')).toEqual(['b', 'c']);
    expect(ids(dir, '-p', 'Medium')).toEqual(['a']);
    expect(runBaton(dir, ['list', '--priority', 'urgent']).stderr).toContain(
      'unknown priority "urgent"',
    );

    expect(ids(dir, '--sort', 'priority')).toEqual(['c', 'a', 'b']);
    expect(ids(dir, '--sort', '-priority')).toEqual(['b', 'a', 'c']);
    expect(ids(dir, '--sort', 'priority', '--reverse')).toEqual(['b', 'a', 'c']);
    expect(ids(dir, '--sort', 'created')).toEqual(['b', 'c', 'a']);
    expect(ids(dir, '--sort', 'title')).toEqual(['c', 'b', 'a']);
    expect(ids(dir, '--sort', 'status', '--limit', '1')).toEqual(['a']);
    expect(ids(dir, '--reverse')).toEqual(['c', 'b', 'a']);
    const bad = runBaton(dir, ['list', '--sort', 'size']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sort takes one of id | priority');
  });
});

describe('messages that start with a dash', () => {
  it('share, note and handoff --note record the message as typed', () => {
    const dir = repo();
    ok(dir, 'share', 'a', '- JWT auth');
    ok(dir, 'share', 'a', '--force is bad');
    ok(dir, 'discover', 'a', '--commit', '-x marks the spot', '--json');
    ok(dir, 'sync', 'a', 'several', 'words', 'typed');
    const log = fileOf(dir, 'a');
    expect(log).toMatch(/ ann share: - JWT auth\n/);
    expect(log).toMatch(/ ann share: --force is bad\n/);
    expect(log).toMatch(/ ann discover: -x marks the spot\n/);
    expect(log).toMatch(/ ann sync: several words typed\n/);
    expect(git(dir, 'log', '-1', '--format=%s')).toContain('discover a');

    ok(dir, 'note', 'a', '-- private');
    const r = json(dir, 'handoff', 'a', '--to', 'bob', '--note', '- x');
    expect(r.note).toBe('- x');
    const context = ok(dir, 'context', 'a');
    expect(context).toContain('- JWT auth');
    expect(context).toContain('-- private');
    expect(fileOf(dir, 'a')).toMatch(/ann handoff -> bob: - x\n/);
  });
});

describe('read commands', () => {
  it('graph --json is graph --format json', () => {
    const dir = repo();
    expect(ok(dir, 'graph', '--json')).toBe(ok(dir, 'graph', '--format', 'json'));
    expect(json(dir, 'graph').edges).toEqual([{ from: 'a', to: 'b', critical: false }]);
  });

  it('news in a fresh clone answers: no news yet', () => {
    const origin = repo();
    const clone = join(tempDir(), 'clone');
    git(origin, 'clone', '-q', origin, clone);
    const text = runBaton(clone, ['news']);
    expect(text).toEqual({
      code: 0,
      stdout: 'No news yet: news starts from here (after your next pull).\n',
      stderr: '',
    });
    const fresh = join(tempDir(), 'fresh');
    git(origin, 'clone', '-q', origin, fresh);
    expect(runBaton(fresh, ['news', '--json'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    // a repository with no commit at all answers too
    const empty = tempDir();
    git(empty, 'init', '-q');
    expect(runBaton(empty, ['init', '--no-hooks']).code).toBe(0);
    const none = runBaton(empty, ['news']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No news yet');
    expect(runBaton(empty, ['news', '--json']).stdout).toBe('[]\n');
  });

  it('check warns about keys other tools use, naming the baton key', () => {
    const dir = gitRepo({
      '.tasks/main/a.md': taskFile({ id: 'a', title: 'A', tags: '[db]', dependencies: '[b]' }),
      '.tasks/main/b.md': taskFile({ id: 'b', title: 'B', assignees: '[bob]', blocked_by: '[a]' }),
    });
    const r = runBaton(dir, ['check', '--json']);
    expect(r.code).toBe(0);
    const problems = JSON.parse(r.stdout).problems as { rule: string; message: string }[];
    expect(problems.map((p) => [p.rule, p.message])).toEqual([
      [
        'near-miss-key',
        '"dependencies" is not a baton key and is ignored; did you mean "depends_on"?',
      ],
      ['near-miss-key', '"tags" is not a baton key and is ignored; did you mean "labels"?'],
      ['near-miss-key', '"assignees" is not a baton key and is ignored; did you mean "assignee"?'],
      [
        'near-miss-key',
        '"blocked_by" is not a baton key and is ignored; did you mean "depends_on"?',
      ],
    ]);
    expect(runBaton(dir, ['check']).stdout).toContain('near-miss-key');
  });
});
