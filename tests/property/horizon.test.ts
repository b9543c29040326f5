/**
 * The memo's promise: with no file changing, every readiness state and the ready queue
 * (order and effective priorities) stay the same at any moment before `nextChange`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOverdue } from '../../src/core/due.js';
import { buildGraph } from '../../src/core/graph.js';
import { nextChange } from '../../src/core/horizon.js';
import { computeReadiness } from '../../src/core/readiness.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import { PRIORITIES, STATUSES } from '../../src/schema/fields.js';
import { makeConfig, makeTask } from './reference.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;

/** A date within a few days of NOW, as a date-time or a date. */
const date = fc.oneof(
  fc
    .integer({ min: -72, max: 72 })
    .map((h) => new Date(NOW + h * HOUR + 1234).toISOString().replace('.234Z', 'Z')),
  fc
    .integer({ min: -3, max: 3 })
    .map((d) => new Date(NOW + d * 86_400_000).toISOString().slice(0, 10)),
);

const taskArb = (n: number) =>
  fc.array(
    fc.record({
      status: fc.constantFrom(...STATUSES),
      priority: fc.constantFrom(...PRIORITIES),
      deps: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
      not_before: fc.option(date, { nil: undefined }),
      due: fc.option(date, { nil: undefined }),
      lease: fc.option(date, { nil: undefined }),
      created: fc.option(
        fc.integer({ min: -30 * 24, max: 2 }).map((h) => new Date(NOW + h * HOUR).toISOString()),
        { nil: undefined },
      ),
    }),
    { minLength: n, maxLength: n },
  );

function build(specs: fc.Arbitrary<unknown>): fc.Arbitrary<Task[]> {
  return specs as fc.Arbitrary<Task[]>;
}

const tasks = build(
  fc.integer({ min: 1, max: 8 }).chain((n) =>
    taskArb(n).map((rows) =>
      rows.map((r, i) =>
        makeTask({
          id: `t${i}`,
          status: r.status,
          priority: r.priority,
          depends_on: r.deps.map((d) => `t${d}`),
          ...(r.not_before ? { not_before: r.not_before } : {}),
          ...(r.due ? { due: r.due } : {}),
          ...(r.lease ? { lease: { agent: 'x', until: r.lease } } : {}),
          ...(r.created ? { created: r.created } : {}),
        }),
      ),
    ),
  ),
);

function answer(list: Task[], at: number, every: number) {
  const config = makeConfig({ aging: { every_days: every, max: 'high' } });
  const graph = buildGraph(list);
  const now = new Date(at);
  const states = computeReadiness(graph, now);
  const queue = readyQueue(graph, config, now, states).map((r) => [
    r.task.data.id,
    r.effectivePriority,
  ]);
  const due = list.map((t) => isOverdue(t.data, now));
  return { states, queue, due, config, graph };
}

describe('nextChange', () => {
  it('no answer changes before it', () => {
    fc.assert(
      fc.property(
        tasks,
        fc.constantFrom(1, 2, 7),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (list, every, fractions) => {
          const base = answer(list, NOW, every);
          const until = nextChange(
            { now: new Date(NOW), config: base.config },
            base.graph,
            base.states,
          );
          expect(until).toBeGreaterThan(NOW);
          const span = Math.min(until, NOW + 10 * 86_400_000) - NOW;
          for (const f of fractions) {
            const at = NOW + Math.floor(f * (span - 1));
            const later = answer(list, at, every);
            expect(later.states).toEqual(base.states);
            expect(later.queue).toEqual(base.queue);
            expect(later.due).toEqual(base.due);
          }
        },
      ),
      { numRuns: Number(process.env.HORIZON_RUNS ?? 400) },
    );
  });
});
