import { describe, expect, it } from 'vitest';
import { type Decoded, decodeTask } from '../../src/format/decode.js';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';

async function decode(text: string): Promise<Decoded> {
  const first = decodeTask(text);
  if (first !== 'needs-yaml') return first;
  const mod = await import('../../src/format/yaml-parse.js');
  const second = decodeTask(text, mod.parseYamlFrontMatter);
  if (second === 'needs-yaml') throw new Error('still needs yaml');
  return second;
}

describe('decodeTask', () => {
  it('decodes flat front matter on the fast path with 1-based file lines', () => {
    const d = decodeTask('---\nid: a\ntitle: T\n---\nBody\n');
    expect(d).toEqual({ ok: true, data: { id: 'a', title: 'T' }, lines: { id: 2, title: 3 } });
  });

  it('asks for the yaml parser only when the fast path cannot read the file', async () => {
    const text = '\uFEFF---\r\nid: a\r\nextra:\r\n  nested: &anchor {k: v}\r\n---\r\nBody\r\n';
    expect(decodeTask(text)).toBe('needs-yaml');
    expect(await decode(text)).toEqual({
      ok: true,
      data: { id: 'a', extra: { nested: { k: 'v' } } },
      lines: { id: 2, extra: 3 },
    });
  });

  it('reports malformed YAML at its file line', async () => {
    const d = await decode('---\nid: a\ntitle: b: c\n---\n');
    expect(d).toMatchObject({ ok: false, line: 3 });
  });

  it('rejects JavaScript front matter without evaluating it', async () => {
    let exited = false;
    const realExit = process.exit;
    process.exit = (() => {
      exited = true;
    }) as typeof process.exit;
    try {
      const text = '---js\n{ id: "a", x: process.exit(1), y: (globalThis.pwned = 1) }\n---\nBody\n';
      const d = decodeTask(text, parseYamlFrontMatter);
      expect(d).toMatchObject({
        ok: false,
        line: 1,
        message: expect.stringMatching(/not accepted/),
      });
    } finally {
      process.exit = realExit;
    }
    expect(exited).toBe(false);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('refuses an alias bomb', async () => {
    let fm = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
    for (let i = 0; i < 9; i++)
      fm += `b${i}: &b${i} [${Array(9)
        .fill(i ? `*b${i - 1}` : '*a')
        .join(',')}]\n`;
    const d = await decode(`---\n${fm}---\n`);
    expect(d).toMatchObject({ ok: false, message: expect.stringMatching(/alias/) });
  });

  it('reports conflict markers in the front matter as a conflict on their line', async () => {
    const text = [
      '---',
      'id: a',
      '<<<<<<< HEAD',
      'status: done',
      '=======',
      'status: in_progress',
      '>>>>>>> feature',
      '---',
      'Body',
      '',
    ].join('\n');
    expect(await decode(text)).toMatchObject({ ok: false, conflict: true, line: 3 });
    const fence = '<<<<<<< HEAD\n---\nid: a\n---\n=======\n---\nid: b\n---\n>>>>>>> x\n';
    expect(await decode(fence)).toMatchObject({ ok: false, conflict: true, line: 1 });
  });

  it('reads a file with conflict markers only in the body and says where they are', async () => {
    const text =
      '---\nid: a\n---\nIntro\n<<<<<<< HEAD\nmine\n||||||| base\nold\n=======\ntheirs\n>>>>>>> b\n';
    expect(await decode(text)).toEqual({
      ok: true,
      data: { id: 'a' },
      lines: { id: 2 },
      conflictLine: 5,
    });
  });

  it('does not take a Markdown heading underline for a conflict', async () => {
    const d = await decode('---\nid: a\n---\nTitle\n=======\n');
    expect(d).toEqual({ ok: true, data: { id: 'a' }, lines: { id: 2 } });
  });

  it('passes on split errors', () => {
    expect(decodeTask('no front matter\n')).toMatchObject({
      ok: false,
      line: 1,
      message: /no front matter/,
    });
  });
});
