/**
 * Property: for random task lives (logged steps, hand edits, several steps in one commit,
 * hand-offs, reopens), `computeStats` over the commits agrees with a brute-force reference
 * that reads the intended transitions directly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats.js';
import type { History, TaskHistory, Touch } from '../../src/core/stats-timeline.js';

const T0 = Date.UTC(2026, 0, 5);
const H = 3_600_000;
const COMMIT_DELAY = 10 * 60_000;
const AGENTS = ['ann', 'bo', 'cy'];
const NEXT: Record<string, [verb: string, status: string | undefined][]> = {
  todo: [
    ['start', 'in_progress'],
    ['claim', 'in_progress'],
    ['cancel', 'cancelled'],
    ['done', 'done'],
  ],
  in_progress: [
    ['block', 'blocked'],
    ['review', 'review'],
    ['done', 'done'],
    ['handoff', undefined],
    ['release', 'todo'],
  ],
  blocked: [['start', 'in_progress']],
  review: [
    ['done', 'done'],
    ['start', 'in_progress'],
  ],
  done: [['reopen', 'todo']],
  cancelled: [['reopen', 'todo']],
};

interface Life {
  start: number;
  hasCreated: boolean;
  due: number | undefined;
  assignee: string | undefined;
  /** The file moves to another namespace at the end: its whole log shows again. */
  moved: boolean;
  steps: { gap: number; pick: number; agent: number; hand: boolean; join: boolean }[];
}

const lifeArb: fc.Arbitrary<Life> = fc.record({
  start: fc.integer({ min: 0, max: 400 }),
  hasCreated: fc.boolean(),
  due: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  assignee: fc.option(fc.constantFrom(...AGENTS), { nil: undefined }),
  moved: fc.boolean(),
  steps: fc.array(
    fc.record({
      gap: fc.constantFrom(0, 0, 1, 2, 3, 8, 24),
      pick: fc.nat(),
      agent: fc.nat(2),
      hand: fc.boolean(),
      join: fc.boolean(),
    }),
    { maxLength: 12 },
  ),
});

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The task's commits, and the transitions (time, status, agent) they are meant to say. */
function build(id: string, life: Life) {
  const first = T0 + life.start * H;
  const touches: Touch[] = [{ time: first, status: 'todo', log: [], assignee: life.assignee }];
  const moves: { time: number; status: string; agent: string }[] = [];
  let status = 'todo';
  let t = first;
  let handoffs = 0;
  let lastHand = true;
  for (const s of life.steps) {
    const options = NEXT[status]!;
    const [verb, to] = options[s.pick % options.length]!;
    // gap 0: five minutes, so the log line is older than the commit before it
    t += s.gap === 0 && !lastHand ? 5 * 60_000 : Math.max(1, s.gap) * H;
    const agent = AGENTS[s.agent]!;
    const hand = s.hand && to !== undefined && verb !== 'reopen' && s.pick % 5 === 0;
    lastHand = hand;
    if (hand) {
      touches.push({ time: t + COMMIT_DELAY, status: to, log: [], assignee: life.assignee });
      moves.push({ time: t + COMMIT_DELAY, status: to, agent: life.assignee ?? '(unassigned)' });
    } else {
      const entry = { time: iso(t), agent, verb, ...(verb === 'handoff' ? { target: 'zed' } : {}) };
      const last = touches[touches.length - 1]!;
      // several steps in one commit: the commit moves to after the last one
      if (s.join && last.log.length > 0) {
        last.log.push(entry);
        last.time = t + COMMIT_DELAY;
        if (to !== undefined) last.status = to;
      } else {
        touches.push({ time: t + COMMIT_DELAY, log: [entry], ...(to ? { status: to } : {}) });
      }
      if (to !== undefined) moves.push({ time: t, status: to, agent });
      if (verb === 'handoff') handoffs++;
    }
    if (to !== undefined) status = to;
  }
  if (life.moved) {
    const log = touches.flatMap((x) => x.log);
    touches.push({ time: t + 2 * H, status, log, assignee: life.assignee });
  }
  const task: TaskHistory = { id, touches };
  const created = life.hasCreated ? first - 2 * H : first;
  if (life.hasCreated) task.created = iso(created);
  const due = life.due === undefined ? undefined : iso(first + life.due * 24 * H).slice(0, 10);
  if (due !== undefined) task.due = due;
  return { task, moves, created, due, handoffs };
}

function quantile(xs: number[], p: number): number | null {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const rank = (s.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 3600) / 1000);

function reference(lives: ReturnType<typeof build>[], since: number) {
  const done = lives.filter((l) => {
    const last = l.moves[l.moves.length - 1];
    return last?.status === 'done' && last.time >= since;
  });
  const doneAt = (l: (typeof done)[number]) => l.moves[l.moves.length - 1]!.time;
  const cycles: number[] = [];
  const blocked: number[] = [];
  for (const l of done) {
    const start = l.moves.find((m) => m.status === 'in_progress');
    if (start) cycles.push(doneAt(l) - start.time);
    let b = 0;
    l.moves.forEach((m, i) => {
      if (m.status === 'blocked') b += l.moves[i + 1]!.time - m.time;
    });
    if (b > 0) blocked.push(b);
  }
  const closed = ['done', 'cancelled'];
  const reopened = done.filter((l) =>
    l.moves.some((m, i) => i > 0 && m.status === 'todo' && closed.includes(l.moves[i - 1]!.status)),
  ).length;
  const withDue = done.filter((l) => l.due !== undefined);
  const onTime = withDue.filter((l) => doneAt(l) < Date.parse(`${l.due}T00:00:00Z`) + 24 * H);
  const agents = new Map<string, number>();
  for (const l of done) {
    const a = l.moves[l.moves.length - 1]!.agent;
    agents.set(a, (agents.get(a) ?? 0) + 1);
  }
  return {
    done: done.length,
    cycle: [cycles.length, hours(quantile(cycles, 0.5)), hours(quantile(cycles, 0.9))],
    lead: done.map((l) => doneAt(l) - l.created),
    blocked: [blocked.length, hours(quantile(blocked, 0.5)), hours(quantile(blocked, 0.9))],
    reopened,
    onTime: [onTime.length, withDue.length],
    handoffs: done.reduce((s, l) => s + l.handoffs, 0),
    agents: Object.fromEntries(agents),
  };
}

describe('computeStats against a brute-force reference', () => {
  it('agrees on every metric for random task lives', () => {
    fc.assert(
      fc.property(
        fc.array(lifeArb, { maxLength: 12 }),
        fc.integer({ min: -1, max: 600 }),
        (ls, s) => {
          const lives = ls.map((l, i) => build(`t${i}`, l));
          const since = s < 0 ? undefined : T0 + s * H;
          const history: History = { tasks: lives.map((l) => l.task), commits: 1, shallow: false };
          const got = computeStats(history, { since, now: T0 + 2000 * H });
          const want = reference(lives, since ?? Number.NEGATIVE_INFINITY);
          expect(got.tasks.done).toBe(want.done);
          expect([got.cycleTime.count, got.cycleTime.medianHours, got.cycleTime.p90Hours]).toEqual(
            want.cycle,
          );
          expect(got.leadTime.count).toBe(want.lead.length);
          expect(got.leadTime.medianHours).toBe(hours(quantile(want.lead, 0.5)));
          expect([got.blocked.count, got.blocked.medianHours, got.blocked.p90Hours]).toEqual(
            want.blocked,
          );
          expect(got.reopen.reopened).toBe(want.reopened);
          expect([got.onTime.onTime, got.onTime.withDue]).toEqual(want.onTime);
          expect(got.handoffs.total).toBe(want.handoffs);
          expect(Object.fromEntries(got.agents.map((a) => [a.agent, a.done]))).toEqual(want.agents);
          expect(got.throughput.weeks.reduce((n, w) => n + w.done, 0)).toBe(want.done);
        },
      ),
      { numRuns: 300 },
    );
  });
});
