/**
 * Fingerprints of input files (SPEC section 4): a sha256 over the sorted `(path, git blob id)`
 * pairs of the files some globs match, so it costs no file reading beyond what git already
 * knows and agrees across clones whose inputs are identical.
 *
 * Reading the working tree costs at most three git calls, whatever the number of globs or
 * of tasks and caches asking (the globs' literal folders narrow each call):
 * 1. `git ls-files -s -z`: every tracked file with the blob id in the index;
 * 2. `git ls-files -m -o --exclude-standard -z`: files modified since (or deleted), and
 *    untracked files that are not ignored;
 * 3. `git hash-object --stdin-paths`, once, for the matched files of (2) that still exist
 *    (clean filters apply, so the id is what `git add` would store).
 * Other sources: git's index alone (`check --staged`), or a commit (`ls-tree -r`).
 *
 * Globs (hand-written: `path.matchesGlob` is experimental in Node 20), relative to the root,
 * `**` any number of folders, `*` and `?` within a name (dot files included, as git does),
 * `[a-z]` / `[!a-z]` classes, `{a,b}` alternatives (nested too), `\` escapes. A pattern that
 * matches a folder matches everything in it (`src` = `src/**`). `!pattern` excludes. Files
 * under `.tasks/` are never inputs (a task's own file changes when it is marked done), and
 * git-ignored untracked files are not either (they cannot agree across clones).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hasResult } from '../core/stale.js';
import type { Task } from '../core/types.js';
import { UserError } from '../errors.js';
import { gitOutput } from './git.js';

/** `[path, blob id]`, the unit a fingerprint is made of. */
export type InputFile = [path: string, blob: string];

export interface InputFingerprint {
  fingerprint: string;
  /** The matched files, sorted by path. */
  files: InputFile[];
}

export interface InputChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Where blob ids come from: the working tree, git's index, or a commit. */
export type InputSource = 'worktree' | 'index' | { rev: string };

const MAX_EXPANSIONS = 256;
const MAX_PATHSPECS = 1000;
const META = /[*?[\\]/;

/** `{a,b}c` -> `ac`, `bc` (nested braces too); an unbalanced brace is literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const cuts = [open, ...commas, i];
      const out: string[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) {
        const alt = pattern.slice(cuts[k]! + 1, cuts[k + 1]);
        for (const p of expandBraces(head + alt + tail)) {
          out.push(p);
          if (out.length > MAX_EXPANSIONS)
            throw new UserError('USAGE', `glob "${pattern}" expands to too many patterns`);
        }
      }
      return out;
    }
  }
  return [pattern];
}

/** One path segment's pattern (no `/`, no braces) as a regex source. */
function segmentSource(seg: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < seg.length) out += escapeRegex(seg[++i]!);
    else if (c === '[') {
      let j = i + 1;
      const negate = seg[j] === '!' || seg[j] === '^';
      if (negate) j++;
      if (seg[j] === ']') j++;
      const close = seg.indexOf(']', j);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      const body = seg.slice(negate ? i + 2 : i + 1, close).replace(/[\\^\]]/g, (x) => `\\${x}`);
      out += negate ? `[^/${body}]` : `[${body}]`;
      i = close;
    } else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `./a//b/` -> `a/b`. */
function normalizePattern(p: string): string {
  return p
    .replace(/^(\.\/|\/)+/, '')
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
}

/** A brace-free glob as an anchored regex; a match on a folder matches what it holds. */
export function globToRegExp(glob: string): RegExp {
  const segs = normalizePattern(glob)
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  let src = '';
  let openStar = false; // the previous segment was a `**` that ended in "any folders/"
  segs.forEach((seg, i) => {
    const sep = i > 0 && !openStar ? '/' : '';
    const last = i === segs.length - 1;
    if (seg === '**') {
      if (last) src += i === 0 || openStar ? '.*' : '(?:/.*)?';
      else src += `${sep}(?:.*/)?`;
      openStar = !last;
    } else {
      src += sep + segmentSource(seg);
      openStar = false;
    }
  });
  return new RegExp(`^${src}(?:/.*)?$`, 's');
}

/** The leading folders of a brace-free glob that hold no wildcard ('' when the first does). */
export function literalPrefix(glob: string): string {
  const segs = normalizePattern(glob).split('/');
  const out: string[] = [];
  for (const s of segs) {
    if (META.test(s)) break;
    if (s !== '' && s !== '.') out.push(s);
  }
  return out.join('/');
}

export interface InputMatcher {
  test(path: string): boolean;
  /** Literal folders (or files) that hold every match; undefined: anywhere. */
  pathspecs: string[] | undefined;
  /** Positive brace-free patterns with their prefix, for range lookups. */
  patterns: { prefix: string; re: RegExp }[];
  negatives: RegExp[];
}

const TASKS = /^\.tasks(?:\/|$)/;

/** Compile globs (`!` excludes) into one matcher. */
export function compileInputs(globs: readonly string[]): InputMatcher {
  const patterns: { prefix: string; re: RegExp }[] = [];
  const negatives: RegExp[] = [];
  for (const g of globs) {
    const negative = g.startsWith('!');
    for (const p of expandBraces(negative ? g.slice(1) : g)) {
      if (normalizePattern(p).split('/').includes('..')) continue; // never inside the repo
      if (negative) negatives.push(globToRegExp(p));
      else patterns.push({ prefix: literalPrefix(p), re: globToRegExp(p) });
    }
  }
  const prefixes = [...new Set(patterns.map((p) => p.prefix))];
  // Unnarrowed when some glob starts with a wildcard, or the list would not fit a command line.
  const pathspecs = prefixes.includes('') || prefixes.length > MAX_PATHSPECS ? undefined : prefixes;
  return {
    test: (path) =>
      !TASKS.test(path) &&
      patterns.some((p) => p.re.test(path)) &&
      !negatives.some((re) => re.test(path)),
    pathspecs,
    patterns,
    negatives,
  };
}

/** sha256 over sorted `(path, blob)` pairs. */
export function fingerprintFiles(files: readonly InputFile[]): string {
  const h = createHash('sha256');
  for (const [path, blob] of files) h.update(`${path}\0${blob}\n`);
  return h.digest('hex');
}

/** What changed from `before` to `after` (both sorted lists of pairs). */
export function diffInputs(
  before: readonly InputFile[],
  after: readonly InputFile[],
): InputChanges {
  const old = new Map(before);
  const now = new Map(after);
  const out: InputChanges = { added: [], removed: [], changed: [] };
  for (const [path, blob] of after) {
    const was = old.get(path);
    if (was === undefined) out.added.push(path);
    else if (was !== blob) out.changed.push(path);
  }
  for (const [path] of before) if (!now.has(path)) out.removed.push(path);
  return out;
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The blob ids of every file some globs can match, from one read of git; select from it. */
export class InputTree {
  /** Sorted by path. */
  readonly paths: readonly string[];
  readonly blobs: readonly string[];
  private readonly memo = new Map<string, number[]>();

  constructor(entries: ReadonlyMap<string, string>) {
    this.paths = [...entries.keys()].sort(byPath);
    this.blobs = this.paths.map((p) => entries.get(p)!);
  }

  /** The files `globs` match, sorted by path. */
  select(globs: readonly string[]): InputFile[] {
    const m = compileInputs(globs);
    const hits = new Set<number>();
    for (const p of m.patterns) for (const i of this.matchPattern(p)) hits.add(i);
    const out: InputFile[] = [];
    for (const i of [...hits].sort((a, b) => a - b)) {
      const path = this.paths[i]!;
      if (!m.negatives.some((re) => re.test(path))) out.push([path, this.blobs[i]!]);
    }
    return out;
  }

  fingerprint(globs: readonly string[]): InputFingerprint {
    const files = this.select(globs);
    return { fingerprint: fingerprintFiles(files), files };
  }

  private matchPattern(p: { prefix: string; re: RegExp }): number[] {
    const key = p.re.source;
    const known = this.memo.get(key);
    if (known) return known;
    const out: number[] = [];
    let lo = 0;
    let hi = this.paths.length;
    if (p.prefix !== '') {
      // Every match starts with the prefix: a binary search finds the range.
      lo = lowerBound(this.paths, p.prefix);
      hi = lo;
      while (hi < this.paths.length && this.paths[hi]!.startsWith(p.prefix)) hi++;
    }
    for (let i = lo; i < hi; i++) {
      const path = this.paths[i]!;
      if (!TASKS.test(path) && p.re.test(path)) out.push(i);
    }
    this.memo.set(key, out);
    return out;
  }
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Records of a NUL-separated listing. */
function records(out: string): string[] {
  return out.split('\0').filter((r) => r !== '');
}

function scoped(args: string[], pathspecs: string[] | undefined): string[] {
  return ['--literal-pathspecs', ...args, ...(pathspecs ? ['--', ...pathspecs] : [])];
}

/** git's blob id of a symbolic link: the hash of its target text (the link is not followed). */
function linkBlob(abs: string, sha256: boolean): string {
  const target = Buffer.from(readlinkSync(abs));
  const h = createHash(sha256 ? 'sha256' : 'sha1');
  h.update(`blob ${target.length}\0`);
  h.update(target);
  return h.digest('hex');
}

/** The blob ids of the files `globs` can match, read from `source` in one batch of git calls. */
export function readInputTree(
  root: string,
  globs: readonly string[],
  source: InputSource = 'worktree',
): InputTree {
  // Exclusions apply per selection (`InputTree.select`): one caller's `!x` must not hide x
  // from another's globs read in the same batch.
  const matcher = compileInputs(globs.filter((g) => !g.startsWith('!')));
  const entries = new Map<string, string>();
  if (matcher.patterns.length === 0) return new InputTree(entries);
  const specs = matcher.pathspecs;
  if (typeof source === 'object') {
    const out = gitOutput(root, scoped(['ls-tree', '-r', '-z', source.rev], specs));
    for (const rec of records(out)) {
      const tab = rec.indexOf('\t');
      const path = rec.slice(tab + 1);
      const id = rec.slice(0, tab).split(' ')[2];
      if (id && matcher.test(path)) entries.set(path, id);
    }
    return new InputTree(entries);
  }
  const unmerged = new Set<string>();
  let sha256 = false;
  for (const rec of records(gitOutput(root, scoped(['ls-files', '-s', '-z'], specs)))) {
    const tab = rec.indexOf('\t');
    const path = rec.slice(tab + 1);
    const [, id, stage] = rec.slice(0, tab).split(' ');
    if (!id) continue;
    sha256 = id.length === 64;
    if (!matcher.test(path)) continue;
    if (stage === '0') entries.set(path, id);
    else if (source === 'worktree') unmerged.add(path);
    else if (stage === '2') entries.set(path, id); // index of a merge in progress: ours
  }
  if (source === 'index') return new InputTree(entries);

  const listing = gitOutput(
    root,
    scoped(['ls-files', '-m', '-o', '--exclude-standard', '-z'], specs),
  );
  const candidates = new Set(unmerged);
  for (const path of records(listing)) if (matcher.test(path)) candidates.add(path);
  const toHash: string[] = [];
  for (const path of [...candidates].sort(byPath)) {
    const abs = join(root, path);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(abs);
    } catch {
      entries.delete(path); // deleted in the working tree
      continue;
    }
    if (st.isSymbolicLink()) entries.set(path, linkBlob(abs, sha256));
    else if (st.isFile() && !path.includes('\n')) toHash.push(path);
    else if (!st.isDirectory()) entries.delete(path); // a socket, or a name hash-object cannot take
    // a directory here is a submodule: keep the commit id the index holds
  }
  if (toHash.length > 0) {
    const out = gitOutput(root, ['hash-object', '--stdin-paths'], `${toHash.join('\n')}\n`);
    const ids = out.split('\n');
    toHash.forEach((path, i) => {
      const id = ids[i];
      if (id) entries.set(path, id);
    });
  }
  return new InputTree(entries);
}

/** The commit HEAD names, or '' before the first commit. */
export function headCommit(root: string): string {
  try {
    return gitOutput(root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']).trim();
  } catch {
    return '';
  }
}

/**
 * The current fingerprint of each task's inputs, for `staleResults`: one read of `source`
 * for all tasks together, and no git call at all when no task has a result to judge.
 */
export function taskFingerprints(
  root: string,
  tasks: readonly Task[],
  source: InputSource = 'worktree',
): { tree: InputTree | undefined; of: (task: Task) => string | undefined } {
  const judged = tasks.filter(hasResult);
  if (judged.length === 0) return { tree: undefined, of: () => undefined };
  const globs = [...new Set(judged.flatMap((t) => t.data.inputs ?? []))];
  const tree = readInputTree(root, globs, source);
  const memo = new Map<string, string>();
  return {
    tree,
    of: (task) => {
      const inputs = task.data.inputs;
      if (!inputs || inputs.length === 0) return undefined;
      const key = JSON.stringify(inputs);
      let fp = memo.get(key);
      if (fp === undefined) {
        fp = tree.fingerprint(inputs).fingerprint;
        memo.set(key, fp);
      }
      return fp;
    },
  };
}
