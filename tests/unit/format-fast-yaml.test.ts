import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeTask } from '../../src/format/decode.js';
import { isPlainSafe, parseFlatYaml } from '../../src/format/fast-yaml.js';

const BATON_WRITTEN = `id: auth-k3x9
title: Design the users table
status: todo
priority: high
depends_on: [auth-2x9q, "db-1"]
assignee: db_specialist
labels: []
estimate: 4h
due: 2026-12-01
created: 2026-11-22T10:00:00Z
updated: 2026-11-22T10:00:00Z
`;

describe('parseFlatYaml', () => {
  it('reads the shape baton writes, as yaml (core schema) does', () => {
    const r = parseFlatYaml(BATON_WRITTEN);
    expect(r?.data).toEqual(parse(BATON_WRITTEN, { schema: 'core' }));
    expect(r?.data.due).toBe('2026-12-01');
    expect(r?.data.created).toBe('2026-11-22T10:00:00Z');
    expect(r?.lines).toEqual({
      id: 0,
      title: 1,
      status: 2,
      priority: 3,
      depends_on: 4,
      assignee: 5,
      labels: 6,
      estimate: 7,
      due: 8,
      created: 9,
      updated: 10,
    });
  });

  it('reads comments, blank lines, odd spacing, CRLF, block lists and quoted strings', () => {
    const text = [
      '# a comment',
      'status:    todo',
      '',
      'depends_on: [ a,b ]',
      'labels:',
      '  - x',
      '  - "y z"',
      'more:',
      '- 1',
      "- 'it''s'",
      'empty:',
      'nothing: ~',
      'flag: False',
      'n: -42',
      '',
    ].join('\r\n');
    const r = parseFlatYaml(text);
    expect(r?.data).toEqual({
      status: 'todo',
      depends_on: ['a', 'b'],
      labels: ['x', 'y z'],
      more: [1, "it's"],
      empty: null,
      nothing: null,
      flag: false,
      n: -42,
    });
    expect(r?.data).toEqual(parse(text, { schema: 'core' }));
    expect(r?.lines.labels).toBe(4);
  });

  /** As baton reads front matter with the `yaml` package: the core schema. */
  const yamlSays = (text: string) => parse(text, { schema: 'core' }) as unknown;

  it.each([
    ['a float', 'x: 1.5\n', { x: 1.5 }],
    ['floats of every shape', 'a: 1.\nb: -2.5e-3\nc: 1E3\nd: +0.5\ne: 00.5\n', {}],
    ['a trailing comment', 'x: a # c\n', { x: 'a' }],
    ['comments after every kind of value', 'a: "q" # c\nb: [x] #\nc: 2 # d\ne: # empty\n', {}],
    ['a hash inside a word', 'x: a#b\n', { x: 'a#b' }],
    ['a nested map', 'x:\n  y: 1\n', { x: { y: 1 } }],
    ['maps two levels deep', 'a:\n  b:\n    c: 1\n  d: [x]\ne: 2\n', {}],
    ['odd indentation', 'a:\n     b: 1\n     c:\n      - x\n', {}],
    ["a list at its key's column", 'a:\n  b:\n  - x\n  - y\n  c: 1\n', {}],
    ['a flow map', 'x: {a: 1}\n', { x: { a: 1 } }],
    [
      'a flow map as baton writes a lease',
      'lease: { agent: a, until: "2026-12-01T10:00:00Z" }\n',
      {},
    ],
    ['a literal block scalar', 'x: |\n  text\n', { x: 'text\n' }],
    ['every chomping', 'a: |-\n  x\n\nb: |+\n  x\n\nc: >\n  x\n  y\n\n  z\nd: >-\n  x\n', {}],
    ['leading empty lines in a block scalar', 'a: |\n\n  x\nb: >\n  \n\n  y\n', {}],
    ['a comment after a block scalar header', 'x: |- # c\n  # not a comment\n', {}],
    ['escapes', 'x: "a\\nb\\t\\"q\\" \\\\ \\u00e9\\x41"\n', { x: 'a\nb\t"q" \\ éA' }],
    ['an indented comment', 'x:\n  # c\n  - a\n', { x: ['a'] }],
    ['comments at any indentation', 'a:\n  b: 1\n# c\n      # d\n  e: 2\n', {}],
    ['a byte order mark', '\ufeffa: 1\n', { a: 1 }],
    ['CRLF everywhere', 'a: b # c\r\nd:\r\n  e: |\r\n    f\r\n\r\n', {}],
  ])('reads %s as yaml does', (_what, text, want) => {
    const r = parseFlatYaml(text);
    expect(r).toBeDefined();
    expect(r?.data).toStrictEqual(yamlSays(text));
    if (Object.keys(want).length > 0) expect(r?.data).toStrictEqual(want);
  });

  it('gives top-level keys their lines, past nested blocks', () => {
    const text = 'a:\n  b: |\n    x\n\n    y\n  c: 1\n# c\nd: >-\n  z\n\ne:\n- 1\n';
    expect(parseFlatYaml(text, 2)?.lines).toEqual({ a: 2, d: 9, e: 12 });
  });

  it.each([
    ['hex', 'x: 0x1F\n'],
    ['octal', 'x: 0o17\n'],
    ['a leading zero', 'x: 007\n'],
    ['a huge integer', 'x: 9007199254740993\n'],
    ['.inf', 'x: .inf\n'],
    ['a comment without a space', 'x: "a"# c\n'],
    ['a hash after a space in a flow list', 'x: [a #b]\n'],
    ['a flow map with a bare key', 'x: { a }\n'],
    ['a flow map without spaces after colons', 'x: {a:1}\n'],
    ['a nested flow map', 'x: {a: {b: 1}}\n'],
    ['a nested list', 'x: [[a]]\n'],
    ['a list of maps', 'x:\n  - a: 1\n'],
    ['a list in a list', 'x:\n  - - a\n'],
    ['an empty list item', 'x:\n  -\n'],
    ['a block scalar in a list', 'x:\n  - |\n    a\n'],
    ['an indentation indicator', 'x: |2\n   text\n'],
    ['an empty block scalar', 'x: |\ny: 1\n'],
    ['a more-indented leading empty line', 'x: |\n    \n  text\n'],
    ['spaces past the indentation on a blank line', 'x: |\n  a\n    \n  b\n'],
    ['a more-indented line in a folded scalar', 'x: >\n  a\n   b\n'],
    ['a block scalar at the end without a line break', 'x: |\n  a'],
    ['a multi-line plain scalar', 'x: a\n  b\n'],
    ['a multi-line quoted scalar', 'x: "a\n  b"\n'],
    ['an unknown escape', 'x: "a\\qb"\n'],
    ['a long escape', 'x: "\\U0001F600"\n'],
    ['an anchor', 'x: &a v\n'],
    ['an alias', 'x: *a\n'],
    ['a tag', 'x: !!str 1\n'],
    ['a duplicate key', 'x: 1\nx: 2\n'],
    ['a duplicate nested key', 'x:\n  y: 1\n  y: 2\n'],
    ['a duplicate key in a flow map', 'x: {y: 1, y: 2}\n'],
    ['a tab', 'x:\t1\n'],
    ['a tab before a comment', 'x: a\t# c\n'],
    ['mixed list indents', 'x:\n  - a\n - b\n'],
    ['a key after a list, deeper than the list', 'x:\n  - a\n  y: 1\n'],
    ['a key between two indentations', 'x:\n    a: 1\n  b: 2\n'],
    ['a key with spaces', 'a b: 1\n'],
    ['a quoted key', '"a": 1\n'],
    ['a `true` key', 'true: 1\n'],
    ['a `__proto__` key', '__proto__: 1\n'],
    ['a nested `__proto__` key', 'x:\n  __proto__: 1\n'],
    ['a stray line', 'plain\n'],
    ['a colon-space in a value', 'x: a: b\n'],
    ['a trailing comma', 'x: [a, b,]\n'],
    ['a multi-line flow list', 'x: [a,\n  b]\n'],
    ['a directive', '%YAML 1.2\n'],
    ['a complex key', '? x\n'],
    ['a CR at the very end', 'x: a\r'],
  ])('returns undefined for %s', (_what, text) => {
    expect(parseFlatYaml(text)).toBeUndefined();
  });

  it('reads an empty front matter as {}', () => {
    expect(parseFlatYaml('')).toEqual({ data: {}, lines: {} });
    expect(parseFlatYaml('# only a comment\n\n')).toEqual({ data: {}, lines: {} });
  });
});

describe('a front matter with many keys', () => {
  /** `n` distinct keys, one per line, ~9 bytes a line: 100,000 keys make 0.9 MB. */
  function manyKeys(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += `k${i.toString(36)}: 1\n`;
    return s;
  }

  // The duplicate-key check was quadratic: 100,000 keys took 40 s to 3.5 min to read.
  // Linear, they take well under a second. A synchronous test cannot be stopped by the test
  // timeout, so the bound is checked here; it is a hundred times what linear time needs.
  it('reads 100,000 keys in a file under the 1 MiB limit on the fast path', () => {
    const text = `---\n${manyKeys(100_000)}---\nBody\n`;
    expect(text.length).toBeLessThan(1024 * 1024);
    const start = performance.now();
    const d = decodeTask(text);
    expect(performance.now() - start).toBeLessThan(10_000);
    if (d === 'needs-yaml' || !d.ok) throw new Error('not read on the fast path');
    expect(Object.keys(d.data)).toHaveLength(100_000);
    expect(d.lines.k0).toBe(2);
    expect(d.lines[(99_999).toString(36)]).toBeUndefined();
    expect(d.lines[`k${(99_999).toString(36)}`]).toBe(100_001);
  });

  it('still finds a duplicate among 100,000 keys', () => {
    expect(parseFlatYaml(`${manyKeys(100_000)}k0: 2\n`)).toBeUndefined();
    expect(parseFlatYaml(`${manyKeys(100_000)}nested:\n  k0: 1\n  k0: 2\n`)).toBeUndefined();
  });
});

describe('isPlainSafe', () => {
  it('says which strings can be written unquoted', () => {
    for (const s of [
      'todo',
      'Design the users table',
      '2026-12-01',
      '2026-11-22T10:00:00Z',
      "Don't",
    ]) {
      expect(isPlainSafe(s, false)).toBe(true);
    }
    for (const s of ['true', 'null', '123', '1.5', 'a: b', 'a #b', '', ' x', '- x', '[x]', '@x']) {
      expect(isPlainSafe(s, false)).toBe(false);
    }
    expect(isPlainSafe('a,b', false)).toBe(true);
    expect(isPlainSafe('a,b', true)).toBe(false);
    expect(isPlainSafe('10:00', true)).toBe(false);
  });
});
