import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import {
  agedPriority,
  compareReadyKeys,
  computeUnblocks,
  readyQueue,
} from '../../src/core/ready-queue.js';
import { makeConfig, makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const config = makeConfig();

describe('readyQueue: the README example', () => {
  // Six ready tasks and one blocked one. Each neighbouring pair in the result is decided by
  // a different key: priority, unblocks, due, created, id.
  const tasks = [
    makeTask({ id: 'lint', priority: 'high', created: '2026-06-12' }),
    makeTask({ id: 'ci', priority: 'high', created: '2026-06-12' }),
    makeTask({ id: 'tests', priority: 'high', created: '2026-06-10' }),
    // medium, but waiting since 2026-05-20 (3 full weeks): aged to high, not beyond.
    makeTask({ id: 'docs', priority: 'medium', created: '2026-05-20', due: '2026-06-20' }),
    makeTask({ id: 'schema', priority: 'high', created: '2026-06-14' }),
    makeTask({ id: 'api', depends_on: ['schema'], estimate: '2d' }),
    makeTask({ id: 'hotfix', priority: 'critical', created: '2026-06-15' }),
  ];

  it('orders by priority, unblocks, due, created, id', () => {
    const queue = readyQueue(buildGraph(tasks), config, NOW);
    expect(
      queue.map((r) => [r.rank, r.task.data.id, r.effectivePriority, r.agedBy, r.unblocks]),
    ).toEqual([
      [1, 'hotfix', 'critical', 0, 0], // priority: critical before high
      [2, 'schema', 'high', 0, 16], // unblocks: api (2d = 16h) waits on it
      [3, 'docs', 'high', 1, 0], // due: 2026-06-20 before no due date
      [4, 'tests', 'high', 0, 0], // created: 2026-06-10 before 2026-06-12
      [5, 'ci', 'high', 0, 0], // id: ci before lint
      [6, 'lint', 'high', 0, 0],
    ]);
  });

  it('without aging, docs stays medium and goes last', () => {
    const queue = readyQueue(buildGraph(tasks), makeConfig({ aging: false }), NOW);
    expect(queue.map((r) => r.task.data.id).at(-1)).toBe('docs');
  });
});

describe('agedPriority', () => {
  const aging = { every_days: 7, max: 'high' as const };
  it('raises one level per full period, never above max, never lowers', () => {
    expect(agedPriority('low', '2026-06-09', aging, NOW)).toEqual({ priority: 'low', agedBy: 0 });
    expect(agedPriority('low', '2026-06-08', aging, NOW)).toEqual({
      priority: 'medium',
      agedBy: 1,
    });
    expect(agedPriority('low', '2025-01-01', aging, NOW)).toEqual({ priority: 'high', agedBy: 2 });
    expect(agedPriority('critical', '2025-01-01', aging, NOW).priority).toBe('critical');
    expect(agedPriority('high', '2025-01-01', { every_days: 7, max: 'medium' }, NOW)).toEqual({
      priority: 'high',
      agedBy: 0,
    });
    expect(agedPriority('low', '2027-01-01', aging, NOW).agedBy).toBe(0);
    expect(agedPriority('low', undefined, aging, NOW).agedBy).toBe(0);
    expect(agedPriority('low', '2025-01-01', false, NOW).agedBy).toBe(0);
  });
});

describe('computeUnblocks', () => {
  it('is the longest chain of open work waiting on a task, by estimate', () => {
    const tasks = [
      makeTask({ id: 'a' }),
      makeTask({ id: 'b', depends_on: ['a'], estimate: '2h' }),
      makeTask({ id: 'c', depends_on: ['b'], estimate: '3h' }),
      makeTask({ id: 'd', depends_on: ['a'], estimate: '4h' }),
      makeTask({ id: 'e', depends_on: ['a'], estimate: '1w', status: 'done' }),
      makeTask({ id: 'f', depends_on: ['a', 'g'], estimate: '1w' }),
      makeTask({ id: 'g', depends_on: ['f'] }),
    ];
    const u = computeUnblocks(buildGraph(tasks), config);
    expect([...u]).toEqual([5, 3, 0, 0, 0, 0, 0]);
  });
});

describe('compareReadyKeys', () => {
  it('puts absent dates last and compares ids as plain strings', () => {
    const base = { priority: 2, unblocks: 0, due: Infinity, created: Infinity };
    expect(compareReadyKeys({ ...base, id: 'a', due: 1 }, { ...base, id: 'b' })).toBeLessThan(0);
    expect(compareReadyKeys({ ...base, id: 'b' }, { ...base, id: 'B' })).toBeGreaterThan(0);
    expect(
      compareReadyKeys({ ...base, id: 'a', unblocks: 1 }, { ...base, id: 'b', unblocks: 2 }),
    ).toBeGreaterThan(0);
  });
});
