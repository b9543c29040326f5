/**
 * A hand-written reader for front matter as baton writes it and as people write it by hand:
 * `key: value` lines with comments after them or on lines of their own (at any indentation),
 * CRLF line endings and a byte order mark, block maps and block lists of scalars nested
 * through one indentation stack, plain, quoted and block scalars (`|`, `>`), and one-line
 * flow lists and maps. It returns `undefined` for anything it does not fully understand
 * (anchors, aliases, tags, multi-line plain or flow values, lists of maps, duplicate keys
 * at any level...), and the caller then asks the `yaml` package (`yaml-parse.ts`), which
 * also words the error when there is one. Whenever it returns a value, that value equals
 * `yaml.parse(text, { schema: 'core' })` (a property test holds it to that).
 * Why: importing `yaml` costs ~50 ms and parsing with it is ~7x slower at 10,000 files.
 * It is one pass over the lines, linear in the text: the commonest line shape in one native
 * regex match, any other line with char-code checks (no regex runs per character).
 * Values: `fast-scalar.ts`, `fast-value.ts` and `fast-block-scalar.ts`.
 */
import { blockEnd, blockLines, parseBlockScalar } from './fast-block-scalar.js';
import {
  isDigit,
  keep,
  keyChars,
  parsePlain,
  resolveWord,
  skipSpaces,
  usableKey,
} from './fast-scalar.js';
import { parseDouble, parseValue } from './fast-value.js';

export interface FlatYaml {
  data: Record<string, unknown>;
  /** Each top-level key's 0-based line within the front-matter text, plus the line base. */
  lines: Record<string, number>;
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

/**
 * The commonest lines, `key: value` and `- value` with a value of a few easy kinds and maybe
 * a comment, in one native regex match. A cold run reads every file once, before V8 has
 * optimised the loops below, and there this is several times faster than them. They take
 * only lines whose result is certain, and give the same result the loops would; every other
 * line takes the loops. The value is one of: a plain scalar starting with a letter, `_`, `/`
 * or `(` with no `:`, `#`, control or non-ASCII character; a date, date-time or estimate
 * (strings under the core schema; a digit first); a quoted string of such characters (and
 * `#`, `:`), without escapes or `''`; after a key, a flow list of simple words (`[` first).
 * Then the end of the line, or spaces and a `#` (the match stops before it). No groups: the
 * parser only tests them and reads the parts by position (`hotValue`).
 */
const SCALAR =
  '[A-Za-z_/(][^\\x00-\\x1f\\x7f-\\uffff#:]*|\\d{4}-\\d\\d-\\d\\d(?:T\\d\\d:\\d\\d:\\d\\dZ)?|\\d+(?:\\.\\d+)?[mhdw]|' +
  `"[^"\\\\\\x00-\\x1f\\x7f-\\uffff]*"|'[^'\\x00-\\x1f\\x7f-\\uffff]*'`;
const WORDS = '\\[ *(?:(?:[A-Za-z_][A-Za-z0-9._/-]* *, *)*[A-Za-z_][A-Za-z0-9._/-]*)? *\\]';
const END = '(?: *(?=\\r?\\n|$)| +(?=#))';
const KEY_LINE = new RegExp(`[A-Za-z_][A-Za-z0-9_-]*:(?: +(?:${SCALAR}|${WORDS}))?${END}`, 'y');
const ITEM_LINE = new RegExp(`- +(?:${SCALAR})${END}`, 'y');
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
    else if (w.length >= 13) items[i] = keep(w);
  }
  return items;
}

/** The value of a KEY_LINE or ITEM_LINE match, `t[vs, ve)` (trimmed, non-empty). */
function hotValue(t: string, vs: number, ve: number): unknown {
  const c = t.charCodeAt(vs);
  if (c === 91) return flowWords(t, vs + 1, ve - 1);
  if (c === 34 || c === 39) return t.slice(vs + 1, ve - 1);
  const s = t.slice(vs, ve);
  return isDigit(c) || s.length > 5 ? s : resolveWord(s);
}

/** One block map or block list of the indentation stack. */
interface Level {
  /** The column its keys or `-` items start at. */
  indent: number;
  map: Record<string, unknown> | undefined;
  seq: unknown[] | undefined;
  /** A list at its parent key's own column (`key:` then `- a` under `k`). */
  compact: boolean;
  /** The map's keys so far, for duplicates; a set once there are many. */
  keys: string[];
  seen: Set<string> | undefined;
}

function level(indent: number, map: Level['map'], seq: Level['seq'], compact: boolean): Level {
  return { indent, map, seq, compact, keys: [], seen: undefined };
}

/** Adds `key` to the level's keys; false if it is there already (a duplicate). */
function addKey(at: Level, key: string): boolean {
  // A short scan beats probing `data` for a missing key, but scanning every key for every
  // key is quadratic (100,000 keys took 40 s), so long lists get a set.
  if (at.seen !== undefined) {
    if (at.seen.has(key)) return false;
    at.seen.add(key);
    return true;
  }
  if (at.keys.includes(key)) return false;
  at.keys.push(key);
  if (at.keys.length === MAX_SCANNED_KEYS) at.seen = new Set(at.keys);
  return true;
}

/**
 * Parses front matter, or returns `undefined` so the caller uses the `yaml` package.
 * Lines are 0-based within the text, plus `lineBase` (the file line of the text's first
 * line gives file lines).
 */
export function parseFlatYaml(fmText: string, lineBase = 0): FlatYaml | undefined {
  const t = fmText; // a view of the file: values are copied out of it (see `keep`)
  const n = t.length;
  const data: Record<string, unknown> = {};
  const lines: Record<string, number> = {};
  const stack: Level[] = [level(0, data, undefined, false)];
  let top = stack[0]!;
  let openKey: string | undefined; // the last key had no value: a nested block may follow
  let pos = t.charCodeAt(0) === 0xfeff ? 1 : 0; // `yaml` skips a byte order mark too
  let line = 0;
  for (; pos < n; line++) {
    const nl = t.indexOf('\n', pos);
    const next = nl === -1 ? n : nl + 1;
    let le = nl === -1 ? n : nl;
    // a CR ends a line only before LF (`yaml` reads a lone one at the end as content)
    if (nl !== -1 && le > pos && t.charCodeAt(le - 1) === 13) le--;
    const i = skipSpaces(t, pos, le);
    const c = t.charCodeAt(i);
    if (i === le || c === 35) {
      pos = next; // blank line or comment line
      continue;
    }
    const indent = i - pos;
    const item = c === 45 && i + 1 < le && t.charCodeAt(i + 1) === 32;
    if (openKey !== undefined) {
      // under `key:`, a deeper key starts a map; a `-` as deep or deeper starts a list
      if (item ? indent >= top.indent : indent > top.indent) {
        const child = item ? level(indent, undefined, [], indent === top.indent) : undefined;
        const nested = child ?? level(indent, {}, undefined, false);
        top.map![openKey] = nested.map ?? nested.seq;
        stack.push(nested);
        top = nested;
      }
      openKey = undefined;
    }
    while (indent < top.indent) {
      stack.pop();
      top = stack[stack.length - 1]!;
    }
    if (indent !== top.indent) return undefined;
    if (top.seq !== undefined) {
      if (item) {
        const s = skipSpaces(t, i + 2, le);
        ITEM_LINE.lastIndex = i;
        let v: unknown;
        if (ITEM_LINE.test(t)) {
          let e = ITEM_LINE.lastIndex;
          while (t.charCodeAt(e - 1) === 32) e--;
          v = hotValue(t, s, e);
        } else if (s < le && t.charCodeAt(s) !== 35) v = parseValue(t, s, le, false);
        if (v === undefined) return undefined;
        top.seq.push(keep(v));
        pos = next;
        continue;
      }
      if (!top.compact) return undefined;
      stack.pop(); // a key after a compact list belongs to the map the list is in
      top = stack[stack.length - 1]!;
    } else if (item) return undefined;
    const map = top.map!;

    // `test`, not `exec`: no match array per line (exec's arrays were a fifth of all a cold
    // run allocates). The key ends at the first `:` and the value at `lastIndex`, less the
    // trailing spaces the pattern allows.
    KEY_LINE.lastIndex = i;
    const hit = KEY_LINE.test(t);
    const colon = hit ? t.indexOf(':', i) : i + keyChars(t, i, le);
    if (colon === i || (colon + 1 < le && t.charCodeAt(colon + 1) !== 32)) return undefined;
    let key = knownKey(t, i, colon - i);
    if (key === undefined) {
      key = t.slice(i, colon);
      if (!usableKey(key)) return undefined;
    }
    if (!addKey(top, key)) return undefined;
    if (stack.length === 1) lines[key] = line + lineBase;
    let vs = skipSpaces(t, colon + 1, le); // where the value starts
    let v: unknown = null;
    if (hit) {
      let ve = KEY_LINE.lastIndex;
      while (ve > vs && t.charCodeAt(ve - 1) === 32) ve--;
      if (vs < ve) v = hotValue(t, vs, ve);
      else vs = le;
    } else if (vs < le && t.charCodeAt(vs) !== 35) {
      const c = t.charCodeAt(vs);
      if (c === 124 || c === 62) {
        v = parseBlockScalar(t, vs, le, next, top.indent);
        if (v === undefined) return undefined;
        map[key] = keep(v);
        pos = blockEnd;
        line += blockLines;
        continue;
      }
      v = parseValue(t, vs, le, true);
      if (v === undefined) return undefined;
    } else vs = le;
    map[key] = keep(v);
    if (vs === le) openKey = key;
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
  return parseDouble(`"${s}"`, 0, s.length + 2, false) === s;
}
