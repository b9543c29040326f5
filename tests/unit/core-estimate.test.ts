import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateHours,
  parseDate,
  parseDatePattern,
  parseEstimate,
} from '../../src/core/estimate.js';
import { makeConfig } from '../property/reference.js';

const config = makeConfig();

describe('estimateHours', () => {
  it('reads minutes, hours, working days and working weeks', () => {
    expect(estimateHours('30m', config)).toBe(0.5);
    expect(estimateHours('4h', config)).toBe(4);
    expect(estimateHours('1.5h', config)).toBe(1.5);
    expect(estimateHours('2d', config)).toBe(16);
    expect(estimateHours('1w', config)).toBe(40);
    const short = makeConfig({ hours_per_day: 6, days_per_week: 4 });
    expect(estimateHours('2d', short)).toBe(12);
    expect(estimateHours('1w', short)).toBe(24);
  });

  it('falls back to the default estimate, then to one hour', () => {
    expect(estimateHours(undefined, config)).toBe(1);
    expect(estimateHours(null, makeConfig({ default_estimate: '2h' }))).toBe(2);
    expect(estimateHours('soon', makeConfig({ default_estimate: '30m' }))).toBe(0.5);
    expect(estimateHours(null, makeConfig({ default_estimate: 'bad' }))).toBe(1);
    expect(parseEstimate('4 h', config)).toBeUndefined();
  });
});

describe('parseDate', () => {
  it('reads a bare date as midnight UTC', () => {
    expect(parseDate('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
  });

  it('reads date-times with Z, with an offset, and without one (as UTC)', () => {
    const at = Date.UTC(2026, 11, 1, 10, 0, 0);
    expect(parseDate('2026-12-01T10:00:00Z')).toBe(at);
    expect(parseDate('2026-12-01T10:00')).toBe(at);
    expect(parseDate('2026-12-01 10:00:00')).toBe(at);
    expect(parseDate('2026-12-01T12:00:00+02:00')).toBe(at);
    expect(parseDate('2026-12-01T04:30:00-0530')).toBe(at);
    expect(parseDate('2026-12-01T10:00:00.25Z')).toBe(at + 250);
  });

  it('gives undefined for what is not a real date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-12-01T24:00', 'soon', '', null, undefined])
      expect(parseDate(bad)).toBeUndefined();
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDate('0050-01-01')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it('reads the common shapes without the pattern exactly as the pattern does', () => {
    // Near-misses of `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ`: any character of either may be
    // swapped for another digit or a separator, so bad days, hours and shapes all come up.
    const ch = fc.constantFrom(...'0123456789-:TZ .+x');
    const digit = fc.constantFrom(...'0123456789');
    const date = fc.tuple(
      fc.constantFrom('1900', '2000', '2024', '2026', '2100', '0050', '0000', '9999'),
      fc.constantFrom('00', '01', '02', '04', '09', '11', '12', '13'),
      fc.constantFrom('00', '01', '09', '28', '29', '30', '31', '32'),
      fc.constantFrom('', 'T00:00:00Z', 'T23:59:59Z', 'T24:00:00Z', 'T12:60:00Z', 'T12:00:60Z'),
    );
    const text = fc.oneof(
      date.map((p) => p.join('-').replace(/-(T|$)/, '$1')),
      fc.tuple(date, fc.nat(19), ch, digit).map(([p, i, c, d]) => {
        const s = `${p[0]}-${p[1]}-${p[2]}${p[3]}`;
        return s.slice(0, i) + (i % 2 ? c : d) + s.slice(i + 1);
      }),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(parseDate(s)).toBe(parseDatePattern(s));
      }),
      { numRuns: 5000 },
    );
  });
});
