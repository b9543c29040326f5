import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN, PRIORITIES, STATUSES } from '../../src/schema/fields.js';
import { TaskSchema } from '../../src/schema/task.js';
import { validateTaskFast } from '../../src/schema/task-fast.js';

const validId = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
  .filter((s) => ID_PATTERN.test(s));
const invalidId = fc.constantFrom('', '-a', '.x', 'a/b', '../x', 'a b', 'é', 'a'.repeat(65), 'a\n');
const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.constant(new Date(0)),
);
const validDate = fc.constantFrom(
  '2026-12-01',
  '2028-02-29',
  '2026-12-01T23:59:59Z',
  '2026-12-01T10:00:00Z',
  '2026-12-01 10:00',
  '2026-12-01T10:00:00.123+02:00',
  '2026-12-01T10:00:00-0530',
);
const invalidDate = fc.constantFrom(
  '2026-1-01',
  'tomorrow',
  '2026-12-01T10',
  '20261201',
  '',
  // the right shape, but no such day or time
  '2026-13-45',
  '2026-02-29',
  '2026-04-31',
  '2026-12-31T25:00',
  '2026-12-31T23:60:00Z',
  '2026-12-01T10:00:00+24:00',
);

/** Mostly valid values, sometimes invalid ones, so both verdicts are common. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 15, arbitrary: good }, { weight: 1, arbitrary: bad });

const known = fc.record(
  {
    id: mostly(validId, fc.oneof(invalidId, junk)),
    title: mostly(fc.string({ minLength: 1 }), fc.oneof(fc.constant(''), junk)),
    status: mostly(fc.constantFrom(...STATUSES), fc.oneof(fc.constantFrom('TODO', 'open'), junk)),
    priority: mostly(fc.constantFrom(...PRIORITIES), fc.oneof(fc.constant('urgent'), junk)),
    depends_on: mostly(
      fc.array(validId, { maxLength: 3 }),
      fc.oneof(fc.array(fc.oneof(validId, invalidId, junk), { maxLength: 3 }), junk, validId),
    ),
    labels: mostly(
      fc.array(fc.string(), { maxLength: 3 }),
      fc.oneof(fc.array(fc.oneof(fc.string(), junk), { minLength: 1, maxLength: 3 }), junk),
    ),
    assignee: mostly(
      fc.oneof(fc.string({ minLength: 1 }), fc.constant(null)),
      fc.oneof(fc.constant(''), junk),
    ),
    estimate: mostly(
      fc.constantFrom('30m', '4h', '1.5h', '2d', '1w', null),
      fc.oneof(fc.constantFrom('4 h', '4H', 'h', '1.h', '2y'), junk),
    ),
    due: mostly(fc.oneof(validDate, fc.constant(null)), fc.oneof(invalidDate, junk)),
    created: mostly(fc.oneof(validDate, fc.constant(null)), fc.oneof(invalidDate, junk)),
    updated: mostly(fc.oneof(validDate, fc.constant(null)), fc.oneof(invalidDate, junk)),
    not_before: mostly(fc.oneof(validDate, fc.constant(null)), fc.oneof(invalidDate, junk)),
    parent: mostly(fc.oneof(validId, fc.constant(null)), fc.oneof(invalidId, junk)),
  },
  { requiredKeys: ['id', 'title'] },
);

/** Keys the fast validator checks only when present (`lease` always goes to zod). */
const zodOnly = fc.record(
  {
    skills: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), junk),
    resources: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), junk),
    inputs: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), junk),
    reviewers: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), junk),
    result: fc.oneof(fc.record({ commit: fc.string(), fingerprint: fc.string() }), junk),
    lease: fc.oneof(fc.record({ agent: fc.string(), until: validDate }), junk),
    attempts: fc.oneof(fc.nat(5), junk),
    max_attempts: fc.oneof(fc.integer({ min: 0, max: 5 }), junk),
  },
  { requiredKeys: [] },
);

// `__proto__` is left out here: see the last case below.
const userKeys = fc.dictionary(
  fc
    .oneof(fc.string(), fc.constantFrom('x-note', 'constructor', 'toString', 'hasOwnProperty'))
    .filter((k) => k !== '__proto__'),
  fc.oneof(fc.anything(), fc.constant(undefined)),
  { maxKeys: 3 },
);

/** Owned keys set to `undefined`, as a YAML loader never does but a caller might. */
const undefinedKeys = fc
  .subarray(['assignee', 'status', 'due', 'labels', 'parent'])
  .map((keys) => Object.fromEntries(keys.map((k) => [k, undefined])));

/** Sometimes drop a required key. */
const dropped = fc.oneof(
  { weight: 6, arbitrary: fc.constant([] as string[]) },
  { weight: 1, arbitrary: fc.subarray(['id', 'title'], { minLength: 1 }) },
);

const rawTask: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: userKeys }),
    fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: zodOnly }),
    fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: undefinedKeys }),
    known,
    dropped,
  )
  .map(([user, zod, undef, owned, drop]) => {
    const raw: Record<string, unknown> = { ...user, ...zod, ...undef, ...owned };
    for (const key of drop) delete raw[key];
    return raw;
  });

describe('validateTaskFast agrees with zod', () => {
  it('never accepts what zod rejects, and returns what zod returns', () => {
    fc.assert(
      fc.property(rawTask, (raw) => {
        const fast = validateTaskFast({ ...raw });
        if (fast === undefined) return;
        const zod = TaskSchema.safeParse(raw);
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data);
        expect(Object.keys(fast).sort()).toEqual(Object.keys(zod.data!).sort());
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts a fair share of what zod accepts (the generator reaches the fast path)', () => {
    const sample = fc.sample(rawTask, { numRuns: 2000, seed: 42 });
    const zodOk = sample.filter((raw) => TaskSchema.safeParse(raw).success);
    const fastOk = zodOk.filter((raw) => validateTaskFast({ ...raw }) !== undefined);
    expect(zodOk.length).toBeGreaterThan(200);
    expect(fastOk.length).toBeGreaterThan(zodOk.length / 2);
  });

  // zod drops an own key named `__proto__` (the YAML layer keeps it as an ordinary key):
  // the fast path leaves such an object to zod, so the two cannot disagree.
  it('leaves an own __proto__ key to zod', () => {
    const raw = JSON.parse('{"id":"a","title":"T","__proto__":{"x":1}}') as Record<string, unknown>;
    expect(validateTaskFast(raw)).toBeUndefined();
    expect(Object.hasOwn(TaskSchema.parse(raw), '__proto__')).toBe(false);
  });
});
