/** The gates of review and done: acceptance boxes (core/gates.ts) and approvals (core/approvals.ts). */
import { describe, expect, it } from 'vitest';
import { approvalState, decideApprove } from '../../src/core/approvals.js';
import { dueDeadline, isOverdue } from '../../src/core/due.js';
import {
  gateRefusal,
  gateReport,
  gateSummary,
  gatesOpen,
  uncheckedBoxes,
} from '../../src/core/gates.js';
import { type LogEntry, parseEntry } from '../../src/core/log-entry.js';
import type { TaskData } from '../../src/schema/task.js';

const log = (...lines: string[]): LogEntry[] => lines.map(parseEntry);

describe('uncheckedBoxes', () => {
  it('finds - [ ], * [ ], + [ ] and numbered boxes at any indentation, not ticked ones', () => {
    const body = [
      'Intro',
      '- [ ] first',
      '* [ ] second',
      '  - [ ] nested',
      '+ [ ] plus',
      '1. [ ] numbered',
      '- [x] ticked',
      '- [X] ticked too',
      '- [] not a box',
      '-[ ] not a list item',
      'text - [ ] not at the start',
    ].join('\n');
    expect(uncheckedBoxes(body).map((b) => b.text)).toEqual([
      'first',
      'second',
      'nested',
      'plus',
      'numbered',
    ]);
    expect(uncheckedBoxes(body)[0]!.line).toBe(2);
  });
  it('skips empty boxes: a template placeholder is not a criterion', () => {
    expect(uncheckedBoxes('## Acceptance criteria\n- [ ] \n- [ ]\n')).toEqual([]);
  });
  it('ignores boxes in fenced code blocks, ``` and ~~~, until the matching fence', () => {
    const body = [
      '```md',
      '- [ ] in code',
      '~~~',
      '- [ ] still in code (a ~~~ does not close ```)',
      '```',
      '- [ ] real',
      '~~~~',
      '- [ ] in tilde code',
      '~~~',
      '- [ ] still in code (shorter fence)',
      '~~~~',
      '- [ ] real too',
    ].join('\n');
    expect(uncheckedBoxes(body).map((b) => b.text)).toEqual(['real', 'real too']);
  });
  it('ignores the ## Log section up to the next heading, and reads CRLF files', () => {
    const body = [
      '- [ ] before',
      '## Log',
      '- 2026-11-22T10:00:00Z alice share: - [ ] quoted in the log',
      '- [ ] a stray box in the log',
      '## Notes',
      '- [ ] after',
    ].join('\r\n');
    expect(uncheckedBoxes(body).map((b) => b.text)).toEqual(['before', 'after']);
  });
});

describe('approvals', () => {
  const reviewers = ['carol', 'Dave Smith'];
  it('count approvals by reviewers, names compared as log agents', () => {
    const entries = log(
      '2026-11-22T10:00:00Z carol approve: fine',
      '2026-11-22T10:01:00Z mallory approve',
      '2026-11-22T10:02:00Z Dave-Smith approve',
    );
    expect(approvalState(entries, reviewers)).toEqual({
      approved: ['carol', 'Dave-Smith'],
      pending: [],
    });
  });
  it('forget approvals made before the latest reopen, start or fail', () => {
    for (const verb of ['reopen', 'start', 'fail: broke']) {
      const entries = log(
        '2026-11-22T10:00:00Z carol approve',
        `2026-11-22T11:00:00Z alice ${verb}`,
        '2026-11-22T12:00:00Z Dave-Smith approve',
      );
      expect(approvalState(entries, reviewers)).toEqual({
        approved: ['Dave-Smith'],
        pending: ['carol'],
      });
    }
  });
  it('decideApprove: only reviewers, only open tasks, and says when already approved', () => {
    const data = (extra: Partial<TaskData> = {}) =>
      ({ id: 't', status: 'review', reviewers, ...extra }) as TaskData;
    const refused = decideApprove(data(), 'mallory', []);
    expect(!refused.ok && refused.reason).toBe(
      'mallory is not a reviewer of t; its reviewers are carol, Dave-Smith',
    );
    expect(decideApprove(data({ reviewers: [] }), 'carol', []).ok).toBe(false);
    expect(decideApprove(data({ status: 'done' }), 'carol', []).ok).toBe(false);
    expect(decideApprove(data(), 'carol', [])).toEqual({
      ok: true,
      already: false,
      state: { approved: ['carol'], pending: ['Dave-Smith'] },
    });
    const again = decideApprove(data(), 'carol', log('2026-11-22T10:00:00Z carol approve'));
    expect(again).toMatchObject({ ok: true, already: true });
  });
});

describe('gateReport', () => {
  const body = '- [ ] tests pass\n- [x] docs\n\n## Log\n- 2026-11-22T10:00:00Z carol approve\n';
  const entries = log('2026-11-22T10:00:00Z carol approve');
  it('review asks for ticked boxes; done also for every approval', () => {
    const data = { reviewers: ['carol', 'dave'] };
    const review = gateReport('review', body, data, entries);
    expect(review).toEqual({ unticked: [{ line: 1, text: 'tests pass' }], awaiting: [] });
    const done = gateReport('done', body, data, entries);
    expect(done.awaiting).toEqual(['dave']);
    expect(gatesOpen(done)).toBe(false);
    expect(gateSummary(done)).toBe('1 unticked box, awaiting dave');
    expect(gateRefusal('t', 'done', done, 8)).toBe(
      [
        't cannot go to done yet:',
        '  unticked (line 8): tests pass',
        '  awaiting approval from dave (baton approve t)',
        'tick the boxes (or remove the ones that no longer apply) and collect the approvals, or pass --force (it is logged)',
      ].join('\n'),
    );
    expect(gatesOpen(gateReport('done', '- [x] ok\n', {}, []))).toBe(true);
  });
});

describe('overdue', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  it('a bare date is overdue after the end of that day (UTC); a date-time at its moment', () => {
    expect(isOverdue({ due: '2026-12-01', status: 'todo' }, now)).toBe(true);
    expect(isOverdue({ due: '2026-12-01', status: 'todo' }, new Date('2026-12-01T23:59:59Z'))).toBe(
      false,
    );
    expect(isOverdue({ due: '2026-12-01T12:00:00+02:00', status: 'review' }, now)).toBe(true);
    expect(dueDeadline('2026-12-01')).toBe(Date.parse('2026-12-02T00:00:00Z'));
  });
  it('done and cancelled tasks, no due and unreadable dates are never overdue', () => {
    expect(isOverdue({ due: '2026-11-01', status: 'done' }, now)).toBe(false);
    expect(isOverdue({ due: '2026-11-01', status: 'cancelled' }, now)).toBe(false);
    expect(isOverdue({ due: '2026-11-01', status: 'failed' }, now)).toBe(true);
    expect(isOverdue({ status: 'todo' }, now)).toBe(false);
    expect(isOverdue({ due: '2026-02-30', status: 'todo' }, now)).toBe(false);
  });
});
