import { describe, expect, it } from 'vitest';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';

function aliasBomb(levels: number): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (let i = 0; i < levels; i++) {
    const name = `l${i}`;
    text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = name;
  }
  return text;
}

describe('parseYamlFrontMatter', () => {
  it('reads nested front matter with comments and gives each key its line', () => {
    const text =
      '# c\nid: a\nextra:\n  nested: [1, 2]\n  deeper:\n    - x\nwhen: 2026-11-22T10:00:00Z\n';
    expect(parseYamlFrontMatter(text)).toEqual({
      ok: true,
      data: { id: 'a', extra: { nested: [1, 2], deeper: ['x'] }, when: '2026-11-22T10:00:00Z' },
      lines: { id: 1, extra: 2, when: 6 },
    });
  });

  it('reads empty or comment-only front matter as {}', () => {
    expect(parseYamlFrontMatter('')).toEqual({ ok: true, data: {}, lines: {} });
    expect(parseYamlFrontMatter('# nothing\n')).toEqual({ ok: true, data: {}, lines: {} });
  });

  it('refuses a top level that is not a mapping', () => {
    for (const text of ['- a\n- b\n', 'just text\n', '~\n']) {
      expect(parseYamlFrontMatter(text)).toMatchObject({
        ok: false,
        message: 'front matter must be a mapping of keys to values',
      });
    }
  });

  it('reports malformed YAML with its 0-based line and a one-line message', () => {
    const r = parseYamlFrontMatter('id: a\ntitle: b: c\nstatus: todo\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(1);
    expect(r.message).toBe('Nested mappings are not allowed in compact mappings');
    // an unclosed flow list is found on the first line that cannot belong to it
    expect(parseYamlFrontMatter('id: a\ndepends_on: [x, y\nstatus: todo\n')).toMatchObject({
      ok: false,
      line: 2,
    });
    expect(parseYamlFrontMatter('id: a\nid: b\n')).toMatchObject({ ok: false, line: 1 });
    expect(parseYamlFrontMatter('a: 1\n  b: 2\n')).toMatchObject({ ok: false, line: 0 });
  });

  it('stops an alias bomb with a clear error', () => {
    const r = parseYamlFrontMatter(aliasBomb(9));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/alias/) });
  });

  it('still expands a few aliases', () => {
    expect(parseYamlFrontMatter('a: &x [1]\nb: *x\n')).toMatchObject({
      ok: true,
      data: { a: [1], b: [1] },
    });
  });

  it('refuses tags outside the core schema instead of building objects', () => {
    for (const text of [
      'k: !!binary aGVsbG8=\n',
      't: !!timestamp 2001-12-14\n',
      'j: !foo x\n',
      's: !!set {a}\n',
    ]) {
      expect(parseYamlFrontMatter(text)).toMatchObject({ ok: false, line: 0, message: /tag/ });
    }
    expect(parseYamlFrontMatter('s: !!str 12\n')).toMatchObject({ ok: true, data: { s: '12' } });
  });

  it('keeps merge keys as ordinary keys (YAML 1.2) and `__proto__` as an own key', () => {
    const r = parseYamlFrontMatter('__proto__: x\n"<<": {a: 1}\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.hasOwn(r.data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(Object.hasOwn(r.lines, '__proto__')).toBe(true);
    expect(r.data['<<']).toEqual({ a: 1 });
  });

  it('survives very deep nesting', () => {
    const r = parseYamlFrontMatter(`a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    expect(r.ok).toBe(false);
  });
});

describe('duplicate keys', () => {
  it('are an error at the repeated key, at any depth, as the package words it', () => {
    expect(parseYamlFrontMatter('a: 1\nb: 2\na: 3\n')).toEqual({
      ok: false,
      line: 2,
      message: 'Map keys must be unique',
    });
    expect(parseYamlFrontMatter('a: 1\nb:\n  x: &v 1\n  y: *v\n  x: 2\n')).toMatchObject({
      ok: false,
      line: 4,
    });
    // the earlier of a duplicate and another error is named
    expect(parseYamlFrontMatter('a: 1\na: 2\nb: [\n')).toMatchObject({ ok: false, line: 1 });
    // equal-looking keys of different types are different keys, as in the package
    expect(parseYamlFrontMatter('1: a\n"1": b\n')).toMatchObject({ ok: true });
  });

  // The package's own check was quadratic: 40,000 keys took 12 s, 100,000 about 80 s.
  // A synchronous test cannot be stopped by the test timeout, so the bound is checked here,
  // far above what linear time needs (2-3 s on a quiet machine).
  it('are found among 100,000 keys in linear time, when the file needs the full parser', () => {
    let text = 'anchor: &a 1\nalias: *a\n';
    for (let i = 0; i < 100_000; i++) text += `k${i.toString(36)}: 1\n`;
    const start = performance.now();
    const dup = parseYamlFrontMatter(`${text}k0: 2\n`);
    expect(performance.now() - start).toBeLessThan(60_000);
    const ok = parseYamlFrontMatter(text);
    expect(ok.ok && Object.keys(ok.data)).toHaveLength(100_002);
    expect(dup).toMatchObject({ ok: false, line: 100_002, message: 'Map keys must be unique' });
  });
});
