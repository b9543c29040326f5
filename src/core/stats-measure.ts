/**
 * One task's numbers for `baton stats`, from its status timeline: when it was done (its last
 * move to `done`, when that is its status at the end), its cycle time (first `in_progress` ->
 * that `done`), lead time (created -> that `done`), time spent `blocked`, whether it was ever
 * reopened (moved out of done or cancelled back to work, or a `reopen` log line), who did it
 * (the agent of the `done` log line, else the assignee then), and whether it was on time
 * (done before its `due` passed: a bare date lasts to the end of that day, UTC). Pure.
 */
import { dueDeadline } from './due.js';
import type { Timeline } from './stats-timeline.js';

const TERMINAL = new Set(['done', 'cancelled']);
export const UNASSIGNED = '(unassigned)';

/** One done task's numbers. */
export interface Done {
  doneAt: number;
  cycle?: number;
  lead?: number;
  blocked: number;
  reopened: boolean;
  agent: string;
  handoffs: number;
  onTime?: boolean;
  /** Started before a shallow clone's visible history. */
  startUnknown: boolean;
  /** A blocked period began before a shallow clone's visible history. */
  blockedPartial: boolean;
  truncated: boolean;
}

/** The done task's numbers; `null` when it is done but when is unknown; undefined if not done. */
export function measure(t: Timeline): Done | null | undefined {
  const tr = t.transitions;
  const last = tr[tr.length - 1];
  if (last === undefined || last.status !== 'done') return undefined;
  if (last.source === 'seen') return null;
  let start: number | undefined;
  let startUnknown = false;
  let blocked = 0;
  let blockedPartial = false;
  let reopened = false;
  for (let i = 0; i < tr.length; i++) {
    const x = tr[i]!;
    if (start === undefined && !startUnknown) {
      if (x.status === 'in_progress' && x.source !== 'seen') start = x.time;
      else if (x.source === 'seen' && x.status !== 'todo') startUnknown = true;
    }
    if (x.status === 'blocked' && i + 1 < tr.length) {
      blocked += tr[i + 1]!.time - x.time;
      if (x.source === 'seen') blockedPartial = true;
    }
    if (x.verb === 'reopen' || (TERMINAL.has(x.from ?? '') && !TERMINAL.has(x.status))) {
      reopened = true;
    }
  }
  const deadline = dueDeadline(t.due);
  const nonNegative = (ms: number) => (ms >= 0 ? ms : undefined);
  return {
    doneAt: last.time,
    cycle: start === undefined ? undefined : nonNegative(last.time - start),
    lead: t.created === undefined ? undefined : nonNegative(last.time - t.created),
    blocked,
    reopened,
    agent: last.agent ?? last.assignee ?? UNASSIGNED,
    handoffs: t.handoffs,
    onTime: deadline === undefined ? undefined : last.time < deadline,
    startUnknown,
    blockedPartial,
    truncated: t.truncated,
  };
}
