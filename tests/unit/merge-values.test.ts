import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/core/log-entry.js';
import { claimRace, mergeFields, mergeSet } from '../../src/merge/merge-values.js';

const merged = (b: object, o: object, t: object) => {
  const r = mergeFields(b as never, o as never, t as never);
  return { data: Object.fromEntries(r.data), conflicts: r.conflicts, entries: r.entries };
};

describe('mergeFields: scalars', () => {
  it('takes the side that changed a key, deletions included', () => {
    const base = { id: 'a', priority: 'low', estimate: '2h', due: '2026-12-01' };
    const ours = { id: 'a', priority: 'high', estimate: '2h', due: '2026-12-01' };
    const theirs = { id: 'a', priority: 'low', estimate: '4h' };
    expect(merged(base, ours, theirs)).toEqual({
      data: { id: 'a', priority: 'high', estimate: '4h' },
      conflicts: [],
      entries: [],
    });
  });

  it('takes a value both sides wrote', () => {
    const r = merged({ status: 'todo' }, { status: 'done' }, { status: 'done' });
    expect(r.data).toEqual({ status: 'done' });
    expect(r.conflicts).toEqual([]);
  });

  it('reports a scalar changed differently on both sides, keeping ours', () => {
    const r = merged({ priority: 'low' }, { priority: 'high' }, { priority: 'critical' });
    expect(r.data).toEqual({ priority: 'high' });
    expect(r.conflicts).toEqual(['priority']);
  });

  it('reports a change on one side against a deletion on the other', () => {
    const r = merged({ assignee: 'ann' }, {}, { assignee: 'bob' });
    expect(r.conflicts).toEqual(['assignee']);
    expect(r.data).toEqual({});
  });

  it('orders keys as ours, then theirs additions', () => {
    const r = mergeFields({ id: 'a' }, { id: 'a', x: 1 }, { id: 'a', z: 2, y: 3 });
    expect([...r.data.keys()]).toEqual(['id', 'x', 'z', 'y']);
  });
});

describe('mergeFields: lists', () => {
  it('merges lists as sets, honoring removals on either side', () => {
    const base = { labels: ['a', 'b', 'c'] };
    const ours = { labels: ['a', 'c', 'd'] }; // removed b, added d
    const theirs = { labels: ['e', 'a', 'b'] }; // removed c, added e
    expect(merged(base, ours, theirs).data).toEqual({ labels: ['a', 'd', 'e'] });
  });

  it('reads an absent known list as empty, and user keys holding lists of scalars as sets', () => {
    const r = merged(
      { depends_on: ['x'], tags: [1, 'one'] },
      { depends_on: ['x', 'y'], tags: [1, 'one', true] },
      { tags: ['one', '1'] },
    );
    expect(r.data).toEqual({ depends_on: ['y'], tags: ['one', true, '1'] });
    expect(r.conflicts).toEqual([]);
  });

  it('drops a list both sides emptied when one side removed the key', () => {
    expect(merged({ skills: ['a'] }, {}, { skills: [] }).data).toEqual({});
    expect(merged({ skills: ['a'] }, { skills: [] }, {}).data).toEqual({});
  });

  it('does not merge lists of maps as sets', () => {
    const r = merged({ steps: [{ a: 1 }] }, { steps: [{ a: 2 }] }, { steps: [{ a: 3 }] });
    expect(r.conflicts).toEqual(['steps']);
  });

  it('mergeSet keeps ours order and appends theirs additions', () => {
    expect(mergeSet(['a', 'b'], ['b', 'a', 'c'], ['a', 'd', 'b'])).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('mergeFields: maps and updated', () => {
  it('merges nested maps key by key, keeping unknown nested keys', () => {
    const base = { extra: { team: 'core', links: ['a'], deep: { x: 1 } } };
    const ours = { extra: { team: 'infra', links: ['a'], deep: { x: 1 } } };
    const theirs = { extra: { team: 'core', links: ['a', 'b'], deep: { x: 1, y: 2 } } };
    expect(merged(base, ours, theirs)).toMatchObject({
      data: { extra: { team: 'infra', links: ['a', 'b'], deep: { x: 1, y: 2 } } },
      conflicts: [],
    });
  });

  it('makes the whole key a conflict when a nested scalar conflicts', () => {
    const r = merged({ m: { a: 1, b: 1 } }, { m: { a: 2, b: 2 } }, { m: { a: 3, b: 1 } });
    expect(r.conflicts).toEqual(['m']);
    expect(r.data).toEqual({ m: { a: 2, b: 2 } });
  });

  it('takes the later `updated`, whichever side it is on', () => {
    const base = { updated: '2026-01-01T00:00:00Z' };
    const a = { updated: '2026-01-02T10:00:00Z' };
    const b = { updated: '2026-01-02T09:00:00-02:00' }; // 11:00Z, later
    expect(merged(base, a, b).data.updated).toBe('2026-01-02T09:00:00-02:00');
    expect(merged(base, b, a).data.updated).toBe('2026-01-02T09:00:00-02:00');
    expect(merged(base, a, b).conflicts).toEqual([]);
  });

  it('treats an unreadable `updated` changed on both sides as a conflict', () => {
    expect(merged({ updated: 'x' }, { updated: 'y' }, { updated: 'z' }).conflicts).toEqual([
      'updated',
    ]);
  });
});

describe('claim races', () => {
  const base = { id: 't', status: 'todo', updated: '2026-03-01T00:00:00Z' };
  const claim = (agent: string, claimed: string) => ({
    id: 't',
    status: 'in_progress',
    assignee: agent,
    lease: { agent, until: '2026-03-01T12:00:00Z', claimed },
    updated: claimed,
  });
  const ann = claim('ann', '2026-03-01T10:00:05Z');
  const bob = claim('bob', '2026-03-01T10:00:01Z');

  it('gives the task to the earlier claim and logs the loser, whichever side is ours', () => {
    for (const [o, t] of [
      [ann, bob],
      [bob, ann],
    ] as const) {
      const r = merged(base, o, t);
      expect(r.conflicts).toEqual([]);
      expect(r.data).toEqual({ ...bob, updated: '2026-03-01T10:00:05Z' });
      expect(r.entries).toEqual([
        '2026-03-01T10:00:05Z bob lost-claim -> ann: claim of ann at 2026-03-01T10:00:05Z lost to bob at 2026-03-01T10:00:01Z',
      ]);
      expect(parseEntry(r.entries[0] ?? '')).toMatchObject({
        agent: 'bob',
        verb: 'lost-claim',
        target: 'ann',
      });
    }
  });

  it('breaks a tie by agent name and ranks a missing claim time last', () => {
    const same = '2026-03-01T10:00:00Z';
    expect(claimRace(base, claim('zed', same), claim('amy', same))?.winner).toBe('theirs');
    expect(claimRace(base, claim('amy', same), claim('zed', same))?.winner).toBe('ours');
    const noTime = { ...claim('amy', same), lease: { agent: 'amy', until: same } };
    expect(claimRace(base, noTime, claim('zed', same))?.winner).toBe('theirs');
  });

  it('is no race when one side kept the lease or both leases are the same agent', () => {
    expect(claimRace(base, ann, base)).toBeUndefined();
    expect(claimRace(base, ann, { ...ann, lease: { ...ann.lease, until: 'x' } })).toBeUndefined();
  });
});
