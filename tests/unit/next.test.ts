/** `next` over the ready queue (core/next.ts): each rule, the order, and the reasons it gives. */
import { describe, expect, it } from 'vitest';
import type { AgentProfile } from '../../src/core/agents.js';
import { buildGraph } from '../../src/core/graph.js';
import { pickNext } from '../../src/core/next.js';
import { computeReadiness } from '../../src/core/readiness.js';
import { readyQueue } from '../../src/core/ready-queue.js';
import type { Task } from '../../src/core/types.js';
import { paint } from '../../src/report/color.js';
import { nextJson, nextText, skippedText } from '../../src/report/next-text.js';
import type { Config } from '../../src/schema/config.js';
import { makeConfig, makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const LIVE = { agent: 'x', until: '2026-06-15T14:00:00Z' };
const EXPIRED = { agent: 'x', until: '2026-06-15T10:00:00Z' };

function profile(name: string, skills: string[] = [], capacity = 1): AgentProfile {
  return { name, tools: [], skills, capacity, path: `.tasks/agents/${name}.md` };
}

function held(id: string, agent: string, extra: Partial<Task['data']> = {}): Task {
  return makeTask({
    id,
    status: 'in_progress',
    assignee: agent,
    lease: { ...LIVE, agent },
    ...extra,
  });
}

function pick(
  tasks: Task[],
  agent: string,
  profiles: AgentProfile[] = [],
  resources: Config['resources'] = {},
) {
  const graph = buildGraph(tasks);
  const states = computeReadiness(graph, NOW);
  const config = makeConfig({ aging: false, resources });
  const queue = readyQueue(graph, config, NOW, states);
  return pickNext({ queue, graph, states, agent, profiles, resources, now: NOW });
}

const chosenId = (r: ReturnType<typeof pick>) => r.choice?.ranked.task.data.id;
const reasons = (r: ReturnType<typeof pick>) =>
  Object.fromEntries(r.skipped.map((s) => [s.id, skippedText(s, r.agent.name)]));

describe('pickNext: order', () => {
  it('takes the first fitting task in ready-queue order', () => {
    const r = pick(
      [
        makeTask({ id: 'low', priority: 'low' }),
        makeTask({ id: 'high', priority: 'high' }),
        makeTask({ id: 'mid', priority: 'medium' }),
      ],
      'ann',
    );
    expect(chosenId(r)).toBe('high');
    expect(r.choice?.ranked.rank).toBe(1);
    expect(r.skipped).toEqual([]);
  });

  it("takes the agent's own task before a better-ranked unassigned one", () => {
    const r = pick(
      [
        makeTask({ id: 'open', priority: 'critical' }),
        makeTask({ id: 'mine', priority: 'low', assignee: 'ann' }),
      ],
      'ann',
    );
    expect(chosenId(r)).toBe('mine');
    expect(r.choice?.assigned).toBe(true);
    expect(reasons(r)).toEqual({ open: "unassigned; ann's own task mine comes first" });
  });

  it('never returns a task assigned to someone else, even with an expired lease', () => {
    const r = pick(
      [
        makeTask({ id: 'bobs', priority: 'critical', assignee: 'bob' }),
        makeTask({
          id: 'stale',
          priority: 'high',
          status: 'in_progress',
          assignee: 'bob',
          lease: { ...EXPIRED, agent: 'bob' },
        }),
      ],
      'ann',
    );
    expect(r.choice).toBeUndefined();
    expect(reasons(r)).toEqual({
      bobs: 'assigned to bob',
      stale: 'assigned to bob (lease expired; `baton claim` can take it over)',
    });
  });

  it('only looks at ready tasks', () => {
    const r = pick(
      [
        makeTask({ id: 'dep' }),
        makeTask({ id: 'waits', priority: 'critical', depends_on: ['dep'] }),
        makeTask({ id: 'later', priority: 'critical', not_before: '2026-07-01' }),
      ],
      'ann',
    );
    expect(chosenId(r)).toBe('dep');
    expect(r.ready).toBe(1);
  });
});

describe('pickNext: skills', () => {
  it('skips a task needing a skill the agent lacks, naming the missing ones', () => {
    const r = pick(
      [
        makeTask({ id: 'rust', priority: 'high', skills: ['db', 'rust', 'go'] }),
        makeTask({ id: 'sql', skills: ['db'] }),
      ],
      'ann',
      [profile('ann', ['db', 'sql'])],
    );
    expect(chosenId(r)).toBe('sql');
    expect(r.choice?.skills).toEqual(['db']);
    expect(reasons(r)).toEqual({ rust: 'missing skills rust, go' });
  });

  it('an agent without a profile has no skills and capacity 1', () => {
    const r = pick(
      [makeTask({ id: 'needs', priority: 'high', skills: ['db'] }), makeTask({ id: 'any' })],
      'zed',
      [profile('ann', ['db'], 5)],
    );
    expect(r.agent.profile).toBeUndefined();
    expect(r.agent.capacity).toBe(1);
    expect(chosenId(r)).toBe('any');
    expect(reasons(r)).toEqual({ needs: 'missing skill db' });
  });
});

describe('pickNext: agent capacity', () => {
  it('at capacity: nothing, with the load named in every reason', () => {
    const r = pick([held('w1', 'ann'), held('w2', 'ann'), makeTask({ id: 'free' })], 'ann', [
      profile('ann', [], 2),
    ]);
    expect(r.atCapacity).toBe(true);
    expect(r.agent.load).toEqual(['w1', 'w2']);
    expect(r.choice).toBeUndefined();
    expect(reasons(r)).toEqual({ free: 'ann at capacity 2/2' });
  });

  it('below capacity: picks', () => {
    const r = pick([held('w1', 'ann'), makeTask({ id: 'free' })], 'ann', [profile('ann', [], 2)]);
    expect(chosenId(r)).toBe('free');
  });

  it('capacity 0 takes nothing', () => {
    const r = pick([makeTask({ id: 'free' })], 'ann', [profile('ann', [], 0)]);
    expect(r.atCapacity).toBe(true);
    expect(r.choice).toBeUndefined();
  });

  it('an expired lease, a review and a task of the lease agent count as described', () => {
    const tasks = [
      // expired: not load, and back in the queue as ann's own task
      held('gone', 'ann', { lease: { ...EXPIRED, agent: 'ann' } }),
      makeTask({ id: 'rev', status: 'review', assignee: 'ann' }),
      makeTask({ id: 'free', priority: 'critical' }),
    ];
    const r = pick(tasks, 'ann');
    expect(r.agent.load).toEqual([]);
    expect(chosenId(r)).toBe('gone');
    // a lease without an assignee counts for the lease's agent
    const leased = makeTask({ id: 'l', status: 'in_progress', lease: { ...LIVE, agent: 'bob' } });
    expect(pick([leased, makeTask({ id: 'f' })], 'bob').atCapacity).toBe(true);
  });
});

describe('pickNext: resources', () => {
  const gpu = { gpu: { capacity: 1 } };

  it('skips a task whose resource is full, counting live in-progress holders only', () => {
    const tasks = [
      held('train', 'bob', { resources: ['gpu'] }),
      makeTask({ id: 'eval', priority: 'high', resources: ['gpu'] }),
      makeTask({ id: 'docs' }),
    ];
    const r = pick(tasks, 'ann', [], gpu);
    expect(chosenId(r)).toBe('docs');
    expect(reasons(r)).toEqual({ eval: 'resource gpu full 1/1' });

    tasks[0] = held('train', 'bob', { resources: ['gpu'], lease: { ...EXPIRED, agent: 'bob' } });
    const freed = pick(tasks, 'ann', [], gpu);
    expect(chosenId(freed)).toBe('eval');
    expect(freed.choice?.resources).toEqual([{ name: 'gpu', use: 0, capacity: 1 }]);
  });

  it('a resource missing from the config is not handed out', () => {
    const r = pick(
      [makeTask({ id: 'tpu', priority: 'high', resources: ['tpu'] }), makeTask({ id: 'x' })],
      'ann',
      [],
      gpu,
    );
    expect(chosenId(r)).toBe('x');
    expect(reasons(r).tpu).toBe(
      'resource tpu is not configured (no resources.tpu in .tasks/config.yaml)',
    );
  });

  it('names of object properties are no resource unless configured', () => {
    const r = pick([makeTask({ id: 'p', resources: ['constructor'] })], 'ann', [], gpu);
    expect(r.choice).toBeUndefined();
  });

  it('a resource with capacity 0 is always full; every broken rule is listed', () => {
    const r = pick(
      [held('w', 'ann'), makeTask({ id: 'x', skills: ['ml'], resources: ['gpu', 'gpu'] })],
      'ann',
      [],
      { gpu: { capacity: 0 } },
    );
    expect(reasons(r)).toEqual({
      x: 'missing skill ml; ann at capacity 1/1; resource gpu full 0/0',
    });
  });
});

describe('next reports', () => {
  it('flags an overdue choice: a bare date is late after the end of its day', () => {
    const late = pick([makeTask({ id: 'a', due: '2026-06-14' })], 'ann');
    expect(late.choice?.overdue).toBe(true);
    const today = pick([makeTask({ id: 'a', due: '2026-06-15' })], 'ann');
    expect(today.choice?.overdue).toBe(false);
  });

  it('text: the choice and why; --explain lists the skipped tasks with their ranks', () => {
    const r = pick(
      [makeTask({ id: 'bobs', priority: 'high', assignee: 'bob' }), makeTask({ id: 'a' })],
      'ann',
    );
    const plain = nextText(r, { explain: false }, paint(false));
    expect(plain).toEqual([
      'a  Task a',
      '  rank 2 of 2 ready · medium',
      '  why: unassigned; load 0/1 (no profile)',
      '  1 better-ranked ready task skipped (--explain says why)',
    ]);
    const explained = nextText(r, { explain: true, claim: 'claimed a' }, paint(false));
    expect(explained.slice(3)).toEqual([
      'skipped (ranked better):',
      '  #1 bobs  assigned to bob',
      'claimed a',
    ]);
  });

  it('JSON: the task with rank and why; nothing is an object with a null id', () => {
    const r = pick([makeTask({ id: 'a' })], 'ann');
    const json = nextJson(r, { explain: true });
    expect(json).toMatchObject({ id: 'a', rank: 1, agent: 'ann', overdue: false, skipped: [] });
    const none = nextJson(pick([held('w', 'ann'), makeTask({ id: 'b' })], 'ann'), {
      explain: true,
    });
    expect(none).toEqual({
      id: null,
      agent: 'ann',
      reason: 'wait',
      message: 'nothing for ann: at capacity 1/1 (in progress: w)',
      load: ['w'],
      capacity: 1,
      open: 2,
      waiting: [
        { id: 'b', why: 'not-fitting' },
        { id: 'w', why: 'in-progress' },
      ],
      skipped: [{ id: 'b', rank: 1, reason: 'ann at capacity 1/1' }],
    });
  });
});

describe('what is still open when nothing fits', () => {
  it('names what each open task waits on, and who holds it', () => {
    const r = pick(
      [
        held('api', 'bob'),
        makeTask({ id: 'ui', depends_on: ['api', 'gone'] }),
        makeTask({ id: 'later', not_before: '2026-06-16T00:00:00Z' }),
        makeTask({ id: 'stuck', status: 'blocked' }),
        makeTask({ id: 'bobs', assignee: 'bob', depends_on: ['api'] }),
        makeTask({ id: 'rusty', skills: ['rust'], depends_on: ['api'] }),
        makeTask({ id: 'old', status: 'done' }),
      ],
      'ann',
    );
    expect(r.choice).toBeUndefined();
    expect(r.open).toEqual({
      count: 3,
      tasks: [
        { id: 'later', why: 'scheduled', not_before: '2026-06-16T00:00:00Z' },
        { id: 'stuck', why: 'blocked' },
        {
          id: 'ui',
          why: 'dependencies',
          on: [{ id: 'api', status: 'in_progress', held_by: 'bob' }],
          missing: ['gone'],
        },
      ],
    });
    const text = nextText(r, { explain: false }, paint(false));
    expect(text).toContain('  ui     waits on api (in_progress, held by bob), missing gone');
    expect(nextJson(r, { explain: false })).toMatchObject({ reason: 'wait', open: 3 });
  });

  it("says no open work is left when only others' and closed tasks remain", () => {
    const r = pick(
      [
        held('api', 'bob'),
        makeTask({ id: 'bobs', assignee: 'bob' }),
        makeTask({ id: 'x', status: 'done' }),
      ],
      'ann',
    );
    expect(r.open).toEqual({ count: 0, tasks: [] });
    expect(nextText(r, { explain: false }, paint(false))[0]).toMatch(
      /^nothing for ann: no open work is left for ann/,
    );
    expect(nextJson(r, { explain: false })).toMatchObject({
      id: null,
      reason: 'no-open-work',
      open: 0,
    });
  });
});
