/**
 * Reads a task file's front matter into plain data (no field validation: the schema does
 * that). The fast path (`fast-yaml.ts`) takes the common flat shape; for anything else the
 * caller passes the full parser, which it imports lazily, keeping `yaml` off the hot path:
 *
 *   let d = decodeTask(text);
 *   if (d === 'needs-yaml') {
 *     const { parseYamlFrontMatter } = await import('./yaml-parse.js');
 *     d = decodeTask(text, parseYamlFrontMatter);
 *   }
 *
 * Git conflict markers in the front matter (or the fences) make the file unreadable; in the
 * body they are reported through `conflictLine`. A lone `=======` or `|||||||` line in the
 * body is not a marker unless a `<<<<<<<` or `>>>>>>>` line is there too, because
 * `=======` under a line is also a Markdown heading.
 */
import { parseFlatYaml } from './fast-yaml.js';
import { splitFile } from './split.js';
import type { YamlParseResult } from './yaml-parse.js';

export type Decoded =
  | {
      ok: true;
      data: Record<string, unknown>;
      /** Each top-level key's 1-based line in the file. */
      lines: Record<string, number>;
      /** 1-based line of the first git conflict marker in the body, if any. */
      conflictLine?: number;
    }
  | { ok: false; line?: number; message: string; conflict?: boolean };

export type YamlParser = (fmText: string) => YamlParseResult;

interface Marker {
  offset: number;
  line: number;
}

/** Offset of the first line that starts with `marker` (followed by space or EOL), or -1. */
function findMarkerLine(text: string, marker: string, exact: boolean): number {
  for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) !== 10 && !(i === 1 && text.charCodeAt(0) === 0xfeff)) {
      continue;
    }
    const c = text.charCodeAt(i + marker.length);
    const eol =
      Number.isNaN(c) || c === 10 || (c === 13 && text.charCodeAt(i + marker.length + 1) === 10);
    if (eol || (!exact && c === 32)) return i;
  }
  return -1;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first conflict marker line, with `strong` telling whether `<<<`/`>>>` exist. */
function firstMarker(text: string): { marker: Marker; strong: boolean } | undefined {
  const open = findMarkerLine(text, '<<<<<<<', false);
  const close = findMarkerLine(text, '>>>>>>>', false);
  const base = findMarkerLine(text, '|||||||', false);
  const middle = findMarkerLine(text, '=======', true);
  let first = -1;
  if (open !== -1) first = open;
  if (close !== -1 && (first === -1 || close < first)) first = close;
  if (base !== -1 && (first === -1 || base < first)) first = base;
  if (middle !== -1 && (first === -1 || middle < first)) first = middle;
  if (first === -1) return undefined;
  return {
    marker: { offset: first, line: lineOf(text, first) },
    strong: open !== -1 || close !== -1,
  };
}

function conflictError(line: number): Decoded {
  return {
    ok: false,
    line,
    conflict: true,
    message: 'unresolved git conflict markers in the front matter; resolve the merge first',
  };
}

/** Decodes `text`, or returns `'needs-yaml'` when the full parser is needed and not given. */
export function decodeTask(text: string, yamlParser?: YamlParser): Decoded | 'needs-yaml' {
  const found = firstMarker(text);
  const split = splitFile(text);
  if (!split.ok) {
    if (found?.strong) return conflictError(found.marker.line);
    return { ok: false, line: split.line, message: split.message };
  }
  if (found && found.marker.offset < split.bodyStart) return conflictError(found.marker.line);
  const fast = parseFlatYaml(split.fmText, split.firstLine);
  let data: Record<string, unknown>;
  let fmLines: Record<string, number>;
  if (fast) {
    data = fast.data;
    fmLines = fast.lines;
  } else {
    if (!yamlParser) return 'needs-yaml';
    const r = yamlParser(split.fmText);
    if (!r.ok) {
      const line = r.line === undefined ? undefined : split.firstLine + r.line;
      return line === undefined
        ? { ok: false, message: r.message }
        : { ok: false, line, message: r.message };
    }
    data = r.data;
    fmLines = r.lines;
    // a fresh object: shift its 0-based lines to file lines in place
    for (const key in fmLines) fmLines[key] = (fmLines[key] ?? 0) + split.firstLine;
  }
  if (found?.strong) return { ok: true, data, lines: fmLines, conflictLine: found.marker.line };
  return { ok: true, data, lines: fmLines };
}
