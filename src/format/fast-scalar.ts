/**
 * One-line values for the fast front-matter reader (`fast-yaml.ts`): plain scalars under the
 * YAML 1.2 core schema, single- and double-quoted strings (with the escapes YAML shares with
 * JSON and a few more), one-line flow lists and flow maps of those, and a comment after any
 * of them. Each returns `undefined` when it is not sure, and the whole file then goes to the
 * `yaml` package. Plain scalars are checked with one native regex when they are plain ASCII,
 * with char-code checks otherwise (no regex runs per character).
 */

/** YAML 1.2 core-schema floats (and ints with exponents). */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Longest integer the fast path reads; anything longer may lose precision, so `yaml` decides. */
const MAX_INT_DIGITS = 15;

const OK = 0;
const BAD = 1;
const COLON = 2;
const FLOW = 3;
const HASH = 4;
/** What each ASCII character means inside a plain scalar. */
const ASCII = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 0x20; c++) table[c] = BAD;
  table[0x7f] = BAD;
  table[35] = HASH; // '#': starts a comment after a space
  table[58] = COLON;
  for (const c of ',[]{}') table[c.charCodeAt(0)] = FLOW;
  return table;
})();

/**
 * `v` as a value of its own when it is a string. V8 makes a slice of 13 or more characters
 * (and a concatenation of one) a view that keeps its whole parent alive, so each title
 * sliced from the file held on to the file's full text, body and all: a third of the
 * snapshot's heap, copied again by every young-generation GC of a cold load. Copying the
 * whole front matter once and slicing values from that copy still kept the copy, comments
 * and all, for as long as the task lives. So the long values are copied: joining and
 * slicing again makes one flat copy.
 */
export function keep<T>(v: T): T {
  return typeof v === 'string' && v.length >= 13 ? (` ${v}`.slice(1) as T) : v;
}

/** Where the last quoted scalar, flow collection or escape ended (spares a result pair). */
export let cursor = 0;

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Controls, tabs, CR, C1 controls, lone low surrogates, Unicode spaces and line breaks. */
function isBadChar(c: number): boolean {
  if (c < 0x20 || c === 0x7f) return true;
  if (c < 0xa0) return c >= 0x80;
  if (c < 0x1680) return c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    (c >= 0xdc00 && c <= 0xdfff) ||
    c === 0xfeff ||
    c >= 0xfffe
  );
}

/** Checks `t[i]`; returns the index of its last code unit, or -1 if it is not allowed. */
export function checkChar(t: string, i: number, end: number): number {
  const c = t.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = t.charCodeAt(i + 1);
    return i + 1 < end && d >= 0xdc00 && d <= 0xdfff ? i + 1 : -1;
  }
  return isBadChar(c) ? -1 : i;
}

export function resolveWord(v: string): unknown {
  switch (v) {
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    default:
      return v;
  }
}

/**
 * The all-ASCII plain scalars the character loop below accepts, as one native regex test:
 * no controls, no `#`, and `:` only when followed by a non-space (block), or no `:` and no
 * flow indicators at all (flow). Before V8 has warmed up (a cold run reads every file once)
 * this is several times faster than the loop; anything else still takes the loop.
 */
const ASCII_PLAIN_BLOCK = /^[^\x00-\x1f\x7f-\uffff#:]*(?::(?! |$)[^\x00-\x1f\x7f-\uffff#:]*)*$/;
const ASCII_PLAIN_FLOW = /^[^\x00-\x1f\x7f-\uffff#:,[\]{}]*$/;

/** A plain scalar in `t[s, e)` (trimmed, non-empty, no comment); `undefined` when unsure. */
export function parsePlain(t: string, s: number, e: number, flow: boolean): unknown {
  const c0 = t.charCodeAt(s);
  const signed = c0 === 45 || c0 === 43;
  const numeric = isDigit(c0) || (signed && s + 1 < e && isDigit(t.charCodeAt(s + 1)));
  if (c0 === 126) return e === s + 1 ? null : undefined;
  if (!numeric && !isAlpha(c0) && c0 !== 95 && c0 !== 47 && c0 !== 40 && c0 < 0xa0) {
    return undefined;
  }
  const v = t.slice(s, e);
  if (!(flow ? ASCII_PLAIN_FLOW : ASCII_PLAIN_BLOCK).test(v) && !plainChars(t, s, e, flow)) {
    return undefined;
  }
  return resolvePlain(t, s, e, v, c0, signed, numeric);
}

/** The character-by-character check of a plain scalar, for what the ASCII regex rejects. */
function plainChars(t: string, s: number, e: number, flow: boolean): boolean {
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80) {
      i = checkChar(t, i, e);
      if (i < 0) return false;
      continue;
    }
    const k = ASCII[c];
    if (k === OK) continue;
    if (k === BAD) return false;
    if (k === HASH) {
      // `a#b` is one scalar; ` #` would start a comment (the caller cut those off)
      if (t.charCodeAt(i - 1) === 32) return false;
    } else if (k === COLON) {
      if (flow || i + 1 === e || t.charCodeAt(i + 1) === 32) return false;
    } else if (flow) return false;
  }
  return true;
}

/** Core-schema resolution of a plain scalar that passed the character checks. */
function resolvePlain(
  t: string,
  s: number,
  e: number,
  v: string,
  c0: number,
  signed: boolean,
  numeric: boolean,
): unknown {
  if (!numeric) return e - s <= 5 ? resolveWord(v) : v;
  const d = signed ? s + 1 : s;
  let k = d;
  while (k < e && isDigit(t.charCodeAt(k))) k++;
  if (k === e) {
    if (t.charCodeAt(d) === 48 && (e - d > 1 || signed)) return undefined;
    return e - d > MAX_INT_DIGITS ? undefined : Number(v);
  }
  const c1 = t.charCodeAt(s + 1);
  if (c0 === 48 && (c1 === 120 || c1 === 111)) return undefined;
  // a float goes on from its leading digits with `.` or an exponent: else (a date) no regex
  const ck = t.charCodeAt(k);
  if (ck !== 46 && ck !== 101 && ck !== 69) return v;
  // `yaml` reads floats with parseFloat too
  return FLOAT.test(v) ? Number.parseFloat(v) : v;
}

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

export function skipSpaces(t: string, i: number, le: number): number {
  let j = i;
  while (j < le && t.charCodeAt(j) === 32) j++;
  return j;
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

/** Length of a simple key (`[A-Za-z_][A-Za-z0-9_-]*`) at `t[s]`, ending before `:`; 0 if none. */
export function keyChars(t: string, s: number, le: number): number {
  const c0 = t.charCodeAt(s);
  if (!isAlpha(c0) && c0 !== 95) return 0;
  let j = s + 1;
  for (; j < le; j++) {
    const c = t.charCodeAt(j);
    if (!isAlpha(c) && !isDigit(c) && c !== 95 && c !== 45) break;
  }
  return t.charCodeAt(j) === 58 ? j - s : 0;
}

/** A key that reads as itself (not `true`, `null`...) and is safe as an own property. */
export function usableKey(key: string): boolean {
  return key !== '__proto__' && resolveWord(key) === key;
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
