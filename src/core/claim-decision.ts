/**
 * Who may claim, release or hand off a task, decided over the task's data as last read.
 * Pure: the caller passes the readiness it computed and "now".
 *
 * Decisions (claim):
 * - `done`, `cancelled`, `failed`: not claimable. `review`: not claimable (reopen or start
 *   it first). `blocked` (set by hand): not claimable.
 * - Another agent's unexpired lease: refused, naming the holder and until when. A lease
 *   whose `until` is not a real date counts as unexpired (as `ready` sees it).
 * - Your own lease: re-claiming extends it.
 * - `in_progress` with another agent's expired lease: taken over (logged).
 * - `in_progress` without a lease: yours to claim if it is assigned to you or to nobody;
 *   refused when it is assigned to someone else.
 * - `todo`: only when ready; otherwise refused with what holds it back.
 * A lease duration is `<number><unit>`: s, m, h, d (24 h), w (7 d).
 */
import type { TaskData } from '../schema/task.js';
import { parseWallDuration } from './backoff.js';
import { parseDate } from './estimate.js';
import type { Readiness } from './readiness.js';

export type ClaimDecision =
  | { ok: true; kind: 'claim' | 'extend' | 'takeover'; previous?: string }
  | { ok: false; reason: string; holder?: string };

type LeaseData = Pick<TaskData, 'id' | 'status' | 'assignee' | 'lease'>;

/** The lease's holder and whether it still runs at `now` (undefined: no lease). */
export function leaseState(
  data: Pick<TaskData, 'lease'>,
  now: Date,
): { agent: string; until: string; live: boolean } | undefined {
  const lease = data.lease;
  if (!lease || typeof lease.agent !== 'string' || lease.agent === '') return undefined;
  const until = parseDate(String(lease.until));
  return {
    agent: lease.agent,
    until: String(lease.until),
    live: until === undefined || until >= now.getTime(),
  };
}

function notReady(id: string, r: Readiness): string | undefined {
  if (r.state === 'ready' || r.state === 'active') return undefined;
  if (r.state === 'scheduled') return `${id} is scheduled: not before ${r.notBefore}`;
  if (r.state === 'blocked') {
    const why: string[] = [];
    if (r.waitingOn.length > 0) why.push(`waiting on ${r.waitingOn.join(', ')}`);
    if (r.missing.length > 0) why.push(`depends on missing ${r.missing.join(', ')}`);
    if (r.cycle) why.push('on a dependency cycle');
    if (r.manual) why.push('status blocked');
    return `${id} is not ready: ${why.join('; ')}`;
  }
  return `${id} is ${r.state}; not claimable`;
}

/** Whether `agent` may claim the task; `readiness` undefined skips the dependency check. */
export function decideClaim(
  data: LeaseData,
  agent: string,
  now: Date,
  readiness?: Readiness,
): ClaimDecision {
  const id = data.id;
  const status = data.status;
  const lease = leaseState(data, now);
  if (lease?.live && lease.agent !== agent) {
    return {
      ok: false,
      holder: lease.agent,
      reason: `${id} is claimed by ${lease.agent} (lease until ${lease.until})`,
    };
  }
  if (status === 'done' || status === 'cancelled' || status === 'failed') {
    return { ok: false, reason: `${id} is ${status}; not claimable` };
  }
  if (status === 'review') {
    const by = data.assignee ? ` (assigned to ${data.assignee})` : '';
    return { ok: false, reason: `${id} is in review${by}; reopen or start it to work on it` };
  }
  if (status === 'blocked') {
    return { ok: false, reason: `${id} has status blocked; reopen it first` };
  }
  if (lease && lease.agent === agent) return { ok: true, kind: 'extend' };
  if (status === 'in_progress') {
    if (lease) return { ok: true, kind: 'takeover', previous: lease.agent };
    if (data.assignee && data.assignee !== agent) {
      return {
        ok: false,
        holder: data.assignee,
        reason: `${id} is in progress, assigned to ${data.assignee} (no lease)`,
      };
    }
    return { ok: true, kind: 'claim' };
  }
  const why = readiness ? notReady(id, readiness) : undefined;
  if (why) return { ok: false, reason: why };
  return lease
    ? { ok: true, kind: 'takeover', previous: lease.agent }
    : { ok: true, kind: 'claim' };
}

/** Whether `agent` may release the task (give it back to `todo`). */
export function decideRelease(
  data: LeaseData,
  agent: string,
  now: Date,
): { ok: true } | { ok: false; reason: string; holder?: string } {
  const id = data.id;
  const lease = leaseState(data, now);
  if (lease?.live && lease.agent !== agent) {
    return {
      ok: false,
      reason: `${id} is claimed by ${lease.agent} (lease until ${lease.until})`,
      holder: lease.agent,
    };
  }
  if (['done', 'cancelled', 'failed', 'review'].includes(data.status)) {
    return { ok: false, reason: `${id} is ${data.status}; there is no claim to release` };
  }
  if (!lease && data.assignee && data.assignee !== agent) {
    return { ok: false, reason: `${id} is assigned to ${data.assignee}, not claimed by you` };
  }
  if (!lease && data.status === 'todo' && !data.assignee) {
    return { ok: false, reason: `${id} is not claimed` };
  }
  return { ok: true };
}

/** Milliseconds of a lease duration (`30m`, `2h`, `1d`), or undefined if it is not one. */
export const parseLeaseDuration = parseWallDuration;
