/**
 * End-to-end: what the index and the writers guard against. A same-size rewrite with its
 * mtime put back is seen; a file where `.tasks/.local` should be a folder is a clear error;
 * impossible dates are refused; `start` and `done` say when dependencies are not done.
 */
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, runBaton, taskFile } from '../helpers/git-repo.js';

const OLD = new Date('2026-01-01T00:00:00Z');
const path = (id: string) => `.tasks/main/${id}.md`;

function repo(tasks: Record<string, Record<string, string>>): string {
  const tree: Record<string, string> = { '.tasks/config.yaml': 'prefix: t\n' };
  for (const [id, fields] of Object.entries(tasks)) {
    tree[path(id)] = taskFile({ id, title: `Task ${id}`, ...fields }, 'Body.\n');
  }
  const dir = gitRepo(tree);
  for (const p of Object.keys(tree)) utimesSync(join(dir, p), OLD, OLD);
  return dir;
}

describe('the index sees every change', () => {
  it('a same-size rewrite with its mtime restored changes ready, list and show', () => {
    const dir = repo({ a: { status: 'todo' }, b: { status: 'todo', depends_on: '[a]' } });
    // warm everything: the index and the answer memo
    for (let k = 0; k < 2; k++) {
      expect(runBaton(dir, ['ready', '--json']).code).toBe(0);
      expect(runBaton(dir, ['list', '--json']).code).toBe(0);
    }
    const file = join(dir, path('a'));
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: todo', 'status: done'));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);

    const ready = JSON.parse(runBaton(dir, ['ready', '--json']).stdout) as { id: string }[];
    expect(ready.map((t) => t.id)).toEqual(['b']);
    const list = JSON.parse(runBaton(dir, ['list', '--json']).stdout) as {
      id: string;
      status: string;
    }[];
    expect(list.find((t) => t.id === 'a')!.status).toBe('done');
    expect(JSON.parse(runBaton(dir, ['show', 'a', '--json']).stdout).status).toBe('done');
  });
});

describe('.tasks/.local is a file', () => {
  for (const where of ['.tasks/.local', '.tasks/.local/locks']) {
    it(`${where}: claim, share, next --claim and note exit 2 naming it`, () => {
      const dir = repo({ a: { status: 'todo' } });
      rmSync(join(dir, '.tasks/.local'), { recursive: true, force: true });
      if (where !== '.tasks/.local') runBaton(dir, ['ready']); // creates .tasks/.local
      writeFileSync(join(dir, where), 'not a folder\n');
      for (const args of [
        ['claim', 'a'],
        ['share', 'a', 'hello'],
        ['next', '--claim'],
        ['note', 'a', 'private'],
      ]) {
        const r = runBaton(dir, [...args, '--agent', 'ann']);
        if (where === '.tasks/.local/locks' && args[0] === 'note') {
          expect(r.code).toBe(0); // notes live beside the locks, not under them
          continue;
        }
        expect(r.stderr).not.toContain('internal error');
        expect(r.stderr).toContain(`${where} is a file`);
        expect(r.stderr).toContain(`mv ${where} ${where}.bak`);
        expect(r.code).toBe(2);
      }
      expect(readFileSync(join(dir, path('a')), 'utf8')).toContain('status: todo');
    });
  }
});

describe('dates', () => {
  it('new refuses a day or time that does not exist', () => {
    const dir = repo({});
    for (const due of ['2026-13-45', '2026-02-30', '2026-12-31T25:00', '2026-12-31T23:60']) {
      const r = runBaton(dir, ['new', 'Impossible', '--due', due]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`"${due}"`);
    }
    expect(runBaton(dir, ['new', 'Leap day', '--due', '2028-02-29']).code).toBe(0);
  });

  it('update refuses one, and check reports a hand-written one with its line', () => {
    const dir = repo({ a: { due: '2026-04-31' }, b: { status: 'todo' } });
    const check = runBaton(dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/\.tasks\/main\/a\.md:4: .*not a real date/);
    const r = runBaton(dir, ['update', 'b', '--set', 'due=2026-12-31T25:00']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a real date');
    expect(readFileSync(join(dir, path('b')), 'utf8')).not.toContain('due:');
  });
});

describe('start and done with unmet dependencies', () => {
  it('go ahead, but warn (text and JSON) and say so in the log', () => {
    const dir = repo({ a: { status: 'todo' }, b: { status: 'todo', depends_on: '[a, gone]' } });
    const start = runBaton(dir, ['start', 'b', '--agent', 'ann']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('b: todo -> in_progress');
    expect(start.stderr).toContain('warning: b has unmet dependencies: a (todo), gone (missing)');
    const done = runBaton(dir, ['done', 'b', '--json', '--agent', 'ann']);
    expect(done.code).toBe(0);
    expect(done.stderr).toBe('');
    expect(JSON.parse(done.stdout)).toMatchObject({
      id: 'b',
      agent: 'ann',
      verb: 'done',
      from: 'in_progress',
      to: 'done',
      changed: true,
      warnings: ['b has unmet dependencies: a (todo), gone (missing)'],
      now_ready: [],
    });
    const text = readFileSync(join(dir, path('b')), 'utf8');
    expect(text).toMatch(/Z ann start: \(unmet dependencies: a, gone\)\n/);
    expect(text).toMatch(/Z ann done: \(unmet dependencies: a, gone\)\n/);
    // with every dependency done there is nothing to warn about
    const a = runBaton(dir, ['done', 'a', '--agent', 'ann']);
    expect(a.stderr).toBe('');
  });
});
