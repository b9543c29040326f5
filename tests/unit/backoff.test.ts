/** Retries: the backoff in core/backoff.ts, the fail decision and log grammar in core/retry.ts. */
import { describe, expect, it } from 'vitest';
import { parseWallDuration, retryDelayMs } from '../../src/core/backoff.js';
import { parseEntry } from '../../src/core/log-entry.js';
import { decideFail, failMessage, failures } from '../../src/core/retry.js';
import type { TaskData } from '../../src/schema/task.js';
import { makeConfig } from '../property/reference.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = new Date('2026-11-22T10:00:00Z');
const config = makeConfig();
const data = (extra: Partial<TaskData> = {}): TaskData =>
  ({ id: 't', title: 'T', status: 'in_progress', ...extra }) as TaskData;

describe('retryDelayMs', () => {
  it('doubles from the base and stops at the cap (defaults 10m and 1d)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => retryDelayMs(n, config.retry));
    expect(delays.slice(0, 4)).toEqual([10 * MIN, 20 * MIN, 40 * MIN, 80 * MIN]);
    expect(delays.at(-1)).toBe(24 * HOUR);
    for (let k = 1; k < delays.length; k++)
      expect(delays[k]).toBeGreaterThanOrEqual(delays[k - 1]!);
  });
  it('reads d and w as wall-clock days and weeks, not working days', () => {
    expect(parseWallDuration('1d')).toBe(24 * HOUR);
    expect(parseWallDuration('1w')).toBe(7 * 24 * HOUR);
    expect(parseWallDuration('1.5h')).toBe(1.5 * HOUR);
    expect(parseWallDuration('soon')).toBeUndefined();
    expect(retryDelayMs(3, { base: '1h', cap: '2h' })).toBe(2 * HOUR);
  });
  it('never overflows for a huge attempt number', () => {
    expect(retryDelayMs(5000, config.retry)).toBe(24 * HOUR);
  });
});

describe('decideFail', () => {
  it('under the limit: back to todo, lease and claimed assignee removed, not_before set', () => {
    const lease = { agent: 'alice', until: '2026-11-22T12:00:00Z' };
    const d = decideFail(data({ assignee: 'alice', lease }), config, NOW, 'API 503');
    expect(d).toMatchObject({ ok: true, attempt: 1, max: 3, final: false });
    if (!d.ok) return;
    expect(d.notBefore).toBe('2026-11-22T10:10:00Z');
    expect(d.fields).toEqual({
      status: 'todo',
      attempts: 1,
      lease: undefined,
      assignee: undefined,
      not_before: '2026-11-22T10:10:00Z',
    });
    expect(d.message).toBe('API 503 (attempt 1 of 3; retry after 2026-11-22T10:10:00Z)');
  });
  it('keeps a hand-set assignee', () => {
    const d = decideFail(data({ assignee: 'bob' }), config, NOW, 'x');
    expect(d.ok && 'assignee' in d.fields).toBe(false);
    const other = { agent: 'carol', until: '2026-11-22T12:00:00Z' };
    const e = decideFail(data({ assignee: 'bob', lease: other }), config, NOW, 'x');
    expect(e.ok && 'assignee' in e.fields).toBe(false);
  });
  it('at the limit (the task’s own, else the config’s): failed, not_before removed', () => {
    const d = decideFail(
      data({ attempts: 2, not_before: '2026-11-22T09:00:00Z' }),
      config,
      NOW,
      'x',
    );
    expect(d).toMatchObject({ ok: true, attempt: 3, final: true });
    expect(d.ok && d.fields).toMatchObject({
      status: 'failed',
      attempts: 3,
      not_before: undefined,
    });
    expect(d.ok && d.message).toBe('x (attempt 3 of 3; final failure)');
    const own = decideFail(data({ max_attempts: 1 }), config, NOW, 'x');
    expect(own).toMatchObject({ ok: true, attempt: 1, max: 1, final: true });
    const more = decideFail(data({ attempts: 2, max_attempts: 5 }), config, NOW, 'x');
    expect(more).toMatchObject({ ok: true, attempt: 3, max: 5, final: false });
    expect(more.ok && more.notBefore).toBe('2026-11-22T10:40:00Z');
  });
  it('refuses done, cancelled and failed tasks', () => {
    for (const status of ['done', 'cancelled', 'failed'] as const) {
      const d = decideFail(data({ status }), config, NOW, 'x');
      expect(d.ok).toBe(false);
      expect(!d.ok && d.reason).toMatch(/^t (is|has)/);
    }
  });
});

describe('failures', () => {
  it('reads every fail line back, with or without the attempt note', () => {
    const lines = [
      `2026-11-22T10:00:00Z alice fail: ${failMessage('API (v2) 503', 1, 3, '2026-11-22T10:10:00Z')}`,
      '2026-11-22T10:05:00Z bob share: trying again',
      `2026-11-22T11:00:00Z bob fail: ${failMessage('timeout', 2, 2)}`,
      '2026-11-22T12:00:00Z carol fail: written by hand',
    ];
    expect(failures(lines.map(parseEntry))).toEqual([
      {
        time: '2026-11-22T10:00:00Z',
        agent: 'alice',
        reason: 'API (v2) 503',
        attempt: 1,
        of: 3,
        retry_after: '2026-11-22T10:10:00Z',
      },
      {
        time: '2026-11-22T11:00:00Z',
        agent: 'bob',
        reason: 'timeout',
        attempt: 2,
        of: 2,
        final: true,
      },
      { time: '2026-11-22T12:00:00Z', agent: 'carol', reason: 'written by hand' },
    ]);
  });
});
