import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeTask } from '../../src/format/decode.js';
import { setFields } from '../../src/format/edit.js';
import { parseFlatYaml } from '../../src/format/fast-yaml.js';
import { renderTask } from '../../src/format/render.js';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';

/** BATON_PROPERTY_RUNS=100000 for a long soak. */
const RUNS = { numRuns: Number(process.env.BATON_PROPERTY_RUNS ?? 2000) };
/** For properties that run the `yaml` package several times per case. */
const SLOW_RUNS = { numRuns: Math.ceil(RUNS.numRuns / 4) };

/** What the reference parser says, or `'error'` when it rejects the text. */
function reference(text: string): unknown {
  try {
    return parse(text, { schema: 'core', prettyErrors: false }) ?? {};
  } catch {
    return 'error';
  }
}

const TRICKY = [
  '1',
  '0',
  '-1',
  '+12',
  '007',
  '00',
  '-0',
  '9007199254740993',
  '123456789012345678',
  '1e3',
  '.5',
  '1.',
  '1.5',
  '-2.5e-3',
  '0x1F',
  '0o17',
  '0b101',
  '1_000',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'yes',
  'no',
  'on',
  'null',
  'Null',
  'NULL',
  '~',
  'nULL',
  '2026-12-01',
  '2026-11-22T10:00:00Z',
  '2026-11-22T10:00:00+01:00',
  '2026-11-22 10:00',
  '30m',
  '1.5h',
  '05m',
  '2w',
  '1.5e3h',
  '4hx',
  '12:30',
  '10:00:00',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#x',
  'a, b',
  '[a]',
  '{a}',
  'x]',
  'a[0]',
  "'q'",
  '"q"',
  "it's",
  'say "hi"',
  '- x',
  '-x',
  '-',
  '--',
  '---',
  '...',
  '?',
  '? x',
  '!tag',
  '&a',
  '*a',
  '|',
  '>',
  '%x',
  '@x',
  '`x`',
  'a\\b',
  'é',
  'Über',
  '日本',
  '😀',
  'a\u00a0b',
  'a\u2028b',
  'a\u0085b',
  '\ufeffx',
  '  lead',
  'trail  ',
  'a  b',
  'http://x.y/z',
  '/path',
  '(x)',
  '_u',
  '$x',
  '=',
  '<<',
  'a\tb',
  '',
];

const plainish = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.stringMatching(/^[A-Za-z0-9 ._:#'",\-[\]{}]{1,12}$/),
  fc.string({ maxLength: 8, unit: 'grapheme' }),
);

const quoted = fc.oneof(
  plainish.map((s) => `"${s}"`),
  plainish.map((s) => `'${s}'`),
  plainish.map((s) => `'${s.replace(/'/g, "''")}'`),
);

/** A front-matter grammar; `tricky` weighs how often the odd choices come up. */
function grammar(tricky: number): fc.Arbitrary<string> {
  const odd = (common: string[], rare: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...common) },
      { weight: tricky, arbitrary: fc.constantFrom(...rare) },
    );
  const nice = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,10}[A-Za-z0-9]$/);
  const scalarText = fc.oneof(
    { weight: tricky, arbitrary: plainish },
    { weight: 1, arbitrary: quoted },
    { weight: 4, arbitrary: nice },
  );
  const flowList = fc
    .tuple(fc.array(scalarText, { maxLength: 4 }), odd([', '], [',', ' , ']), fc.boolean())
    .map(([items, sep, pad]) => (pad ? `[ ${items.join(sep)} ]` : `[${items.join(sep)}]`));
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/) },
    // few names, so duplicate keys come up often
    { weight: 2, arbitrary: fc.constantFrom('id', 'title', 'status', 'labels', 'a-b', '_x') },
    {
      weight: tricky,
      arbitrary: fc.constantFrom(
        'true',
        'null',
        '__proto__',
        'constructor',
        '1',
        'a b',
        'k ',
        '"q"',
        '-k',
      ),
    },
  );
  const spacing = odd([' '], ['  ', '    ', '', '\t']);
  const trailing = odd([''], [' ', '  # c', ' #c', '#c', '\t']);
  const blockList = fc
    .tuple(fc.array(scalarText, { minLength: 1, maxLength: 3 }), odd(['  ', ''], ['    ', ' ']))
    .map(([items, indent]) => items.map((i) => `\n${indent}- ${i}`).join(''));
  const line = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(key, spacing, scalarText, trailing)
        .map(([k, s, v, t]) => `${k}:${s}${v}${t}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(key, spacing, flowList, trailing)
        .map(([k, s, v, t]) => `${k}:${s}${v}${t}`),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(key, trailing, blockList).map(([k, t, b]) => `${k}:${t}${b}`),
    },
    { weight: 1, arbitrary: key.map((k) => `${k}:`) },
    {
      weight: 1,
      arbitrary: odd(['# comment', ''], ['  # indented', '   ', '  - stray', 'plain line']),
    },
  );
  return fc
    .tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'))
    .map(([lines, eol]) => lines.map((l) => l.replace(/\n/g, eol) + eol).join(''));
}

describe('parseFlatYaml agrees with yaml (core schema)', () => {
  it.each([
    ['tricky', 3, 0.04],
    ['mostly flat', 1, 0.2],
  ])('returns undefined or exactly what yaml returns (%s grammar)', (_name, tricky, minTaken) => {
    const frontMatter = grammar(tricky);
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(frontMatter, (text) => {
        total++;
        const fast = parseFlatYaml(text);
        if (fast === undefined) return;
        taken++;
        const ref = reference(text);
        // compare entries: an own key named `constructor` confuses toStrictEqual's type check
        expect(ref).toBeTypeOf('object');
        expect(Object.getPrototypeOf(fast.data)).toBe(Object.getPrototypeOf(ref));
        expect(Object.entries(fast.data)).toStrictEqual(Object.entries(ref as object));
      }),
      RUNS,
    );
    // the grammar is tricky on purpose, but the property must not hold only vacuously
    expect(taken / total).toBeGreaterThan(minTaken);
  });

  it('gives each key the line yaml gives it', () => {
    const frontMatter = grammar(1);
    fc.assert(
      fc.property(frontMatter, (text) => {
        const fast = parseFlatYaml(text);
        const full = parseYamlFrontMatter(text);
        if (fast !== undefined && full.ok) expect(fast.lines).toEqual(full.lines);
      }),
      RUNS,
    );
  });
});

/**
 * Front matter as people write it by hand: comments after values and on lines of their own
 * at any indentation, blank and whitespace-only lines, nested block maps and lists at odd
 * indentations (lists also at their key's column), block scalars with every chomping mode
 * and leading, inner and trailing empty lines, quoted scalars with escapes, floats, flow
 * lists and maps, CRLF or mixed line endings, a byte order mark, and keys from a small pool
 * so duplicates come up at every level. `tricky` weighs how often the odd choices come up.
 */
function handWritten(tricky: number): fc.Arbitrary<string> {
  const odd = <T>(common: T[], rare: T[]) =>
    fc.oneof(
      { weight: 60, arbitrary: fc.constantFrom(...common) },
      { weight: tricky, arbitrary: fc.constantFrom(...rare) },
    );
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,8}$/);
  const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
  const scalar = fc.oneof(
    { weight: 24, arbitrary: words },
    { weight: 8, arbitrary: words.map((w) => `"${w}"`) },
    { weight: 4, arbitrary: words.map((w) => `'${w}'`) },
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        '1.5',
        '-0.25',
        '1e3',
        '3.0',
        '2.',
        '42',
        '-7',
        'true',
        'null',
        '~',
        '2026-12-01',
        '2026-11-22T10:00:00Z',
        '4h',
        'a#b',
        "it's",
        '"a\\nb"',
        '"tab\\there"',
        '"say \\"hi\\""',
        '"back\\\\slash"',
        '"\\u00e9t\\u00e9"',
        '"\\x41\\/\\0"',
        '"\\N\\_\\L\\P\\e\\a\\b\\v\\f\\r\\ "',
        "'it''s'",
        '"日本 😀"',
      ),
    },
    {
      weight: tricky,
      arbitrary: fc.oneof(
        fc.constantFrom(...TRICKY),
        fc.constantFrom('"\\U0001F600"', '"\\q"', '"\\x4"', '"\\ud800"', '"a\tb"', '"a'),
      ),
    },
  );
  const flow = fc.oneof(
    fc.array(scalar, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc
      .array(fc.tuple(fc.constantFrom('a', 'b', 'agent', 'until', 'x_1'), scalar), { maxLength: 3 })
      .map((kvs) => `{ ${kvs.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
    odd(
      ['{}', '[]', '{a: [x, y]}'],
      ['{ a }', '{a:1}', '{ a: }', '{a: 1,}', '[a, [b]]', '{a: {b: 1}}'],
    ),
  );
  const after = odd(
    ['', '', '  # set at triage', ' # c'],
    ['#c', '\t# c', ' #', ' # a: b # c', ' ###', '  ', ' # x\ry'],
  );
  const key = fc.oneof(
    { weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/) },
    // few names, so duplicate keys come up at every level
    { weight: 3, arbitrary: fc.constantFrom('id', 'title', 'a', 'b', 'x-y', '_k') },
    {
      weight: tricky,
      arbitrary: fc.constantFrom('true', 'null', '__proto__', 'constructor', '1', 'a b', '"q"'),
    },
  );
  const step = odd(['  ', '  ', '    '], [' ', '   ', '      ', '\t']);
  /** Whole-line comments, blank and whitespace-only lines, and (tricky) stray lines. */
  const filler = fc.array(
    fc.oneof(
      { weight: 45, arbitrary: fc.constantFrom('', '# note', '  # indented', '      # deep') },
      { weight: 15, arbitrary: fc.constantFrom('   ', '#', '# x: y', '    #- z') },
      { weight: tricky, arbitrary: fc.constantFrom('  stray', '- item', '\t# tab', ' x: 1') },
    ),
    { maxLength: 2 },
  );
  /**
   * A block scalar: header, then lines as [extra spaces past its indentation, text], text
   * `null` for an empty line (extra then counts from the indentation, and may be negative).
   * Empty lines may come first (the more-indented ones are a known trap) and more-indented
   * lines after the first line of text.
   */
  type BodyLine = [number, string | null];
  const text = fc.oneof(
    { weight: 5, arbitrary: words },
    { weight: 2, arbitrary: fc.constantFrom('# not a comment', 'key: value', '- item', '"q"') },
    { weight: 1, arbitrary: fc.constantFrom('trail  ', 'é ü', 'a #b', '[x]') },
  );
  const emptyLine: fc.Arbitrary<BodyLine> = fc.tuple(odd([-99, -1, 0], [1, 2]), fc.constant(null));
  const bodyLine: fc.Arbitrary<BodyLine> = fc.oneof(
    { weight: 20, arbitrary: fc.tuple(fc.constant(0), text) },
    { weight: 6, arbitrary: emptyLine },
    { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), text) },
    {
      weight: tricky,
      arbitrary: fc.tuple(fc.constant(0), fc.constantFrom('a\tb', '\tx', 'a\rb', '\ufeffx')),
    },
  );
  const block = fc
    .tuple(
      odd(['|', '|-', '|+', '>', '>-', '>+'], ['|2', '>1-', '|-1', '|#c', '>  # c']),
      fc.array(emptyLine, { maxLength: 2 }),
      text,
      fc.array(bodyLine, { maxLength: 5 }),
      odd([false], [true]), // an empty block scalar: left to `yaml`
    )
    .map(
      ([header, lead, first, rest, empty]) =>
        [header, empty ? lead : [...lead, [0, first] as BodyLine, ...rest]] as const,
    );

  type Render = (indent: string, out: string[]) => void;
  const entry = (depth: number): fc.Arbitrary<Render> => {
    const line = (k: string, rest: string, indent: string, pre: string[], out: string[]) => {
      for (const f of pre) out.push(f);
      out.push(`${indent}${k}:${rest}`);
    };
    const kinds: fc.WeightedArbitrary<Render>[] = [
      {
        weight: 6,
        arbitrary: fc.tuple(filler, key, odd([' '], ['  ', '']), scalar, after).map(
          ([pre, k, sp, v, c]) =>
            (indent, out) =>
              line(k, `${sp}${v}${c}`, indent, pre, out),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(filler, key, flow, after).map(
          ([pre, k, v, c]) =>
            (indent, out) =>
              line(k, ` ${v}${c}`, indent, pre, out),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(filler, key, after).map(
          ([pre, k, c]) =>
            (indent, out) =>
              line(k, c, indent, pre, out),
        ),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            filler,
            key,
            after,
            odd(['  ', ''], ['    ', ' ']),
            fc.array(fc.tuple(filler, scalar, after), { minLength: 1, maxLength: 3 }),
          )
          .map(([pre, k, c, sub, items]) => (indent, out) => {
            line(k, c, indent, pre, out);
            for (const [f, v, ic] of items) out.push(...f, `${indent}${sub}- ${v}${ic}`);
          }),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(filler, key, step, block, after)
          .map(([pre, k, sub, [header, body], c]) => (indent, out) => {
            line(k, ` ${header}${c}`, indent, pre, out);
            const inner = indent + sub;
            for (const [extra, t] of body) {
              if (t === null) out.push(' '.repeat(Math.max(0, inner.length + extra)));
              else out.push(inner + ' '.repeat(extra) + t);
            }
          }),
      },
    ];
    if (depth > 0) {
      kinds.push({
        weight: 3,
        arbitrary: fc
          .tuple(
            filler,
            key,
            after,
            step,
            fc.array(entry(depth - 1), { minLength: 1, maxLength: 3 }),
          )
          .map(([pre, k, c, sub, children]) => (indent, out) => {
            line(k, c, indent, pre, out);
            for (const child of children) child(indent + sub, out);
          }),
      });
    }
    return fc.oneof(...kinds);
  };
  return fc
    .tuple(
      fc.array(entry(2), { maxLength: 6 }),
      filler,
      odd(['\n', '\r\n'], ['mixed']),
      odd([''], ['\ufeff']),
    )
    .chain(([entries, tail, eol, bom]) => {
      const out: string[] = [];
      for (const e of entries) e('', out);
      out.push(...tail);
      const ends = fc.array(fc.constantFrom('\n', '\r\n'), {
        minLength: out.length,
        maxLength: out.length,
      });
      return (eol === 'mixed' ? ends : fc.constant(out.map(() => eol))).map(
        (es) => bom + out.map((l, i) => l + es[i]).join(''),
      );
    });
}

/**
 * Deep equality that also holds key order, -0 and prototypes, and is not confused by an own
 * key named `constructor` (toStrictEqual is).
 */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  if (ea.length !== eb.length) return false;
  return ea.every(([k, v], i) => eb[i]![0] === k && same(v, eb[i]![1]));
}

/** What `yaml` says as baton calls it (`yaml-parse.ts`): the data and top-level key lines. */
function asBaton(text: string) {
  const r = parseYamlFrontMatter(text);
  return r.ok ? r : undefined;
}

describe('parseFlatYaml agrees with yaml on hand-written front matter', () => {
  it.each([
    ['hand-written', 1, 0.55],
    ['tricky hand-written', 15, 0.1],
  ])('returns undefined or what yaml returns, with its key lines (%s)', (_n, tricky, minTaken) => {
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(handWritten(tricky), (text) => {
        total++;
        const fast = parseFlatYaml(text);
        if (fast === undefined) return;
        taken++;
        const ref = asBaton(text);
        expect(ref, 'yaml refuses what the fast path read').toBeDefined();
        if (!same(fast.data, ref!.data)) expect(fast.data).toStrictEqual(ref!.data);
        expect(Object.entries(fast.lines)).toStrictEqual(Object.entries(ref!.lines));
      }),
      RUNS,
    );
    expect(taken / total).toBeGreaterThan(minTaken);
  });
});

// values a task's front matter really holds
const simpleString = fc.oneof(
  fc.constantFrom(
    'todo',
    'in_progress',
    'high',
    'auth-k3x9',
    '4h',
    '2026-12-01',
    '2026-11-22T10:00:00Z',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]$/),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
);
const anyString = fc.oneof(simpleString, fc.string({ maxLength: 12 }), fc.constantFrom(...TRICKY));
const fieldValue = fc.oneof(
  anyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 4 }),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(anyString, fc.integer()), {
    maxKeys: 3,
  }),
);
const fieldKey = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,10}$/)
  .filter((k) => !['true', 'false', 'null'].includes(k));
const fields = fc.uniqueArray(fc.tuple(fieldKey, fieldValue), {
  selector: ([k]) => k,
  maxLength: 10,
});
const bodies = fc.constantFrom(
  '',
  'Body text.\n',
  '\n## Log\n- 2026-01-01 alice: x\n',
  'no newline',
);

function decodeFull(text: string) {
  const d = decodeTask(text, parseYamlFrontMatter);
  if (d === 'needs-yaml' || !d.ok) throw new Error(`did not decode: ${JSON.stringify(d)}`);
  return d;
}

describe('render, decode and edit', () => {
  it('the fast path takes what baton writes', () => {
    const baton = fc.uniqueArray(
      fc.tuple(
        fieldKey,
        fc.oneof(
          simpleString,
          fc.array(simpleString, { maxLength: 4 }),
          fc.nat(),
          fc.boolean(),
          fc.constant(null),
        ),
      ),
      { selector: ([k]) => k, maxLength: 12 },
    );
    fc.assert(
      fc.property(
        baton,
        fc.constantFrom('\n', '\r\n') as fc.Arbitrary<'\n' | '\r\n'>,
        (fs, eol) => {
          const text = renderTask(fs, 'Body\n', eol);
          const d = decodeTask(text);
          expect(d).not.toBe('needs-yaml');
          if (d === 'needs-yaml' || !d.ok) return;
          expect(Object.entries(d.data)).toStrictEqual(fs.map(([k, v]) => [k, v]));
        },
      ),
      RUNS,
    );
  });

  it('decodeTask(renderTask(fields, body)) round-trips', () => {
    fc.assert(
      fc.property(fields, bodies, (fs, body) => {
        const text = renderTask(fs, body);
        const d = decodeFull(text);
        expect(d.data).toEqual(Object.fromEntries(fs));
        expect(text.endsWith(body)).toBe(true);
      }),
      SLOW_RUNS,
    );
  });

  it('setFields changes one key and nothing else', () => {
    fc.assert(
      fc.property(fields, fieldKey, fieldValue, bodies, (fs, k, v, body) => {
        const text = renderTask(fs, body);
        const before = decodeFull(text).data;
        const edited = setFields(text, { [k]: v });
        const after = decodeFull(edited).data;
        expect(after).toEqual({ ...before, [k]: v });
        expect(edited.endsWith(body)).toBe(true);
        expect(setFields(edited, { [k]: v })).toBe(edited);
      }),
      SLOW_RUNS,
    );
  });

  it('setFields on hand-written front matter edits one key or refuses', () => {
    let refused = 0;
    let total = 0;
    fc.assert(
      fc.property(
        grammar(1),
        fc.constantFrom('status', 'labels', 'new_key'),
        fieldValue,
        (fm, k, v) => {
          const text = `---\n${fm}---\nBody\n`;
          const parsed = parseYamlFrontMatter(fm);
          if (!parsed.ok) return;
          total++;
          // give the chosen key a value first when the grammar did not produce it
          const base = Object.hasOwn(parsed.data, k) ? text : setFields(text, { [k]: 'x' });
          const before = decodeFull(base).data;
          let edited: string;
          try {
            edited = setFields(base, { [k]: v });
          } catch (err) {
            expect((err as Error).message).toMatch(/cannot edit/);
            refused++;
            return;
          }
          expect(decodeFull(edited).data).toEqual({ ...before, [k]: v });
          expect(edited.startsWith('---\n')).toBe(true);
          expect(edited.endsWith('---\nBody\n')).toBe(true);
        },
      ),
      SLOW_RUNS,
    );
    expect(refused / Math.max(total, 1)).toBeLessThan(0.05);
  });
});
