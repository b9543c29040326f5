import { describe, expect, it } from 'vitest';
import { decodeTask } from '../../src/format/decode.js';
import { setFields } from '../../src/format/edit.js';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';

const HAND_WRITTEN = [
  '# owned by the platform team',
  'id: auth-k3x9                 # required',
  'title: Design the users table',
  'status:    todo   # todo | in_progress | done',
  'priority: high',
  'depends_on: [ a,b ]',
  'labels:',
  '  - phase1',
  '  - auth   # why',
  'custom:',
  '  reviewers_note: "check the indexes"',
  '  links:',
  '    - https://example.com/a',
  '    - {kind: doc, at: 3}',
  'updated: 2026-11-22T10:00:00Z',
  '',
].join('\n');

function file(fm: string, eol = '\n', bom = false): string {
  const body = ['Free Markdown.', '', '## Log', '- 2026-11-22T10:05:00Z alice share: x', ''].join(
    eol,
  );
  return `${bom ? '\uFEFF' : ''}---${eol}${fm.replace(/\n/g, eol)}---${eol}${body}`;
}

function data(text: string): Record<string, unknown> {
  const d = decodeTask(text, parseYamlFrontMatter);
  if (d === 'needs-yaml' || !d.ok) throw new Error(JSON.stringify(d));
  return d.data;
}

/** Indexes of the lines that differ between two texts of the same line count. */
function changedLines(a: string, b: string): number[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  expect(lb.length).toBe(la.length);
  return la.flatMap((l, i) => (l === lb[i] ? [] : [i]));
}

describe('setFields', () => {
  it.each([
    ['LF', '\n', false],
    ['CRLF with a BOM', '\r\n', true],
  ])('a status change touches only those keys (%s)', (_name, eol, bom) => {
    const text = file(HAND_WRITTEN, eol, bom);
    const out = setFields(text, { status: 'done', updated: '2026-11-23T09:00:00Z' });
    expect(changedLines(text, out)).toEqual([4, 15]);
    expect(out).toContain(`status:    done   # todo | in_progress | done${eol}`);
    expect(out).toContain(`updated: 2026-11-23T09:00:00Z${eol}`);
    expect(out.startsWith(bom ? '\uFEFF---' : '---')).toBe(true);
    const before = data(text);
    expect(data(out)).toEqual({ ...before, status: 'done', updated: '2026-11-23T09:00:00Z' });
  });

  it('rewrites nothing when the values are unchanged', () => {
    const text = file(HAND_WRITTEN, '\r\n', true);
    const same = data(text);
    expect(setFields(text, same)).toBe(text);
    expect(setFields(text, { depends_on: ['a', 'b'], status: 'todo' })).toBe(text);
  });

  it('replaces a flow list in place and keeps a block list block-style', () => {
    const text = file(HAND_WRITTEN);
    const out = setFields(text, { depends_on: ['a', 'b', 'c'], labels: ['phase2'] });
    expect(out).toContain('depends_on: [a, b, c]\nlabels:\n  - phase2\ncustom:\n');
    expect(data(out)).toMatchObject({ depends_on: ['a', 'b', 'c'], labels: ['phase2'] });
  });

  it('appends new keys at the end of the front matter with the file line ending', () => {
    const text = file(HAND_WRITTEN, '\r\n');
    const out = setFields(text, {
      assignee: 'alice',
      lease: { agent: 'alice', until: '2026-11-22T12:00:00Z' },
    });
    expect(out).toContain(
      'updated: 2026-11-22T10:00:00Z\r\nassignee: alice\r\nlease: { agent: alice, until: "2026-11-22T12:00:00Z" }\r\n---\r\n',
    );
    expect(data(out)).toMatchObject({ lease: { agent: 'alice', until: '2026-11-22T12:00:00Z' } });
  });

  it('deletes keys with all their lines, and writes null as an empty value', () => {
    const text = file(HAND_WRITTEN);
    const out = setFields(text, {
      labels: undefined,
      custom: undefined,
      priority: null,
      missing: undefined,
    });
    expect(out).toContain('priority:\ndepends_on: [ a,b ]\nupdated:');
    const d = data(out);
    expect(d).not.toHaveProperty('labels');
    expect(d).not.toHaveProperty('custom');
    expect(d.priority).toBeNull();
  });

  it('quotes strings that would read back as something else', () => {
    const text = file('id: a\n');
    const values = [
      'true',
      '123',
      'null',
      '',
      'a: b',
      'x # y',
      '- item',
      ' pad',
      'line\nbreak',
      '@at',
      "it's",
    ];
    for (const v of values) {
      const out = setFields(text, { title: v });
      expect(data(out).title).toBe(v);
    }
    expect(setFields(text, { due: '2026-12-01' })).toContain('due: 2026-12-01\n');
    expect(setFields(text, { n: 3, f: 1.5, b: false })).toContain('n: 3\nf: 1.5\nb: false\n');
  });

  it('fills an empty value and keeps its comment', () => {
    const text = file('id: a\nassignee:   # nobody yet\n');
    const out = setFields(text, { assignee: 'bob' });
    expect(out).toContain('assignee: bob   # nobody yet\n');
  });

  it('replaces a nested map or block scalar with a flow value', () => {
    const text = file('id: a\nresult:\n  commit: abc\n  note: |\n    text\nz: 1\n');
    const out = setFields(text, { result: { commit: 'def' } });
    expect(out).toContain('id: a\nresult: { commit: def }\nz: 1\n');
  });

  it('throws a clear error when the front matter does not parse', () => {
    expect(() => setFields(file('id: a\ntitle: b: c\n'), { status: 'done' })).toThrow(
      /cannot edit the front matter: .*\(line 3\)/,
    );
    expect(() => setFields('no front matter', { status: 'done' })).toThrow(/no front matter/);
  });

  it('refuses to break an alias that points at the edited value', () => {
    const text = file('a: &x todo\nb: *x\n');
    expect(() => setFields(text, { a: 'done' })).toThrow(/cannot edit/);
  });
});
