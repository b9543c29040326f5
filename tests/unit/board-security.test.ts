import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  checkEvents,
  checkWrite,
  cookieValue,
  hostAllowed,
  safeEqual,
  validId,
} from '../../src/board/security.js';
import { factsOf, fingerprintOf } from '../../src/board/state.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('board security checks', () => {
  it('accepts only loopback hosts on our port', () => {
    expect(hostAllowed('127.0.0.1:8080', 8080)).toBe(true);
    expect(hostAllowed('localhost:8080', 8080)).toBe(true);
    expect(hostAllowed('[::1]:8080', 8080)).toBe(true);
    for (const h of ['127.0.0.1', '127.0.0.1:8081', 'evil.example:8080', 'LOCALHOST:8080', '']) {
      expect(hostAllowed(h, 8080), h).toBe(false);
    }
    expect(hostAllowed(undefined, 8080)).toBe(false);
  });

  it('takes plain ids only', () => {
    for (const id of ['a1', 't-k3x9', 'A.b_c-9', 'x'.repeat(64)])
      expect(validId(id), id).toBe(true);
    for (const id of [
      '',
      '..',
      'a..b',
      '../etc/passwd',
      'a/b',
      '.hidden',
      '-x',
      'a b',
      'x'.repeat(65),
    ]) {
      expect(validId(id), id).toBe(false);
    }
  });

  it('reads cookies and compares secrets', () => {
    expect(cookieValue('a=1; baton_board=xyz; b=2', 'baton_board')).toBe('xyz');
    expect(cookieValue('baton_boardx=1', 'baton_board')).toBeUndefined();
    expect(cookieValue(undefined, 'baton_board')).toBeUndefined();
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('lets through only writes from the page itself', () => {
    const ok = {
      host: '127.0.0.1:1',
      origin: 'http://127.0.0.1:1',
      'content-type': 'application/json; charset=utf-8',
      'x-baton-board': '1',
    };
    expect(checkWrite(req(ok))).toBeUndefined();
    expect(checkWrite(req({ ...ok, origin: 'http://localhost:1' }))?.error).toBe('ORIGIN');
    const { origin: _, ...noOrigin } = ok;
    expect(checkWrite(req(noOrigin))?.status).toBe(403);
    expect(checkWrite(req({ ...ok, 'content-type': 'text/plain' }))?.status).toBe(415);
    const { 'x-baton-board': __, ...noHeader } = ok;
    expect(checkWrite(req(noHeader))?.status).toBe(403);
    expect(checkEvents(req({ host: '127.0.0.1:1' }))).toBeUndefined();
    expect(
      checkEvents(req({ host: '127.0.0.1:1', 'sec-fetch-site': 'same-origin' })),
    ).toBeUndefined();
    expect(checkEvents(req({ host: '127.0.0.1:1', 'sec-fetch-site': 'same-site' }))?.status).toBe(
      403,
    );
    expect(checkEvents(req({ host: '127.0.0.1:1', origin: 'http://x' }))?.status).toBe(403);
  });
});

describe('board row facts', () => {
  it('fingerprints the bytes and counts failed attempts and open discoveries', () => {
    expect(fingerprintOf('x')).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf('x')).not.toBe(fingerprintOf('y'));
    const text = [
      '---',
      'id: a',
      'title: A',
      '---',
      'Body.',
      '',
      '## Log',
      '- 2026-01-01T10:00:00Z ada fail: tests broke',
      '- 2026-01-01T11:00:00Z ada discover: the API changed',
      '- 2026-01-01T12:00:00Z bob discover: the schema too',
      '',
    ].join('\n');
    const f = factsOf(Buffer.from(text));
    expect(f.attempts).toBe(1);
    expect(f.open_discoveries).toBe(2);
  });
});
