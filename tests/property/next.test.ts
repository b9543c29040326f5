/**
 * Property: over random teams (profiles or none, skills, capacities), configured and
 * unconfigured resources, and random graphs with every status and lease, `next` returns
 * exactly the task a brute-force reading of the rules picks, and explains every better-ranked
 * ready task it passes over with exactly the rules that task breaks. The ready order comes from
 * the naive reference, not from `readyQueue`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentProfile } from '../../src/core/agents.js';
import { buildGraph } from '../../src/core/graph.js';
import { pickNext } from '../../src/core/next.js';
import { computeReadiness } from '../../src/core/readiness.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import type { Config } from '../../src/schema/config.js';
import { PRIORITIES, STATUSES } from '../../src/schema/fields.js';
import { makeConfig, makeTask, Reference } from './reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const AGENTS = ['ann', 'bob', 'cy'];
const SKILLS = ['db', 'ml', 'ui'];
const RESOURCES = ['gpu', 'api', 'tpu'];
const CREATED = ['2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z', '2026-06-14T00:00:00Z'];
const UNTIL = { live: '2026-06-15T13:00:00Z', expired: '2026-06-15T11:00:00Z' };

const subset = (xs: string[]) => fc.subarray(xs);

const profileArb = (name: string) =>
  fc.option(
    fc
      .record({ skills: subset(SKILLS), capacity: fc.integer({ min: 0, max: 3 }) })
      .map((p): AgentProfile => ({ name, tools: [], path: `.tasks/agents/${name}.md`, ...p })),
    { nil: undefined },
  );

const resourcesArb: fc.Arbitrary<Config['resources']> = fc
  .record({
    gpu: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    api: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  })
  .map((r) => {
    const out: Config['resources'] = {};
    for (const [name, capacity] of Object.entries(r)) {
      if (capacity !== undefined) out[name] = { capacity };
    }
    return out;
  });

/** Any other task's id, or one that names no task. */
const others = (k: number, n: number) => [
  ...Array.from({ length: n }, (_, j) => `t${j}`).filter((_, j) => j !== k),
  'ghost',
];

const taskArb = (k: number, n: number) =>
  fc
    .record({
      deps: fc.subarray(others(k, n), { maxLength: Math.min(2, n) }),
      status: fc.oneof(
        { weight: 4, arbitrary: fc.constant('todo' as const) },
        { weight: 3, arbitrary: fc.constantFrom(...STATUSES) },
      ),
      priority: fc.constantFrom(...PRIORITIES),
      assignee: fc.option(fc.constantFrom(...AGENTS), { nil: undefined }),
      lease: fc.constantFrom('none', 'live', 'expired', 'other-live'),
      skills: subset(SKILLS),
      resources: subset(RESOURCES),
      created: fc.option(fc.constantFrom(...CREATED), { nil: undefined }),
    })
    .map((r): Task => {
      const leaseAgent = r.lease === 'other-live' ? 'bob' : (r.assignee ?? 'cy');
      const until = r.lease === 'expired' ? UNTIL.expired : UNTIL.live;
      return makeTask({
        id: `t${k}`,
        depends_on: r.deps,
        status: r.status,
        priority: r.priority,
        ...(r.assignee ? { assignee: r.assignee } : {}),
        ...(r.lease !== 'none' ? { lease: { agent: leaseAgent, until } } : {}),
        ...(r.skills.length ? { skills: r.skills } : {}),
        ...(r.resources.length ? { resources: r.resources } : {}),
        ...(r.created ? { created: r.created } : {}),
      });
    });

const scenarioArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    tasks: fc.tuple(...Array.from({ length: n }, (_, k) => taskArb(k, n))),
    profiles: fc.tuple(...AGENTS.map(profileArb)),
    resources: resourcesArb,
    agent: fc.constantFrom(...AGENTS, 'dee'),
  }),
);

/** The rules of `next`, read straight from the task list, as kinds of broken rule. */
function bruteForce(
  tasks: Task[],
  profiles: AgentProfile[],
  resources: Config['resources'],
  agent: string,
) {
  const expired = (t: Task) =>
    t.data.lease != null && Date.parse(t.data.lease.until) < NOW.getTime();
  const holding = tasks.filter((t) => t.data.status === 'in_progress' && !expired(t));
  const profile = profiles.find((p) => p.name === agent);
  const capacity = profile ? profile.capacity : 1;
  const skills = profile ? profile.skills : [];
  const load = holding.filter((t) => (t.data.assignee ?? t.data.lease?.agent) === agent).length;
  const broken = (t: Task): string[] => {
    if (t.data.assignee && t.data.assignee !== agent) return ['assigned'];
    const out: string[] = [];
    if ((t.data.skills ?? []).some((s) => !skills.includes(s))) out.push('skills');
    if (load >= capacity) out.push('capacity');
    for (const name of new Set(t.data.resources ?? [])) {
      const cap = Object.hasOwn(resources, name) ? resources[name]!.capacity : undefined;
      const use = holding.filter((h) => (h.data.resources ?? []).includes(name)).length;
      if (cap === undefined) out.push('unknown-resource');
      else if (use >= cap) out.push('resource');
    }
    return out;
  };
  return { broken };
}

describe('next agrees with a brute-force reading of its rules', () => {
  it('same choice, and every better-ranked ready task skipped with its broken rules', () => {
    fc.assert(
      fc.property(scenarioArb, ({ tasks, profiles: maybe, resources, agent }) => {
        const profiles = maybe.filter((p): p is AgentProfile => p !== undefined);
        const config = makeConfig({ resources });
        const order = new Reference(tasks, config, NOW).readyOrder();
        const graph = buildGraph(tasks);
        const states = computeReadiness(graph, NOW);
        const queue = readyQueue(graph, config, NOW, states);
        expect(queue.map((r) => r.task.data.id)).toEqual(order);

        const { broken } = bruteForce(tasks, profiles, resources, agent);
        const byId = new Map(tasks.map((t) => [t.data.id, t]));
        const fits = (id: string) => broken(byId.get(id)!).length === 0;
        const own = order.filter((id) => byId.get(id)!.data.assignee === agent);
        const open = order.filter((id) => !byId.get(id)!.data.assignee);
        const expected = own.find(fits) ?? open.find(fits);

        const result = pickNext({ queue, graph, states, agent, profiles, resources, now: NOW });
        expect(result.choice?.ranked.task.data.id).toBe(expected);

        const before = expected === undefined ? order : order.slice(0, order.indexOf(expected));
        expect(result.skipped.map((s) => s.id)).toEqual(before);
        for (const s of result.skipped) {
          const want = broken(byId.get(s.id)!);
          expect(s.reasons.map((x) => x.kind)).toEqual(want.length > 0 ? want : ['own-first']);
        }
      }),
      { numRuns: 400 },
    );
  });
});
