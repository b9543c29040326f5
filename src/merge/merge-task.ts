/**
 * The task-file merge: three texts (base, ours, theirs) -> the merged text and whether
 * conflicts remain. Pure but for the line merge, which the caller passes in
 * (`gitMergeLines` spawns `git merge-file`).
 *
 * Decisions:
 * - The result starts from ours' text: only keys whose merged value differs from ours' are
 *   rewritten (`setFields`), so ours' comments, key order and layout survive and keys new
 *   from theirs are appended. Then the body is replaced by the merged body.
 * - A key in conflict keeps ours' value and is wrapped in a git conflict block in the front
 *   matter (ours' lines, then theirs' lines as written), which makes the file unreadable on
 *   purpose: `baton check` reports it as `conflict-markers` until someone resolves it.
 * - An empty base is git's "added on both sides": every key counts as added.
 * - A version that is not a task file (no YAML front matter, markers already in it, not
 *   parseable), or ours' front matter that `setFields` cannot edit safely, merges the whole
 *   files line by line instead, so nothing is ever lost.
 */
import { isMap, isScalar, parseDocument } from 'yaml';
import { decodeTask } from '../format/decode.js';
import { deepEqual } from '../format/deep-equal.js';
import { setFields } from '../format/edit.js';
import { splitFile } from '../format/split.js';
import { parseYamlFrontMatter } from '../format/yaml-parse.js';
import { type LineMerge, mergeBody } from './merge-body.js';
import { type Data, mergeFields } from './merge-values.js';

export interface TaskMerge {
  text: string;
  /** Conflicts remain (front-matter keys or body lines); git should report the file. */
  conflict: boolean;
  /** Front-matter keys left in conflict. */
  conflictKeys: string[];
  /** Conflict regions in the body. */
  bodyConflicts: number;
  /** Log entries the merge added (a `lost-claim` line). */
  entries: string[];
  /** Why the files were merged as plain text, when they were. */
  fallback?: string;
}

interface Version {
  data: Data;
  body: string;
  fm: string;
}

function read(text: string, name: string): Version | string {
  if (text === '' && name === 'base') return { data: {}, body: '', fm: '' };
  const decoded = decodeTask(text, parseYamlFrontMatter);
  if (decoded === 'needs-yaml') return `${name}: cannot read the front matter`;
  if (!decoded.ok) return `${name}: ${decoded.message}`;
  if (decoded.conflictLine) return `${name}: conflict markers at line ${decoded.conflictLine}`;
  const split = splitFile(text);
  if (!split.ok) return `${name}: ${split.message}`;
  return { data: decoded.data, body: split.body, fm: split.fmText };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, end: number): number {
  if (end > 0 && text.charCodeAt(end - 1) === 10) return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** Each top-level key's lines in `fm`: [start, end) from its key line to its value's end. */
function keySpans(fm: string): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  const doc = parseDocument(fm, { schema: 'core', merge: false, resolveKnownTags: false });
  if (!isMap(doc.contents)) return spans;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const [ks, ke] = pair.key.range;
    const ve = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? ke;
    spans.set(String(pair.key.value ?? ''), [
      lineStart(fm, ks),
      lineEndAfter(fm, Math.max(ve, ke + 1)),
    ]);
  }
  return spans;
}

/** Wraps each conflicting key of `fm` (ours) with markers around ours' and theirs' lines. */
function markConflicts(fm: string, theirsFm: string, keys: string[], eol: string): string {
  const ours = keySpans(fm);
  const theirs = keySpans(theirsFm);
  const withEol = (s: string) =>
    (s === '' || s.endsWith('\n') ? s : s + eol).replace(/\r?\n/g, eol);
  const block = (o: string, t: string) =>
    `<<<<<<< ours${eol}${withEol(o)}=======${eol}${withEol(t)}>>>>>>> theirs${eol}`;
  const theirsText = (key: string) => {
    const span = theirs.get(key);
    return span ? theirsFm.slice(span[0], span[1]) : '';
  };
  // in place bottom up, so earlier offsets stay valid; keys ours lacks go at the end
  const inPlace = keys.flatMap((key) => {
    const span = ours.get(key);
    return span ? [{ key, span }] : [];
  });
  let out = fm;
  for (const { key, span } of inPlace.sort((a, b) => b.span[0] - a.span[0])) {
    out =
      out.slice(0, span[0]) +
      block(out.slice(span[0], span[1]), theirsText(key)) +
      out.slice(span[1]);
  }
  for (const key of keys.filter((k) => !ours.has(k))) {
    if (out !== '' && !out.endsWith('\n')) out += eol;
    out += block('', theirsText(key));
  }
  return out;
}

function fallback(
  base: string,
  ours: string,
  theirs: string,
  merge: LineMerge,
  why: string,
): TaskMerge {
  const m = merge(ours, base, theirs);
  return {
    text: m.text,
    conflict: m.conflicts > 0,
    conflictKeys: [],
    bodyConflicts: m.conflicts,
    entries: [],
    fallback: why,
  };
}

/** Merges three versions of a task file. */
export function mergeTask(
  base: string,
  ours: string,
  theirs: string,
  lineMerge: LineMerge,
): TaskMerge {
  const b = read(base, 'base');
  if (typeof b === 'string') return fallback(base, ours, theirs, lineMerge, b);
  const o = read(ours, 'ours');
  if (typeof o === 'string') return fallback(base, ours, theirs, lineMerge, o);
  const t = read(theirs, 'theirs');
  if (typeof t === 'string') return fallback(base, ours, theirs, lineMerge, t);
  const fields = mergeFields(b.data, o.data, t.data);
  const changes: Record<string, unknown> = Object.create(null);
  for (const [key, value] of fields.data) {
    if (!Object.hasOwn(o.data, key) || !deepEqual(o.data[key], value)) changes[key] = value;
  }
  for (const key of Object.keys(o.data)) if (!fields.data.has(key)) changes[key] = undefined;
  let text: string;
  try {
    text = setFields(ours, changes);
  } catch (error) {
    return fallback(base, ours, theirs, lineMerge, `ours: ${(error as Error).message}`);
  }
  const split = splitFile(text);
  if (!split.ok) return fallback(base, ours, theirs, lineMerge, `ours: ${split.message}`);
  const body = mergeBody(b.body, o.body, t.body, lineMerge, fields.entries, split.eol);
  let fm = split.fmText;
  if (fields.conflicts.length > 0) fm = markConflicts(fm, t.fm, fields.conflicts, split.eol);
  let fence = text.slice(split.fmEnd, split.bodyStart);
  if (body.text !== '' && !fence.endsWith('\n')) fence += split.eol;
  return {
    text: text.slice(0, split.fmStart) + fm + fence + body.text,
    conflict: fields.conflicts.length > 0 || body.conflicts > 0,
    conflictKeys: fields.conflicts,
    bodyConflicts: body.conflicts,
    entries: fields.entries,
  };
}
