import { describe, expect, it } from 'vitest';
import { checkRules } from '../../src/core/check-rules.js';
import { buildGraph } from '../../src/core/graph.js';
import type { Task } from '../../src/core/types.js';
import { makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const lines = [2, 6, 7, 9, 0]; // id, depends_on, parent, lease, status (LINE_KEYS order)

function check(tasks: Task[]) {
  return checkRules(tasks, buildGraph(tasks), NOW);
}

describe('checkRules', () => {
  it('finds nothing in a sound plan', () => {
    expect(
      check([makeTask({ id: 'a' }), makeTask({ id: 'b', depends_on: ['a'], parent: 'a' })]),
    ).toEqual([]);
  });

  it('reports every rule with file, line and a clear message, in a stable order', () => {
    const tasks = [
      makeTask({ id: 'a', depends_on: ['c', 'ghost', 'a'] }, { lines }),
      makeTask({ id: 'b', depends_on: ['a'], parent: 'nobody' }, { lines }),
      makeTask({ id: 'c', depends_on: ['b'] }, { lines }),
      makeTask({ id: 'a' }, { path: '.tasks/z/a.md', lines }),
      makeTask(
        { id: 'd', status: 'in_progress', lease: { agent: 'bob', until: '2026-06-15T11:00:00Z' } },
        { lines },
      ),
      makeTask(
        { id: 'e', status: 'in_progress', lease: { agent: 'amy', until: '2026-06-16' } },
        { lines },
      ),
    ];
    expect(check(tasks)).toEqual([
      {
        rule: 'cycle',
        severity: 'error',
        id: 'a',
        path: '.tasks/main/a.md',
        line: 6,
        message: 'dependency cycle: a -> c -> b -> a',
      },
      {
        rule: 'missing-dependency',
        severity: 'error',
        id: 'a',
        path: '.tasks/main/a.md',
        line: 6,
        message: 'depends on "ghost", which is not a task',
      },
      {
        rule: 'self-dependency',
        severity: 'error',
        id: 'a',
        path: '.tasks/main/a.md',
        line: 6,
        message: 'depends on itself ("a")',
      },
      {
        rule: 'missing-parent',
        severity: 'error',
        id: 'b',
        path: '.tasks/main/b.md',
        line: 7,
        message: 'parent "nobody" is not a task',
      },
      {
        rule: 'expired-lease',
        severity: 'warning',
        id: 'd',
        path: '.tasks/main/d.md',
        line: 9,
        message: 'lease of bob expired at 2026-06-15T11:00:00Z',
      },
      {
        rule: 'duplicate-id',
        severity: 'error',
        id: 'a',
        path: '.tasks/z/a.md',
        line: 2,
        message: 'duplicate id "a": already used by .tasks/main/a.md',
      },
    ]);
  });

  it('leaves the line out when it is not known', () => {
    const [p] = check([makeTask({ id: 'a', depends_on: ['zz'] })]);
    expect(p).toEqual({
      rule: 'missing-dependency',
      severity: 'error',
      id: 'a',
      path: '.tasks/main/a.md',
      message: 'depends on "zz", which is not a task',
    });
  });
});
