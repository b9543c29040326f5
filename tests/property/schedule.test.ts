import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import type { SimAgent } from '../../src/core/schedule-scope.js';
import { planSchedule, type Schedule } from '../../src/core/schedule-summary.js';
import type { Task } from '../../src/core/types.js';
import { PRIORITIES, type Status } from '../../src/schema/fields.js';
import { makeConfig, makeTask, refHours } from './reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const config = makeConfig();
const ESTIMATES = ['30m', '45m', '90m', '1h', '1.5h', '4h', '2d'];
const SKILLS = ['db', 'ui', 'ml'];
const NAMES = ['ana', 'bo', 'cy'];
const EPS = 1e-9;

interface Case {
  tasks: Task[];
  agents: SimAgent[];
}

const skillSet = fc.subarray(SKILLS);

/** A random DAG: task k depends only on tasks before it. Ids are shuffled against order. */
function dagArb(opts: { statuses: Status[]; skills: boolean; assignees: string[] }) {
  return fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc
      .tuple(
        fc.shuffledSubarray(
          Array.from({ length: n }, (_, k) => `t${String.fromCharCode(97 + k)}`),
          { minLength: n, maxLength: n },
        ),
        fc.array(
          fc.record({
            deps: fc.array(fc.nat(), { maxLength: 3 }),
            estimate: fc.option(fc.constantFrom(...ESTIMATES), { nil: undefined }),
            status: fc.constantFrom(...opts.statuses),
            priority: fc.constantFrom(...PRIORITIES),
            skills: opts.skills ? skillSet : fc.constant<string[]>([]),
            assignee:
              opts.assignees.length > 0
                ? fc.option(fc.constantFrom(...opts.assignees), { nil: undefined })
                : fc.constant(undefined),
          }),
          { minLength: n, maxLength: n },
        ),
      )
      .map(([ids, specs]) =>
        specs.map((s, k) =>
          makeTask({
            id: ids[k]!,
            depends_on: k === 0 ? [] : [...new Set(s.deps.map((d) => ids[d % k]!))],
            status: s.status,
            priority: s.priority,
            ...(s.estimate ? { estimate: s.estimate } : {}),
            ...(s.skills.length > 0 ? { skills: s.skills } : {}),
            ...(s.assignee ? { assignee: s.assignee } : {}),
          }),
        ),
      ),
  );
}

const agentsArb: fc.Arbitrary<SimAgent[]> = fc
  .array(
    fc.record({
      capacity: fc.integer({ min: 0, max: 3 }),
      skills: fc.option(skillSet, { nil: null }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((list) => list.map((a, k) => ({ name: NAMES[k]!, ...a })));

const mixedArb: fc.Arbitrary<Case> = fc.record({
  tasks: dagArb({
    statuses: ['todo', 'todo', 'todo', 'in_progress', 'review', 'blocked', 'done', 'failed'],
    skills: true,
    assignees: [...NAMES, 'stranger'],
  }),
  agents: agentsArb,
});

const hoursOf = (t: Task) => refHours(t.data.estimate, config);

/** The longest chain of scheduled work, in hours. */
function longestChain(tasks: readonly Task[], scheduled: ReadonlySet<string>): number {
  const byId = new Map(tasks.map((t) => [t.data.id, t]));
  const memo = new Map<string, number>();
  const chain = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const t = byId.get(id)!;
    const before = t.data.depends_on.filter((d) => scheduled.has(d)).map(chain);
    const value = hoursOf(t) + Math.max(0, ...before);
    memo.set(id, value);
    return value;
  };
  return Math.max(0, ...[...scheduled].map(chain));
}

function run(c: Case): Schedule {
  return planSchedule(buildGraph(c.tasks), config, NOW, c.agents);
}

describe('the simulated schedule on random DAGs', () => {
  it('respects dependencies, capacity, skills and assignees', () => {
    fc.assert(
      fc.property(mixedArb, (c) => {
        const s = run(c);
        const byId = new Map(c.tasks.map((t) => [t.data.id, t]));
        const agentOf = new Map(c.agents.map((a) => [a.name, a]));
        const slot = new Map(s.tasks.map((t) => [t.id, t]));
        const open = c.tasks.filter((t) => !['done', 'cancelled'].includes(t.data.status));
        const left = [...slot.keys(), ...s.unschedulable.map((u) => u.id), ...s.failed];
        expect(left.sort()).toEqual(open.map((t) => t.data.id).sort());
        for (const t of s.tasks) {
          const task = byId.get(t.id)!;
          for (const d of task.data.depends_on) {
            const dep = byId.get(d)!;
            if (['done', 'cancelled'].includes(dep.data.status)) continue;
            expect(t.start).toBeGreaterThanOrEqual(slot.get(d)!.end - EPS);
          }
          const agent = agentOf.get(t.agent)!;
          for (const skill of task.data.skills ?? []) {
            if (agent.skills !== null) expect(agent.skills).toContain(skill);
          }
          if (task.data.assignee && agentOf.has(task.data.assignee)) {
            expect(t.agent).toBe(task.data.assignee);
          }
          expect(t.end - t.start).toBeCloseTo(hoursOf(task), 9);
          const overlapping = s.tasks.filter(
            (u) => u.agent === t.agent && u.start <= t.start && t.start < u.end,
          );
          expect(overlapping.length).toBeLessThanOrEqual(agent.capacity);
        }
        for (const u of s.unschedulable) {
          if (u.reason !== 'waits') continue;
          for (const d of u.on ?? []) {
            expect(s.failed.includes(d) || s.unschedulable.some((v) => v.id === d)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never finishes before the critical path or total work over the slots', () => {
    fc.assert(
      fc.property(mixedArb, (c) => {
        const s = run(c);
        const scheduled = new Set(s.tasks.map((t) => t.id));
        const work = s.tasks.reduce((sum, t) => sum + t.hours, 0);
        const slots = c.agents.reduce((sum, a) => sum + a.capacity, 0);
        const bound = Math.max(longestChain(c.tasks, scheduled), slots > 0 ? work / slots : 0);
        expect(s.finish.hours).toBeGreaterThanOrEqual(bound - EPS);
        const hours = s.agents.reduce((sum, a) => sum + a.hours, 0);
        expect(hours).toBeCloseTo(work, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('with one agent of one slot, finishes after exactly the total work', () => {
    const arb = dagArb({
      statuses: ['todo', 'in_progress', 'review', 'blocked', 'done', 'cancelled'],
      skills: true,
      assignees: ['solo', 'stranger'],
    });
    fc.assert(
      fc.property(arb, (tasks) => {
        const s = run({ tasks, agents: [{ name: 'solo', capacity: 1, skills: null }] });
        const open = tasks.filter((t) => !['done', 'cancelled'].includes(t.data.status));
        const work = open.reduce((sum, t) => sum + hoursOf(t), 0);
        expect(s.tasks).toHaveLength(open.length);
        expect(s.finish.hours).toBeCloseTo(work, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('on identical agents stays within Graham’s bound: work / m + (1 - 1/m) * chain', () => {
    const arb = fc.record({
      tasks: dagArb({ statuses: ['todo', 'in_progress', 'done'], skills: false, assignees: [] }),
      m: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(arb, ({ tasks, m }) => {
        const agents = Array.from({ length: m }, (_, k) => ({
          name: `agent-${k + 1}`,
          capacity: 1,
          skills: null,
        }));
        const s = run({ tasks, agents });
        const scheduled = new Set(s.tasks.map((t) => t.id));
        const work = s.tasks.reduce((sum, t) => sum + t.hours, 0);
        const chain = longestChain(tasks, scheduled);
        expect(s.finish.hours).toBeLessThanOrEqual(work / m + (1 - 1 / m) * chain + EPS);
        expect(s.finish.hours).toBeGreaterThanOrEqual(Math.max(chain, work / m) - EPS);
      }),
      { numRuns: 300 },
    );
  });
});
