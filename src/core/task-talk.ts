/**
 * Everything said on one task, as plain data: its log entries, which discoveries are still
 * open, and the agent's private notes, merged into one timeline. Pure.
 *
 * Decisions:
 * - A discovery is open when it comes after the task's last `ack`: later in time, or at the
 *   same time and further down the log.
 * - The timeline is ordered by time; at equal times log entries come before notes, and each
 *   source keeps its own order. A line whose time cannot be read keeps its place after the
 *   line before it (it sorts at that line's time).
 */
import { parseDate } from './estimate.js';
import type { LogEntry } from './log-entry.js';

export interface PrivateNote {
  time: string;
  message: string;
}

export interface TimelineItem {
  time: string;
  agent: string;
  kind: 'log' | 'note';
  verb: string;
  target?: string;
  message?: string;
  artifacts?: string[];
  criteria?: string[];
  /** For `discover` entries: whether it is still unacknowledged. */
  open?: boolean;
}

/** Indexes (into `entries`) of the discoveries not yet acknowledged. */
export function openDiscoveries(entries: readonly LogEntry[]): number[] {
  let lastAck: { ms: number; i: number } | undefined;
  const times = sortTimes(entries.map((e) => e.time));
  entries.forEach((e, i) => {
    if (e.verb !== 'ack') return;
    const ms = times[i]!;
    if (!lastAck || ms > lastAck.ms || (ms === lastAck.ms && i > lastAck.i)) lastAck = { ms, i };
  });
  const open: number[] = [];
  entries.forEach((e, i) => {
    if (e.verb !== 'discover') return;
    const ms = times[i]!;
    if (!lastAck || ms > lastAck.ms || (ms === lastAck.ms && i > lastAck.i)) open.push(i);
  });
  return open;
}

/** Milliseconds of each time; unreadable ones take the previous line's (or -Infinity). */
function sortTimes(times: readonly string[]): number[] {
  let last = Number.NEGATIVE_INFINITY;
  return times.map((t) => {
    const ms = parseDate(t);
    if (ms !== undefined) last = ms;
    return last;
  });
}

/** One line of a private notes file: `<time> <message>`. */
export function parseNoteLine(line: string): PrivateNote | undefined {
  const text = line.trim();
  if (!text) return undefined;
  const space = text.indexOf(' ');
  const time = space < 0 ? text : text.slice(0, space);
  if (parseDate(time) === undefined) return { time: '', message: text };
  return { time, message: space < 0 ? '' : text.slice(space + 1).trim() };
}

/** The log and the notes of `agent`, merged by time. */
export function buildTimeline(
  entries: readonly LogEntry[],
  notes: readonly PrivateNote[],
  agent: string,
): TimelineItem[] {
  const open = new Set(openDiscoveries(entries));
  const items: { item: TimelineItem; ms: number; source: number; i: number }[] = [];
  const logTimes = sortTimes(entries.map((e) => e.time));
  entries.forEach((e, i) => {
    const item: TimelineItem = { time: e.time, agent: e.agent, kind: 'log', verb: e.verb };
    if (e.target) item.target = e.target;
    if (e.message !== undefined) item.message = e.message;
    if (e.artifacts) item.artifacts = [...e.artifacts];
    if (e.criteria) item.criteria = [...e.criteria];
    if (e.verb === 'discover') item.open = open.has(i);
    items.push({ item, ms: logTimes[i]!, source: 0, i });
  });
  const noteTimes = sortTimes(notes.map((n) => n.time));
  notes.forEach((n, i) => {
    const item: TimelineItem = { time: n.time, agent, kind: 'note', verb: 'note' };
    if (n.message) item.message = n.message;
    items.push({ item, ms: noteTimes[i]!, source: 1, i });
  });
  items.sort((a, b) => a.ms - b.ms || a.source - b.source || a.i - b.i);
  return items.map((x) => x.item);
}
