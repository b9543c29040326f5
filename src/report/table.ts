/**
 * Plain aligned columns for terminal lists; the last column is never padded. On a terminal
 * the last column is cut with `…` so rows do not wrap; piped output keeps every character.
 */
export function columns(
  rows: string[][],
  visibleWidth: (s: string) => number = defaultWidth,
  maxWidth: number | undefined = process.stdout.isTTY ? process.stdout.columns : undefined,
): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => (maxWidth && visibleWidth(line) > maxWidth ? cut(line, maxWidth) : line))
    .join('\n');
}

/** Cut a line to `width` visible characters, keeping ANSI escapes balanced by a reset. */
function cut(line: string, width: number): string {
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length; ) {
    const m = /^\u001b\[[0-9;]*m/.exec(line.slice(i));
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (visible === width - 1) return `${out}…${out.includes('\u001b[') ? '\u001b[0m' : ''}`;
    out += line[i];
    visible++;
    i++;
  }
  return out;
}

const ANSI = /\u001b\[[0-9;]*m/g;

function defaultWidth(s: string): number {
  return s.replace(ANSI, '').length;
}
