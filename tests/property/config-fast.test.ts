/** The fast config validator never accepts what zod rejects, and then returns what zod returns. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/schema/config.js';
import { validateConfigFast } from '../../src/schema/config-fast.js';

const value = fc.oneof(
  fc.constantFrom(
    't',
    'T',
    'job',
    'a.b',
    'bad prefix',
    '-x',
    'main',
    'Main',
    'a..b',
    '1h',
    '30m',
    'x',
  ),
  fc.constantFrom(0, 1, 3, 8, -1, 2.5, Number.NaN),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ every_days: 3 }),
  fc.constant([]),
);
const key = fc.constantFrom(
  'prefix',
  'default_namespace',
  'branch_namespaces',
  'default_estimate',
  'hours_per_day',
  'days_per_week',
  'aging',
  'max_attempts',
  'caches',
  'unknown_key',
);

describe('validateConfigFast agrees with zod', () => {
  it('on random configs', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (raw) => {
        const fast = validateConfigFast(raw);
        const zod = ConfigSchema.safeParse(raw);
        if (fast !== undefined) {
          expect(zod.success).toBe(true);
          expect(fast).toEqual(zod.data);
        }
      }),
      { numRuns: Number(process.env.BATON_PROPERTY_RUNS ?? 2000) },
    );
  });

  it('takes the flat config that init writes', () => {
    const raw = {
      prefix: 't',
      branch_namespaces: true,
      default_namespace: 'main',
      default_estimate: '1h',
    };
    expect(validateConfigFast(raw)).toEqual(ConfigSchema.parse(raw));
  });
});

describe('DEFAULT_CONFIG', () => {
  it('is exactly what the schema gives for an empty config', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/schema/config-defaults.js');
    expect(DEFAULT_CONFIG).toEqual(ConfigSchema.parse({}));
  });
});
