import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { criticalPath } from '../../src/core/plan.js';
import type { SimAgent } from '../../src/core/schedule-scope.js';
import { finishDate, planSchedule, spread } from '../../src/core/schedule-summary.js';
import type { Task } from '../../src/core/types.js';
import { makeConfig, makeTask } from '../property/reference.js';

const config = makeConfig();
const NOW = new Date('2026-06-15T09:00:00Z');

const identical = (n: number): SimAgent[] =>
  Array.from({ length: n }, (_, k) => ({ name: `agent-${k + 1}`, capacity: 1, skills: null }));

function plan(tasks: Task[], agents: SimAgent[]) {
  const graph = buildGraph(tasks);
  return { graph, schedule: planSchedule(graph, config, NOW, agents) };
}

const byId = (s: ReturnType<typeof plan>['schedule']) => new Map(s.tasks.map((t) => [t.id, t]));

/** Within 10% of a known optimum. */
function nearOptimum(finish: number, optimum: number): void {
  expect(finish).toBeGreaterThanOrEqual(optimum);
  expect(finish).toBeLessThanOrEqual(optimum * 1.1);
}

describe('the simulated schedule against known optima', () => {
  it('a chain of four 2h tasks and six 1h tasks on two agents: 8h', () => {
    const tasks = [
      makeTask({ id: 'c1', estimate: '2h' }),
      makeTask({ id: 'c2', estimate: '2h', depends_on: ['c1'] }),
      makeTask({ id: 'c3', estimate: '2h', depends_on: ['c2'] }),
      makeTask({ id: 'c4', estimate: '2h', depends_on: ['c3'] }),
      ...[1, 2, 3, 4, 5, 6].map((k) => makeTask({ id: `i${k}`, estimate: '1h' })),
    ];
    const { graph, schedule } = plan(tasks, identical(2));
    nearOptimum(schedule.finish.hours, 8);
    expect(criticalPath(graph, config)).toEqual({ ids: ['c1', 'c2', 'c3', 'c4'], hours: 8 });
    expect(schedule.agents.map((a) => a.hours).sort()).toEqual([6, 8]);
    expect(schedule.load).toEqual({ variance: 1, stddev: 1 });
    expect(schedule.tasks).toHaveLength(10);
    expect(schedule.unschedulable).toEqual([]);
  });

  it('a fork and join on three agents: 1h + 4h + 1h', () => {
    const middle = [1, 2, 3, 4, 5, 6].map((k) =>
      makeTask({ id: `m${k}`, estimate: '2h', depends_on: ['root'] }),
    );
    const tasks = [
      makeTask({ id: 'root', estimate: '1h' }),
      ...middle,
      makeTask({ id: 'sink', estimate: '1h', depends_on: middle.map((t) => t.data.id) }),
    ];
    const { schedule } = plan(tasks, identical(3));
    nearOptimum(schedule.finish.hours, 6);
    const s = byId(schedule);
    expect(s.get('sink')?.start).toBe(5);
    expect(schedule.agents.every((a) => a.hours > 0)).toBe(true);
  });

  it('two chains and filler work on three agents: total work / slots = critical path = 6h', () => {
    const tasks = [
      makeTask({ id: 'a1', estimate: '2h' }),
      makeTask({ id: 'a2', estimate: '2h', depends_on: ['a1'] }),
      makeTask({ id: 'a3', estimate: '2h', depends_on: ['a2'] }),
      makeTask({ id: 'b1', estimate: '3h' }),
      makeTask({ id: 'b2', estimate: '3h', depends_on: ['b1'] }),
      ...[1, 2, 3, 4, 5, 6].map((k) => makeTask({ id: `f${k}`, estimate: '1h' })),
    ];
    const { schedule } = plan(tasks, identical(3));
    nearOptimum(schedule.finish.hours, 6);
    expect(schedule.load.variance).toBe(0);
    expect(schedule.agents.map((a) => a.utilization)).toEqual([1, 1, 1]);
  });

  it('one agent does everything back to back: the finish is the total work', () => {
    const tasks = [
      makeTask({ id: 'a', estimate: '90m' }),
      makeTask({ id: 'b', estimate: '4h', depends_on: ['a'] }),
      makeTask({ id: 'c', estimate: '30m' }),
      makeTask({ id: 'old', estimate: '1w', status: 'done' }),
    ];
    const { schedule } = plan(tasks, identical(1));
    expect(schedule.finish.hours).toBe(6);
    expect(schedule.agents[0]).toMatchObject({ hours: 6, tasks: 3, utilization: 1 });
  });
});

describe('agents, skills and capacity', () => {
  const fe: SimAgent = { name: 'fe', capacity: 1, skills: ['frontend'] };
  const be: SimAgent = { name: 'be', capacity: 1, skills: ['backend', 'db'] };

  it('gives each task to an agent with every skill it needs', () => {
    const tasks = [
      ...[1, 2, 3].map((k) => makeTask({ id: `ui${k}`, estimate: '2h', skills: ['frontend'] })),
      ...[1, 2, 3].map((k) => makeTask({ id: `api${k}`, estimate: '2h', skills: ['backend'] })),
      makeTask({ id: 'schema', estimate: '1h', skills: ['backend', 'db'] }),
    ];
    const { schedule } = plan(tasks, [fe, be]);
    for (const t of schedule.tasks) {
      expect(t.agent).toBe(t.id.startsWith('ui') ? 'fe' : 'be');
    }
    expect(schedule.finish.hours).toBe(7);
  });

  it('reports tasks no agent can do, and the tasks waiting on them', () => {
    const tasks = [
      makeTask({ id: 'ml', skills: ['ml'] }),
      makeTask({ id: 'after', depends_on: ['ml'] }),
      makeTask({ id: 'x', depends_on: ['y'] }),
      makeTask({ id: 'y', depends_on: ['x'] }),
      makeTask({ id: 'ghostly', depends_on: ['ghost'] }),
      makeTask({ id: 'dead', status: 'failed' }),
      makeTask({ id: 'later', depends_on: ['dead'] }),
      makeTask({ id: 'ok' }),
    ];
    const { schedule } = plan(tasks, [fe, be]);
    expect(schedule.unschedulable.map((u) => [u.id, u.reason])).toEqual([
      ['after', 'waits'],
      ['ghostly', 'missing-dependency'],
      ['later', 'waits'],
      ['ml', 'no-agent'],
      ['x', 'cycle'],
      ['y', 'cycle'],
    ]);
    expect(schedule.unschedulable.find((u) => u.id === 'ml')?.message).toBe(
      'no agent has every skill of ml',
    );
    expect(schedule.unschedulable.find((u) => u.id === 'later')?.on).toEqual(['dead']);
    expect(schedule.failed).toEqual(['dead']);
    expect(schedule.tasks.map((t) => t.id)).toEqual(['ok']);
  });

  it('runs tasks side by side on an agent with capacity above one', () => {
    const tasks = [1, 2, 3, 4].map((k) => makeTask({ id: `t${k}`, estimate: '3h' }));
    const { schedule } = plan(tasks, [{ name: 'team', capacity: 2, skills: null }]);
    expect(schedule.tasks.map((t) => [t.id, t.start])).toEqual([
      ['t1', 0],
      ['t2', 0],
      ['t3', 3],
      ['t4', 3],
    ]);
    expect(schedule.finish.hours).toBe(6);
    expect(schedule.agents[0]).toMatchObject({ hours: 12, tasks: 4, utilization: 1 });
  });

  it('keeps a task on the profiled agent it is assigned to, even while others are free', () => {
    const tasks = [
      makeTask({ id: 'a', estimate: '2h', assignee: 'be' }),
      makeTask({ id: 'b', estimate: '2h', assignee: 'be' }),
      makeTask({ id: 'c', estimate: '1h', assignee: 'someone-else' }),
    ];
    const anyone: SimAgent = { name: 'anyone', capacity: 1, skills: null };
    const { schedule } = plan(tasks, [be, anyone]);
    const s = byId(schedule);
    expect([s.get('a')?.agent, s.get('b')?.agent]).toEqual(['be', 'be']);
    expect(s.get('b')?.start).toBe(2);
    expect(s.get('c')?.agent).toBe('anyone');
    expect(schedule.proposals).toEqual([]);
  });

  it('refuses a task whose assignee lacks a skill or has no capacity', () => {
    const idle: SimAgent = { name: 'idle', capacity: 0, skills: null };
    const tasks = [
      makeTask({ id: 'a', skills: ['frontend'], assignee: 'be' }),
      makeTask({ id: 'b', assignee: 'idle' }),
    ];
    const { schedule } = plan(tasks, [be, idle]);
    expect(schedule.unschedulable.map((u) => u.message)).toEqual([
      'assigned to be, who lacks skill frontend',
      'assigned to idle, who has capacity 0',
    ]);
    expect(schedule.load.variance).toBe(0);
  });

  it('starts work already in progress first, then follows the ready-queue order', () => {
    const tasks = [
      makeTask({ id: 'urgent', priority: 'critical', estimate: '1h' }),
      makeTask({ id: 'started', status: 'in_progress', priority: 'low', estimate: '2h' }),
      makeTask({ id: 'reviewed', status: 'review', priority: 'low', estimate: '1h' }),
      makeTask({ id: 'plain', estimate: '1h' }),
    ];
    const { schedule } = plan(tasks, identical(1));
    expect(schedule.tasks.map((t) => [t.id, t.start, t.active])).toEqual([
      ['reviewed', 0, true],
      ['started', 1, true],
      ['urgent', 3, false],
      ['plain', 4, false],
    ]);
  });

  it('proposes the agent the simulation chose for every unassigned task', () => {
    const tasks = [
      makeTask({ id: 'a', estimate: '2h' }),
      makeTask({ id: 'b', estimate: '2h' }),
      makeTask({ id: 'c', estimate: '2h', assignee: 'agent-2' }),
    ];
    const { schedule } = plan(tasks, identical(2));
    expect(schedule.proposals).toEqual([
      { id: 'a', agent: 'agent-1' },
      { id: 'b', agent: 'agent-2' },
    ]);
    expect(byId(schedule).get('c')).toMatchObject({ agent: 'agent-2', start: 2 });
    expect(schedule.load.variance).toBe(1);
  });
});

describe('finish date and spread', () => {
  it('spreads working hours over the calendar week', () => {
    expect(finishDate(NOW, 0, config)).toBe('2026-06-15');
    expect(finishDate(NOW, 40, config)).toBe('2026-06-22');
    expect(finishDate(NOW, 80, { hours_per_day: 8, days_per_week: 7 })).toBe('2026-06-25');
  });

  it('is the population variance and its square root', () => {
    expect(spread([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ variance: 4, stddev: 2 });
    expect(spread([])).toEqual({ variance: 0, stddev: 0 });
  });
});
