/** A `## Log` entry (`<ISO time> <agent> <verb>[: message]`) as data, for exports. */
export interface LogEntry {
  time: string;
  agent: string;
  verb: string;
  message?: string;
}

const ENTRY = /^(\S+)\s+(\S+)\s+([^\s:]+):?(?:\s+(.*))?$/;

export function parseLogEntry(text: string): LogEntry | undefined {
  const m = ENTRY.exec(text.trim());
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  const message = m[4]?.trim();
  return { time: m[1]!, agent: m[2]!, verb: m[3]!, ...(message ? { message } : {}) };
}

/** The entry as one line of text without its time: `agent verb: message`. */
export function entryText(e: LogEntry): string {
  return `${e.agent} ${e.verb}${e.message ? `: ${e.message}` : ''}`;
}
