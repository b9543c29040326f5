import { describe, expect, it } from 'vitest';
import { blockedChain, blockedReport } from '../../src/core/blocked.js';
import { buildGraph } from '../../src/core/graph.js';
import { makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('blockedReport', () => {
  const tasks = [
    makeTask({ id: 'ship', depends_on: ['api', 'docs'] }),
    makeTask({ id: 'api', depends_on: ['schema', 'auth'] }),
    makeTask({ id: 'schema' }), // ready
    makeTask({ id: 'auth', status: 'in_progress' }),
    makeTask({ id: 'docs', depends_on: ['style', 'later', 'ghost'] }),
    makeTask({ id: 'style', status: 'blocked' }),
    makeTask({ id: 'later', not_before: '2026-07-01' }),
    makeTask({ id: 'loop1', depends_on: ['loop2'] }),
    makeTask({ id: 'loop2', depends_on: ['loop1'] }),
    makeTask({ id: 'stuck', depends_on: ['loop1', 'dead'] }),
    makeTask({ id: 'dead', status: 'failed' }),
  ];
  const graph = buildGraph(tasks);

  it('lists every blocked task by id, with the roots that hold it', () => {
    const report = blockedReport(graph, NOW);
    const summary = Object.fromEntries(report.map((e) => [e.task.data.id, e.roots]));
    expect(Object.keys(summary)).toEqual([
      'api',
      'docs',
      'loop1',
      'loop2',
      'ship',
      'stuck',
      'style',
    ]);
    expect(summary.ship).toEqual([
      { id: 'auth', why: 'active' },
      { id: 'ghost', why: 'missing' },
      { id: 'later', why: 'scheduled' },
      { id: 'schema', why: 'ready' },
      { id: 'style', why: 'blocked' },
    ]);
    expect(summary.stuck).toEqual([
      { id: 'dead', why: 'failed' },
      { id: 'loop1', why: 'cycle' },
    ]);
    expect(summary.loop1).toEqual([{ id: 'loop2', why: 'cycle' }]);
    expect(summary.style).toEqual([]);
  });

  it('keeps what readiness says about the task itself', () => {
    const docs = blockedReport(graph, NOW).find((e) => e.task.data.id === 'docs')!;
    expect(docs).toMatchObject({
      waitingOn: ['style', 'later'],
      missing: ['ghost'],
      cycle: false,
      manual: false,
    });
  });
});

describe('blockedChain', () => {
  it('gives one shortest path per root', () => {
    const tasks = [
      makeTask({ id: 'c', depends_on: ['b', 'a'] }),
      makeTask({ id: 'b', depends_on: ['a', 'x'] }),
      makeTask({ id: 'a' }),
    ];
    const g = buildGraph(tasks);
    expect(blockedChain(g, 0, NOW)).toEqual([
      { path: ['c', 'a'], why: 'ready' },
      { path: ['c', 'b', 'x'], why: 'missing' },
    ]);
    expect(blockedChain(g, 2, NOW)).toEqual([]);
  });
});
