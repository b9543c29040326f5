/**
 * Reviewers and their approvals (SPEC section 6), read from the task's `## Log`.
 *
 * Decisions:
 * - An approval is an `approve` log entry (`baton approve ID [--note N]`) by one of the
 *   task's `reviewers`. Names compare as log agents do: whitespace becomes `-`, so the
 *   reviewer `Ada Lovelace` is the agent `Ada-Lovelace`.
 * - An approval counts only when it comes after the last time the work went back to being
 *   done: the latest `reopen`, `start` or `fail` entry. Approving, then changing the work,
 *   asks for a fresh approval.
 * - Only reviewers may approve; a task without reviewers needs no approval and takes none.
 *   Done, cancelled and failed tasks take no approvals.
 */
import type { TaskData } from '../schema/task.js';
import type { LogEntry } from './log-entry.js';

/** Log verbs after which earlier approvals no longer count. */
export const APPROVAL_RESETS: ReadonlySet<string> = new Set(['reopen', 'start', 'fail']);

export interface ApprovalState {
  /** Reviewers (as agent names) with an approval that counts, in `reviewers` order. */
  approved: string[];
  /** Reviewers still to approve, in `reviewers` order. */
  pending: string[];
}

/** A name as it appears in log lines. */
export function agentName(name: string): string {
  return name.trim().replace(/\s+/g, '-');
}

/** The task's reviewers as agent names, without duplicates. */
export function reviewerNames(reviewers: readonly string[] | null | undefined): string[] {
  return [...new Set((reviewers ?? []).map(agentName).filter(Boolean))];
}

/** Who among `reviewers` has an approval in `entries` that still counts. */
export function approvalState(
  entries: readonly LogEntry[],
  reviewers: readonly string[] | null | undefined,
): ApprovalState {
  const names = reviewerNames(reviewers);
  const given = new Set<string>();
  for (const e of entries) {
    if (APPROVAL_RESETS.has(e.verb)) given.clear();
    else if (e.verb === 'approve') given.add(e.agent);
  }
  return {
    approved: names.filter((n) => given.has(n)),
    pending: names.filter((n) => !given.has(n)),
  };
}

export type ApproveDecision =
  | { ok: false; reason: string }
  | { ok: true; already: boolean; state: ApprovalState };

/** Whether `agent` may approve the task, and the approval state once it has. */
export function decideApprove(
  data: Pick<TaskData, 'id' | 'status' | 'reviewers'>,
  agent: string,
  entries: readonly LogEntry[],
): ApproveDecision {
  const id = data.id;
  const names = reviewerNames(data.reviewers);
  if (data.status === 'done' || data.status === 'cancelled' || data.status === 'failed') {
    return { ok: false, reason: `${id} is ${data.status}; there is nothing to approve` };
  }
  if (names.length === 0) {
    return {
      ok: false,
      reason: `${id} has no reviewers (set them with: baton update ${id} --set reviewers=[name])`,
    };
  }
  const me = agentName(agent);
  if (!names.includes(me)) {
    return {
      ok: false,
      reason: `${me} is not a reviewer of ${id}; its reviewers are ${names.join(', ')}`,
    };
  }
  const before = approvalState(entries, names);
  const already = before.approved.includes(me);
  const approved = names.filter((n) => n === me || before.approved.includes(n));
  return {
    ok: true,
    already,
    state: { approved, pending: names.filter((n) => !approved.includes(n)) },
  };
}
