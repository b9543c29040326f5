/**
 * Properties of `baton run --dry-run` (run/dry-run.ts) over random plans: random DAGs (each
 * task depends only on earlier ones), random priorities and statuses, some tasks using a
 * capacity-1 or capacity-2 resource. The plan is checked against brute-force references:
 * what can become ready at all (a fixpoint over "every dependency done"), and what the
 * first wave takes (the ready queue, in order, skipping what a resource no longer allows).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { computeReadiness } from '../../src/core/readiness.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import { dryRun, type PlannedStart } from '../../src/run/dry-run.js';
import type { View } from '../../src/run/view.js';
import type { Config } from '../../src/schema/config.js';
import { SATISFIED } from '../../src/schema/fields.js';
import { makeConfig, makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const AGENT = 'runner';
const CAPACITY: Record<string, number> = { gpu: 1, api: 2 };
const CONFIG: Config = makeConfig({
  resources: Object.fromEntries(Object.entries(CAPACITY).map(([k, v]) => [k, { capacity: v }])),
});

const STATUS = fc.oneof(
  { weight: 8, arbitrary: fc.constant('todo' as const) },
  { weight: 3, arbitrary: fc.constant('done' as const) },
  { weight: 1, arbitrary: fc.constant('cancelled' as const) },
  { weight: 1, arbitrary: fc.constantFrom('failed' as const, 'blocked' as const) },
  { weight: 1, arbitrary: fc.constant('review' as const) },
);

const specArb = fc.record({
  status: STATUS,
  priority: fc.constantFrom('critical' as const, 'high' as const, 'medium' as const, 'low'),
  /** Indices into the earlier tasks (taken modulo their count). */
  deps: fc.array(fc.nat(), { maxLength: 3 }),
  resources: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(['gpu']) },
    { weight: 1, arbitrary: fc.constant(['api']) },
    { weight: 1, arbitrary: fc.constant(['gpu', 'api']) },
  ),
  skills: fc.option(fc.constantFrom(['rust'], ['go', 'sql']), { nil: undefined, freq: 4 }),
});

/** A random DAG: task k depends only on tasks 0..k-1. */
const tasksArb: fc.Arbitrary<Task[]> = fc
  .array(specArb, { minLength: 1, maxLength: 14 })
  .map((specs) =>
    specs.map((s, k) =>
      makeTask({
        id: `t${k}`,
        status: s.status,
        priority: s.priority,
        depends_on: k === 0 ? [] : s.deps.map((d) => `t${d % k}`),
        ...(s.resources ? { resources: [...s.resources] } : {}),
        ...(s.skills ? { skills: [...s.skills] } : {}),
      }),
    ),
  );

const optionsArb = fc.record({
  jobs: fc.integer({ min: 1, max: 4 }),
  maxTasks: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined, freq: 3 }),
});

/** A View as TipReader builds one, over tasks given directly. */
function viewOf(tasks: Task[], config: Config = CONFIG): View {
  const graph = buildGraph(tasks);
  const states = computeReadiness(graph, NOW);
  return {
    tip: '0'.repeat(40),
    snapshot: { tasks, fileProblems: [], config, now: NOW },
    graph,
    states,
    text: () => undefined,
  };
}

const plan = (tasks: Task[], jobs: number, maxTasks?: number): PlannedStart[] =>
  dryRun(viewOf(tasks), {
    jobs,
    profiles: [],
    agent: AGENT,
    ...(maxTasks !== undefined ? { maxTasks } : {}),
  });

/**
 * Reference: the todo tasks that can ever run, by repeatedly taking any todo task whose
 * dependencies are all done (done or cancelled at the start, or taken before), in no order.
 */
function canRun(tasks: Task[]): Set<string> {
  const done = new Set(tasks.filter((t) => SATISFIED.has(t.data.status)).map((t) => t.data.id));
  const taken = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of tasks) {
      const id = t.data.id;
      if (t.data.status !== 'todo' || taken.has(id)) continue;
      if (t.data.depends_on.every((d) => done.has(d))) {
        taken.add(id);
        done.add(id);
        changed = true;
      }
    }
  }
  return taken;
}

const byId = (tasks: Task[]) => new Map(tasks.map((t) => [t.data.id, t]));
const RUNS = { numRuns: 300 };

describe('dryRun over random DAGs', () => {
  it('starts a task only after its dependencies are done at the start or planned in an earlier wave', () => {
    fc.assert(
      fc.property(tasksArb, optionsArb, (tasks, o) => {
        const starts = plan(tasks, o.jobs, o.maxTasks);
        const tasksById = byId(tasks);
        const waveOf = new Map(starts.map((s) => [s.id, s.wave]));
        for (const s of starts) {
          for (const dep of tasksById.get(s.id)!.data.depends_on) {
            const before = SATISFIED.has(tasksById.get(dep)!.data.status);
            const earlier = (waveOf.get(dep) ?? Number.POSITIVE_INFINITY) < s.wave;
            expect(before || earlier, `${s.id} (wave ${s.wave}) before ${dep}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('never puts more than `jobs` tasks in a wave, nor more users of a resource than its capacity', () => {
    fc.assert(
      fc.property(tasksArb, optionsArb, (tasks, o) => {
        const starts = plan(tasks, o.jobs, o.maxTasks);
        const tasksById = byId(tasks);
        const waves = new Map<number, PlannedStart[]>();
        for (const s of starts) waves.set(s.wave, [...(waves.get(s.wave) ?? []), s]);
        for (const [wave, list] of waves) {
          expect(list.length, `wave ${wave}`).toBeLessThanOrEqual(o.jobs);
          for (const [name, capacity] of Object.entries(CAPACITY)) {
            const users = list.filter((s) => tasksById.get(s.id)!.data.resources?.includes(name));
            expect(users.length, `${name} in wave ${wave}`).toBeLessThanOrEqual(capacity);
          }
        }
      }),
      RUNS,
    );
  });

  it('plans every task that can become ready exactly once, and nothing else', () => {
    fc.assert(
      fc.property(tasksArb, fc.integer({ min: 1, max: 4 }), (tasks, jobs) => {
        const starts = plan(tasks, jobs);
        const ids = starts.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(canRun(tasks));
        const tasksById = byId(tasks);
        for (const id of ids) {
          const status = tasksById.get(id)!.data.status;
          expect(['done', 'cancelled', 'failed', 'blocked', 'review']).not.toContain(status);
        }
      }),
      RUNS,
    );
  });

  it('numbers the starts 1..n in waves 1, 2, ... with no empty wave, each started by the agent', () => {
    fc.assert(
      fc.property(tasksArb, optionsArb, (tasks, o) => {
        const starts = plan(tasks, o.jobs, o.maxTasks);
        expect(starts.map((s) => s.order)).toEqual(starts.map((_, k) => k + 1));
        starts.forEach((s, k) => {
          const prev = k === 0 ? 1 : starts[k - 1]!.wave;
          expect(s.wave === prev || s.wave === prev + 1, `wave of start ${k + 1}`).toBe(true);
          expect(s.agent).toBe(AGENT);
        });
        if (starts.length > 0) expect(starts[0]!.wave).toBe(1);
      }),
      RUNS,
    );
  });

  it('--max-tasks K: the first K starts of the unlimited plan', () => {
    fc.assert(
      fc.property(tasksArb, optionsArb, (tasks, o) => {
        const all = plan(tasks, o.jobs);
        const limited = plan(tasks, o.jobs, o.maxTasks ?? 1);
        expect(limited).toEqual(all.slice(0, o.maxTasks ?? 1));
      }),
      RUNS,
    );
  });

  it('the first wave is the ready queue taken in order, skipping tasks whose resource is full', () => {
    fc.assert(
      fc.property(tasksArb, optionsArb, (tasks, o) => {
        const starts = plan(tasks, o.jobs, o.maxTasks);
        const view = viewOf(tasks);
        const queue = readyQueue(view.graph, CONFIG, NOW, view.states);
        const limit = Math.min(o.jobs, o.maxTasks ?? Number.POSITIVE_INFINITY);
        const used = new Map<string, number>();
        const expected: string[] = [];
        for (const r of queue) {
          if (expected.length >= limit) break;
          const res = [...new Set(r.task.data.resources ?? [])];
          if (res.some((n) => (used.get(n) ?? 0) >= CAPACITY[n]!)) continue;
          for (const n of res) used.set(n, (used.get(n) ?? 0) + 1);
          expected.push(r.task.data.id);
        }
        expect(starts.filter((s) => s.wave === 1).map((s) => s.id)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("the command is --cmd when given, else the task's run: key, else none", () => {
    const tasks = [
      makeTask({ id: 'a', priority: 'high', run: 'make a' } as Parameters<typeof makeTask>[0]),
      makeTask({ id: 'b', priority: 'low' }),
    ];
    const base = { jobs: 2, profiles: [], agent: AGENT };
    expect(dryRun(viewOf(tasks), base).map((s) => [s.id, s.command])).toEqual([
      ['a', 'make a'],
      ['b', undefined],
    ]);
    expect(dryRun(viewOf(tasks), { ...base, cmd: 'agent' }).map((s) => [s.id, s.command])).toEqual([
      ['a', 'agent'],
      ['b', 'agent'],
    ]);
  });
});
