/**
 * End-to-end: `baton import backlog|taskmaster PATH` on fixture folders written from each
 * tool's documented format. Every task, status, dependency and parent lands as the README's
 * tables say; `check` is clean; `ready` offers what the source tool would; a second import
 * writes nothing; `--dry-run` writes nothing and reports the same result.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gitRepo, ROOT, runBaton, taskFile } from '../helpers/git-repo.js';

const FIXTURES = join(ROOT, 'tests/fixtures/import');
const BACKLOG = join(FIXTURES, 'backlog');
const TASKMASTER = join(FIXTURES, 'taskmaster');

const repo = (tree: Record<string, string> = {}) =>
  gitRepo({ '.tasks/config.yaml': 'prefix: t\n', ...tree });

function json(dir: string, ...args: string[]): Record<string, unknown> {
  const r = runBaton(dir, [...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Every file under `.tasks/` (path -> bytes as text). */
function tree(dir: string, sub = '.tasks'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, sub))) {
    if (name === '.local') continue; // baton's ignored caches, not the task files
    const rel = `${sub}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) Object.assign(out, tree(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

interface Listed {
  id: string;
  status: string;
  priority: string;
  depends_on: string[];
  assignee: string | null;
  labels: string[];
  namespace: string;
  parent?: string;
  [key: string]: unknown;
}

function listed(dir: string): Map<string, Listed> {
  const r = runBaton(dir, ['list', '--json']);
  expect(r.code).toBe(0);
  return new Map((JSON.parse(r.stdout) as Listed[]).map((t) => [t.id, t]));
}

function readyIds(dir: string): string[] {
  const r = runBaton(dir, ['ready', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { id: string }[]).map((t) => t.id).sort();
}

function expectClean(dir: string): void {
  const r = runBaton(dir, ['check']);
  expect(r.stdout + r.stderr).toContain('no problems');
  expect(r.code).toBe(0);
}

/** Import twice: the second import writes nothing and reports every task unchanged. */
function expectIdempotent(dir: string, format: string, path: string, ids: string[]): void {
  const before = tree(dir);
  const again = json(dir, 'import', format, path);
  expect(again.created).toEqual([]);
  expect(again.updated).toEqual([]);
  expect([...(again.unchanged as string[])].sort()).toEqual([...ids].sort());
  expect(tree(dir)).toEqual(before);
}

describe('import backlog', () => {
  /** Backlog.md's rule, from the fixture: "To Do" with every dependency "Done" (archive excluded). */
  function backlogReady(): string[] {
    const files: { data: Record<string, unknown> }[] = [];
    for (const sub of ['tasks', 'completed']) {
      const folder = join(BACKLOG, 'backlog', sub);
      for (const name of readdirSync(folder)) {
        const text = readFileSync(join(folder, name), 'utf8');
        const fm = /^---\n([\s\S]*?)\n---/.exec(text)![1]!.replace(/@(\w+)/g, '"@$1"');
        files.push({ data: parse(fm) as Record<string, unknown> });
      }
    }
    const key = (id: unknown) => String(id).toLowerCase();
    const status = new Map(files.map((f) => [key(f.data.id), String(f.data.status).toLowerCase()]));
    const full = (dep: string) => (/^\d+$/.test(dep) ? `task-${dep}` : key(dep));
    return files
      .filter((f) => String(f.data.status).toLowerCase() === 'to do')
      .filter((f) =>
        ((f.data.dependencies as string[]) ?? []).every(
          (d) => status.get(full(String(d))) === 'done',
        ),
      )
      .map((f) => String(f.data.id))
      .sort();
  }

  it('maps every task, status, dependency and parent; check is clean; ready agrees', () => {
    const dir = repo();
    const result = json(dir, 'import', 'backlog', BACKLOG);
    const ids = [
      'task-1',
      'task-2',
      'task-3',
      'task-4',
      'task-4.1',
      'task-5',
      'TASK-6',
      'task-7',
      'task-8',
    ];
    expect([...(result.created as string[])].sort()).toEqual([...ids].sort());
    expect(result.format).toBe('backlog');
    expect(result.dry_run).toBe(false);
    expect(Object.keys(result).sort()).toEqual(
      [
        'created',
        'dry_run',
        'format',
        'id_map',
        'namespace',
        'notes',
        'source',
        'unchanged',
        'updated',
      ].sort(),
    );
    expect(result.id_map).toEqual(Object.fromEntries(ids.map((id) => [id, id])));
    const notes = (result.notes as string[]).join('\n');
    expect(notes).toContain('status "Blocked" became todo');
    expect(notes).toContain('draft');
    expect(notes).toContain('"subtasks" list');

    const tasks = listed(dir);
    const expected: Record<string, Partial<Listed>> = {
      'task-1': {
        status: 'done',
        priority: 'high',
        depends_on: [],
        assignee: 'alice',
        labels: ['setup'],
      },
      'task-2': {
        status: 'todo',
        priority: 'high',
        depends_on: ['task-1'],
        assignee: 'alice',
        labels: ['db', 'backend'],
        other_assignees: ['bob'],
        milestone: 'v1.0',
        created: '2025-07-26T14:30',
      },
      'task-3': {
        status: 'in_progress',
        depends_on: ['task-2'],
        assignee: 'carol',
        labels: ['api'],
      },
      'task-4': {
        status: 'todo',
        priority: 'low',
        depends_on: ['task-2', 'task-3'],
        assignee: null,
      },
      'task-4.1': { status: 'todo', depends_on: [], parent: 'task-4' },
      'task-5': { status: 'todo', depends_on: ['task-3'], backlog_status: 'Blocked' },
      'TASK-6': { status: 'todo', depends_on: ['task-2'], due: '2025-09-01' },
      'task-7': { status: 'cancelled', archived: true },
      'task-8': { status: 'done', ordinal: 1000 },
    };
    for (const [id, fields] of Object.entries(expected)) {
      expect(tasks.get(id), id).toMatchObject({
        ...fields,
        namespace: 'backlog',
        imported_from: `backlog:${id}`,
      });
    }
    const body = readFileSync(join(dir, '.tasks/backlog/task-2.md'), 'utf8');
    expect(body).toContain('- [ ] Migration applies on an empty database\n- [ ] Email is unique');
    expect(body).toContain('## Implementation Plan');
    expect(body).not.toContain('<!--');

    expectClean(dir);
    expect(readyIds(dir)).toEqual(backlogReady());
    expectIdempotent(dir, 'backlog', BACKLOG, ids);
  });

  it('--dry-run writes nothing and reports what the import then does', () => {
    const dir = repo();
    const before = tree(dir);
    const dry = json(dir, 'import', 'backlog', BACKLOG, '--dry-run');
    expect(dry.dry_run).toBe(true);
    expect(tree(dir)).toEqual(before);
    const real = json(dir, 'import', 'backlog', BACKLOG);
    expect({ ...dry, dry_run: false }).toEqual(real);
  });

  it('text output: one line per task and a summary', () => {
    const dir = repo();
    const r = runBaton(dir, ['import', 'backlog', BACKLOG, '--namespace', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created\s+task-2\s+\.tasks\/web\/task-2\.md\s+\(backlog task-2\)$/m);
    expect(r.stdout).toMatch(/backlog .*: 9 created, 0 updated, 0 unchanged/);
    const again = runBaton(dir, ['import', 'backlog', BACKLOG, '--namespace', 'web', '--dry-run']);
    expect(again.stdout).toMatch(/^unchanged\s+task-2 /m);
    expect(again.stdout).toMatch(/dry run, nothing written: .*0 created, 0 updated, 9 unchanged/);
  });
});

describe('import taskmaster', () => {
  interface TmTask {
    id: number | string;
    status: string;
    dependencies?: (number | string)[];
    subtasks?: TmTask[];
  }

  /** Task Master's rule, from the fixture: pending, every dependency done; per tag. */
  function taskmasterReady(): string[] {
    const data = JSON.parse(
      readFileSync(join(TASKMASTER, '.taskmaster/tasks/tasks.json'), 'utf8'),
    ) as Record<string, { tasks: TmTask[] }>;
    const out: string[] = [];
    for (const [tag, { tasks }] of Object.entries(data)) {
      const status = new Map<string, string>();
      const all: { id: string; t: TmTask; deps: string[] }[] = [];
      for (const t of tasks) {
        all.push({ id: String(t.id), t, deps: (t.dependencies ?? []).map(String) });
        for (const s of t.subtasks ?? []) {
          const deps = (s.dependencies ?? []).map((d) =>
            String(d).includes('.') ? String(d) : `${t.id}.${d}`,
          );
          all.push({ id: `${t.id}.${s.id}`, t: s, deps });
        }
      }
      for (const a of all) status.set(a.id, a.t.status);
      for (const a of all) {
        if (a.t.status === 'pending' && a.deps.every((d) => status.get(d) === 'done')) {
          out.push(tag === 'master' ? a.id : `${tag}-${a.id}`);
        }
      }
    }
    return out.sort();
  }

  it('maps both tags, subtasks, statuses and dependencies; check is clean; ready agrees', () => {
    const dir = repo();
    const result = json(dir, 'import', 'taskmaster', TASKMASTER);
    const idMap = result.id_map as Record<string, string>;
    expect(idMap['master:2.3']).toBe('2.3');
    expect(idMap['feature-auth:1.2']).toBe('feature-auth-1.2');
    expect(Object.keys(idMap)).toHaveLength(15);
    expect((result.notes as string[]).join('\n')).toContain('metadata');

    const tasks = listed(dir);
    const expected: Record<string, Partial<Listed>> = {
      '1': { status: 'done', priority: 'high', depends_on: [], namespace: 'master' },
      '2': { status: 'in_progress', depends_on: ['1'] },
      '2.1': { status: 'done', parent: '2', depends_on: [] },
      '2.2': { status: 'todo', parent: '2', depends_on: ['2.1'] },
      '2.3': { status: 'todo', parent: '2', depends_on: ['2.2'] },
      '3': {
        status: 'todo',
        priority: 'medium',
        depends_on: ['1'],
        metadata: { githubIssue: 42, sprint: 'Q1-S3' },
      },
      '4': { status: 'todo', depends_on: ['2', '3'] },
      '5': { status: 'blocked', deferred: true },
      '6': { status: 'cancelled' },
      '7': { status: 'review', depends_on: ['1'] },
      'feature-auth-1': { status: 'todo', namespace: 'feature-auth', depends_on: [] },
      'feature-auth-1.1': { status: 'todo', parent: 'feature-auth-1' },
      'feature-auth-1.2': {
        status: 'todo',
        parent: 'feature-auth-1',
        depends_on: ['feature-auth-1.1'],
      },
      'feature-auth-2': { status: 'todo', depends_on: ['feature-auth-1'] },
      'feature-auth-3': { status: 'done', priority: 'low' },
    };
    for (const [id, fields] of Object.entries(expected)) {
      expect(tasks.get(id), id).toMatchObject(fields);
    }
    expect(tasks.get('4')?.imported_from).toBe('taskmaster:master:4');
    const four = readFileSync(join(dir, '.tasks/master/4.md'), 'utf8');
    expect(four).toContain('The endpoints designed in task 3.');
    expect(four).toContain('## Test strategy\n\nIntegration tests against a test database.');

    expectClean(dir);
    expect(readyIds(dir)).toEqual(taskmasterReady());
    expectIdempotent(dir, 'taskmaster', TASKMASTER, Object.values(idMap));
  });

  it('reads the legacy tasks/tasks.json into --namespace', () => {
    const dir = repo();
    const result = json(
      dir,
      'import',
      'taskmaster',
      join(FIXTURES, 'taskmaster-legacy'),
      '--namespace',
      'old',
    );
    expect(result.id_map).toEqual({ '1': '1', '2': '2', '2.1': '2.1' });
    expect(result.namespace).toBe('old');
    expect((result.notes as string[]).join('\n')).toContain('"meta"');
    expect(listed(dir).get('2.1')).toMatchObject({ parent: '2', namespace: 'old' });
    expectClean(dir);
  });

  it('prefixes ids taken by tasks already here and rewrites references to them', () => {
    const dir = repo({
      '.tasks/main/1.md': taskFile({ id: '"1"', title: 'Mine', status: 'todo' }),
    });
    const result = json(dir, 'import', 'taskmaster', TASKMASTER);
    expect((result.id_map as Record<string, string>)['master:1']).toBe('tm-1');
    const tasks = listed(dir);
    expect(tasks.get('1')).toMatchObject({ title: 'Mine', namespace: 'main' });
    expect(tasks.get('3')?.depends_on).toEqual(['tm-1']);
    expect(tasks.get('7')?.depends_on).toEqual(['tm-1']);
    expect((result.notes as string[]).join('\n')).toContain('id "1" is taken');
    expectClean(dir);
    expectIdempotent(
      dir,
      'taskmaster',
      TASKMASTER,
      Object.values(result.id_map as Record<string, string>),
    );
  });

  it('updates a task imported before when its source changed, and only that one', () => {
    const dir = repo();
    json(dir, 'import', 'taskmaster', join(FIXTURES, 'taskmaster-legacy'));
    const path = join(dir, '.tasks/taskmaster/1.md');
    const text = readFileSync(path, 'utf8');
    // the source moved on: baton's copy differs from what the import renders
    const edited = text.replace('status: done', 'status: todo');
    writeFileSync(path, edited);
    const again = json(dir, 'import', 'taskmaster', join(FIXTURES, 'taskmaster-legacy'));
    expect(again.updated).toEqual(['1']);
    expect(again.unchanged).toEqual(['2', '2.1']);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses an unknown format and a missing source (exit 2)', () => {
    const dir = repo();
    const bad = runBaton(dir, ['import', 'jira', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('backlog, taskmaster, beads, taskwarrior');
    const missing = runBaton(dir, ['import', 'taskmaster', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no Task Master file');
  });
});
