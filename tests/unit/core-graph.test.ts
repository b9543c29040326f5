import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import type { Task } from '../../src/core/types.js';
import { makeTask } from '../property/reference.js';

const t = (id: string, ...deps: string[]): Task => makeTask({ id, depends_on: deps });

describe('buildGraph', () => {
  it('maps ids to nodes, keeps the first of duplicate ids, and records reverse edges', () => {
    const first = t('a');
    const second = makeTask({ id: 'a' }, { path: '.tasks/other/a.md' });
    const g = buildGraph([first, t('b', 'a', 'a', 'x', 'x', 'b'), second]);
    expect(g.ids).toEqual(['a', 'b']);
    expect(g.tasks[0]).toBe(first);
    expect(g.duplicates).toEqual([{ task: second, first: 0 }]);
    expect(g.deps[1]).toEqual([0]);
    expect(g.missing[1]).toEqual(['x']);
    expect(g.dependents[0]).toEqual([1]);
    expect([...g.selfDep]).toEqual([0, 1]);
    expect([...g.onCycle]).toEqual([0, 1]);
    expect(g.cycles).toEqual([]);
  });

  it('orders nodes dependencies first', () => {
    const g = buildGraph([t('c', 'b'), t('b', 'a'), t('a')]);
    expect([...g.order].map((i) => g.ids[i])).toEqual(['a', 'b', 'c']);
  });

  it('names each cycle once, from its smallest id, along the shortest way back', () => {
    // a -> b -> c -> a and a -> c -> a: the shortest cycle through a is a -> c -> a.
    const g = buildGraph([t('c', 'a'), t('b', 'c'), t('a', 'b', 'c'), t('d', 'a')]);
    expect(g.cycles).toEqual([['a', 'c', 'a']]);
    expect(g.ids.filter((_, i) => g.onCycle[i] === 1).sort()).toEqual(['a', 'b', 'c']);
  });

  it('breaks ties between equally short cycles by the smaller next id', () => {
    const g = buildGraph([t('a', 'b', 'c'), t('b', 'a'), t('c', 'a')]);
    expect(g.cycles).toEqual([['a', 'b', 'a']]);
    const h = buildGraph([t('a', 'c', 'b'), t('b', 'a'), t('c', 'a')]);
    expect(h.cycles).toEqual([['a', 'b', 'a']]);
  });

  it('compares ids as plain strings (upper case before lower case)', () => {
    const g = buildGraph([t('a', 'B'), t('B', 'a'), t('y', 'z'), t('z', 'y')]);
    expect(g.cycles).toEqual([
      ['B', 'a', 'B'],
      ['y', 'z', 'y'],
    ]);
  });

  it('handles a 100,000-long chain and a 100,000-long cycle without recursion', () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => t(`t${i}`, ...(i > 0 ? [`t${i - 1}`] : [])));
    const g = buildGraph(chain);
    expect(g.order[0]).toBe(0);
    expect(g.cycles).toEqual([]);
    const ring = Array.from({ length: n }, (_, i) => t(`t${i}`, `t${(i + 1) % n}`));
    const r = buildGraph(ring);
    expect(r.cycles).toHaveLength(1);
    expect(r.cycles[0]).toHaveLength(n + 1);
    expect(r.cycles[0]![0]).toBe('t0');
  });
});
