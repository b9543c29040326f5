/** Open discoveries and the merged timeline of core/task-talk.ts. */
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/core/log-entry.js';
import { buildTimeline, openDiscoveries, parseNoteLine } from '../../src/core/task-talk.js';

const log = (...lines: string[]) => lines.map(parseEntry);

describe('openDiscoveries', () => {
  it('a discovery is open until a later ack', () => {
    const entries = log(
      '2026-11-22T10:00:00Z bob discover: one',
      '2026-11-22T10:05:00Z al ack',
      '2026-11-22T10:06:00Z bob discover: two',
    );
    expect(openDiscoveries(entries)).toEqual([2]);
    expect(openDiscoveries(entries.slice(0, 1))).toEqual([0]);
  });
  it('at the same second, the order of the lines decides', () => {
    const ackAfter = log('2026-11-22T10:00:00Z bob discover: x', '2026-11-22T10:00:00Z al ack');
    expect(openDiscoveries(ackAfter)).toEqual([]);
    const ackBefore = log('2026-11-22T10:00:00Z al ack', '2026-11-22T10:00:00Z bob discover: x');
    expect(openDiscoveries(ackBefore)).toEqual([1]);
  });
  it('the last ack counts, even when written out of time order', () => {
    const entries = log(
      '2026-11-22T12:00:00Z al ack',
      '2026-11-22T11:00:00Z bob discover: merged from a branch',
    );
    expect(openDiscoveries(entries)).toEqual([]);
  });
});

describe('buildTimeline', () => {
  it('merges log and notes by time, log first at equal times', () => {
    const entries = log(
      '2026-11-22T10:00:00Z al claim: lease until 2026-11-22T12:00:00Z',
      '2026-11-22T11:00:00Z al handoff -> bob: ready [artifacts: a.sql] [criteria: x; y]',
      'free text someone wrote',
      '2026-11-22T12:00:00Z bob discover: odd',
    );
    const notes = [
      parseNoteLine('2026-11-22T11:00:00Z same time as the hand-off')!,
      parseNoteLine('2026-11-22T10:30:00Z between')!,
    ];
    const t = buildTimeline(entries, notes, 'al');
    expect(t.map((x) => `${x.kind}:${x.verb}:${x.message ?? ''}`)).toEqual([
      'log:claim:lease until 2026-11-22T12:00:00Z',
      'note:note:between',
      'log:handoff:ready',
      'log:note:free text someone wrote',
      'note:note:same time as the hand-off',
      'log:discover:odd',
    ]);
    expect(t[2]).toMatchObject({ target: 'bob', artifacts: ['a.sql'], criteria: ['x', 'y'] });
    expect(t[5]).toMatchObject({ open: true, agent: 'bob' });
    expect(t[1]).toMatchObject({ agent: 'al', kind: 'note' });
  });
  it('reads note lines; a line without a time keeps its text', () => {
    expect(parseNoteLine('2026-11-22T10:00:00Z hello there')).toEqual({
      time: '2026-11-22T10:00:00Z',
      message: 'hello there',
    });
    expect(parseNoteLine('no time here')).toEqual({ time: '', message: 'no time here' });
    expect(parseNoteLine('   ')).toBeUndefined();
  });
});
