/**
 * The log as a three-way merge (issue 13, finding 3): an entry removed or corrected on one
 * side stays removed or corrected when the other side only appended, in both directions.
 * Property tests over whole task files through `mergeTask`, and over `unionLog`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/format/log.js';
import { splitFile } from '../../src/format/split.js';
import { gitMergeLines, unionLog } from '../../src/merge/merge-body.js';
import { mergeTask } from '../../src/merge/merge-task.js';

const T1 = '- 2026-01-01T10:00:00Z ann share: one';
const T2 = '- 2026-01-01T11:00:00Z bob share: two';
const T3 = '- 2026-01-01T12:00:00Z ann share: three';
const T4 = '- 2026-01-01T13:00:00Z bob share: four';

const HEAD = `---
id: t-1
title: A task
status: todo
---
Some text.

## Log
`;

const file = (entries: string[]) => HEAD + entries.map((e) => `${e}\n`).join('');

function logOf(text: string): string[] {
  const s = splitFile(text);
  if (!s.ok) throw new Error('no front matter');
  return readLog(s.body).map((e) => `- ${e}`);
}

/** Both directions of the merge: the log each gives, with no conflict. */
function mergeBoth(base: string[], a: string[], b: string[]): [string[], string[]] {
  const ab = mergeTask(file(base), file(a), file(b), gitMergeLines);
  const ba = mergeTask(file(base), file(b), file(a), gitMergeLines);
  expect(ab.conflict).toBe(false);
  expect(ba.conflict).toBe(false);
  return [logOf(ab.text), logOf(ba.text)];
}

describe('one-sided log edits against appends', () => {
  it('keeps a line removed on one side removed when the other side appended', () => {
    const [ab, ba] = mergeBoth([T1, T2], [T1], [T1, T2, T3]);
    expect(ab).toEqual([T1, T3]);
    expect(ba).toEqual([T1, T3]);
  });

  it('keeps a corrected line corrected, without the old version', () => {
    const fixed = '- 2026-01-01T10:00:00Z ann share: one (corrected)';
    const [ab, ba] = mergeBoth([T1, T2], [fixed, T2], [T1, T2, T3]);
    expect(ab).toEqual([fixed, T2, T3]);
    expect(ba).toEqual([fixed, T2, T3]);
  });

  it('honors removals on both sides along with both sides appending', () => {
    const [ab, ba] = mergeBoth([T1, T2], [T2, T3], [T1, T4]);
    expect(ab).toEqual([T3, T4]);
    expect(ba).toEqual([T3, T4]);
  });

  it('keeps both versions of a line corrected differently on both sides, in time order', () => {
    const a = '- 2026-01-01T10:00:00Z ann share: one (a)';
    const b = '- 2026-01-01T10:00:00Z ann share: one (b)';
    const [ab, ba] = mergeBoth([T1, T2], [a, T2], [b, T2, T3]);
    expect(ab).toEqual([a, b, T2, T3]);
    expect(ba).toEqual(ab);
  });

  it('removes a multi-line entry whole', () => {
    const long = `${T2}\n  with a second line`;
    const [ab, ba] = mergeBoth([T1, long], [T1], [T1, long, T3]);
    expect(ab).toEqual([T1, T3]);
    expect(ba).toEqual([T1, T3]);
  });
});

/** Distinct times, one a minute, so the expected order is plain. */
const at = (minute: number) =>
  `2026-01-01T${String(10 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;

describe('the log merge (property)', () => {
  /**
   * A base log of timed entries; side A removes some and corrects others (same time, new
   * text); side B appends entries at times of its own (before, between or after A's). The
   * merge is A's log with B's additions in time order, whichever side is ours.
   */
  const scenario = fc
    .record({
      base: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
      appended: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }),
      seed: fc.array(fc.constantFrom('keep', 'remove', 'correct'), {
        minLength: 8,
        maxLength: 8,
      }),
      agent: fc.constantFrom('ann', 'bob'),
    })
    .map(({ base, appended, seed, agent }) => {
      const baseTimes = [...base].sort((x, y) => x - y);
      const baseLog = baseTimes.map((m) => `- ${at(m)} ${agent} share: base ${m}`);
      const sideA: string[] = [];
      baseLog.forEach((line, i) => {
        const fate = seed[i] ?? 'keep';
        if (fate === 'keep') sideA.push(line);
        else if (fate === 'correct') sideA.push(`${line} (corrected)`);
      });
      const added = appended
        .filter((m) => !baseTimes.includes(m))
        .sort((x, y) => x - y)
        .map((m) => `- ${at(m)} carol share: added ${m}`);
      const sideB = [...baseLog, ...added];
      const timeOf = (line: string) => line.slice(2, 22);
      const sorted = [...sideA, ...added].sort((x, y) =>
        timeOf(x) < timeOf(y) ? -1 : timeOf(x) > timeOf(y) ? 1 : 0,
      );
      // when A changed nothing, B's edit stands as written (its additions may predate base's)
      const untouched = sideA.join('\n') === baseLog.join('\n');
      return { baseLog, sideA, sideB, expected: untouched ? sideB : sorted };
    });

  it('keeps one side’s removals and corrections and the other side’s appends', () => {
    fc.assert(
      fc.property(scenario, ({ baseLog, sideA, sideB, expected }) => {
        expect(unionLog(baseLog, sideA, sideB).entries).toEqual(expected);
        expect(unionLog(baseLog, sideB, sideA).entries).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('does the same through whole task files (mergeTask, git merge-file)', () => {
    fc.assert(
      fc.property(scenario, ({ baseLog, sideA, sideB, expected }) => {
        const [ab, ba] = mergeBoth(baseLog, sideA, sideB);
        expect(ab).toEqual(expected);
        expect(ba).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  const pool = [
    T1,
    T2,
    T3,
    T4,
    '- 2026-01-01T11:00:00Z ann x',
    '- 2026-01-01T11:00:00Z ann x (fixed)',
    'free text',
    '- 2026-01-01 not a time',
  ];
  const list = fc.subarray(pool).chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length }));

  it('is a three-way merge of entries: kept when added, removed when either side removed', () => {
    fc.assert(
      fc.property(list, list, list, (base, ours, theirs) => {
        const ab = unionLog(base, ours, theirs).entries;
        const ba = unionLog(base, theirs, ours).entries;
        expect(ab).toEqual(ba);
        const b = new Set(base);
        const want = new Set(
          [...ours, ...theirs].filter((e) => !b.has(e) || (ours.includes(e) && theirs.includes(e))),
        );
        expect(new Set(ab)).toEqual(want);
        expect(ab).toHaveLength(want.size);
      }),
    );
  });
});
