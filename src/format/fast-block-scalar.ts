/**
 * Block scalars (`|`, `|-`, `|+`, `>`, `>-`, `>+`) for the fast front-matter reader, read
 * as YAML 1.2 reads them: the indentation of the first non-empty line is the block's, empty
 * lines are kept, the final line breaks are chomped as the header says, and a folded block
 * joins lines with a space and keeps one break per empty line. It returns `undefined` for
 * what it does not fully handle: an indentation indicator (`|2`), an empty block, a leading
 * empty line with more spaces than the first line (`yaml` refuses those), a blank line with
 * spaces past the block's indentation, a tab after a line's indentation, more-indented
 * lines in a folded block, odd characters, and a block that runs to the end of the text
 * without a line break.
 */
import { checkChar } from './fast-scalar.js';

/** Where the block's last line ended (the next line's start) and how many lines it took. */
export let blockEnd = 0;
export let blockLines = 0;

/** Plain ASCII and tabs: content lines that need no character loop. */
const ASCII_TEXT = /^[^\x00-\x08\x0a-\x1f\x7f-\uffff]*$/;

function goodText(t: string, s: number, e: number): boolean {
  if (ASCII_TEXT.test(t.slice(s, e))) return true;
  for (let i = s; i < e; i++) {
    if (t.charCodeAt(i) === 9) continue;
    i = checkChar(t, i, e);
    if (i < 0) return false;
  }
  return true;
}

/**
 * The block scalar whose header starts at `t[h]` (`|` or `>`) and ends at `le`, its content
 * on the lines from `next`, inside a mapping indented by `parent` columns. Sets `blockEnd`
 * and `blockLines`.
 */
export function parseBlockScalar(
  t: string,
  h: number,
  le: number,
  next: number,
  parent: number,
): string | undefined {
  const folded = t.charCodeAt(h) === 62;
  let i = h + 1;
  const chomp = t.charCodeAt(i);
  if (chomp === 45 || chomp === 43) i++;
  let j = i;
  while (j < le && t.charCodeAt(j) === 32) j++;
  if (j < le && (j === i || t.charCodeAt(j) !== 35)) return undefined;

  const n = t.length;
  const parts: string[] = []; // content lines, '' for an empty line
  let indent = -1;
  let leading = 0; // most spaces on an empty line before the first content line
  let pos = next;
  let lines = 0;
  while (pos < n) {
    const nl = t.indexOf('\n', pos);
    if (nl === -1) return undefined;
    let e = nl;
    if (e > pos && t.charCodeAt(e - 1) === 13) e--;
    let k = pos;
    while (k < e && t.charCodeAt(k) === 32) k++;
    const spaces = k - pos;
    if (t.charCodeAt(k) === 9) return undefined; // a tab: content or blank? `yaml` decides
    if (k === e) {
      if (indent === -1) leading = Math.max(leading, spaces);
      else if (spaces > indent) return undefined;
      parts.push('');
    } else {
      if (indent === -1) {
        if (spaces <= parent || leading > spaces) break;
        indent = spaces;
      } else if (spaces < indent) break;
      const s = pos + indent;
      if (folded && spaces > indent) return undefined;
      if (!goodText(t, s, e)) return undefined;
      parts.push(t.slice(s, e));
    }
    pos = nl + 1;
    lines++;
  }
  if (indent === -1) return undefined;
  let last = parts.length - 1;
  while (parts[last] === '') last--;
  let out = '';
  if (folded) {
    let gap = 0; // empty lines since the last content line, or -1 before the first
    let first = true;
    for (let k = 0; k <= last; k++) {
      const p = parts[k]!;
      if (p === '') {
        if (first) out += '\n';
        else gap++;
        continue;
      }
      if (!first) out += gap === 0 ? ' ' : '\n'.repeat(gap);
      out += p;
      first = false;
      gap = 0;
    }
  } else {
    out = parts.slice(0, last + 1).join('\n');
  }
  if (chomp === 43) out += '\n'.repeat(parts.length - last);
  else if (chomp !== 45) out += '\n';
  // trailing empty lines belong to the block; the lines after them are the caller's
  blockEnd = pos;
  blockLines = lines;
  return out;
}
