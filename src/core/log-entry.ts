/**
 * One `## Log` line, the unit of everything said on a task: status changes, claims,
 * hand-offs, shares, discoveries, checkpoints, acknowledgements. Grammar (one line):
 *
 *   <ISO time> <agent> <verb>[ -> <target>][: <message>][ [artifacts: a, b]][ [criteria: x; y]]
 *
 * e.g. `2026-11-22T10:05:00Z alice handoff -> bob: schema ready [artifacts: db/schema.sql]`.
 * Agents are single words. Lines that do not fit are kept as they are (`verb: 'note'`,
 * text in `message`), so a hand-written log never breaks anything.
 */
export interface LogEntry {
  /** ISO 8601 time, as written. */
  time: string;
  agent: string;
  /** start, done, claim, release, handoff, share, discover, sync, ack, lost-claim, ... */
  verb: string;
  /** The agent a hand-off goes to. */
  target?: string;
  message?: string;
  artifacts?: string[];
  criteria?: string[];
  /** The line as written, for entries that did not parse. */
  raw?: string;
}

const ENTRY =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+([a-z][a-z-]*)(?:\s+->\s+(\S+))?(?::\s?(.*))?$/;
const TAIL = /\s*\[(artifacts|criteria): ([^\]]*)\]\s*$/;

export function formatEntry(e: LogEntry): string {
  let line = `${e.time} ${e.agent} ${e.verb}`;
  if (e.target) line += ` -> ${e.target}`;
  const message = e.message?.replace(/[\r\n]+/g, ' ').trim();
  if (message) line += `: ${message}`;
  if (e.artifacts && e.artifacts.length > 0) line += ` [artifacts: ${e.artifacts.join(', ')}]`;
  if (e.criteria && e.criteria.length > 0) line += ` [criteria: ${e.criteria.join('; ')}]`;
  return line;
}

export function parseEntry(line: string): LogEntry {
  const m = ENTRY.exec(line.trim());
  if (!m) return { time: '', agent: '', verb: 'note', message: line, raw: line };
  const entry: LogEntry = { time: m[1]!, agent: m[2]!, verb: m[3]! };
  if (m[4]) entry.target = m[4];
  let rest = m[5] ?? '';
  for (let t = TAIL.exec(rest); t; t = TAIL.exec(rest)) {
    const items = t[2]!
      .split(t[1] === 'artifacts' ? ',' : ';')
      .map((s) => s.trim())
      .filter(Boolean);
    if (t[1] === 'artifacts') entry.artifacts = items;
    else entry.criteria = items;
    rest = rest.slice(0, t.index);
  }
  if (rest.trim()) entry.message = rest.trim();
  return entry;
}
