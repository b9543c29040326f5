/**
 * One-line values for the fast front-matter reader (`fast-yaml.ts`) beyond plain scalars:
 * single- and double-quoted strings (with the escapes YAML shares with JSON and a few more),
 * one-line flow lists and flow maps of scalars, and a comment after any value. Each returns
 * `undefined` when it is not sure, and the whole file then goes to the `yaml` package.
 */
import { checkChar, keep, keyChars, parsePlain, skipSpaces, usableKey } from './fast-scalar.js';

/** Where the last quoted scalar, flow collection or escape ended (spares a result pair). */
let cursor = 0;

/** Double-quote escapes that stand for one fixed string (YAML 1.2, section 5.7). */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The escape after the backslash at `t[i - 1]`; sets `cursor` after it. */
function readEscape(t: string, i: number, le: number): string | undefined {
  const c = t[i];
  if (c === undefined || i >= le) return undefined;
  const fixed = Object.hasOwn(ESCAPES, c) ? ESCAPES[c] : undefined;
  if (fixed !== undefined) {
    cursor = i + 1;
    return fixed;
  }
  const length = c === 'x' ? 2 : c === 'u' ? 4 : 0;
  const hex = t.slice(i + 1, i + 1 + length);
  if (length === 0 || i + 1 + length > le || !(length === 2 ? HEX2 : HEX4).test(hex)) {
    return undefined;
  }
  cursor = i + 1 + length;
  return String.fromCharCode(Number.parseInt(hex, 16));
}

/**
 * `"..."` on one line starting at `t[s]`; sets `cursor` after the closing quote. With
 * `escapes` false a backslash makes it `undefined` (what `isDoubleQuoteSafe` asks).
 */
export function parseDouble(t: string, s: number, le: number, escapes = true): string | undefined {
  let out = '';
  let from = s + 1;
  for (let i = s + 1; i < le; i++) {
    const c = t.charCodeAt(i);
    if (c === 34) {
      cursor = i + 1;
      return from === s + 1 ? t.slice(from, i) : out + t.slice(from, i);
    }
    if (c === 92) {
      if (!escapes) return undefined;
      const x = readEscape(t, i + 1, le);
      if (x === undefined) return undefined;
      out += t.slice(from, i) + x;
      from = cursor;
      i = cursor - 1;
      continue;
    }
    if (c >= 0x20 && c < 0x7f) continue;
    i = checkChar(t, i, le);
    if (i < 0) return undefined;
  }
  return undefined;
}

/** `'...'` (with `''` for a quote) starting at `t[s]`; sets `cursor` after the closing quote. */
export function parseSingle(t: string, s: number, le: number): string | undefined {
  let out = '';
  let from = s + 1;
  for (let i = s + 1; i < le; i++) {
    const c = t.charCodeAt(i);
    if (c === 39) {
      if (t.charCodeAt(i + 1) !== 39 || i + 1 >= le) {
        cursor = i + 1;
        return out + t.slice(from, i);
      }
      out += t.slice(from, i + 1);
      from = i + 2;
      i++;
      continue;
    }
    i = checkChar(t, i, le);
    if (i < 0) return undefined;
  }
  return undefined;
}

/** A scalar inside a flow collection at `t[i]`, up to `,` or `close`; sets `cursor`. */
function flowItem(t: string, i: number, le: number, close: number): unknown {
  const c = t.charCodeAt(i);
  if (c === 34 || c === 39) return c === 34 ? parseDouble(t, i, le) : parseSingle(t, i, le);
  let j = i;
  while (j < le && t.charCodeAt(j) !== 44 && t.charCodeAt(j) !== close) j++;
  let e = j;
  while (e > i && t.charCodeAt(e - 1) === 32) e--;
  cursor = j;
  return e > i ? parsePlain(t, i, e, true) : undefined;
}

/** A one-line flow sequence of scalars starting at `t[s] === '['`; sets `cursor`. */
function parseFlowSeq(t: string, s: number, le: number): unknown[] | undefined {
  const out: unknown[] = [];
  let i = skipSpaces(t, s + 1, le);
  if (t.charCodeAt(i) === 93 && i < le) {
    cursor = i + 1;
    return out;
  }
  for (;;) {
    const v = flowItem(t, i, le, 93);
    if (v === undefined) return undefined;
    out.push(keep(v));
    i = skipSpaces(t, cursor, le);
    if (i >= le) return undefined;
    const sep = t.charCodeAt(i);
    if (sep === 93) {
      cursor = i + 1;
      return out;
    }
    if (sep !== 44) return undefined;
    i = skipSpaces(t, i + 1, le);
    if (i >= le || t.charCodeAt(i) === 93) return undefined;
  }
}

/**
 * A one-line flow map `{ key: scalar, key: [..] }` starting at `t[s] === '{'` (what baton
 * writes for a lease or a result); sets `cursor`. Keys are simple, unique and followed by
 * `: `; anything else (`{ a }`, `{a:1}`, a trailing comma) is left to `yaml`.
 */
function parseFlowMap(t: string, s: number, le: number): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const keys: string[] = [];
  let i = skipSpaces(t, s + 1, le);
  if (t.charCodeAt(i) === 125 && i < le) {
    cursor = i + 1;
    return out;
  }
  for (;;) {
    const kl = keyChars(t, i, le);
    if (kl === 0 || t.charCodeAt(i + kl + 1) !== 32) return undefined;
    const key = t.slice(i, i + kl);
    // a linear scan: a flow map on one line of a file under 1 MiB holds few keys... unless it
    // is made to hold many, so past a few dozen keys `yaml` decides
    if (!usableKey(key) || keys.includes(key) || keys.length > 64) return undefined;
    keys.push(key);
    i = skipSpaces(t, i + kl + 2, le);
    const v = t.charCodeAt(i) === 91 ? parseFlowSeq(t, i, le) : flowItem(t, i, le, 125);
    if (v === undefined) return undefined;
    out[key] = keep(v);
    i = skipSpaces(t, cursor, le);
    if (i >= le) return undefined;
    const sep = t.charCodeAt(i);
    if (sep === 125) {
      cursor = i + 1;
      return out;
    }
    if (sep !== 44) return undefined;
    i = skipSpaces(t, i + 1, le);
    if (i >= le || t.charCodeAt(i) === 125) return undefined;
  }
}

/**
 * The value in `t[s, le)` (non-empty, no leading space), with an optional comment after it:
 * a scalar, or where `allowFlow` a flow list or map. `undefined` when unsure.
 */
export function parseValue(t: string, s: number, le: number, allowFlow: boolean): unknown {
  const c = t.charCodeAt(s);
  let v: unknown;
  if (c === 34) v = parseDouble(t, s, le);
  else if (c === 39) v = parseSingle(t, s, le);
  else if (c === 91 && allowFlow) v = parseFlowSeq(t, s, le);
  else if (c === 123 && allowFlow) v = parseFlowMap(t, s, le);
  else {
    let e = le;
    for (let j = s + 1; j < le; j++) {
      if (t.charCodeAt(j) === 35 && t.charCodeAt(j - 1) === 32) {
        e = j;
        break;
      }
    }
    while (t.charCodeAt(e - 1) === 32) e--;
    return parsePlain(t, s, e, false);
  }
  if (v === undefined) return undefined;
  const j = skipSpaces(t, cursor, le);
  return j === le || (j > cursor && t.charCodeAt(j) === 35) ? v : undefined;
}
