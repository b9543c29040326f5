/** The worked example of the ready order in the README, exactly as documented. */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import { DEFAULT_CONFIG } from '../../src/schema/config-defaults.js';
import type { TaskData } from '../../src/schema/task.js';

function task(id: string, fields: Partial<TaskData>): Task {
  const data = {
    id,
    title: id,
    status: 'todo',
    priority: 'high',
    depends_on: [],
    labels: [],
    ...fields,
  } as TaskData;
  return { data, namespace: 'main', path: `.tasks/main/${id}.md` };
}

describe('README worked example', () => {
  it('orders by priority, unblocks, due, created, id', () => {
    const tasks = [
      task('logs', { due: '2026-12-05', created: '2026-11-10' }),
      task('lint', { due: '2026-12-05', created: '2026-11-10' }),
      task('cli', { due: '2026-12-05', created: '2026-11-01' }),
      task('db', { due: '2026-12-01', created: '2026-11-20' }),
      task('api', { created: '2026-11-20' }),
      task('pay', { priority: 'critical', created: '2026-11-20' }),
      task('ui', { depends_on: ['api'], estimate: '2d' }),
      task('report', { depends_on: ['db'], estimate: '4h' }),
      task('docs', { depends_on: ['cli', 'lint', 'logs'], estimate: '4h' }),
    ];
    const config = { ...DEFAULT_CONFIG, aging: false as const };
    const queue = readyQueue(buildGraph(tasks), config, new Date('2026-11-22T00:00:00Z'));
    expect(queue.map((r) => r.task.data.id)).toEqual(['pay', 'api', 'db', 'cli', 'lint', 'logs']);
    expect(queue.map((r) => r.unblocks)).toEqual([0, 16, 4, 4, 4, 4]);
  });
});
