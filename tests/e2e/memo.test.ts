/**
 * End-to-end: the answer memo of `ready`, `list` and `blocked --json`. A memo is replayed
 * only while every task file, the config and the clock say the answer is the same; a memo is
 * recognised in these tests by doctoring its stored output (with a valid checksum).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, gitRepo, ROOT, runBaton, taskFile, writeTree } from '../helpers/git-repo.js';
import { doctor, memoFiles } from '../helpers/memo.js';

const OLD = new Date(Date.now() - 3_600_000);

function task(id: string, extra: Record<string, string> = {}): string {
  return taskFile({ id, title: `Task ${id}`, status: 'todo', ...extra });
}

/** A repo with tasks whose files are older than the racy window. */
function repo(tree: Record<string, string>): string {
  const dir = gitRepo();
  expect(runBaton(dir, ['init', '--no-hooks']).code).toBe(0);
  writeTree(dir, tree);
  age(dir, Object.keys(tree));
  return dir;
}

function age(dir: string, paths: string[]): void {
  for (const p of [...paths, '.tasks/config.yaml']) utimesSync(join(dir, p), OLD, OLD);
}

const ids = (stdout: string) => (JSON.parse(stdout) as { id: string }[]).map((t) => t.id);

describe('the answer memo', () => {
  it('replays an unchanged answer and recomputes after any file change', () => {
    const dir = repo({
      '.tasks/main/a.md': task('a'),
      '.tasks/main/b.md': task('b', { depends_on: '[a]' }),
    });
    const first = runBaton(dir, ['ready', '--json']);
    expect(ids(first.stdout)).toEqual(['a']);
    expect(memoFiles(dir)).toHaveLength(1);
    expect(runBaton(dir, ['ready', '--json']).stdout).toBe(first.stdout);
    doctor(dir, '["from the memo"]\n');
    expect(runBaton(dir, ['ready', '--json']).stdout).toBe('["from the memo"]\n');
    // other arguments are another memo
    expect(ids(runBaton(dir, ['ready', '--json', '--limit', '5']).stdout)).toEqual(['a']);

    // a same-size edit shows through its new mtime
    writeTree(dir, { '.tasks/main/a.md': task('a', { status: 'done' }).replace('todo', 'done') });
    expect(ids(runBaton(dir, ['ready', '--json']).stdout)).toEqual(['b']);
  });

  it('is recorded by a first run that finds no memo folder, and replayed after', () => {
    // bin/baton.js then skips the lookup and goes straight to dist/read.cjs
    const dir = repo({ '.tasks/main/a.md': task('a') });
    rmSync(join(dir, '.tasks/.local'), { recursive: true, force: true });
    expect(ids(runBaton(dir, ['ready', '--json']).stdout)).toEqual(['a']);
    expect(memoFiles(dir)).toHaveLength(1);
    doctor(dir, '["from the memo"]\n');
    expect(runBaton(dir, ['ready', '--json']).stdout).toBe('["from the memo"]\n');
    rmSync(join(dir, '.tasks/.local/memo'), { recursive: true, force: true });
    expect(runBaton(dir, ['list', '--json']).code).toBe(0);
    expect(memoFiles(dir)).toHaveLength(1);
    doctor(dir, '["list, from the memo"]\n');
    expect(runBaton(dir, ['list', '--json']).stdout).toBe('["list, from the memo"]\n');
  });

  it('recomputes when a file is added or removed, or the config changes', () => {
    const dir = repo({ '.tasks/main/a.md': task('a') });
    runBaton(dir, ['list', '--json']);
    doctor(dir, '[]\n');
    expect(runBaton(dir, ['list', '--json']).stdout).toBe('[]\n');
    writeTree(dir, { '.tasks/main/c.md': task('c') });
    age(dir, ['.tasks/main/c.md']);
    expect(ids(runBaton(dir, ['list', '--json']).stdout)).toEqual(['a', 'c']);

    runBaton(dir, ['list', '--json']);
    doctor(dir, '[]\n');
    writeFileSync(join(dir, '.tasks/config.yaml'), 'prefix: x\n');
    expect(ids(runBaton(dir, ['list', '--json']).stdout)).toEqual(['a', 'c']);
  });

  it('does not store an answer while a file is within the racy window', () => {
    const dir = repo({ '.tasks/main/a.md': task('a') });
    writeTree(dir, { '.tasks/main/a.md': task('a', { priority: 'high' }) });
    runBaton(dir, ['ready', '--json']);
    expect(memoFiles(dir)).toEqual([]);
  });

  it('ends when a scheduled task comes due', async () => {
    const soon = new Date(Date.now() + 2500).toISOString();
    const dir = repo({
      '.tasks/main/a.md': task('a'),
      '.tasks/main/s.md': task('s', { not_before: soon }),
    });
    expect(ids(runBaton(dir, ['ready', '--json']).stdout)).toEqual(['a']);
    doctor(dir, '[]\n');
    expect(runBaton(dir, ['ready', '--json']).stdout).toBe('[]\n');
    await new Promise((r) => setTimeout(r, 2600));
    expect(ids(runBaton(dir, ['ready', '--json']).stdout).sort()).toEqual(['a', 's']);
  });

  it('never trusts a corrupt memo', () => {
    const dir = repo({ '.tasks/main/a.md': task('a') });
    const first = runBaton(dir, ['list', '--json']);
    const [file] = memoFiles(dir);
    const outFile = file!.replace(/\.memo$/, '.out');
    const out = readFileSync(outFile, 'utf8');
    // same length, one character changed: the checksum no longer matches
    writeFileSync(outFile, out.replace('Task a', 'Task b'));
    expect(runBaton(dir, ['list', '--json']).stdout).toBe(first.stdout);
    const text = readFileSync(file!, 'utf8');
    writeFileSync(file!, text.slice(0, text.length - 3));
    expect(runBaton(dir, ['list', '--json']).stdout).toBe(first.stdout);
  });

  it('is not used for text output or --all-branches', () => {
    const dir = repo({ '.tasks/main/a.md': task('a') });
    runBaton(dir, ['ready']);
    runBaton(dir, ['ready', '--json', '--all-branches']);
    expect(memoFiles(dir)).toEqual([]);
  });

  it('answers exact `<command> --json` from its own bundle as the full CLI does', () => {
    expect(existsSync(join(ROOT, 'dist/read.cjs'))).toBe(true);
    const dir = repo({
      '.tasks/main/a.md': task('a'),
      '.tasks/main/b.md': task('b', { depends_on: '[a]' }),
      '.tasks/main/c.md': task('c', { depends_on: '[gone]' }),
      '.tasks/main/d.md': task('d', { skills: '[rust]', priority: 'high' }),
      '.tasks/main/e.md': `${task('e').replace('---\n', '---\nextra:\n  nested: 1\n')}`,
      '.tasks/main/f.md': '---\nid: f\ntitle: [unclosed\n---\n',
    });
    const full = (args: string[]) => {
      const res = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: '' },
      });
      return { code: res.status, stdout: res.stdout, stderr: res.stderr };
    };
    for (const command of ['ready', 'list', 'blocked']) {
      const fast = runBaton(dir, [command, '--json']);
      expect(fast.stdout.length).toBeGreaterThan(2);
      expect(fast).toEqual(full([command, '--json']));
    }
    expect(ids(runBaton(dir, ['ready', '--json']).stdout)).toEqual(['d', 'a', 'e']);
  });

  it('reads the same from a subfolder as from the root, cold and warm', () => {
    // In the root, files are read by repo-relative path; anywhere else by absolute path.
    const dir = repo({
      '.tasks/main/a.md': task('a'),
      '.tasks/main/b.md': task('b', { depends_on: '[a]' }),
      '.tasks/ops/c.md': task('c', { depends_on: '[b]' }),
    });
    mkdirSync(join(dir, 'docs/deep'), { recursive: true });
    symlinkSync('ops', join(dir, '.tasks/linked'));
    const sub = join(dir, 'docs/deep');
    const local = join(dir, '.tasks/.local');
    const answers: string[] = [];
    for (const cwd of [dir, sub, dir, sub]) {
      rmSync(local, { recursive: true, force: true });
      for (const args of [
        ['list', '--json'],
        ['blocked', '--json'],
      ]) {
        const cold = runBaton(cwd, args);
        const warm = runBaton(cwd, args);
        expect(cold.code).toBe(0);
        expect(warm.stdout).toBe(cold.stdout);
        answers.push(cold.stdout);
      }
    }
    expect(new Set(answers).size).toBe(2);
    expect(ids(answers[0]!).sort()).toEqual(['a', 'b', 'c']);
  });
});
