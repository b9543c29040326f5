/** staleResults (pure) and the stale-result problems `check` makes of them. */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/core/check.js';
import { buildGraph } from '../../src/core/graph.js';
import { hasResult, staleResults } from '../../src/core/stale.js';
import type { Snapshot, Task } from '../../src/core/types.js';
import { DEFAULT_CONFIG } from '../../src/schema/config-defaults.js';
import { makeTask } from '../property/reference.js';

function task(id: string, data: Record<string, unknown> = {}): Task {
  return makeTask({ status: 'done', ...data, id } as Parameters<typeof makeTask>[0], {
    lines: [2, 5, 0, 0, 4],
  });
}

/** A task with inputs whose recorded fingerprint is `fp`. */
const built = (id: string, fp: string, data: Record<string, unknown> = {}) =>
  task(id, { inputs: [`in/${id}/**`], result: { commit: 'c0ffee1234', fingerprint: fp }, ...data });

/** Current fingerprints by task id. */
const now =
  (fps: Record<string, string>) =>
  (t: Task): string | undefined =>
    fps[t.data.id];

describe('hasResult', () => {
  it('needs done, inputs and a recorded fingerprint', () => {
    expect(hasResult(built('a', 'f'))).toBe(true);
    expect(hasResult(built('a', 'f', { status: 'todo' }))).toBe(false);
    expect(hasResult(built('a', 'f', { inputs: [] }))).toBe(false);
    expect(hasResult(task('a', { inputs: ['x'] }))).toBe(false);
  });
});

describe('staleResults', () => {
  it('is empty when every fingerprint still matches, or is unknown', () => {
    const tasks = [built('a', 'f1'), built('b', 'f2')];
    expect(staleResults(tasks, now({ a: 'f1', b: 'f2' }))).toEqual([]);
    expect(staleResults(tasks, now({}))).toEqual([]);
  });

  it('marks a task whose inputs moved, with its commit and the changed inputs', () => {
    const tasks = [built('a', 'f1'), built('b', 'f2')];
    expect(staleResults(tasks, now({ a: 'NEW', b: 'f2' }), () => ['in/a/x.csv'])).toEqual([
      {
        id: 'a',
        path: '.tasks/main/a.md',
        inherited: false,
        commit: 'c0ffee1234',
        changed: ['in/a/x.csv'],
      },
    ]);
  });

  it('propagates to done dependents, transitively, marked inherited via the source', () => {
    const tasks = [
      built('a', 'f1'),
      task('b', { depends_on: ['a'] }),
      task('c', { depends_on: ['b'] }),
      task('d', { depends_on: ['c'], status: 'todo' }),
      task('e', { depends_on: ['d'] }), // through a task that is not done
      task('x'), // unrelated
    ];
    const stale = staleResults(tasks, now({ a: 'NEW' }));
    expect(stale.map((s) => [s.id, s.inherited, s.via])).toEqual([
      ['a', false, undefined],
      ['b', true, 'a'],
      ['c', true, 'a'],
      ['e', true, 'a'],
    ]);
  });

  it('names the nearest stale source; a task stale by its own inputs stays direct', () => {
    const tasks = [
      built('a', 'f1'),
      built('b', 'f2', { depends_on: ['a'] }),
      task('c', { depends_on: ['b'] }),
      task('d', { depends_on: ['a', 'b'] }),
    ];
    const stale = staleResults(tasks, now({ a: 'NEW', b: 'NEW' }));
    expect(stale.map((s) => [s.id, s.inherited, s.via])).toEqual([
      ['a', false, undefined],
      ['b', false, undefined],
      ['c', true, 'b'],
      ['d', true, 'a'], // both at distance 1: the smaller id
    ]);
  });

  it('survives cycles and duplicate ids (the first task with an id stands for it)', () => {
    const tasks = [
      built('a', 'f1', { depends_on: ['b'] }),
      task('b', { depends_on: ['a'] }),
      task('b', { path: 'dup' }),
    ];
    const stale = staleResults(tasks, now({ a: 'NEW' }));
    expect(stale.map((s) => s.id)).toEqual(['a', 'b']);
    expect(stale[1]?.path).toBe('.tasks/main/b.md');
  });

  it('does not recover once the inputs are back as they were', () => {
    const tasks = [built('a', 'f1'), task('b', { depends_on: ['a'] })];
    expect(staleResults(tasks, now({ a: 'f1' }))).toEqual([]);
  });
});

describe('check: stale-result problems', () => {
  const snapshot = (tasks: Task[]): Snapshot => ({
    tasks,
    fileProblems: [],
    config: DEFAULT_CONFIG,
    now: new Date('2026-11-22T10:00:00Z'),
  });

  it('reports each stale task at the given severity, on the line of status', () => {
    const tasks = [built('a', 'f1'), task('b', { depends_on: ['a'] })];
    const results = staleResults(tasks, now({ a: 'NEW' }));
    const warn = runChecks(snapshot(tasks), buildGraph(tasks), { results, severity: 'warning' });
    expect(warn.ok).toBe(true);
    expect(warn.problems).toEqual([
      {
        rule: 'stale-result',
        severity: 'warning',
        id: 'a',
        path: '.tasks/main/a.md',
        line: 4,
        message:
          'result is stale: its inputs changed since it was done at c0ffee1; re-run it and `baton done a`, or `baton reopen --stale`',
      },
      {
        rule: 'stale-result',
        severity: 'warning',
        id: 'b',
        path: '.tasks/main/b.md',
        line: 4,
        message:
          'result is stale: it depends on a, whose result is stale; re-run a and `baton done a`, or `baton reopen --stale`',
      },
    ]);
    const error = runChecks(snapshot(tasks), buildGraph(tasks), { results, severity: 'error' });
    expect(error.ok).toBe(false);
    expect(error.problems.map((p) => p.severity)).toEqual(['error', 'error']);
  });

  it('adds nothing without stale input', () => {
    const tasks = [built('a', 'f1')];
    expect(runChecks(snapshot(tasks), buildGraph(tasks)).problems).toEqual([]);
  });
});
