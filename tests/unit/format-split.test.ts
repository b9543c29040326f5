import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFile } from '../../src/format/split.js';

describe('splitFile', () => {
  it('splits a plain file and can rebuild it exactly', () => {
    const text = '---\nid: a\ntitle: T\n---\nBody\n\n## Log\n';
    const s = splitFile(text);
    expect(s).toMatchObject({
      ok: true,
      bom: false,
      eol: '\n',
      fmText: 'id: a\ntitle: T\n',
      firstLine: 2,
      body: 'Body\n\n## Log\n',
      bodyLine: 5,
    });
    if (!s.ok) return;
    expect(`---${s.eol}${s.fmText}---${s.eol}${s.body}`).toBe(text);
    expect(text.slice(s.fmStart, s.fmEnd)).toBe(s.fmText);
    expect(text.slice(s.bodyStart)).toBe(s.body);
  });

  it('remembers a BOM and CRLF line endings', () => {
    const text = '\uFEFF---\r\nid: a\r\n---\r\nBody\r\n';
    const s = splitFile(text);
    expect(s).toMatchObject({
      ok: true,
      bom: true,
      eol: '\r\n',
      fmText: 'id: a\r\n',
      body: 'Body\r\n',
    });
    if (!s.ok) return;
    expect(`\uFEFF---\r\n${s.fmText}---\r\n${s.body}`).toBe(text);
    expect(text.slice(s.fmStart, s.fmEnd)).toBe(s.fmText);
  });

  it('accepts empty front matter, a file ending at the fence, and `...` as the closing fence', () => {
    expect(splitFile('---\n---\n')).toMatchObject({ ok: true, fmText: '', body: '', bodyLine: 3 });
    const s = splitFile('---\nid: a\n---');
    expect(s).toMatchObject({ ok: true, fmText: 'id: a\n', body: '' });
    if (s.ok) expect(s.bodyStart).toBe(13);
    expect(splitFile('---\nid: a\n...\nx')).toMatchObject({ ok: true, body: 'x' });
    expect(splitFile('---  \nid: a\n---  \nx')).toMatchObject({
      ok: true,
      fmText: 'id: a\n',
      body: 'x',
    });
    expect(splitFile('---yaml\nid: a\n---\n')).toMatchObject({ ok: true, fmText: 'id: a\n' });
  });

  it('does not take `----` or `--- x` inside the front matter as the closing fence', () => {
    const s = splitFile('---\na: ----\n----\n---\n');
    expect(s).toMatchObject({ ok: true, fmText: 'a: ----\n----\n' });
  });

  it('refuses front matter in other languages, naming the language', () => {
    for (const [first, lang] of [
      ['---js', 'js'],
      ['---javascript', 'javascript'],
      ['---coffee', 'coffee'],
      ['---json', 'json'],
      ['---toml', 'toml'],
      ['+++', 'toml'],
      ['{', 'json'],
    ]) {
      const s = splitFile(`${first}\nx = 1\n${first === '{' ? '}' : first}\nbody\n`);
      expect(s).toEqual({
        ok: false,
        line: 1,
        message: `front matter in "${lang}" is not accepted; only YAML front matter is (nothing was evaluated)`,
      });
    }
  });

  it('reports a missing or unclosed front matter at line 1', () => {
    expect(splitFile('# Title\n')).toEqual({
      ok: false,
      line: 1,
      message: 'no front matter: the file must start with a line "---"',
    });
    expect(splitFile('')).toMatchObject({ ok: false, line: 1 });
    expect(splitFile('---\nid: a\n')).toEqual({
      ok: false,
      line: 1,
      message: 'front matter is not closed by a "---" line',
    });
    expect(splitFile('---')).toMatchObject({ ok: false, message: /not closed/ });
  });

  it('ends lines at LF only, and finds the same fence as a line-by-line reading', () => {
    expect(splitFile('---\na: 1\r---\nb\n')).toMatchObject({ ok: false });
    expect(splitFile('---\na: 1\n--- \rx\n---\n')).toMatchObject({ ok: true, bodyLine: 5 });
    expect(splitFile('---\na\u2028---\n')).toMatchObject({ ok: false });
    /** The closing fence by reading line after line, as the spec states it. */
    const reference = (text: string) => {
      const lines = text.split('\n');
      let offset = lines[0]!.length + 1;
      for (let i = 1; i < lines.length; i++) {
        const t = lines[i]!.replace(/[\r \t]+$/, '');
        if (t === '---' || t === '...') {
          const bodyStart = Math.min(text.length, offset + lines[i]!.length + 1);
          return {
            fmText: text.slice(lines[0]!.length + 1, offset),
            body: text.slice(bodyStart),
            bodyLine: i + 2,
          };
        }
        offset += lines[i]!.length + 1;
      }
      return undefined;
    };
    const piece = fc.constantFrom(
      '---',
      '...',
      '\n',
      '\r',
      ' ',
      '\t',
      'a',
      ': ',
      '-',
      '\u2028',
      '.',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = `---\n${pieces.join('')}`;
        const want = reference(text);
        const got = splitFile(text);
        if (want === undefined) expect(got.ok).toBe(false);
        else expect(got).toMatchObject({ ok: true, ...want });
      }),
      { numRuns: 3000 },
    );
  });
});
