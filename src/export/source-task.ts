/** What the tool-format exporters read of a task: its front matter and its log. */
import type { LogEntry } from './log-entry.js';

export interface ExportTask {
  /** The front matter, as `taskJson` gives it (core fields first). */
  data: Record<string, unknown>;
  log: LogEntry[];
  /** The Markdown body without its `## Log` section, trimmed. */
  body: string;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** An RFC 3339 date-time for a baton date (`2026-12-01` is midnight UTC). */
export function dateTime(value: unknown): string | undefined {
  const s = text(value);
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00Z`;
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(s)) return s;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The body without its `## Log` section (up to the next `# `/`## ` heading), trimmed. */
export function bodyWithoutLog(body: string): string {
  const lines = body.split(/\r?\n/);
  const out: string[] = [];
  let inLog = false;
  for (const line of lines) {
    if (line.trimEnd() === '## Log') inLog = true;
    else if (inLog && (line.startsWith('## ') || line.startsWith('# '))) inLog = false;
    if (!inLog) out.push(line);
  }
  return out.join('\n').trim();
}
