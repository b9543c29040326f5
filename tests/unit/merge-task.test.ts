import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTask } from '../../src/format/decode.js';
import { readLog } from '../../src/format/log.js';
import { splitFile } from '../../src/format/split.js';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';
import { gitMergeLines } from '../../src/merge/merge-body.js';
import { mergeTask } from '../../src/merge/merge-task.js';
import { parseTaskFileFully } from '../../src/store/parse-file.js';

const merge = (b: string, o: string, t: string) => mergeTask(b, o, t, gitMergeLines);

function data(text: string): Record<string, unknown> {
  const d = decodeTask(text, parseYamlFrontMatter);
  if (d === 'needs-yaml' || !d.ok) throw new Error(`does not decode: ${text}`);
  return d.data;
}

const body = (text: string) => {
  const s = splitFile(text);
  if (!s.ok) throw new Error('no split');
  return s.body;
};

const BASE = `---
id: t-1   # the id
title: Design the users table
status: todo
priority: medium
labels: [db, phase1]
custom:
  team: core     # who owns it
  links: [a]
updated: 2026-01-01T00:00:00Z
---
Intro paragraph.

Second paragraph.

## Log
- 2026-01-01T00:00:00Z ann create
`;

const edit = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`missing ${from}`);
  return text.replace(from, to);
};

describe('mergeTask', () => {
  it('merges one-sided field edits, list edits, body edits and logs into ours text', () => {
    let ours = edit(BASE, 'priority: medium', 'priority: high');
    ours = edit(ours, 'Intro paragraph.', 'Intro paragraph, edited.');
    ours += '- 2026-01-02T10:00:00Z ann note: ours\n';
    let theirs = edit(BASE, 'labels: [db, phase1]', 'labels: [db, api]');
    theirs = edit(theirs, 'Second paragraph.', 'Second paragraph, edited.');
    theirs = edit(theirs, 'updated: 2026-01-01T00:00:00Z', 'updated: 2026-01-03T00:00:00Z');
    theirs = edit(theirs, '---\nIntro', 'estimate: 4h\n---\nIntro');
    theirs += '- 2026-01-01T12:00:00Z bob note: theirs\n';
    const r = merge(BASE, ours, theirs);
    expect(r.conflict).toBe(false);
    expect(r.text).toBe(`---
id: t-1   # the id
title: Design the users table
status: todo
priority: high
labels: [db, api]
custom:
  team: core     # who owns it
  links: [a]
updated: 2026-01-03T00:00:00Z
estimate: 4h
---
Intro paragraph, edited.

Second paragraph, edited.

## Log
- 2026-01-01T00:00:00Z ann create
- 2026-01-01T12:00:00Z bob note: theirs
- 2026-01-02T10:00:00Z ann note: ours
`);
  });

  it('returns ours unchanged, byte for byte, when theirs is the base', () => {
    const ours = edit(BASE, 'status: todo', 'status: done');
    expect(merge(BASE, ours, BASE)).toMatchObject({ text: ours, conflict: false });
  });

  it('keeps comments and unknown nested keys, merging inside a user map', () => {
    const ours = edit(BASE, 'title: Design the users table', 'title: Design the users table # t');
    const theirs = edit(BASE, '  links: [a]', '  links: [a, b]\n  extra: { x: 1 }');
    const r = merge(BASE, ours, theirs);
    expect(r.conflict).toBe(false);
    expect(r.text).toContain('id: t-1   # the id\n');
    expect(r.text).toContain('title: Design the users table # t\n');
    expect(data(r.text).custom).toEqual({ team: 'core', links: ['a', 'b'], extra: { x: 1 } });
  });

  it('leaves a same-key conflict as a marker block that check reports', async () => {
    const ours = edit(BASE, 'priority: medium', 'priority: high  # ours');
    const theirs = edit(
      edit(BASE, 'priority: medium', 'priority: low'),
      'status: todo',
      'status: review',
    );
    const r = merge(BASE, ours, theirs);
    expect(r.conflict).toBe(true);
    expect(r.conflictKeys).toEqual(['priority']);
    expect(r.text).toContain(
      'status: review\n<<<<<<< ours\npriority: high  # ours\n=======\npriority: low\n>>>>>>> theirs\nlabels:',
    );
    const decoded = decodeTask(r.text, parseYamlFrontMatter);
    expect(decoded).toMatchObject({ ok: false, conflict: true });
    const parsed = await parseTaskFileFully('.tasks/main/t-1.md', 'main', r.text);
    expect(parsed.problems.map((p) => p.rule)).toEqual(['conflict-markers']);
  });

  it('marks a key ours deleted and theirs changed at the end of the front matter', () => {
    const ours = edit(edit(BASE, 'priority: medium\n', ''), 'status: todo\n', '');
    const theirs = edit(
      edit(BASE, 'priority: medium', 'priority: low'),
      'status: todo',
      'status: x',
    );
    const r = merge(BASE, ours, theirs);
    expect(r.conflictKeys).toEqual(['status', 'priority']);
    expect(r.text).toContain(
      'updated: 2026-01-01T00:00:00Z\n<<<<<<< ours\n=======\nstatus: x\n>>>>>>> theirs\n' +
        '<<<<<<< ours\n=======\npriority: low\n>>>>>>> theirs\n---\n',
    );
  });

  it('resolves a claim race to the earlier claim and logs the loser', () => {
    const claim = (agent: string, at: string) =>
      edit(
        BASE,
        'status: todo',
        `status: in_progress\nassignee: ${agent}\nlease: { agent: ${agent}, until: 2026-02-01T12:00:00Z, claimed: ${at} }`,
      ) + `- ${at} ${agent} claim\n`;
    const ann = claim('ann', '2026-02-01T10:00:00Z');
    const bob = claim('bob', '2026-02-01T09:30:00Z');
    const a = merge(BASE, ann, bob);
    const b = merge(BASE, bob, ann);
    for (const r of [a, b]) {
      expect(r.conflict).toBe(false);
      expect(data(r.text)).toMatchObject({
        status: 'in_progress',
        assignee: 'bob',
        lease: { agent: 'bob', claimed: '2026-02-01T09:30:00Z' },
      });
      expect(readLog(body(r.text))).toEqual([
        '2026-01-01T00:00:00Z ann create',
        '2026-02-01T09:30:00Z bob claim',
        '2026-02-01T10:00:00Z ann claim',
        '2026-02-01T10:00:00Z bob lost-claim -> ann: claim of ann at 2026-02-01T10:00:00Z lost to bob at 2026-02-01T09:30:00Z',
      ]);
    }
    expect(data(a.text)).toEqual(data(b.text));
    expect(body(a.text)).toBe(body(b.text));
  });

  it('keeps CRLF line endings and writes merged lines with them', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const base = crlf(BASE);
    const ours = crlf(edit(BASE, 'priority: medium', 'priority: high'));
    const theirs = `${crlf(edit(BASE, 'labels: [db, phase1]', 'labels: [db]'))}- 2026-01-05T00:00:00Z bob done\r\n`;
    const r = merge(base, ours, theirs);
    expect(r.conflict).toBe(false);
    expect(r.text).toBe(
      crlf(
        edit(
          edit(BASE, 'priority: medium', 'priority: high'),
          'labels: [db, phase1]',
          'labels: [db]',
        ),
      ) + '- 2026-01-05T00:00:00Z bob done\r\n',
    );
  });

  it('treats an empty base as added on both sides', () => {
    const a = edit(BASE, 'labels: [db, phase1]', 'labels: [db, x]');
    const r = merge('', a, BASE);
    expect(data(r.text).labels).toEqual(['db', 'x', 'phase1']);
    expect(r.conflictKeys).toEqual([]);
  });

  it('falls back to a plain line merge for files that are not task files', () => {
    const r = merge('a\nb\nc\n', 'A\nb\nc\n', 'a\nb\nC\n');
    expect(r).toMatchObject({ text: 'A\nb\nC\n', conflict: false });
    expect(r.fallback).toMatch(/^base: no front matter/);
    const conflicted = `${BASE}<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n`;
    const r2 = merge(BASE, conflicted, BASE);
    expect(r2.fallback).toMatch(/^ours: conflict markers/);
    expect(r2.text).toBe(conflicted);
  });

  it('gives the same values and log whichever side is ours (property)', () => {
    const priorities = ['low', 'medium', 'high', 'critical'];
    const side = fc.record({
      priority: fc.constantFrom(...priorities),
      labels: fc.subarray(['db', 'phase1', 'api', 'ui', 'ops']),
      updated: fc.integer({ min: 1, max: 9 }),
      log: fc.subarray(['a', 'b', 'c', 'd']),
      hour: fc.integer({ min: 10, max: 12 }),
    });
    const render = (s: {
      priority: string;
      labels: string[];
      updated: number;
      log: string[];
      hour: number;
    }) => {
      let text = edit(BASE, 'priority: medium', `priority: ${s.priority}`);
      text = edit(text, 'labels: [db, phase1]', `labels: [${s.labels.join(', ')}]`);
      text = edit(text, '2026-01-01T00:00:00Z\n---', `2026-01-0${s.updated}T00:00:00Z\n---`);
      for (const l of s.log) text += `- 2026-01-02T${s.hour}:00:00Z x note: ${l}\n`;
      return text;
    };
    fc.assert(
      fc.property(side, side, (sa, sb) => {
        const a = render(sa);
        const b = render(sb);
        const ab = merge(BASE, a, b);
        const ba = merge(BASE, b, a);
        const da = data(ab.conflict ? a : ab.text);
        expect(ab.conflictKeys).toEqual(ba.conflictKeys);
        if (ab.conflict) return;
        const db = data(ba.text);
        expect(new Set(da.labels as string[])).toEqual(new Set(db.labels as string[]));
        expect({ ...da, labels: 0 }).toEqual({ ...db, labels: 0 });
        expect(readLog(body(ab.text))).toEqual(readLog(body(ba.text)));
      }),
      { numRuns: 60 },
    );
  });
});
