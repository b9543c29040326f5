/**
 * Text that fits a terminal: visible width (ANSI escapes take no columns, CJK and emoji take
 * two), cutting with `…`, padding, and user text made safe for one line.
 */
const ANSI = /\u001b\[[0-9;]*m/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Columns a code point takes: 0 for combining marks, 2 for wide (CJK, emoji), else 1. */
function charWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Visible columns of a string (ANSI escapes take none). */
export function visibleWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** `s` cut to `width` columns, ending in `…` when cut; escapes kept, closed by a reset. */
export function clip(s: string, width: number): string {
  if (visibleWidth(s) <= width) return s;
  let out = '';
  let used = 0;
  let styled = false;
  for (let i = 0; i < s.length; ) {
    const m = /^\u001b\[[0-9;]*m/.exec(s.slice(i));
    if (m) {
      out += m[0];
      styled = true;
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
    i += ch.length;
  }
  return `${out}…${styled ? '\u001b[0m' : ''}`;
}

export function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleWidth(s)));
}

/** User text made safe for one terminal line: no control characters or escapes. */
export function clean(s: string): string {
  return s.replace(CONTROL, ' ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A duration as one short word: 45m, 5h, 3d, 12w. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.round(hours / 24);
  if (days < 100) return `${days}d`;
  return days < 730 ? `${Math.round(days / 7)}w` : `${Math.round(days / 365)}y`;
}
