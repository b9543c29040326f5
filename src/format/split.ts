/**
 * Splits a task file into its front matter and body without interpreting either. Every
 * offset it returns points into the original text, so writers can rebuild the file byte for
 * byte. Only YAML front matter is accepted: a fence naming any other language (`---js`,
 * `+++`, a `{` JSON block) is refused here, before anything could be evaluated.
 */

export type Eol = '\n' | '\r\n';

export interface Split {
  ok: true;
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** The line ending of the first line; writers use it for new lines. */
  eol: Eol;
  /** The exact text between the fences: empty, or ending with a newline. */
  fmText: string;
  /** Offset of `fmText` in the file. */
  fmStart: number;
  /** Offset just after `fmText`, where the closing fence starts. */
  fmEnd: number;
  /** 1-based file line of the first front-matter line (normally 2). */
  firstLine: number;
  /** The exact text after the closing fence line. */
  body: string;
  /** Offset of `body` in the file. */
  bodyStart: number;
  /** 1-based file line where the body starts. */
  bodyLine: number;
}

export interface SplitFailure {
  ok: false;
  /** 1-based file line the problem is on. */
  line: number;
  message: string;
}

const YAML_LANGS: ReadonlySet<string> = new Set(['', 'yaml', 'yml']);

/** Offset of the end of the line starting at `from`: the `\n` or the end of the text. */
function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

/** The line's content from `start` to `end` without a trailing `\r`, spaces or tabs. */
function trimmedLine(text: string, start: number, end: number): string {
  let e = end;
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c !== 13 && c !== 32 && c !== 9) break;
    e--;
  }
  return text.slice(start, e);
}

function refuse(lang: string): SplitFailure {
  return {
    ok: false,
    line: 1,
    message: `front matter in "${lang}" is not accepted; only YAML front matter is (nothing was evaluated)`,
  };
}

/** Splits `text` into BOM, front matter and body, or says why it cannot. */
export function splitFile(text: string): Split | SplitFailure {
  const bom = text.charCodeAt(0) === 0xfeff;
  const start = bom ? 1 : 0;
  const firstEnd = lineEnd(text, start);
  const first = trimmedLine(text, start, firstEnd);
  if (first.startsWith('---')) {
    const lang = first.slice(3).trim();
    if (!YAML_LANGS.has(lang.toLowerCase())) return refuse(lang);
  } else if (first.startsWith('+++')) {
    return refuse('toml');
  } else if (first.startsWith('{')) {
    return refuse('json');
  } else {
    return {
      ok: false,
      line: 1,
      message: 'no front matter: the file must start with a line "---"',
    };
  }
  if (firstEnd === text.length) {
    return { ok: false, line: 1, message: 'front matter is not closed by a "---" line' };
  }
  const eol: Eol = text.charCodeAt(firstEnd - 1) === 13 ? '\r\n' : '\n';
  const fmStart = firstEnd + 1;
  let pos = fmStart;
  let line = 2;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const c = text.charCodeAt(pos);
    if (c === 45 /* - */ || c === 46 /* . */) {
      const t = trimmedLine(text, pos, end);
      if (t === '---' || t === '...') {
        const bodyStart = end === text.length ? end : end + 1;
        return {
          ok: true,
          bom,
          eol,
          fmText: text.slice(fmStart, pos),
          fmStart,
          fmEnd: pos,
          firstLine: 2,
          body: text.slice(bodyStart),
          bodyStart,
          bodyLine: line + 1,
        };
      }
    }
    pos = end + 1;
    line++;
  }
  return { ok: false, line: 1, message: 'front matter is not closed by a "---" line' };
}
