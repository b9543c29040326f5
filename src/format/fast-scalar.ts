/**
 * Plain scalars for the fast front-matter reader (`fast-yaml.ts`), read under the YAML 1.2
 * core schema, and the character and key checks the other value readers share. Each returns
 * `undefined` when it is not sure, and the whole file then goes to the `yaml` package. Plain
 * scalars are checked with one native regex when they are plain ASCII, with char-code checks
 * otherwise (no regex runs per character).
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

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
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

export function skipSpaces(t: string, i: number, le: number): number {
  let j = i;
  while (j < le && t.charCodeAt(j) === 32) j++;
  return j;
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
