import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/format/log.js';
import { gitMergeLines, mergeBody, splitBody, unionLog } from '../../src/merge/merge-body.js';

const T1 = '- 2026-01-01T10:00:00Z ann share: one';
const T2 = '- 2026-01-01T11:00:00Z bob share: two';
const T3 = '- 2026-01-01T12:00:00Z ann share: three';
const T4 = '- 2026-01-01T13:00:00Z bob share: four';

describe('gitMergeLines (real git merge-file)', () => {
  it('merges edits to different lines cleanly', () => {
    const r = gitMergeLines('A\nb\nc\nd\n', 'a\nb\nc\nd\n', 'a\nb\nc\nD\n');
    expect(r).toEqual({ text: 'A\nb\nc\nD\n', conflicts: 0 });
  });

  it('leaves standard markers and counts the conflicts', () => {
    const r = gitMergeLines('a\nX\nc\n', 'a\nb\nc\n', 'a\nY\nc\n');
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe('a\n<<<<<<< ours\nX\n=======\nY\n>>>>>>> theirs\nc\n');
  });
});

describe('splitBody', () => {
  it('cuts the log and the blank lines before it from the end of the body', () => {
    const p = splitBody(`Intro\n\n## Log\n${T1}\n  more about one\n\n${T2}\n`, true);
    expect(p).toMatchObject({
      hasLog: true,
      inside: false,
      text: 'Intro\n',
      gap: '\n',
      heading: '## Log\n',
      entries: [`${T1.slice(0)}\n  more about one`, T2],
    });
  });

  it('keeps the heading in the text when another section follows', () => {
    const p = splitBody(`Intro\n## Log\n${T1}\n\n## Notes\nx\n`, true);
    expect(p).toMatchObject({ inside: true, text: 'Intro\n## Log\n## Notes\nx\n', trailing: '\n' });
  });
});

describe('unionLog', () => {
  it('orders the union by time, the same whichever side is ours', () => {
    const base = [T1];
    expect(unionLog(base, [T1, T3], [T1, T2, T4])).toEqual({ entries: [T1, T2, T3, T4] });
    expect(unionLog(base, [T1, T2, T4], [T1, T3])).toEqual({ entries: [T1, T2, T3, T4] });
  });

  it('deduplicates by exact text and breaks equal times by text', () => {
    const a = '- 2026-01-01T10:00:00Z ann note: a';
    const b = '- 2026-01-01T10:00:00Z bob note: b';
    expect(unionLog([], [T2, b], [a, T2]).entries).toEqual([a, b, T2]);
    expect(unionLog([], [a, T2], [T2, b]).entries).toEqual([a, b, T2]);
  });

  it('keeps a line without a time after the entry above it', () => {
    const free = 'a hand-written line';
    expect(unionLog([], [T1, free, T3], [T2]).entries).toEqual([T1, free, T2, T3]);
  });

  it('keeps one side as written when it holds everything, and honors one-sided edits', () => {
    expect(unionLog([T1], [T3, T1], [T1])).toEqual({ entries: [T3, T1], from: 'ours' });
    expect(unionLog([T1], [T1], [T1, T2])).toEqual({ entries: [T1, T2], from: 'theirs' });
    const fixed = '- 2026-01-01T10:00:00Z ann share: ONE';
    expect(unionLog([T1], [T1], [fixed])).toEqual({ entries: [fixed], from: 'theirs' });
  });

  it('adds extra entries', () => {
    expect(unionLog([T1], [T1], [T1], [T2]).entries).toEqual([T1, T2]);
  });
});

describe('mergeBody', () => {
  const m = (b: string, o: string, t: string, extra: string[] = [], eol = '\n') =>
    mergeBody(b, o, t, gitMergeLines, extra, eol);

  it('merges line edits and the log independently', () => {
    const base = `Para one.\n\nPara two.\n\n## Log\n${T1}\n`;
    const ours = `Para ONE.\n\nPara two.\n\n## Log\n${T1}\n${T3}\n`;
    const theirs = `Para one.\n\nPara TWO.\n\n## Log\n${T1}\n${T2}\n`;
    const want = `Para ONE.\n\nPara TWO.\n\n## Log\n${T1}\n${T2}\n${T3}\n`;
    expect(m(base, ours, theirs)).toEqual({ text: want, conflicts: 0 });
    expect(m(base, theirs, ours)).toEqual({ text: want, conflicts: 0 });
  });

  it('lets both sides start a log, one also adding a paragraph, without a conflict', () => {
    const base = 'Body.\n';
    const ours = `Body.\n\n## Log\n${T2}\n`;
    const theirs = `Body.\n\nMore.\n\n## Log\n${T1}\n`;
    expect(m(base, ours, theirs)).toEqual({
      text: `Body.\n\nMore.\n\n## Log\n${T1}\n${T2}\n`,
      conflicts: 0,
    });
  });

  it('returns ours byte for byte when theirs changed nothing', () => {
    const ours = `Intro\n\n\n## Log\n\n${T3}\n${T1}\n\n## Notes\n\nx`;
    expect(m(ours, ours, ours).text).toBe(ours);
    const base = 'Intro\n';
    expect(m(base, ours, base).text).toBe(ours);
  });

  it('puts entries back under a heading followed by another section', () => {
    const base = `Intro\n\n## Log\n${T1}\n\n## Notes\nx\n`;
    const ours = `Intro\n\n## Log\n${T1}\n${T2}\n\n## Notes\nx\n`;
    const theirs = `Intro\n\n## Log\n${T1}\n${T3}\n\n## Notes\nx\ny\n`;
    expect(m(base, ours, theirs).text).toBe(
      `Intro\n\n## Log\n${T1}\n${T2}\n${T3}\n\n## Notes\nx\ny\n`,
    );
  });

  it('leaves conflict markers when both sides changed the same lines', () => {
    const r = m(`Text.\n\n## Log\n${T1}\n`, `TEXT.\n\n## Log\n${T1}\n`, `Txt.\n\n## Log\n${T1}\n`);
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe(`<<<<<<< ours\nTEXT.\n=======\nTxt.\n>>>>>>> theirs\n\n## Log\n${T1}\n`);
  });

  it('creates the log for extra entries, after one blank line', () => {
    const e = T1.slice(2);
    expect(m('Body\n', 'Body\n', 'Body\n', [e]).text).toBe(`Body\n\n## Log\n${T1}\n`);
    expect(m('', '', '', [e]).text).toBe(`\n## Log\n${T1}\n`);
  });

  it('starts the entries on their own line under a heading that ends the file', () => {
    expect(m('Body\n', 'Body\n\n## Log', `Body\n\n## Log\n${T1}\n`).text).toBe(
      `Body\n\n## Log\n${T1}\n`,
    );
  });

  it('writes merged entries with ours line breaks', () => {
    const base = `A\r\n\r\n## Log\r\n${T1}\r\n`;
    const ours = `A\r\n\r\n## Log\r\n${T1}\r\n${T3}\r\n`;
    const theirs = `A\r\n\r\n## Log\r\n${T1}\r\n${T2}\r\n`;
    expect(m(base, ours, theirs, [], '\r\n').text).toBe(
      `A\r\n\r\n## Log\r\n${T1}\r\n${T2}\r\n${T3}\r\n`,
    );
  });
});

describe('unionLog (property)', () => {
  const pool = [
    T1,
    T2,
    T3,
    T4,
    '- 2026-01-01T11:00:00Z ann x',
    'free text',
    '- 2026-01-01 not a time',
  ];
  const list = fc.subarray(pool).chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length }));
  /** Three ways: an entry new on a side is kept, a base entry only while both sides keep it. */
  const expected = (base: string[], ours: string[], theirs: string[]) =>
    new Set(
      [...ours, ...theirs].filter(
        (e) => !base.includes(e) || (ours.includes(e) && theirs.includes(e)),
      ),
    );

  it('keeps every entry of the merge once, the same whichever side is ours', () => {
    fc.assert(
      fc.property(list, list, list, (base, ours, theirs) => {
        const ab = unionLog(base, ours, theirs).entries;
        const ba = unionLog(base, theirs, ours).entries;
        expect(ab).toEqual(ba);
        expect(new Set(ab)).toEqual(expected(base, ours, theirs));
        expect(ab).toHaveLength(new Set(ab).size);
      }),
    );
  });

  it('never loses an entry through mergeBody', () => {
    const bodyOf = (entries: string[]) =>
      `Text\n\n## Log\n${entries.map((e) => `${e}\n`).join('')}`;
    fc.assert(
      fc.property(list, list, list, (base, ours, theirs) => {
        const r = mergeBody(bodyOf(base), bodyOf(ours), bodyOf(theirs), gitMergeLines);
        expect(r.conflicts).toBe(0);
        const got = readLog(r.text).map((e) => `- ${e}`);
        for (const e of expected(base, ours, theirs))
          if (e.startsWith('- ')) expect(got).toContain(e);
      }),
      { numRuns: 40 },
    );
  });
});
