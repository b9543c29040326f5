import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockedReport } from '../../src/core/blocked.js';
import { buildGraph } from '../../src/core/graph.js';
import { criticalPath, waves } from '../../src/core/plan.js';
import { computeReadiness, readiness } from '../../src/core/readiness.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import type { Config } from '../../src/schema/config.js';
import { STATUSES } from '../../src/schema/fields.js';
import { makeConfig, makeTask, Reference, refHours } from './reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'A', 'B', 'a1', 'ab', 'b.2', 'c-3'];
const MISSING = ['x', 'zz'];
const ESTIMATES = ['30m', '45m', '90m', '1h', '1.5h', '4h', '2d', '1w'];
const DATES = [
  '2025-06-01',
  '2025-12-31T23:00:00Z',
  '2026-01-01',
  '2026-06-01',
  '2026-06-08T12:00:00Z',
  '2026-06-15',
  '2026-06-15T11:59:59Z',
  '2026-06-15T12:00:00Z',
  '2026-06-16',
  '2027-01-01',
];

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const taskArb: fc.Arbitrary<Task> = fc
  .record({
    id: fc.constantFrom(...IDS),
    // Weighted towards todo and done so that ready tasks and satisfied edges are common.
    status: fc.oneof(
      { weight: 4, arbitrary: fc.constant('todo' as const) },
      { weight: 3, arbitrary: fc.constantFrom('done' as const, 'cancelled' as const) },
      { weight: 3, arbitrary: fc.constantFrom(...STATUSES) },
    ),
    priority: fc.constantFrom('critical', 'high', 'medium', 'low'),
    depends_on: fc.array(fc.constantFrom(...IDS, ...MISSING), { maxLength: 4 }),
    estimate: optional(fc.constantFrom(...ESTIMATES)),
    due: optional(fc.constantFrom(...DATES)),
    created: optional(fc.constantFrom(...DATES)),
    not_before: fc.option(fc.constantFrom(...DATES), { nil: undefined, freq: 5 }),
    lease: fc.option(fc.record({ agent: fc.constant('amy'), until: fc.constantFrom(...DATES) }), {
      nil: undefined,
      freq: 3,
    }),
  })
  .map((data) => makeTask(data));

const configArb: fc.Arbitrary<Config> = fc
  .record({
    default_estimate: fc.constantFrom(...ESTIMATES),
    hours_per_day: fc.constantFrom(8, 6, 7.5),
    days_per_week: fc.constantFrom(5, 4),
    aging: fc.oneof(
      fc.constant(false as const),
      fc.record({
        every_days: fc.constantFrom(0.5, 1, 7, 30),
        max: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
      }),
    ),
  })
  .map((c) => makeConfig(c));

const tasksArb = fc.array(taskArb, { minLength: 1, maxLength: 12 });
const RUNS = { numRuns: 400 };

describe('graph core against the brute-force reference', () => {
  it('ready set and exact ready order', () => {
    fc.assert(
      fc.property(tasksArb, configArb, (tasks, config) => {
        const ref = new Reference(tasks, config, NOW);
        const queue = readyQueue(buildGraph(tasks), config, NOW);
        expect(queue.map((r) => r.task.data.id)).toEqual(ref.readyOrder());
        expect(queue.map((r) => r.rank)).toEqual(queue.map((_, k) => k + 1));
        for (const r of queue) {
          const t = ref.find(r.task.data.id)!;
          expect(r.unblocks).toBe(ref.unblocks(t));
          expect(['critical', 'high', 'medium', 'low'].indexOf(r.effectivePriority)).toBe(
            ref.effectivePriority(t),
          );
        }
      }),
      RUNS,
    );
  });

  it('readiness of one node agrees with the whole-graph pass and the reference', () => {
    fc.assert(
      fc.property(tasksArb, (tasks) => {
        const ref = new Reference(tasks, makeConfig(), NOW);
        const graph = buildGraph(tasks);
        const all = computeReadiness(graph, NOW);
        graph.tasks.forEach((task, i) => {
          const one = readiness(graph, i, NOW);
          expect(one).toEqual(all[i]);
          expect(one.state === 'ready').toBe(ref.isReady(task));
          expect(one.state === 'blocked').toBe(ref.isBlocked(task));
        });
      }),
      RUNS,
    );
  });

  it('nodes on cycles, and one real, shortest cycle per strongly connected group', () => {
    fc.assert(
      fc.property(tasksArb, (tasks) => {
        const ref = new Reference(tasks, makeConfig(), NOW);
        const graph = buildGraph(tasks);
        const onCycle = graph.ids.filter((_, i) => graph.onCycle[i] === 1).sort();
        const refOnCycle = ref.nodes
          .filter((t) => ref.onCycle(t))
          .map((t) => t.data.id)
          .sort();
        expect(onCycle).toEqual(refOnCycle);
        const groups = ref.cycleGroups();
        expect(graph.cycles.length).toBe(groups.length);
        for (const cycle of graph.cycles) {
          const group = groups.find((g) => g.has(cycle[0]!))!;
          expect(group).toBeDefined();
          expect(cycle[0]).toBe([...group].sort()[0]);
          expect(cycle.at(-1)).toBe(cycle[0]);
          for (let k = 0; k + 1 < cycle.length; k++) {
            expect(cycle[k]).not.toBe(cycle[k + 1]);
            expect(ref.find(cycle[k]!)!.data.depends_on).toContain(cycle[k + 1]);
            expect(group.has(cycle[k]!)).toBe(true);
          }
          expect(cycle.length - 1).toBe(ref.shortestCycleLength(ref.find(cycle[0]!)!));
        }
      }),
      RUNS,
    );
  });

  it('critical path: maximum hours, and a real chain of open tasks', () => {
    fc.assert(
      fc.property(tasksArb, configArb, (tasks, config) => {
        const ref = new Reference(tasks, config, NOW);
        const path = criticalPath(buildGraph(tasks), config);
        expect(path.hours).toBe(ref.criticalHours());
        let sum = 0;
        path.ids.forEach((id, k) => {
          const t = ref.find(id)!;
          expect(ref.open(t)).toBe(true);
          sum += refHours(t.data.estimate, config);
          if (k > 0) expect(t.data.depends_on).toContain(path.ids[k - 1]);
        });
        expect(sum).toBe(path.hours);
      }),
      RUNS,
    );
  });

  it('waves equal the simulated rounds', () => {
    fc.assert(
      fc.property(tasksArb, (tasks) => {
        const ref = new Reference(tasks, makeConfig(), NOW);
        expect(waves(buildGraph(tasks))).toEqual(ref.waves());
      }),
      RUNS,
    );
  });

  it('blocked report: the blocked set and each task roots', () => {
    fc.assert(
      fc.property(tasksArb, (tasks) => {
        const ref = new Reference(tasks, makeConfig(), NOW);
        const report = blockedReport(buildGraph(tasks), NOW);
        const refBlocked = ref.nodes
          .filter((t) => ref.isBlocked(t))
          .map((t) => t.data.id)
          .sort();
        expect(report.map((e) => e.task.data.id)).toEqual(refBlocked);
        for (const entry of report) expect(entry.roots).toEqual(ref.roots(entry.task));
      }),
      RUNS,
    );
  });

  it('stays in agreement through a sequence of edits', () => {
    const edit = fc.record({
      at: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      addDep: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
      dropDep: fc.boolean(),
    });
    fc.assert(
      fc.property(tasksArb, fc.array(edit, { maxLength: 6 }), configArb, (start, edits, config) => {
        let tasks = start;
        for (const e of edits) {
          const k = e.at % tasks.length;
          const old = tasks[k]!;
          let deps = e.dropDep ? old.data.depends_on.slice(1) : old.data.depends_on;
          if (e.addDep !== undefined) deps = [...deps, e.addDep];
          const changed = makeTask({ ...old.data, status: e.status, depends_on: deps });
          tasks = tasks.map((t, m) => (m === k ? changed : t));
          const ref = new Reference(tasks, config, NOW);
          const graph = buildGraph(tasks);
          expect(readyQueue(graph, config, NOW).map((r) => r.task.data.id)).toEqual(
            ref.readyOrder(),
          );
          expect(graph.cycles.length).toBe(ref.cycleGroups().length);
        }
      }),
      { numRuns: 150 },
    );
  });
});
