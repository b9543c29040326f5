/**
 * CSV (RFC 4180): a header row with every key any task has (the task JSON's order, first
 * seen first), CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled. Lists are joined with `;`; objects are written as JSON.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(header.map((k) => csvField(cell(row[k]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
