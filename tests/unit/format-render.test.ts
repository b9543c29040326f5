import { describe, expect, it } from 'vitest';
import { decodeTask } from '../../src/format/decode.js';
import { fieldLine, renderTask, serializeKey, serializeValue } from '../../src/format/render.js';

describe('renderTask', () => {
  it('writes the fields in order, skips undefined, and decodes on the fast path', () => {
    const fields: Array<[string, unknown]> = [
      ['id', 'auth-k3x9'],
      ['title', 'Design the users table'],
      ['status', 'todo'],
      ['depends_on', ['auth-2x9q']],
      ['assignee', undefined],
      ['labels', []],
      ['due', '2026-12-01'],
      ['created', '2026-11-22T10:00:00Z'],
      ['parent', null],
    ];
    const text = renderTask(fields, 'Body\n');
    expect(text).toBe(
      '---\nid: auth-k3x9\ntitle: Design the users table\nstatus: todo\ndepends_on: [auth-2x9q]\n' +
        'labels: []\ndue: 2026-12-01\ncreated: 2026-11-22T10:00:00Z\nparent:\n---\nBody\n',
    );
    const d = decodeTask(text);
    expect(d).not.toBe('needs-yaml');
    expect(d).toMatchObject({
      ok: true,
      data: Object.fromEntries(fields.filter(([, v]) => v !== undefined)),
    });
  });

  it('uses the given line ending', () => {
    expect(renderTask([['id', 'a']], '', '\r\n')).toBe('---\r\nid: a\r\n---\r\n');
  });
});

describe('serializeValue', () => {
  it('writes plain, quoted and flow values', () => {
    expect(serializeValue('todo')).toBe('todo');
    expect(serializeValue('true')).toBe('"true"');
    expect(serializeValue('Fix #42: login')).toBe('"Fix #42: login"');
    expect(serializeValue('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(serializeValue(null)).toBe('');
    expect(serializeValue([null, 1, 'a b', 'x,y'])).toBe('[null, 1, a b, "x,y"]');
    expect(serializeValue({ agent: 'alice', n: 2 })).toBe('{ agent: alice, n: 2 }');
    expect(serializeValue({})).toBe('{}');
    expect(serializeValue(Number.NaN)).toBe('.nan');
    expect(serializeValue(-Infinity)).toBe('-.inf');
    expect(serializeValue(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
    expect(() => serializeValue(() => 1)).toThrow(/cannot write/);
  });

  it('quotes keys that are not simple', () => {
    expect(serializeKey('depends_on')).toBe('depends_on');
    expect(serializeKey('true')).toBe('"true"');
    expect(serializeKey('a b')).toBe('"a b"');
    expect(fieldLine('x', null)).toBe('x:');
  });
});
