/**
 * Until when answers computed at `now` stay right with no file changing: the earliest future
 * moment at which something time-dependent flips, for any task where it can show.
 * - a `todo` or `in_progress` task's `not_before` (it becomes ready, or, for a claim whose
 *   lease ran out, returns to the queue);
 * - an in-progress task's `lease.until` (it returns to the queue, flagged);
 * - a not-closed task's `due` (it becomes overdue: `core/due.ts`);
 * - a ready task's next aging step, while aging can still raise it (`created` plus a whole
 *   number of `aging.every_days`, until it reaches `aging.max`).
 * Dates elsewhere (a done task's due, a blocked task's not_before) cannot change an answer
 * before some file does, and a file change is a new answer anyway.
 */
import { PRIORITIES } from '../schema/fields.js';
import { dueDeadline } from './due.js';
import { parseDate } from './estimate.js';
import type { Graph } from './graph.js';
import type { Readiness } from './readiness.js';
import type { Snapshot } from './types.js';

const DAY_MS = 86_400_000;

export function nextChange(
  snapshot: Pick<Snapshot, 'now' | 'config'>,
  graph: Graph,
  states: readonly Readiness[],
): number {
  const now = snapshot.now.getTime();
  let until = Number.POSITIVE_INFINITY;
  const consider = (value: unknown) => {
    const at = typeof value === 'string' ? parseDate(value) : undefined;
    if (at !== undefined && at > now && at < until) until = at;
  };
  const aging = snapshot.config.aging;
  const cap = aging === false ? -1 : PRIORITIES.indexOf(aging.max);
  const step = aging === false ? 0 : aging.every_days * DAY_MS;
  for (let i = 0; i < graph.tasks.length; i++) {
    const d = graph.tasks[i]!.data;
    const state = states[i]!.state;
    // not only a scheduled task's: an in-progress task whose lease ran out waits for it too
    if (d.status === 'todo' || d.status === 'in_progress') consider(d.not_before);
    if (d.status === 'in_progress' && d.lease) consider(d.lease.until);
    if (state !== 'closed') {
      const deadline = dueDeadline(d.due);
      if (deadline !== undefined && deadline > now && deadline < until) until = deadline;
    }
    if (state === 'ready' && step > 0) {
      const base = PRIORITIES.indexOf(d.priority);
      const created = parseDate(d.created);
      if (base <= cap || created === undefined) continue;
      const steps = created > now ? 0 : Math.floor((now - created) / step);
      if (base - steps <= cap) continue;
      const next = created + (steps + 1) * step;
      if (next > now && next < until) until = next;
    }
  }
  return until;
}
