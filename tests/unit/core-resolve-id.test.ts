import { describe, expect, it } from 'vitest';
import { resolveId } from '../../src/core/resolve-id.js';

const ids = ['auth-k3x9', 'auth-k3y2', 'db-1', 'db-12', 'T-00042', 'Zed'];

describe('resolveId', () => {
  it('takes an exact id, even when it prefixes others', () => {
    expect(resolveId(ids, 'db-1')).toEqual({ ok: true, id: 'db-1' });
  });

  it('takes a unique prefix', () => {
    expect(resolveId(ids, 'auth-k3x')).toEqual({ ok: true, id: 'auth-k3x9' });
    expect(resolveId(ids, 'db-12')).toEqual({ ok: true, id: 'db-12' });
  });

  it('lists candidates of an ambiguous prefix, sorted', () => {
    expect(resolveId(ids, 'auth')).toEqual({
      ok: false,
      reason: 'ambiguous',
      candidates: ['auth-k3x9', 'auth-k3y2'],
    });
  });

  it('falls back to case-insensitive matching', () => {
    expect(resolveId(ids, 't-000')).toEqual({ ok: true, id: 'T-00042' });
    expect(resolveId(ids, 'zed')).toEqual({ ok: true, id: 'Zed' });
    expect(resolveId(['Ab', 'ab-2'], 'AB')).toEqual({ ok: true, id: 'Ab' });
  });

  it('reports unknown and empty queries as not found', () => {
    expect(resolveId(ids, 'nope')).toEqual({ ok: false, reason: 'not-found', candidates: [] });
    expect(resolveId(ids, '')).toEqual({ ok: false, reason: 'not-found', candidates: [] });
  });

  it('caps candidates at ten and ignores repeated ids', () => {
    const many = Array.from({ length: 15 }, (_, i) => `t-${String(i).padStart(2, '0')}`);
    const r = resolveId([...many, ...many], 't-');
    expect(r).toEqual({ ok: false, reason: 'ambiguous', candidates: many.slice(0, 10) });
    expect(resolveId(['x-1', 'x-1'], 'x')).toEqual({ ok: true, id: 'x-1' });
  });
});
