import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { criticalPath, waves } from '../../src/core/plan.js';
import { makeConfig, makeTask } from '../property/reference.js';

const config = makeConfig();

describe('criticalPath', () => {
  it('is the longest chain of not-done work by estimate, dependency first', () => {
    const tasks = [
      makeTask({ id: 'design', estimate: '4h' }),
      makeTask({ id: 'build', depends_on: ['design', 'setup'], estimate: '2d' }),
      makeTask({ id: 'setup', estimate: '1h' }),
      makeTask({ id: 'ship', depends_on: ['build'] }),
      makeTask({ id: 'old', estimate: '1w', status: 'done' }),
      makeTask({ id: 'docs', depends_on: ['old'], estimate: '2h' }),
    ];
    expect(criticalPath(buildGraph(tasks), config)).toEqual({
      ids: ['design', 'build', 'ship'],
      hours: 21,
    });
  });

  it('breaks ties by the smaller id, and leaves cycles out', () => {
    const tasks = [
      makeTask({ id: 'b' }),
      makeTask({ id: 'a' }),
      makeTask({ id: 'c', depends_on: ['a', 'b'] }),
      makeTask({ id: 'x', depends_on: ['y'], estimate: '1w' }),
      makeTask({ id: 'y', depends_on: ['x'], estimate: '1w' }),
    ];
    expect(criticalPath(buildGraph(tasks), config)).toEqual({ ids: ['a', 'c'], hours: 2 });
    expect(criticalPath(buildGraph([makeTask({ id: 'z', status: 'done' })]), config)).toEqual({
      ids: [],
      hours: 0,
    });
  });
});

describe('waves', () => {
  it('groups not-done tasks by the earliest round they could run', () => {
    const tasks = [
      makeTask({ id: 'done', status: 'done' }),
      makeTask({ id: 'b', depends_on: ['done'] }),
      makeTask({ id: 'a', status: 'in_progress' }),
      makeTask({ id: 'c', depends_on: ['a', 'b'] }),
      makeTask({ id: 'd', depends_on: ['c', 'done'] }),
      makeTask({ id: 'e', depends_on: ['a'] }),
      makeTask({ id: 'm', depends_on: ['ghost'] }),
      makeTask({ id: 'n', depends_on: ['m'] }),
      makeTask({ id: 'p', depends_on: ['q'] }),
      makeTask({ id: 'q', depends_on: ['p'] }),
    ];
    expect(waves(buildGraph(tasks))).toEqual({
      waves: [['a', 'b'], ['c', 'e'], ['d']],
      unschedulable: ['m', 'n', 'p', 'q'],
    });
  });
});
