/**
 * The task's `## Log` section in the Markdown body: one `- entry` line per event. Appending
 * adds one line and changes no other byte; a file without the section gets one at the end
 * of the body, after exactly one blank line. The section is the lines after a line that is
 * exactly `## Log`, up to the next `# ` or `## ` heading.
 */
import { splitFile } from './split.js';

interface Line {
  start: number;
  /** End of the content, before `\r\n` / `\n`. */
  end: number;
  /** Start of the next line (after the line break), or the text length. */
  next: number;
}

function* linesOf(text: string, from: number): Generator<Line> {
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const next = nl === -1 ? text.length : nl + 1;
    let end = nl === -1 ? text.length : nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    yield { start: pos, end, next };
    pos = next;
  }
}

function isLogHeading(text: string, l: Line): boolean {
  return text.slice(l.start, l.end).trimEnd() === '## Log';
}

function endsSection(text: string, l: Line): boolean {
  return text.startsWith('## ', l.start) || text.startsWith('# ', l.start);
}

/** The lines of the first `## Log` section (without the heading), or `undefined`. */
function logSection(text: string, from: number): { heading: Line; lines: Line[] } | undefined {
  let heading: Line | undefined;
  const lines: Line[] = [];
  for (const l of linesOf(text, from)) {
    if (!heading) {
      if (isLogHeading(text, l)) heading = l;
    } else if (endsSection(text, l)) {
      break;
    } else {
      lines.push(l);
    }
  }
  return heading ? { heading, lines } : undefined;
}

/** Appends `- entry` as the last line of the `## Log` section, creating the section if needed. */
export function appendLog(text: string, entry: string): string {
  const split = splitFile(text);
  if (!split.ok) throw new Error(`cannot append to the log: ${split.message} (line ${split.line})`);
  const { eol } = split;
  const item = `- ${entry.replace(/\r?\n/g, ' ')}`;
  const section = logSection(text, split.bodyStart);
  if (section) {
    let last = section.heading;
    for (const l of section.lines) if (text.slice(l.start, l.end).trim() !== '') last = l;
    if (last.next === last.end) return text + eol + item; // last line of a file without final EOL
    return text.slice(0, last.next) + item + eol + text.slice(last.next);
  }
  // exactly one blank line before the new heading (existing blank lines are kept as they are)
  let sep: string = eol;
  if (!text.endsWith('\n')) sep = eol + eol;
  else if (split.body !== '' && /(?:^|\n)[ \t]*\r?\n$/.test(split.body)) sep = '';
  return `${text}${sep}## Log${eol}${item}${eol}`;
}

/** The entries (text after `- `) of the body's `## Log` section. */
export function readLog(body: string): string[] {
  const section = logSection(body, 0);
  if (!section) return [];
  const out: string[] = [];
  for (const l of section.lines) {
    if (body.startsWith('- ', l.start)) out.push(body.slice(l.start + 2, l.end));
  }
  return out;
}
