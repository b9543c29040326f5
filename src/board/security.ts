/**
 * What stands between the board and other pages or programs on the machine: the server
 * listens on 127.0.0.1 only, and every request must pass these checks.
 *
 * Decisions:
 * - `Host` must name the loopback address and our port exactly (127.0.0.1, localhost or
 *   [::1]): a DNS-rebinding page reaches us under its own host name and is refused.
 * - The printed URL carries a one-time-looking token (128 random bits); `GET /?token=T`
 *   trades it for a session cookie (HttpOnly, SameSite=Strict) holding another secret, so
 *   the token leaves the address bar after one redirect. Both compare in constant time.
 * - Writes need `Origin` equal to `http://<Host>` (absent is refused too), a JSON content
 *   type (a cross-site form cannot send one without a preflight, which we never answer) and
 *   the `X-Baton-Board: 1` header.
 * - No CORS header is ever sent; every response carries a strict CSP and nosniff.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'baton_board';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers on every response. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface Secrets {
  /** In the printed URL. */
  token: string;
  /** In the cookie. */
  session: string;
}

export function makeSecrets(): Secrets {
  return { token: randomBytes(16).toString('hex'), session: randomBytes(32).toString('hex') };
}

/** Constant-time string equality (lengths may differ: then false, still without early exit on content). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(y, y);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** Whether the Host header names this server on a loopback address. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** The value of one cookie, if sent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function hasSession(req: IncomingMessage, secrets: Secrets): boolean {
  const v = cookieValue(req.headers.cookie, COOKIE);
  return v !== undefined && safeEqual(v, secrets.session);
}

export function sessionCookie(secrets: Secrets): string {
  return `${COOKIE}=${secrets.session}; HttpOnly; SameSite=Strict; Path=/`;
}

export interface Refusal {
  status: number;
  error: string;
  message: string;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A write must come from our own page: Origin, JSON content type, our header. */
export function checkWrite(req: IncomingMessage): Refusal | undefined {
  const origin = one(req.headers.origin);
  if (!origin || origin !== `http://${req.headers.host}`) {
    return { status: 403, error: 'ORIGIN', message: 'writes must come from the board page' };
  }
  const type = (one(req.headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, error: 'CONTENT_TYPE', message: 'send application/json' };
  }
  if (one(req.headers['x-baton-board']) !== '1') {
    return { status: 403, error: 'HEADER', message: 'X-Baton-Board: 1 is required' };
  }
  return undefined;
}

/** The event stream: a foreign Origin or a cross-site fetch is refused. */
export function checkEvents(req: IncomingMessage): Refusal | undefined {
  const origin = one(req.headers.origin);
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    return { status: 403, error: 'ORIGIN', message: 'the event stream is for the board page' };
  }
  const site = one(req.headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin') {
    return { status: 403, error: 'ORIGIN', message: 'the event stream is for the board page' };
  }
  return undefined;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A task id from a URL: a plain id, never anything path-like. */
export function validId(id: string): boolean {
  return ID.test(id) && !id.includes('..');
}
