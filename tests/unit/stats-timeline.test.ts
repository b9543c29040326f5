/** The status timeline of one task from its commits (core/stats-timeline.ts): which time wins. */
import { describe, expect, it } from 'vitest';
import { buildTimeline, type TaskHistory, type Touch } from '../../src/core/stats-timeline.js';

const T = (s: string) => Date.parse(s);
const line = (time: string, agent: string, verb: string, target?: string) => ({
  time,
  agent,
  verb,
  ...(target ? { target } : {}),
});
const created: Touch = { time: T('2026-05-01T09:00:00Z'), status: 'todo', log: [] };

function timeline(touches: Touch[], extra: Partial<TaskHistory> = {}) {
  const t = buildTimeline({ id: 'x', touches, ...extra });
  return {
    ...t,
    steps: t.transitions.map(
      (x) => `${new Date(x.time).toISOString().slice(11, 16)} ${x.status} ${x.source}`,
    ),
  };
}

describe('buildTimeline', () => {
  it('takes the time of the log line, not of the commit that carried it', () => {
    const t = timeline([
      created,
      {
        time: T('2026-05-01T18:00:00Z'),
        status: 'done',
        log: [
          line('2026-05-01T10:00:00Z', 'ann', 'start'),
          line('2026-05-01T12:00:00Z', 'ann', 'done'),
        ],
      },
    ]);
    expect(t.steps).toEqual(['09:00 todo field', '10:00 in_progress log', '12:00 done log']);
    expect(t.transitions[2]!.agent).toBe('ann');
  });

  it('takes the commit time of a status changed by hand, with the assignee of then', () => {
    const t = timeline([
      created,
      { time: T('2026-05-01T11:00:00Z'), status: 'in_progress', log: [], assignee: 'bo' },
      { time: T('2026-05-01T13:00:00Z'), status: 'done', log: [], assignee: 'cy' },
    ]);
    expect(t.steps).toEqual(['09:00 todo field', '11:00 in_progress field', '13:00 done field']);
    expect(t.transitions[2]!.assignee).toBe('cy');
    expect(t.transitions[2]!.agent).toBeUndefined();
  });

  it('counts a field change that the last log line of its commit does not explain', () => {
    const t = timeline([
      created,
      {
        time: T('2026-05-01T15:00:00Z'),
        status: 'review',
        log: [line('2026-05-01T14:00:00Z', 'ann', 'done')],
      },
    ]);
    expect(t.steps).toEqual(['09:00 todo field', '14:00 done log', '15:00 review field']);
  });

  it('counts a log line once however many commits show it', () => {
    const story = [
      line('2026-05-01T10:00:00Z', 'ann', 'claim'),
      line('2026-05-01T10:30:00Z', 'ann', 'handoff', 'bo'),
      line('2026-05-01T11:00:00Z', 'bo', 'done'),
    ];
    const t = timeline([
      created,
      { time: T('2026-05-01T11:05:00Z'), status: 'done', log: story },
      // moved to another namespace: the whole file shows again
      { time: T('2026-05-02T08:00:00Z'), status: 'done', log: story },
    ]);
    expect(t.handoffs).toBe(1);
    expect(t.steps).toEqual(['09:00 todo field', '10:00 in_progress log', '11:00 done log']);
  });

  it('marks what a shallow clone shows without its history', () => {
    const t = timeline([
      { time: T('2026-05-03T00:00:00Z'), status: 'blocked', log: [], boundary: true },
    ]);
    expect(t.truncated).toBe(true);
    expect(t.created).toBeUndefined();
    expect(t.steps).toEqual(['00:00 blocked seen']);
    const known = timeline(
      [{ time: T('2026-05-03T00:00:00Z'), status: 'todo', log: [], boundary: true }],
      {
        created: '2026-04-30',
      },
    );
    expect(known.created).toBe(T('2026-04-30T00:00:00Z'));
  });

  it('uses the created field, else the first commit', () => {
    expect(timeline([created], { created: '2026-04-01T08:00:00Z' }).created).toBe(
      T('2026-04-01T08:00:00Z'),
    );
    expect(timeline([created]).created).toBe(created.time);
  });

  it('reads reopen and release as moves back to todo', () => {
    const t = timeline([
      created,
      {
        time: T('2026-05-01T20:00:00Z'),
        status: 'todo',
        log: [
          line('2026-05-01T10:00:00Z', 'ann', 'claim'),
          line('2026-05-01T11:00:00Z', 'ann', 'release'),
          line('2026-05-01T12:00:00Z', 'bo', 'start'),
          line('2026-05-01T13:00:00Z', 'bo', 'done'),
          line('2026-05-01T14:00:00Z', 'cy', 'reopen'),
        ],
      },
    ]);
    expect(t.steps.slice(1)).toEqual([
      '10:00 in_progress log',
      '11:00 todo log',
      '12:00 in_progress log',
      '13:00 done log',
      '14:00 todo log',
    ]);
    expect(t.transitions[5]!.verb).toBe('reopen');
    expect(t.transitions[5]!.from).toBe('done');
  });

  it('reads fail as a move to the todo or failed its commit wrote', () => {
    const failed = (status: string) =>
      timeline([
        created,
        {
          time: T('2026-05-01T12:00:00Z'),
          status,
          log: [
            line('2026-05-01T10:00:00Z', 'ann', 'start'),
            line('2026-05-01T11:00:00Z', 'ann', 'fail'),
          ],
        },
      ]).steps.slice(1);
    expect(failed('todo')).toEqual(['10:00 in_progress log', '11:00 todo log']);
    expect(failed('failed')).toEqual(['10:00 in_progress log', '11:00 failed log']);
  });
});
