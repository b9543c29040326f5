/**
 * End-to-end: results recorded by `baton done` for tasks with `inputs`, their staleness in
 * `check` (severities, --base, --staged), `reopen --stale`, and the news after a pull.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commitAll,
  GIT_ENV,
  git,
  gitRepo,
  runBaton,
  shareWithBob,
  taskFile,
  tempDir,
  writeTree,
} from '../helpers/git-repo.js';

const T = '2026-11-22T10:00:00Z';

function task(id: string, extra: Record<string, string> = {}): string {
  return taskFile(
    { id, title: `Task ${id}`, status: 'todo', depends_on: '[]', created: T, ...extra },
    '\n## Log\n',
  );
}

/** feat (inputs data/**) <- train <- report; docs (inputs docs/**) unrelated. */
const TREE = {
  '.tasks/config.yaml': 'prefix: t\ndefault_namespace: main\n',
  '.tasks/main/feat.md': task('feat', { inputs: '["data/**"]' }),
  '.tasks/main/train.md': task('train', { depends_on: '[feat]' }),
  '.tasks/main/report.md': task('report', { depends_on: '[train]' }),
  '.tasks/main/docs.md': task('docs', { inputs: '[docs/**]' }),
  'data/a.csv': 'a\n',
  'docs/readme.md': 'docs\n',
};

const read = (dir: string, id: string) => readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8');

function doneAll(dir: string, ...ids: string[]): void {
  for (const id of ids) expect(runBaton(dir, ['done', id]).code).toBe(0);
}

interface CheckJson {
  ok: boolean;
  problems: { rule: string; severity: string; id?: string; message: string; introduced?: true }[];
}

function check(dir: string, ...args: string[]): { code: number; json: CheckJson } {
  const res = runBaton(dir, ['check', '--json', ...args]);
  return { code: res.code, json: JSON.parse(res.stdout) as CheckJson };
}

const stale = (j: CheckJson) =>
  j.problems
    .filter((p) => p.rule === 'stale-result')
    .map((p) => `${p.severity} ${p.id}${p.introduced ? ' (new)' : ''}`);

describe('done records a result for tasks with inputs', () => {
  it('writes result: { commit, fingerprint }, only where there are inputs', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat', 'train');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect(read(dir, 'feat')).toMatch(
      new RegExp(`\\nresult: \\{ commit: ${head}, fingerprint: [0-9a-f]{64} \\}\\n`),
    );
    expect(read(dir, 'train')).not.toContain('result:');
    expect(check(dir).json).toEqual({ ok: true, problems: [] });
  });

  it('a re-run done re-stamps only when the inputs moved', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat');
    expect(runBaton(dir, ['done', 'feat']).stdout).toBe('feat is already done; nothing changed\n');
    writeTree(dir, { 'data/a.csv': 'changed\n' });
    const before = read(dir, 'feat');
    const res = runBaton(dir, ['done', 'feat'], { env: { BATON_AGENT: 'ada' } });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^feat: result re-stamped \(fingerprint [0-9a-f]{12}\)\n$/);
    const after = read(dir, 'feat');
    expect(after).not.toBe(before);
    expect(after).toMatch(/- \S+ ada done: result re-stamped\n$/);
    expect(check(dir).json.ok).toBe(true);
  });
});

describe('check reports stale results', () => {
  it('direct and inherited, warning by default, error per config and under --base', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat', 'train', 'report', 'docs');
    commitAll(dir, 'done');
    writeTree(dir, { 'data/a.csv': 'changed\n' }); // uncommitted: counts

    const warn = check(dir);
    expect(warn.code).toBe(0);
    expect(stale(warn.json)).toEqual(['warning feat', 'warning report', 'warning train']);
    expect(warn.json.problems.find((p) => p.id === 'train')?.message).toBe(
      'result is stale: it depends on feat, whose result is stale; re-run feat and `baton done feat`, or `baton reopen --stale`',
    );
    const text = runBaton(dir, ['check']);
    expect(text.stdout).toMatch(
      /^\.tasks\/main\/feat\.md:4: warning \[stale-result\] result is stale: its inputs changed since it was done at [0-9a-f]{7};/,
    );

    const base = check(dir, '--base', 'HEAD');
    expect(base.code).toBe(1);
    expect(stale(base.json)).toEqual([
      'error feat (new)',
      'error report (new)',
      'error train (new)',
    ]);

    writeTree(dir, { '.tasks/config.yaml': 'prefix: t\ndefault_namespace: main\nstale: error\n' });
    const strict = check(dir);
    expect(strict.code).toBe(1);
    expect(stale(strict.json)).toEqual(['error feat', 'error report', 'error train']);
  });

  it('--base marks only what the change made stale as new', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat', 'train', 'docs');
    commitAll(dir, 'done');
    writeTree(dir, { 'data/a.csv': 'changed\n' });
    commitAll(dir, 'stale at the base already');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    writeTree(dir, { 'docs/readme.md': 'changed\n' });
    commitAll(dir, 'the change');
    const res = check(dir, '--base', base);
    expect(res.code).toBe(1);
    expect(stale(res.json)).toEqual(['error docs (new)', 'error feat', 'error train']);
  });

  it('--staged judges the inputs in git index', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat');
    git(dir, 'add', '.tasks'); // the staged snapshot has feat done
    writeTree(dir, { 'data/a.csv': 'changed\n' });
    expect(stale(check(dir, '--staged').json)).toEqual([]);
    git(dir, 'add', 'data/a.csv');
    expect(stale(check(dir, '--staged').json)).toEqual(['warning feat']);
  });

  it('needs no git when no task has a result; says so when it cannot check', () => {
    const plain = tempDir();
    writeTree(plain, { '.tasks/main/a.md': task('a', { inputs: '[data]' }) });
    expect(check(plain).json).toEqual({ ok: true, problems: [] });
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat');
    const copy = join(tempDir(), 'copy');
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, '.git'), { recursive: true });
    const res = check(copy);
    expect(res.code).toBe(0);
    expect(res.json.problems).toEqual([
      {
        rule: 'stale-result',
        severity: 'warning',
        message: expect.stringMatching(/^cannot check results for staleness: git/),
      },
    ]);
  });
});

describe('reopen --stale', () => {
  it('reopens every stale task, inherited too, each logged, in one commit', () => {
    const dir = gitRepo(TREE);
    doneAll(dir, 'feat', 'train', 'report', 'docs');
    commitAll(dir, 'done');
    expect(runBaton(dir, ['reopen', '--stale']).stdout).toBe(
      'no stale results; nothing reopened\n',
    );
    writeTree(dir, { 'data/a.csv': 'changed\n' });
    commitAll(dir, 'new data');
    const res = runBaton(dir, ['reopen', '--stale', '--commit'], { env: { BATON_AGENT: 'ada' } });
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'feat: done -> todo (result stale: its inputs changed)',
      'report: done -> todo (result stale: depends on feat, whose result is stale)',
      'train: done -> todo (result stale: depends on feat, whose result is stale)',
    ]);
    expect(lines[3]).toMatch(/^committed [0-9a-f]{7} baton: reopen 3 stale results$/);
    expect(read(dir, 'train')).toMatch(
      /status: todo\n[\s\S]*- \S+ ada reopen: result stale: depends on feat, whose result is stale\n$/,
    );
    expect(read(dir, 'docs')).toContain('status: done');
    const body = git(dir, 'log', '-1', '--format=%B');
    expect(body).toContain('Baton-Task: feat\nBaton-Task: report\nBaton-Task: train');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(stale(check(dir).json)).toEqual([]);
  });

  it('takes an id or --stale, not both', () => {
    const dir = gitRepo(TREE);
    expect(runBaton(dir, ['reopen', 'feat', '--stale']).code).toBe(2);
    expect(runBaton(dir, ['reopen']).stderr).toBe(
      'baton: error: baton reopen needs a task id (or --stale)\n',
    );
  });
});

describe('stale results in the news after git pull', () => {
  it('names the stale tasks, the inputs and the commits; silent for unrelated commits', () => {
    const alice = gitRepo(TREE);
    doneAll(alice, 'feat', 'train', 'report', 'docs');
    commitAll(alice, 'done');
    const bob = shareWithBob(alice);
    const pull = () => {
      const res = spawnSync('git', ['pull', '-q'], {
        cwd: bob,
        encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: 'bob' },
      });
      expect(res.status).toBe(0);
      return (res.stdout + res.stderr)
        .split('\n')
        .filter((l) => l.startsWith('baton') || l.startsWith('  '));
    };
    // fingerprints agree across the clones: nothing is stale in bob's
    expect(stale(check(bob).json)).toEqual([]);

    writeTree(alice, { 'README.md': 'unrelated\n' });
    commitAll(alice, 'Unrelated');
    git(alice, 'push', '-q');
    expect(pull()).toEqual([]);

    writeTree(alice, { 'data/a.csv': 'new\n' });
    commitAll(alice, 'New data');
    git(alice, 'push', '-q');
    const commit = git(alice, 'rev-parse', '--short', 'HEAD').trim();
    expect(pull()).toEqual([
      'baton: 3 task results made stale by the incoming commits:',
      '  feat  Task feat: inputs changed: data/a.csv',
      `    ${commit} New data`,
      '  report  Task report: depends on feat, whose result is stale',
      '  train  Task train: depends on feat, whose result is stale',
      '  (baton reopen --stale reopens them; baton done ID re-stamps a result)',
    ]);
  });
});
