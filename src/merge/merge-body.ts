/**
 * The merge driver's body rules: the `## Log` section's entries merge three ways, the rest of the
 * body merges line by line (`git merge-file`, passed in as a `LineMerge`).
 *
 * Decisions:
 * - The log section is found as `format/log.ts` finds it: the first line that is exactly
 *   `## Log`, up to the next `# ` or `## ` heading. An entry is a `- ` line with the
 *   non-blank lines under it; blank lines are layout.
 * - The rest of the body is merged without the log. When the log ends the body, it is cut
 *   out with the blank lines before it (the blank lines ending the body of a version
 *   without a log are cut too), so two sides that both start a log, or one adding a
 *   paragraph while the other starts the log, do not collide; the merged log goes back at
 *   the end. A log followed by another section keeps its heading in the text merged by
 *   line, and the entries go back under it.
 * - Entries merge three ways, by exact text (an entry is its `- ` line with the lines under
 *   it): an entry new on either side is kept; an entry of base is kept only while both
 *   sides keep it, so one side's removal stands even when the other side appended. A
 *   correction is a removal plus an addition: the corrected text replaces the old one. An
 *   entry corrected differently on both sides keeps both corrections (neither is lost, the
 *   old text goes), in time order; no conflict is raised for the log. Each text is kept
 *   once, and the merge's own entries (`extra`) are always kept.
 * - Order: when one side's entries are exactly the result, its section is kept as written
 *   (both are: the side that changed, or ours when both wrote the same list). Otherwise the
 *   result is ordered by the leading ISO time: each side in its own order, stably sorted by
 *   time (an entry without one takes the time of the entry above it), then merged taking
 *   the earlier head, equal times by text. So the result does not depend on which side is
 *   ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDate } from '../core/estimate.js';

export interface LineMergeResult {
  text: string;
  /** Conflict regions left with markers; 0 when clean. */
  conflicts: number;
}

/** A line-by-line three-way merge, `git merge-file` style. */
export type LineMerge = (ours: string, base: string, theirs: string) => LineMergeResult;

/** `git merge-file -p` on temp files, labels `ours`, `base`, `theirs`. */
export const gitMergeLines: LineMerge = (ours, base, theirs) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-merge-'));
  try {
    const files = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    writeFileSync(files.ours, ours);
    writeFileSync(files.base, base);
    writeFileSync(files.theirs, theirs);
    const args = ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs'];
    args.push(files.ours, files.base, files.theirs);
    try {
      const text = execFileSync('git', args, {
        encoding: 'utf8',
        maxBuffer: 1024 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { text, conflicts: 0 };
    } catch (error) {
      const e = error as { status?: number | null; stdout?: string; stderr?: string };
      if (typeof e.status === 'number' && e.status > 0 && e.status < 128 && e.stdout) {
        return { text: e.stdout, conflicts: e.status };
      }
      const detail = (e.stderr ?? '').trim().split('\n')[0] ?? '';
      throw new Error(`git merge-file failed${detail ? `: ${detail}` : ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A body cut into the part merged by line and its log. */
export interface BodyParts {
  hasLog: boolean;
  /** The log is followed by another section (its heading stays in `text`). */
  inside: boolean;
  /** The body without the log section, merged by line. */
  text: string;
  /** Blank lines cut from the end of `text`. */
  gap: string;
  /** The `## Log` line with its line break. */
  heading: string;
  /** The section's lines after the heading, as written. */
  section: string;
  /** Entries, each its lines joined by `\n` without `\r`. */
  entries: string[];
  /** Blank lines ending the section, as written. */
  trailing: string;
}

const LINES = /[^\n]*\n|[^\n]+$/g;
const BLANK = /^[ \t]*\r?\n?$/;
const bare = (line: string) => line.replace(/\r?\n$/, '');
const isLogHeading = (line: string) => bare(line).trimEnd() === '## Log';
const endsSection = (line: string) => line.startsWith('## ') || line.startsWith('# ');

function cutBlankEnd(text: string): { text: string; gap: string } {
  const lines = text.match(LINES) ?? [];
  let i = lines.length;
  while (i > 0 && BLANK.test(lines[i - 1] ?? '')) i--;
  return { text: lines.slice(0, i).join(''), gap: lines.slice(i).join('') };
}

/** Cuts `body`; `cutEnd` also cuts the blank lines ending a body that has no log. */
export function splitBody(body: string, cutEnd: boolean): BodyParts {
  const lines = body.match(LINES) ?? [];
  const h = lines.findIndex(isLogHeading);
  if (h === -1) {
    const cut = cutEnd ? cutBlankEnd(body) : { text: body, gap: '' };
    return {
      hasLog: false,
      inside: false,
      ...cut,
      heading: '',
      section: '',
      entries: [],
      trailing: '',
    };
  }
  let end = h + 1;
  while (end < lines.length && !endsSection(lines[end] ?? '')) end++;
  const sectionLines = lines.slice(h + 1, end);
  let last = sectionLines.length;
  while (last > 0 && BLANK.test(sectionLines[last - 1] ?? '')) last--;
  const entries: string[] = [];
  for (const line of sectionLines.slice(0, last)) {
    if (BLANK.test(line)) continue;
    const text = bare(line).replace(/\r$/, '');
    if (line.startsWith('- ') || entries.length === 0) entries.push(text);
    else entries[entries.length - 1] += `\n${text}`;
  }
  const pre = lines.slice(0, h).join('');
  const post = lines.slice(end).join('');
  const heading = lines[h] ?? '';
  const inside = post !== '';
  const cut = inside ? { text: pre + heading + post, gap: '' } : cutBlankEnd(pre);
  return {
    hasLog: true,
    inside,
    ...cut,
    heading,
    section: sectionLines.join(''),
    entries,
    trailing: sectionLines.slice(last).join(''),
  };
}

const LEADING_TIME =
  /^- (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)(?:\s|$)/;

/** Each entry with its time (inherited from the entry above when it has none), time-sorted. */
function timed(entries: string[]): Array<{ text: string; time: number }> {
  let time = Number.NEGATIVE_INFINITY;
  const out = entries.map((text) => {
    const m = LEADING_TIME.exec(text);
    const t = m?.[1] === undefined ? undefined : parseDate(m[1]);
    if (t !== undefined) time = t;
    return { text, time };
  });
  return out.sort((a, b) => a.time - b.time); // Array.prototype.sort is stable
}

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export interface LogUnion {
  entries: string[];
  /** The side whose section is the result as written, if one is. */
  from?: 'ours' | 'theirs';
}

const sameSet = (a: Set<string>, b: Set<string>) =>
  a.size === b.size && [...a].every((x) => b.has(x));

/** The merged entries of both sides plus `extra` (see the module comment). */
export function unionLog(
  base: string[],
  ours: string[],
  theirs: string[],
  extra: string[] = [],
): LogUnion {
  const bs = new Set(base);
  const os = new Set(ours);
  const ts = new Set(theirs);
  // a base entry stays only while both sides keep it; an entry new on either side stays
  const keep = (e: string) => !bs.has(e) || (os.has(e) && ts.has(e));
  const kept = new Set([...ours, ...theirs].filter(keep));
  for (const e of extra) kept.add(e);
  const oursAll = sameSet(os, kept);
  const theirsAll = sameSet(ts, kept);
  if (oursAll && (!theirsAll || sameList(ours, theirs) || sameList(theirs, base))) {
    return { entries: ours, from: 'ours' };
  }
  if (theirsAll && (!oursAll || sameList(ours, base))) return { entries: theirs, from: 'theirs' };
  const sides = [timed(ours), timed(theirs), timed(extra)];
  return { entries: sortedUnion(sides.map((list) => list.filter((e) => kept.has(e.text)))) };
}

/** Merges time-sorted lists: the earliest head first, equal times by text; each text once. */
function sortedUnion(lists: Array<Array<{ text: string; time: number }>>): string[] {
  const at = lists.map(() => 0);
  const done = new Set<string>();
  const out: string[] = [];
  for (;;) {
    let pick = -1;
    let best: { text: string; time: number } | undefined;
    lists.forEach((list, i) => {
      let j = at[i] ?? 0;
      while (j < list.length && done.has(list[j]?.text ?? '')) j++;
      at[i] = j;
      const head = list[j];
      if (
        head &&
        (!best || head.time < best.time || (head.time === best.time && head.text < best.text))
      ) {
        best = head;
        pick = i;
      }
    });
    if (!best) return out;
    done.add(best.text);
    out.push(best.text);
    at[pick] = (at[pick] ?? 0) + 1;
  }
}

export interface BodyMerge {
  text: string;
  /** Conflict regions left with markers in the body. */
  conflicts: number;
}

/** Merges three bodies; `extra` entries (text after `- `) join the log; `eol` is ours' line break. */
export function mergeBody(
  base: string,
  ours: string,
  theirs: string,
  lineMerge: LineMerge,
  extra: string[] = [],
  eol = '\n',
): BodyMerge {
  const anyLog = extra.length > 0 || [base, ours, theirs].some((x) => splitBody(x, false).hasLog);
  if (!anyLog) return lineMerge(ours, base, theirs);
  const b = splitBody(base, true);
  const o = splitBody(ours, true);
  const t = splitBody(theirs, true);
  const merged = lineMerge(o.text, b.text, t.text);
  const union = unionLog(
    b.entries,
    o.entries,
    t.entries,
    extra.map((e) => `- ${e}`),
  );
  const withLog = o.hasLog ? o : t.hasLog ? t : undefined;
  if (!withLog && union.entries.length === 0) {
    return { text: merged.text + o.gap, conflicts: merged.conflicts };
  }
  const lines = merged.text.match(LINES) ?? [];
  const h = lines.findIndex(isLogHeading);
  const inside = h !== -1;
  const src = union.from === 'ours' ? o : union.from === 'theirs' ? t : undefined;
  let section: string;
  if (src?.hasLog) {
    section = src.section;
  } else {
    const like = [o, t].find((p) => p.hasLog && p.inside === inside);
    const trailing = like ? like.trailing : inside ? eol : '';
    section = union.entries.map((e) => e.split('\n').join(eol) + eol).join('') + trailing;
  }
  if (inside) {
    if (section !== '' && !section.endsWith('\n')) section += eol;
    if (src?.hasLog && !src.inside && section !== '' && h + 1 < lines.length) section += eol;
    lines.splice(h + 1, 0, section);
    return { text: lines.join(''), conflicts: merged.conflicts };
  }
  let text = merged.text;
  if (text !== '' && !text.endsWith('\n')) text += eol;
  const atEnd = [o, t].find((p) => p.hasLog && !p.inside);
  const gap = atEnd ? atEnd.gap : eol;
  let heading = withLog ? withLog.heading : `## Log${eol}`;
  if (section !== '' && !heading.endsWith('\n')) heading += eol;
  return { text: text + gap + heading + section, conflicts: merged.conflicts };
}
