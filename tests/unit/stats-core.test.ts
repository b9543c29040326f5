/**
 * The pure metrics of `baton stats` (core/stats.ts) on a small hand-built history whose
 * numbers are worked out by hand below, next to each task.
 */
import { describe, expect, it } from 'vitest';
import { computeStats, quantile } from '../../src/core/stats.js';
import type { History, TaskHistory, Touch } from '../../src/core/stats-timeline.js';
import { isoWeek, weekLabel } from '../../src/core/stats-week.js';

/** Monday 2026-03-02 00:00 UTC (ISO week 2026-W10). */
const T0 = Date.UTC(2026, 2, 2);
const H = 3_600_000;
const at = (h: number) => T0 + h * H;
const iso = (h: number) => new Date(at(h)).toISOString().replace('.000Z', 'Z');
const STATUS: Record<string, string> = {
  start: 'in_progress',
  done: 'done',
  block: 'blocked',
  reopen: 'todo',
  cancel: 'cancelled',
};

/** One commit per step, 15 minutes after its log line; `edit:<status>` is a hand edit. */
function task(
  id: string,
  fields: { created?: number; due?: string; assignee?: string },
  steps: [hours: number, agent: string, verb: string][],
): TaskHistory {
  const touches: Touch[] = [
    { time: at(fields.created ?? 0) + 60_000, status: 'todo', log: [], assignee: fields.assignee },
  ];
  for (const [h, agent, verb] of steps) {
    const time = at(h) + H / 4;
    if (verb.startsWith('edit:')) {
      touches.push({ time, status: verb.slice(5), log: [], assignee: fields.assignee });
      continue;
    }
    const target = verb === 'handoff' ? 'zed' : undefined;
    const touch: Touch = { time, log: [{ time: iso(h), agent, verb, target }] };
    if (STATUS[verb]) touch.status = STATUS[verb];
    touches.push(touch);
  }
  const t: TaskHistory = { id, touches };
  if (fields.created !== undefined) t.created = iso(fields.created);
  if (fields.due !== undefined) t.due = fields.due;
  return t;
}

// A: cycle 2h->12h = 10h, lead 12h, blocked 5h->9h = 4h, 1 hand-off, due that day: on time.
const A = task('a', { created: 0, due: '2026-03-02' }, [
  [2, 'alice', 'start'],
  [5, 'alice', 'block'],
  [6, 'alice', 'handoff'],
  [9, 'alice', 'start'],
  [12, 'alice', 'done'],
]);
// B: done, reopened, done again: cycle 24h->80h = 56h, lead 80h, 2 hand-offs, on time
// (done on 2026-03-05 at 08:00, due that day).
const B = task('b', { created: 0, due: '2026-03-05' }, [
  [24, 'bob', 'start'],
  [30, 'bob', 'handoff'],
  [31, 'bob', 'handoff'],
  [48, 'bob', 'done'],
  [72, 'bob', 'reopen'],
  [73, 'bob', 'start'],
  [80, 'bob', 'done'],
]);
// The file of B moved to another namespace at 90h: its whole log shows again, counted once.
B.touches.push({ time: at(90), status: 'done', log: B.touches.flatMap((t) => t.log) });
// C: hand-edited to done at its commit (30h15m), never in progress: lead 20h15m, late.
const C = task('c', { created: 10, due: '2026-03-02T12:00:00Z', assignee: 'carol' }, [
  [30, '', 'edit:done'],
]);
// D in progress, E cancelled: not done, left out.
const D = task('d', { created: 0 }, [[1, 'dave', 'start']]);
const E = task('e', { created: 0 }, [[3, 'erin', 'cancel']]);
// F: blocked twice for 10h each, cycle 150h->200h = 50h, lead 100h, done in week 11.
const F = task('f', { created: 100 }, [
  [150, 'alice', 'start'],
  [160, 'alice', 'block'],
  [170, 'alice', 'start'],
  [180, 'alice', 'block'],
  [190, 'alice', 'start'],
  [200, 'alice', 'done'],
]);

const history: History = {
  tasks: [A, B, C, D, E, F],
  commits: 30,
  first: at(0),
  last: at(200),
  shallow: false,
};
const NOW = Date.UTC(2026, 2, 20); // a Friday in week 12

describe('computeStats', () => {
  it('matches the numbers worked out by hand', () => {
    const s = computeStats(history, { now: NOW });
    expect(s.tasks).toEqual({ seen: 6, created: 6, done: 4 });
    // cycle [10, 50, 56]: median 50, p90 at rank 1.8 -> 50 + 0.8 * 6
    expect(s.cycleTime).toEqual({ count: 3, medianHours: 50, p90Hours: 54.8 });
    // lead [12, 20.25, 80, 100]: median (20.25 + 80) / 2, p90 at rank 2.7 -> 80 + 0.7 * 20
    expect(s.leadTime).toEqual({ count: 4, medianHours: 50.125, p90Hours: 94 });
    // blocked [4, 20]: median 12, p90 at rank 0.9 -> 4 + 0.9 * 16
    expect(s.blocked).toEqual({ count: 2, medianHours: 12, p90Hours: 18.4, totalHours: 24 });
    expect(s.reopen).toEqual({ reopened: 1, done: 4, rate: 0.25 });
    expect(s.onTime).toEqual({ onTime: 2, withDue: 3, rate: 0.6667 });
    expect(s.handoffs).toEqual({ total: 3, perTask: 0.75, max: 2 });
    expect(s.agents).toEqual([
      { agent: 'alice', done: 2 },
      { agent: 'bob', done: 1 },
      { agent: 'carol', done: 1 },
    ]);
    expect(s.throughput.weeks).toEqual([
      { week: '2026-W10', start: '2026-03-02', done: 3 },
      { week: '2026-W11', start: '2026-03-09', done: 1 },
      { week: '2026-W12', start: '2026-03-16', done: 0 },
    ]);
    expect(s.throughput.perWeek).toBe(1.33);
    expect(s.notes).toEqual(['done tasks that never went to in_progress (no cycle time): 1']);
    expect(s.since).toBeNull();
    expect(s.until).toBe('2026-03-20T00:00:00Z');
  });

  it('--since keeps the tasks done from that time, with their whole history', () => {
    const s = computeStats(history, { since: at(50), now: NOW });
    // B (cycle 56h, lead 80h) and F (cycle 50h, lead 100h)
    expect(s.tasks.done).toBe(2);
    expect(s.cycleTime).toEqual({ count: 2, medianHours: 53, p90Hours: 55.4 });
    expect(s.leadTime).toEqual({ count: 2, medianHours: 90, p90Hours: 98 });
    expect(s.tasks.created).toBe(1); // only F was created after 50h
    expect(s.throughput.weeks.map((w) => w.done)).toEqual([1, 1, 0]);
    expect(s.since).toBe('2026-03-04T02:00:00Z');
    // weeks start at the window, but never before the first commit
    const long = computeStats(history, { since: Date.UTC(2020, 0, 1), now: NOW });
    expect(long.throughput.weeks.map((w) => w.week)).toEqual(['2026-W10', '2026-W11', '2026-W12']);
  });

  it('says what is missing in a shallow clone', () => {
    const seen = (status: string, log: Touch['log'] = []): Touch => ({
      time: at(100),
      status,
      log,
      boundary: true,
    });
    const shallow: History = {
      tasks: [
        // done before the visible history, no done log line: left out
        { id: 'p', touches: [seen('done')] },
        // in review at the start, no created field: no cycle time, no lead time
        { id: 'q', touches: [seen('review'), { time: at(120), status: 'done', log: [] }] },
        // its log tells the whole story
        {
          id: 'r',
          created: iso(90),
          touches: [
            seen('done', [
              { time: iso(95), agent: 'ann', verb: 'start' },
              { time: iso(99), agent: 'ann', verb: 'done' },
            ]),
          ],
        },
      ],
      commits: 5,
      first: at(100),
      last: at(120),
      shallow: true,
    };
    const s = computeStats(shallow, { now: NOW });
    expect(s.tasks.done).toBe(2);
    expect(s.cycleTime).toEqual({ count: 1, medianHours: 4, p90Hours: 4 });
    expect(s.leadTime).toEqual({ count: 1, medianHours: 9, p90Hours: 9 });
    expect(s.history.shallow).toBe(true);
    expect(s.notes).toEqual([
      'shallow clone: the history starts at 2026-03-06 (5 commits); for the 3 tasks already there, what came before is known only from their ## Log lines',
      'tasks done before it without a done log line (left out): 1',
      'done tasks without a `created` field (no lead time): 1',
      'done tasks started before it (no cycle time): 1',
      '`git fetch --unshallow` reads the whole history',
    ]);
  });

  it('has nulls, not zeros, where nothing was measured', () => {
    const s = computeStats({ tasks: [], commits: 0, shallow: false }, { now: NOW });
    expect(s.cycleTime).toEqual({ count: 0, medianHours: null, p90Hours: null });
    expect(s.reopen.rate).toBeNull();
    expect(s.onTime.rate).toBeNull();
    expect(s.handoffs.perTask).toBeNull();
    expect(s.throughput).toEqual({ weeks: [], perWeek: null });
    expect(s.history).toEqual({ commits: 0, first: null, last: null, shallow: false });
    expect(s.notes[0]).toMatch(/no commit changes a task file/);
  });
});

describe('quantile and ISO weeks', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('labels weeks the ISO way, across year ends', () => {
    const label = (d: string) => weekLabel(isoWeek(Date.parse(d)));
    expect(label('2026-11-22T23:59:59Z')).toBe('2026-W47');
    expect(label('2026-11-23T00:00:00Z')).toBe('2026-W48');
    expect(label('2021-01-03T12:00:00Z')).toBe('2020-W53');
    expect(label('2024-12-30T00:00:00Z')).toBe('2025-W01');
    expect(new Date(isoWeek(Date.parse('2026-01-01T10:00:00Z'))).toISOString()).toBe(
      '2025-12-29T00:00:00.000Z',
    );
  });
});
