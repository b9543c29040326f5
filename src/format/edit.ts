/**
 * Surgical edits of top-level front-matter keys. Only the text of the keys being changed
 * is rewritten; every other byte of the file (BOM, line endings, comments, key order,
 * spacing, unknown keys, the body) stays as it was, and a change to a value equal to the
 * current one writes nothing. It finds each key's text through the `yaml` package's node
 * ranges, so it imports `yaml` statically: import this module lazily on read-only paths.
 * After editing it re-reads the result and throws rather than write a file whose other keys
 * would read differently (an anchor, a tag or an odd layout it cannot edit safely).
 */
import { type Document, isCollection, isMap, isScalar, type Pair, parseDocument } from 'yaml';
import { deepEqual } from './deep-equal.js';
import { fieldLine, serializeValue } from './render.js';
import { splitFile } from './split.js';
import { parseYamlFrontMatter } from './yaml-parse.js';

export { serializeValue } from './render.js';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** What `v` reads back as once written: dates as strings, undefined list items as null. */
function normalize(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => normalize(x ?? null));
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return Object.fromEntries(entries.map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

/** Offset just after the line break that ends the line containing `offset - 1`. */
function endOfLineAfter(fm: string, end: number): number {
  if (end > 0 && fm.charCodeAt(end - 1) === 10) return end;
  const nl = fm.indexOf('\n', end);
  return nl === -1 ? fm.length : nl + 1;
}

function lineStart(fm: string, offset: number): number {
  return fm.lastIndexOf('\n', offset - 1) + 1;
}

/** The edit that gives `pair` the value `value` (or removes it when `undefined`). */
function editPair(fm: string, pair: Pair, value: unknown, eol: string): Edit {
  const key = pair.key as { range: [number, number, number] };
  const node = pair.value;
  const [ks, ke] = key.range;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) throw new Error('cannot edit a key written without a value');
  const [vs, ve] = range;
  const end = endOfLineAfter(fm, Math.max(ve, ke + 1));
  if (value === undefined) return { start: lineStart(fm, ks), end, text: '' };
  const colon = fm.indexOf(':', ke);
  const s = serializeValue(value);
  const props = fm.slice(colon + 1, vs).trim() !== ''; // an anchor or tag before the value
  const oneLine = !fm.slice(vs, ve).includes('\n');
  if (oneLine && !props && !(isCollection(node) && !node.flow)) {
    if (vs === ve)
      return s === ''
        ? { start: vs, end: vs, text: '' }
        : { start: colon + 1, end: colon + 1, text: ` ${s}` };
    return s === '' ? { start: colon + 1, end: ve, text: '' } : { start: vs, end: ve, text: s };
  }
  if (Array.isArray(value) && value.length > 0 && isCollection(node) && !node.flow && !props) {
    const indent = ' '.repeat(vs - lineStart(fm, vs));
    let keyLineEnd = fm.indexOf('\n', ke);
    if (fm.charCodeAt(keyLineEnd - 1) === 13) keyLineEnd--;
    const items = value.map((x) => `${indent}- ${serializeValue(x) || 'null'}`);
    if (keyLineEnd < vs) return { start: keyLineEnd, end, text: eol + items.join(eol) + eol };
  }
  return { start: colon + 1, end, text: (s === '' ? '' : ` ${s}`) + eol };
}

/** The front matter as a `yaml` Document (for ranges) and as data; throws if it does not parse. */
function parseOrThrow(
  fm: string,
  firstLine: number,
): { doc: Document.Parsed; data: Record<string, unknown> } {
  const checked = parseYamlFrontMatter(fm);
  if (!checked.ok) {
    const where = checked.line === undefined ? '' : ` (line ${firstLine + checked.line})`;
    throw new Error(`cannot edit the front matter: ${checked.message}${where}`);
  }
  const doc = parseDocument(fm, { schema: 'core', merge: false, resolveKnownTags: false });
  return { doc, data: checked.data };
}

/** Every key of the new front matter reads as expected: changed keys new, others as before. */
function verify(
  out: string,
  before: Record<string, unknown>,
  changes: Record<string, unknown>,
): boolean {
  const after = parseYamlFrontMatter(out);
  if (!after.ok) return false;
  const keys = new Set([
    ...Object.keys(before),
    ...Object.keys(after.data),
    ...Object.keys(changes),
  ]);
  for (const k of keys) {
    const changed = Object.hasOwn(changes, k);
    const want = changed ? changes[k] : before[k];
    const wantPresent = changed ? want !== undefined : Object.hasOwn(before, k);
    if (Object.hasOwn(after.data, k) !== wantPresent) return false;
    if (wantPresent && !deepEqual(after.data[k], changed ? normalize(want) : want)) return false;
  }
  return true;
}

/** Sets (or, for `undefined`, removes) top-level keys, touching nothing else in `text`. */
export function setFields(text: string, changes: Record<string, unknown>): string {
  const split = splitFile(text);
  if (!split.ok) {
    throw new Error(`cannot edit the front matter: ${split.message} (line ${split.line})`);
  }
  const fm = split.fmText;
  const { doc, data: before } = parseOrThrow(fm, split.firstLine);
  const map = isMap(doc.contents) ? doc.contents : undefined;
  if (map?.flow) throw new Error('cannot edit front matter written as one flow mapping `{...}`');
  const pairs = new Map<string, Pair>();
  for (const pair of map?.items ?? []) {
    if (isScalar(pair.key)) pairs.set(String(pair.key.value ?? ''), pair as Pair);
  }
  const first = (map?.items[0]?.key as { range?: [number, number, number] } | undefined)?.range;
  const indent = first ? ' '.repeat(first[0] - lineStart(fm, first[0])) : '';
  const edits: Edit[] = [];
  let appended = '';
  for (const [key, value] of Object.entries(changes)) {
    const pair = pairs.get(key);
    if (!pair) {
      if (value !== undefined) appended += indent + fieldLine(key, value) + split.eol;
    } else if (value === undefined || !deepEqual(before[key], normalize(value))) {
      edits.push(editPair(fm, pair, value, split.eol));
    }
  }
  if (edits.length === 0 && appended === '') return text;
  let out = fm;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  out += appended;
  if (!verify(out, before, changes)) {
    throw new Error(
      'cannot edit the front matter safely (anchors, tags or an unusual layout); edit the file by hand',
    );
  }
  return text.slice(0, split.fmStart) + out + text.slice(split.fmEnd);
}
