import { clip, visibleWidth } from './text-fit.js';

/**
 * Plain aligned columns for terminal lists; the last column is never padded. On a terminal
 * the last column is cut with `…` so rows do not wrap; piped output keeps every character.
 */
export function columns(
  rows: string[][],
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
    .map((line) => (maxWidth && visibleWidth(line) > maxWidth ? clip(line, maxWidth) : line))
    .join('\n');
}
