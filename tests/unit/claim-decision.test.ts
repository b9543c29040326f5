/** Who may claim and release: the pure rules in core/claim-decision.ts. */
import { describe, expect, it } from 'vitest';
import { decideClaim, decideRelease, parseLeaseDuration } from '../../src/core/claim-decision.js';
import type { Readiness } from '../../src/core/readiness.js';
import type { TaskData } from '../../src/schema/task.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const READY: Readiness = { state: 'ready' };
const data = (extra: Partial<TaskData> = {}): TaskData =>
  ({ id: 't', title: 'T', status: 'todo', ...extra }) as TaskData;
const live = { agent: 'bob', until: '2026-11-22T12:00:00Z' };
const expired = { agent: 'bob', until: '2026-11-22T09:00:00Z' };

describe('decideClaim', () => {
  it('a ready todo task is claimable', () => {
    expect(decideClaim(data(), 'alice', NOW, READY)).toEqual({ ok: true, kind: 'claim' });
  });
  it("another agent's live lease is refused, naming the holder", () => {
    const d = decideClaim(data({ status: 'in_progress', lease: live }), 'alice', NOW, READY);
    expect(d).toMatchObject({ ok: false, holder: 'bob' });
    expect(!d.ok && d.reason).toBe('t is claimed by bob (lease until 2026-11-22T12:00:00Z)');
  });
  it('your own lease is extended; an expired one of another is taken over', () => {
    expect(decideClaim(data({ status: 'in_progress', lease: live }), 'bob', NOW)).toMatchObject({
      ok: true,
      kind: 'extend',
    });
    expect(decideClaim(data({ status: 'in_progress', lease: expired }), 'al', NOW)).toEqual({
      ok: true,
      kind: 'takeover',
      previous: 'bob',
    });
  });
  it('closed, review and blocked tasks are refused', () => {
    for (const status of ['done', 'cancelled', 'failed', 'review', 'blocked'] as const) {
      expect(decideClaim(data({ status }), 'alice', NOW, READY).ok).toBe(false);
    }
  });
  it('in progress without a lease: yours or nobody’s, not someone else’s', () => {
    expect(decideClaim(data({ status: 'in_progress' }), 'alice', NOW).ok).toBe(true);
    expect(decideClaim(data({ status: 'in_progress', assignee: 'alice' }), 'alice', NOW).ok).toBe(
      true,
    );
    expect(
      decideClaim(data({ status: 'in_progress', assignee: 'bob' }), 'alice', NOW),
    ).toMatchObject({ ok: false, holder: 'bob' });
  });
  it('a todo task that is not ready says why', () => {
    const blocked: Readiness = {
      state: 'blocked',
      waitingOn: ['a', 'b'],
      missing: ['ghost'],
      cycle: false,
      manual: false,
    };
    const d = decideClaim(data(), 'alice', NOW, blocked);
    expect(!d.ok && d.reason).toBe('t is not ready: waiting on a, b; depends on missing ghost');
    const later = decideClaim(data(), 'alice', NOW, {
      state: 'scheduled',
      notBefore: '2027-01-01',
    });
    expect(!later.ok && later.reason).toContain('not before 2027-01-01');
  });
  it('a lease with an unreadable until counts as live', () => {
    const d = decideClaim(data({ lease: { agent: 'bob', until: '2026-13-45' } }), 'al', NOW);
    expect(d.ok).toBe(false);
  });
});

describe('decideRelease', () => {
  it('the holder, or anyone once the lease expired', () => {
    expect(decideRelease(data({ status: 'in_progress', lease: live }), 'bob', NOW).ok).toBe(true);
    expect(decideRelease(data({ status: 'in_progress', lease: live }), 'al', NOW).ok).toBe(false);
    expect(decideRelease(data({ status: 'in_progress', lease: expired }), 'al', NOW).ok).toBe(true);
  });
  it('nothing to release on a plain todo task or a closed one', () => {
    expect(decideRelease(data(), 'al', NOW).ok).toBe(false);
    expect(decideRelease(data({ status: 'done' }), 'al', NOW).ok).toBe(false);
  });
});

describe('parseLeaseDuration', () => {
  it('reads s, m, h, d (24 h) and w', () => {
    expect(parseLeaseDuration('30m')).toBe(1_800_000);
    expect(parseLeaseDuration('2h')).toBe(7_200_000);
    expect(parseLeaseDuration('1d')).toBe(86_400_000);
    expect(parseLeaseDuration('1.5h')).toBe(5_400_000);
    expect(parseLeaseDuration('1w')).toBe(604_800_000);
    expect(parseLeaseDuration('0h')).toBeUndefined();
    expect(parseLeaseDuration('soon')).toBeUndefined();
  });
});
