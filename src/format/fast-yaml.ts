/**
 * A hand-written reader for flat front matter: the shape `baton new` writes and most people
 * write by hand (`key: scalar`, flow lists `[a, b]`, block lists of scalars, whole-line
 * comments). It returns `undefined` for anything it does not fully understand, and the
 * caller then asks the `yaml` package (`yaml-parse.ts`). Whenever it returns a value, that
 * value equals `yaml.parse(text, { schema: 'core' })` (a property test holds it to that).
 * Why: importing `yaml` costs ~50 ms and parsing with it is ~7x slower at 10,000 files.
 * It is one pass over the lines: the commonest line shape in one native regex match, any
 * other line with char-code checks (no regex runs per character).
 */

export interface FlatYaml {
  data: Record<string, unknown>;
  /** Each top-level key's 0-based line within the front-matter text, plus the line base. */
  lines: Record<string, number>;
}

/** YAML 1.2 core-schema floats (and ints with exponents): the fast path leaves them to `yaml`. */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Longest integer the fast path reads; anything longer may lose precision, so `yaml` decides. */
const MAX_INT_DIGITS = 15;

const OK = 0;
const BAD = 1;
const COLON = 2;
const FLOW = 3;
/** What each ASCII character means inside a plain scalar. */
const ASCII = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 0x20; c++) table[c] = BAD;
  table[0x7f] = BAD;
  table[35] = BAD; // '#': may start a comment
  table[58] = COLON;
  for (const c of ',[]{}') table[c.charCodeAt(0)] = FLOW;
  return table;
})();

/**
 * `s` as a string of its own. V8 makes a slice of 13 or more characters a view that keeps
 * its whole parent alive, so each title sliced from the file held on to the file's full
 * text, body and all: a third of the snapshot's heap, copied again by every young-generation
 * GC of a cold load. The parser copies the front matter once (a few hundred characters) and
 * slices its values from that copy. Joining and slicing again makes one flat copy.
 */
function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** Where the last quoted scalar or flow list ended (avoids allocating a result pair). */
let cursor = 0;

function isDigit(c: number): boolean {
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
function checkChar(t: string, i: number, end: number): number {
  const c = t.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = t.charCodeAt(i + 1);
    return i + 1 < end && d >= 0xdc00 && d <= 0xdfff ? i + 1 : -1;
  }
  return isBadChar(c) ? -1 : i;
}

function resolveWord(v: string): unknown {
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

/** A plain scalar in `t[s, e)` (trimmed, non-empty); `undefined` when unsure. */
function parsePlain(t: string, s: number, e: number, flow: boolean): unknown {
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
    if (k === COLON) {
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
  return FLOAT.test(v) ? undefined : v;
}

/** `"..."` without escapes starting at `t[s]`; sets `cursor` after the closing quote. */
function parseDouble(t: string, s: number, le: number): string | undefined {
  for (let i = s + 1; i < le; i++) {
    const c = t.charCodeAt(i);
    if (c === 34) {
      cursor = i + 1;
      return t.slice(s + 1, i);
    }
    if (c === 92) return undefined;
    if (c >= 0x20 && c < 0x7f) continue;
    i = checkChar(t, i, le);
    if (i < 0) return undefined;
  }
  return undefined;
}

/** `'...'` (with `''` for a quote) starting at `t[s]`; sets `cursor` after the closing quote. */
function parseSingle(t: string, s: number, le: number): string | undefined {
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

function skipSpaces(t: string, i: number, le: number): number {
  let j = i;
  while (j < le && t.charCodeAt(j) === 32) j++;
  return j;
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
    const c = t.charCodeAt(i);
    let v: unknown;
    if (c === 34 || c === 39) {
      v = c === 34 ? parseDouble(t, i, le) : parseSingle(t, i, le);
      i = cursor;
    } else {
      let j = i;
      while (j < le && t.charCodeAt(j) !== 44 && t.charCodeAt(j) !== 93) j++;
      let e = j;
      while (e > i && t.charCodeAt(e - 1) === 32) e--;
      v = e > i ? parsePlain(t, i, e, true) : undefined;
      i = j;
    }
    if (v === undefined) return undefined;
    out.push(v);
    i = skipSpaces(t, i, le);
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

/** The scalar (or, for a key's value, flow list) in `t[s, le)`; `undefined` when unsure. */
function parseValue(t: string, s: number, le: number, allowFlow: boolean): unknown {
  const c = t.charCodeAt(s);
  let v: unknown;
  if (c === 34) v = parseDouble(t, s, le);
  else if (c === 39) v = parseSingle(t, s, le);
  else if (c === 91 && allowFlow) v = parseFlowSeq(t, s, le);
  else {
    let e = le;
    while (t.charCodeAt(e - 1) === 32) e--;
    return parsePlain(t, s, e, false);
  }
  return v === undefined || skipSpaces(t, cursor, le) !== le ? undefined : v;
}

/** Keys checked for duplicates by a scan; beyond this many, by a set. */
const MAX_SCANNED_KEYS = 32;

/** Keys baton writes, by length: reusing these strings spares slicing and hashing a new one. */
const KNOWN_KEYS: string[][] = [];
for (const k of [
  ...'id title status priority depends_on assignee labels estimate due created updated'.split(' '),
  ...'parent not_before skills resources inputs result lease attempts max_attempts'.split(' '),
  'reviewers',
]) {
  const list = KNOWN_KEYS[k.length] ?? [];
  list.push(k);
  KNOWN_KEYS[k.length] = list;
}

function knownKey(t: string, pos: number, length: number): string | undefined {
  const list = KNOWN_KEYS[length];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) if (t.startsWith(list[i]!, pos)) return list[i];
  return undefined;
}

/** Length of a simple key (`[A-Za-z_][A-Za-z0-9_-]*`) followed by `:`; 0 if none. */
function keyLength(t: string, s: number, le: number): number {
  const c0 = t.charCodeAt(s);
  if (!isAlpha(c0) && c0 !== 95) return 0;
  let j = s + 1;
  for (; j < le; j++) {
    const c = t.charCodeAt(j);
    if (!isAlpha(c) && !isDigit(c) && c !== 95 && c !== 45) break;
  }
  if (t.charCodeAt(j) !== 58 || (j + 1 < le && t.charCodeAt(j + 1) !== 32)) return 0;
  return j - s;
}

/**
 * The commonest line, `key: value` at column 0 with a value of a few easy kinds, in one
 * native regex match. A cold run reads every file once, before V8 has optimised the loops
 * below, and there this is several times faster than them. It takes only lines whose result
 * is certain, and gives the same result the loops would; every other line takes the loops.
 * A key, then at most one of: a plain scalar starting with a letter, `_`, `/` or `(` with no
 * `:`, `#`, control or non-ASCII character; a date, date-time or estimate (strings under the
 * core schema; a digit first); a flow list of simple words (`[` first). No groups: the
 * parser only tests it and reads the parts by position.
 */
const KEY_LINE =
  /[A-Za-z_][A-Za-z0-9_-]*:(?: +(?:[A-Za-z_/(][^\x00-\x1f\x7f-\uffff#:]*?|\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\dZ)?|\d+(?:\.\d+)?[mhdw]|\[ *(?:(?:[A-Za-z_][A-Za-z0-9._/-]* *, *)*[A-Za-z_][A-Za-z0-9._/-]*)? *\]))? *\r?(?=\n|$)/y;
const FLOW_COMMA = / *, */;

/** The items of a KEY_LINE flow list, `t[s, e)` inside its brackets, as `parsePlain` reads them. */
function flowWords(t: string, s: number, e: number): unknown[] {
  while (s < e && t.charCodeAt(s) === 32) s++;
  while (e > s && t.charCodeAt(e - 1) === 32) e--;
  if (s === e) return [];
  const items: unknown[] = t.slice(s, e).split(FLOW_COMMA);
  for (let i = 0; i < items.length; i++) {
    const w = items[i] as string;
    if (w.length <= 5) items[i] = resolveWord(w);
  }
  return items;
}

/**
 * Parses flat front matter, or returns `undefined` so the caller uses the `yaml` package.
 * Lines are 0-based within the text, plus `lineBase` (the file line of the text's first
 * line gives file lines).
 */
export function parseFlatYaml(fmText: string, lineBase = 0): FlatYaml | undefined {
  const t = own(fmText); // values slice this copy, not the file (see `own`)
  const n = t.length;
  const data: Record<string, unknown> = {};
  const lines: Record<string, number> = {};
  // For duplicates: a short scan beats probing `data` for a missing key, but scanning every
  // key for every key is quadratic (100,000 keys took 40 s), so long lists get a set.
  const keys: string[] = [];
  let seen: Set<string> | undefined;
  let openKey: string | undefined; // the last key had no value: a block list may follow
  let seq: unknown[] | undefined;
  let seqIndent = 0;
  let pos = 0;
  for (let line = 0; pos < n; line++) {
    const nl = t.indexOf('\n', pos);
    const next = nl === -1 ? n : nl + 1;
    let le = nl === -1 ? n : nl;
    if (le > pos && t.charCodeAt(le - 1) === 13) le--;
    const i = skipSpaces(t, pos, le);
    const c = t.charCodeAt(i);
    if (i === le || (c === 35 && i === pos)) {
      // blank line or whole-line comment
    } else if (c === 45 && t.charCodeAt(i + 1) === 32 && i + 1 < le) {
      if (openKey === undefined) return undefined;
      if (seq === undefined) {
        seq = [];
        seqIndent = i - pos;
        data[openKey] = seq;
      } else if (i - pos !== seqIndent) return undefined;
      const s = skipSpaces(t, i + 2, le);
      const v = s < le ? parseValue(t, s, le, false) : undefined;
      if (v === undefined) return undefined;
      seq.push(v);
    } else {
      // `test`, not `exec`: no match array per line (exec's arrays were a fifth of all a cold
      // run allocates). The key ends at the first `:` and the value at `lastIndex`, less the
      // trailing spaces and CR the pattern allows.
      let hit = false;
      if (i === pos) {
        KEY_LINE.lastIndex = pos;
        hit = KEY_LINE.test(t);
      }
      let key: string | undefined;
      let vs = 0; // where the value starts
      let ve = 0; // where a KEY_LINE value ends
      if (hit) {
        const colon = t.indexOf(':', pos);
        key = knownKey(t, pos, colon - pos);
        if (key === undefined) {
          key = t.slice(pos, colon);
          if (key === '__proto__' || resolveWord(key) !== key) return undefined;
        }
        vs = colon + 1;
        ve = KEY_LINE.lastIndex;
        while (vs < ve && t.charCodeAt(vs) === 32) vs++;
        while (ve > vs && (t.charCodeAt(ve - 1) === 32 || t.charCodeAt(ve - 1) === 13)) ve--;
      } else {
        const kl = i === pos ? keyLength(t, pos, le) : 0;
        if (kl === 0) return undefined;
        key = knownKey(t, pos, kl);
        if (key === undefined) {
          key = t.slice(pos, pos + kl);
          if (key === '__proto__' || resolveWord(key) !== key) return undefined;
        }
        vs = skipSpaces(t, pos + kl + 1, le);
      }
      if (seen === undefined ? keys.includes(key) : seen.has(key)) return undefined;
      keys.push(key);
      if (seen !== undefined) seen.add(key);
      else if (keys.length === MAX_SCANNED_KEYS) seen = new Set(keys);
      lines[key] = line + lineBase;
      seq = undefined;
      let v: unknown = null;
      if (hit) {
        if (vs < ve) {
          // one of: a flow list of words, a date or estimate (a digit first), a plain scalar
          const c = t.charCodeAt(vs);
          if (c === 91) v = flowWords(t, vs + 1, ve - 1);
          else {
            const s = t.slice(vs, ve);
            v = isDigit(c) || s.length > 5 ? s : resolveWord(s);
          }
        }
      } else if (vs < le) {
        v = parseValue(t, vs, le, true);
        if (v === undefined) return undefined;
      }
      const empty = hit ? vs === ve : vs === le;
      data[key] = v;
      openKey = empty ? key : undefined;
    }
    pos = next;
  }
  return { data, lines };
}

/** True when `s` written plain (unquoted) reads back as exactly `s` on the fast path. */
export function isPlainSafe(s: string, flow: boolean): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32) return false;
  return parsePlain(s, 0, n, flow) === s;
}

/** True when `"s"` (no escapes) reads back as exactly `s` on the fast path. */
export function isDoubleQuoteSafe(s: string): boolean {
  return parseDouble(`"${s}"`, 0, s.length + 2) === s;
}
