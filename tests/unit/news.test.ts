/** The pure news function: what changed for one agent between two snapshots. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LogEntry, parseEntry } from '../../src/core/log-entry.js';
import { type NewsSide, newEntries, news } from '../../src/core/news.js';
import type { Problem, Task } from '../../src/core/types.js';
import type { TaskData } from '../../src/schema/task.js';
import { NEWS_SHOWN, readNewsShown, writeNewsShown } from '../../src/store/news-shown.js';
import { tempDir } from '../helpers/git-repo.js';

const NOW = new Date('2026-11-22T12:00:00Z');

function task(id: string, fields: Partial<TaskData> = {}): Task {
  const data = {
    id,
    title: `Task ${id}`,
    status: 'todo',
    priority: 'medium',
    depends_on: [],
    labels: [],
    ...fields,
  } as TaskData;
  return { data, namespace: 'main', path: `.tasks/main/${id}.md` };
}

function side(tasks: Task[], logs: Record<string, string[]> = {}, problems: Problem[] = []) {
  const map = new Map<string, LogEntry[]>();
  for (const [id, lines] of Object.entries(logs)) map.set(id, lines.map(parseEntry));
  return { tasks, logs: map, problems } satisfies NewsSide;
}

const T = '2026-11-22T10:00:00Z';

describe('newEntries', () => {
  it('is the multiset difference of log lines, in after order', () => {
    const a = parseEntry(`${T} alice share: one`);
    const b = parseEntry(`${T} alice share: two`);
    expect(newEntries([a], [a, a, b])).toEqual([a, b]);
    expect(newEntries(undefined, [a])).toEqual([a]);
    expect(newEntries([a, b], [a, b])).toEqual([]);
  });
});

describe('news', () => {
  it('announces a hand-off to the agent from the log entry, with its note', () => {
    const before = side([task('a', { assignee: 'alice' })], { a: [] });
    const after = side([task('a', { assignee: 'bob' })], {
      a: [`${T} alice handoff -> bob: take it [artifacts: db/schema.sql]`],
    });
    expect(news(before, after, 'bob', NOW)).toEqual([
      {
        kind: 'handoff',
        id: 'a',
        title: 'Task a',
        path: '.tasks/main/a.md',
        from: 'alice',
        previous: 'alice',
        note: 'take it',
        artifacts: ['db/schema.sql'],
        ready: true,
      },
    ]);
    // Nobody else hears about it.
    expect(news(before, after, 'carol', NOW)).toEqual([]);
  });

  it('counts an assignee change to the agent, but not their own claim', () => {
    const before = side([task('a'), task('b')]);
    const after = side(
      [
        task('a', { assignee: 'bob' }),
        task('b', { assignee: 'bob', status: 'in_progress' }),
        task('c', { assignee: 'bob', status: 'in_progress' }),
      ],
      { b: [`${T} bob claim`], c: [] },
    );
    const items = news(before, after, 'bob', NOW);
    expect(items.map((i) => [i.kind, 'id' in i ? i.id : ''])).toEqual([
      ['handoff', 'a'],
      ['handoff', 'c'],
    ]);
  });

  it('does not announce a hand-off that has since moved on to someone else', () => {
    const before = side([task('a', { assignee: 'alice' })], { a: [] });
    const after = side([task('a', { assignee: 'carol' })], {
      a: [`${T} alice handoff -> bob: take it`, `${T} bob handoff -> carol: not mine`],
    });
    expect(news(before, after, 'bob', NOW)).toEqual([]);
  });

  it('announces tasks that became ready for the agent or for anyone', () => {
    const before = side([
      task('dep', { status: 'in_progress' }),
      task('x', { depends_on: ['dep'] }),
      task('y', { depends_on: ['dep'], assignee: 'carol' }),
      task('z', { depends_on: ['dep'], assignee: 'bob', priority: 'high' }),
      task('w'),
    ]);
    const after = side([
      task('dep', { status: 'done' }),
      task('x', { depends_on: ['dep'] }),
      task('y', { depends_on: ['dep'], assignee: 'carol' }),
      task('z', { depends_on: ['dep'], assignee: 'bob', priority: 'high' }),
      task('w'),
      task('new'),
    ]);
    const items = news(before, after, 'bob', NOW);
    expect(items).toEqual([
      { kind: 'ready', id: 'x', title: 'Task x', path: '.tasks/main/x.md', priority: 'medium' },
      {
        kind: 'ready',
        id: 'z',
        title: 'Task z',
        path: '.tasks/main/z.md',
        priority: 'high',
        assignee: 'bob',
      },
      {
        kind: 'ready',
        id: 'new',
        title: 'Task new',
        path: '.tasks/main/new.md',
        priority: 'medium',
      },
    ]);
  });

  it('judges both sides at the same now: a not_before that passed is not news', () => {
    const t = task('a', { not_before: '2026-11-22T11:00:00Z' });
    expect(news(side([t]), side([t]), 'bob', NOW)).toEqual([]);
  });

  it('lists new discoveries by others, in time order, on any task', () => {
    const before = side([task('a'), task('b')], { a: [`${T} carol discover: old one`], b: [] });
    const after = side([task('a'), task('b')], {
      a: [`${T} carol discover: old one`, '2026-11-22T11:30:00Z carol discover: later'],
      b: ['2026-11-22T11:00:00Z alice discover: the feed drops ticks', `${T} bob discover: mine`],
    });
    const items = news(before, after, 'bob', NOW);
    expect(
      items.map((i) => (i.kind === 'discovery' ? `${i.id} ${i.agent} ${i.message}` : '')),
    ).toEqual(['b alice the feed drops ticks', 'a carol later']);
  });

  it('reports a task the agent held that someone else holds now', () => {
    const lease = (agent: string) => ({ agent, until: '2026-11-22T14:00:00Z' });
    const before = side([
      task('a', { assignee: 'bob', status: 'in_progress', lease: lease('bob') }),
      task('b', { assignee: 'bob', status: 'in_progress' }),
    ]);
    const after = side(
      [
        task('a', { assignee: 'carol', status: 'in_progress', lease: lease('carol') }),
        task('b', { assignee: 'dave' }),
      ],
      { a: [`${T} carol claim`], b: [`${T} bob handoff -> dave: yours`] },
    );
    expect(news(before, after, 'bob', NOW)).toEqual([
      { kind: 'claimed', id: 'a', title: 'Task a', path: '.tasks/main/a.md', by: 'carol' },
    ]);
  });

  it('reports new cycles and new bad files, not old ones', () => {
    const bad = (path: string, line: number): Problem => ({
      rule: 'schema',
      severity: 'error',
      path,
      line,
      message: 'title: must not be empty',
    });
    const before = side(
      [task('a', { status: 'done' }), task('b', { depends_on: ['c'] }), task('c')],
      {},
      [bad('.tasks/main/old.md', 3)],
    );
    const after = side(
      [
        task('a', { status: 'done' }),
        task('b', { depends_on: ['c'] }),
        task('c', { depends_on: ['b'] }),
      ],
      {},
      [bad('.tasks/main/old.md', 4), bad('.tasks/main/new.md', 2)],
    );
    expect(news(before, after, 'bob', NOW)).toEqual([
      { kind: 'cycle', cycle: ['b', 'c', 'b'] },
      {
        kind: 'bad-file',
        path: '.tasks/main/new.md',
        rule: 'schema',
        line: 2,
        message: 'title: must not be empty',
      },
    ]);
  });

  it('groups items in a fixed order and says nothing when nothing changed', () => {
    const before = side([task('a', { status: 'in_progress' }), task('b', { depends_on: ['a'] })]);
    const after = side(
      [
        task('a', { status: 'done' }),
        task('b', { depends_on: ['a'] }),
        task('h', { assignee: 'bob' }),
      ],
      { a: [`${T} alice discover: careful`], h: [`${T} alice handoff -> bob`] },
    );
    expect(news(before, after, 'bob', NOW).map((i) => i.kind)).toEqual([
      'handoff',
      'ready',
      'discovery',
    ]);
    expect(news(after, after, 'bob', NOW)).toEqual([]);
  });
});

describe('the news-shown mark', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  const store = () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.tasks'));
    return { root: { root: dir, tasksDir: join(dir, '.tasks') }, dir };
  };

  it('keeps one commit per agent under .tasks/.local, ignored by git', () => {
    const { root, dir } = store();
    expect(readNewsShown(root, 'bob')).toBeUndefined();
    writeNewsShown(root, 'bob', A);
    writeNewsShown(root, 'carol', B);
    expect(readNewsShown(root, 'bob')).toBe(A);
    expect(readNewsShown(root, 'carol')).toBe(B);
    writeNewsShown(root, 'bob', B);
    expect(readNewsShown(root, 'bob')).toBe(B);
    expect(readNewsShown(root, 'carol')).toBe(B);
    expect(readNewsShown(root, 'toString')).toBeUndefined();
    expect(readFileSync(join(dir, '.tasks/.local/.gitignore'), 'utf8')).toContain('*');
  });

  it('reads a corrupt or hand-edited file as no mark, and overwrites it', () => {
    const { root, dir } = store();
    const path = join(dir, '.tasks/.local', NEWS_SHOWN);
    mkdirSync(join(dir, '.tasks/.local'));
    for (const text of ['garbage', 'null', '{"agents": []}', '{"agents": {"bob": "HEAD"}}']) {
      writeFileSync(path, text);
      expect(readNewsShown(root, 'bob')).toBeUndefined();
    }
    writeNewsShown(root, 'bob', A);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, agents: { bob: A } });
  });
});
