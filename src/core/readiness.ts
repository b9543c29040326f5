/**
 * The one place that decides whether a task is ready; `ready`, `blocked`, `list`, `show`,
 * `next` and the check rules all ask here.
 *
 * Decisions, by status:
 * - `todo` is `blocked` when a dependency is unsatisfied (status other than done or
 *   cancelled) or missing, or the task is on a cycle (including depending on itself);
 *   otherwise `scheduled` while `not_before` is later than now; otherwise `ready`.
 *   Blocked wins over scheduled: a task waiting on others shows what it waits on.
 *   A `not_before` that is not a real date is ignored.
 * - `blocked` (set by hand) is `blocked` with `manual: true`, plus whatever else holds it.
 * - `in_progress` and `review` are `active`, except that an `in_progress` task whose
 *   `lease.until` has passed (its claimer went away) is `ready` again, flagged
 *   `leaseExpired`, when it would be ready as a `todo`; `done` and `cancelled` are `closed`;
 *   `failed` is `failed`. None of them is ready, whatever their dependencies.
 * - `waitingOn` lists the unsatisfied existing dependencies in `depends_on` order (a task on
 *   a cycle lists its cycle partners there too); `missing` the ids that name no task.
 */
import { SATISFIED } from '../schema/fields.js';
import { parseDate } from './estimate.js';
import type { Graph } from './graph.js';

export type Readiness =
  | {
      readonly state: 'ready';
      /** An in-progress task whose claim's lease ran out: back in the queue, flagged. */
      readonly leaseExpired?: true;
    }
  | {
      readonly state: 'blocked';
      /** Existing dependencies not done or cancelled, in `depends_on` order. */
      readonly waitingOn: string[];
      /** Dependency ids that name no task. */
      readonly missing: string[];
      /** The task is on a dependency cycle (or depends on itself). */
      readonly cycle: boolean;
      /** Its status is `blocked`. */
      readonly manual: boolean;
    }
  | { readonly state: 'scheduled'; readonly notBefore: string }
  | { readonly state: 'active' }
  | { readonly state: 'closed' }
  | { readonly state: 'failed' };

export type ReadinessState = Readiness['state'];

const READY: Readiness = Object.freeze({ state: 'ready' });
const READY_LEASE_EXPIRED: Readiness = Object.freeze({ state: 'ready', leaseExpired: true });
const ACTIVE: Readiness = Object.freeze({ state: 'active' });
const CLOSED: Readiness = Object.freeze({ state: 'closed' });
const FAILED: Readiness = Object.freeze({ state: 'failed' });

/** A dependency with this status no longer holds its dependents back. */
export function isSatisfied(status: string): boolean {
  return SATISFIED.has(status);
}

function decide(graph: Graph, i: number, nowMs: number): Readiness {
  const data = graph.tasks[i]!.data;
  const status = data.status;
  switch (status) {
    case 'in_progress':
      if (!leaseExpired(data.lease, nowMs)) return ACTIVE;
      break;
    case 'review':
      return ACTIVE;
    case 'done':
    case 'cancelled':
      return CLOSED;
    case 'failed':
      return FAILED;
  }
  const manual = status === 'blocked';
  const cycle = graph.onCycle[i] === 1;
  const missing = graph.missing[i]!;
  let waitingOn: string[] | undefined;
  const { depStart, depList } = graph;
  for (let e = depStart[i]!; e < depStart[i + 1]!; e++) {
    const j = depList[e]!;
    if (SATISFIED.has(graph.tasks[j]!.data.status)) continue;
    if (waitingOn === undefined) waitingOn = [graph.ids[j]!];
    else waitingOn.push(graph.ids[j]!);
  }
  const expired = status === 'in_progress';
  if (manual || cycle || missing.length > 0 || waitingOn !== undefined) {
    if (expired) return ACTIVE;
    return { state: 'blocked', waitingOn: waitingOn ?? [], missing: [...missing], cycle, manual };
  }
  const notBefore = data.not_before;
  if (typeof notBefore === 'string') {
    const at = parseDate(notBefore);
    if (at !== undefined && at > nowMs) return expired ? ACTIVE : { state: 'scheduled', notBefore };
  }
  return expired ? READY_LEASE_EXPIRED : READY;
}

/** A lease whose `until` is a real date in the past. */
function leaseExpired(lease: unknown, nowMs: number): boolean {
  if (typeof lease !== 'object' || lease === null) return false;
  const until = parseDate((lease as { until?: unknown }).until as string | undefined);
  return until !== undefined && until < nowMs;
}

/** Readiness of node `i` at `now`. */
export function readiness(graph: Graph, i: number, now: Date): Readiness {
  return decide(graph, i, now.getTime());
}

/** Readiness of every node, indexed like `graph.tasks`. */
export function computeReadiness(graph: Graph, now: Date): Readiness[] {
  const nowMs = now.getTime();
  const n = graph.tasks.length;
  const out: Readiness[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = decide(graph, i, nowMs);
  return out;
}
