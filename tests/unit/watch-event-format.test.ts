/**
 * The text lines of `baton watch` for the status, claim, invalid-file and stale events, and
 * their JSON lines (`type` and `time` first).
 */
import { describe, expect, it } from 'vitest';
import { paint } from '../../src/report/color.js';
import { eventJson, eventText } from '../../src/watch/event-format.js';
import type { WatchEvent } from '../../src/watch/events.js';

const TIME = new Date(2026, 5, 15, 9, 5, 7);
const p = paint(false);
const ref = { id: 't4', path: '.tasks/main/t4.md', title: 'Ship it' };
const text = (e: WatchEvent) => eventText(e, TIME, p);

describe('watch event lines', () => {
  it('says who changed a status, claimed or released a task', () => {
    expect(text({ type: 'status', ...ref, from: 'todo', to: 'in_progress', by: 'alice' })).toBe(
      '09:05:07 status     t4  Ship it: todo -> in_progress by alice',
    );
    expect(text({ type: 'status', ...ref, from: 'review', to: 'done' })).toBe(
      '09:05:07 status     t4  Ship it: review -> done',
    );
    expect(text({ type: 'claimed', ...ref, by: 'me' })).toBe(
      '09:05:07 claimed    t4  Ship it by me',
    );
    expect(text({ type: 'released', ...ref, previous: 'carol', by: 'carol' })).toBe(
      '09:05:07 released   t4  Ship it by carol',
    );
    expect(text({ type: 'released', ...ref, previous: 'carol', by: 'dan' })).toBe(
      '09:05:07 released   t4  Ship it by dan (held by carol)',
    );
    expect(text({ type: 'released', ...ref, previous: 'carol' })).toBe(
      '09:05:07 released   t4  Ship it (held by carol)',
    );
  });

  it('names the file, line and problem of an invalid task file', () => {
    const e: WatchEvent = {
      type: 'invalid',
      ...ref,
      rule: 'conflict-markers',
      line: 4,
      message: 'unresolved git conflict markers',
    };
    expect(text(e)).toBe(
      '09:05:07 invalid    t4  Ship it: .tasks/main/t4.md:4: [conflict-markers] unresolved git conflict markers',
    );
    const line = eventJson(e, TIME);
    expect(line.startsWith(`{"type":"invalid","time":"${TIME.toISOString()}",`)).toBe(true);
    expect(JSON.parse(line)).toEqual({ ...e, time: TIME.toISOString() });
  });

  it('names stale caches and results', () => {
    expect(
      text({
        type: 'stale-cache',
        name: 'features',
        dir: 'cache/main/features',
        inputs: ['data/a.csv', 'data/b.csv'],
        commits: [{ commit: 'abc1234', subject: 'New data' }],
      }),
    ).toBe('09:05:07 stale      cache features (cache/main/features): data/a.csv, data/b.csv');
    expect(text({ type: 'stale-result', ...ref, inherited: false, inputs: ['data/a.csv'] })).toBe(
      '09:05:07 stale      t4  Ship it: inputs changed: data/a.csv',
    );
    expect(text({ type: 'stale-result', ...ref, inherited: true, via: 'feat' })).toBe(
      '09:05:07 stale      t4  Ship it: depends on feat, whose result is stale',
    );
  });
});
