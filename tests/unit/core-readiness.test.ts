import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { computeReadiness, readiness } from '../../src/core/readiness.js';
import type { TaskData } from '../../src/schema/task.js';
import { makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');

function stateOf(target: Partial<TaskData> & { id: string }, others: Partial<TaskData>[] = []) {
  const tasks = [makeTask(target), ...others.map((o, k) => makeTask({ id: `o${k}`, ...o }))];
  return readiness(buildGraph(tasks), 0, NOW);
}

describe('readiness', () => {
  it('is ready when every dependency is done or cancelled', () => {
    const tasks = [
      makeTask({ id: 't', depends_on: ['d', 'c'] }),
      makeTask({ id: 'd', status: 'done' }),
      makeTask({ id: 'c', status: 'cancelled' }),
    ];
    expect(readiness(buildGraph(tasks), 0, NOW)).toEqual({ state: 'ready' });
  });

  it('maps the other statuses', () => {
    expect(stateOf({ id: 't', status: 'in_progress' }).state).toBe('active');
    expect(stateOf({ id: 't', status: 'review' }).state).toBe('active');
    expect(stateOf({ id: 't', status: 'done' }).state).toBe('closed');
    expect(stateOf({ id: 't', status: 'cancelled' }).state).toBe('closed');
    expect(stateOf({ id: 't', status: 'failed' }).state).toBe('failed');
  });

  it('says what a blocked task waits on', () => {
    const s = stateOf({ id: 't', depends_on: ['o0', 'gone', 'o1'] }, [
      { status: 'failed' },
      { status: 'done' },
    ]);
    expect(s).toEqual({
      state: 'blocked',
      waitingOn: ['o0'],
      missing: ['gone'],
      cycle: false,
      manual: false,
    });
  });

  it('blocks tasks on a cycle, including a self-dependency, even when partners are done', () => {
    expect(stateOf({ id: 't', depends_on: ['t'] })).toMatchObject({
      state: 'blocked',
      cycle: true,
    });
    const tasks = [
      makeTask({ id: 'a', depends_on: ['b'] }),
      makeTask({ id: 'b', depends_on: ['a'], status: 'done' }),
    ];
    expect(readiness(buildGraph(tasks), 0, NOW)).toEqual({
      state: 'blocked',
      waitingOn: [],
      missing: [],
      cycle: true,
      manual: false,
    });
  });

  it('treats status blocked as manually blocked', () => {
    expect(stateOf({ id: 't', status: 'blocked' })).toEqual({
      state: 'blocked',
      waitingOn: [],
      missing: [],
      cycle: false,
      manual: true,
    });
  });

  it('schedules until not_before, which is inclusive of now; blocked wins', () => {
    expect(stateOf({ id: 't', not_before: '2026-06-16' })).toEqual({
      state: 'scheduled',
      notBefore: '2026-06-16',
    });
    expect(stateOf({ id: 't', not_before: '2026-06-15T12:00:00Z' }).state).toBe('ready');
    expect(stateOf({ id: 't', not_before: '2026-02-30' }).state).toBe('ready');
    const s = stateOf({ id: 't', not_before: '2026-06-16', depends_on: ['o0'] }, [{}]);
    expect(s.state).toBe('blocked');
  });

  it('computeReadiness gives the same answer for every node', () => {
    const tasks = [
      makeTask({ id: 'a' }),
      makeTask({ id: 'b', depends_on: ['a'] }),
      makeTask({ id: 'c', status: 'review' }),
    ];
    const g = buildGraph(tasks);
    expect(computeReadiness(g, NOW).map((r) => r.state)).toEqual(['ready', 'blocked', 'active']);
  });
});
