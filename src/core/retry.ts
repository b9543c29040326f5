/**
 * `baton fail` as a decision over the task's data, and the grammar of its log line both
 * ways (`failed` reads the reasons back).
 *
 * Decisions:
 * - A done, cancelled or already failed task cannot fail; every open status can (todo,
 *   in_progress, blocked, review).
 * - Each fail counts one attempt. Under the limit (the task's `max_attempts`, else the
 *   config's) the task goes back to `todo` with `not_before` = now + the backoff
 *   (`backoff.ts`); at the limit it becomes `failed`, the dead-letter state, and any
 *   `not_before` is removed.
 * - The lease is always removed: nobody is working on it any more. An `assignee` equal to
 *   the lease's agent came from the claim and is removed with it, so any agent may take
 *   the retry; a hand-set assignee (no lease, or a lease held by someone else) stays.
 * - The log line is `fail: <reason> (attempt n of m; retry after <time>)`, or
 *   `(attempt n of m; final failure)` for the last one.
 */
import type { Config } from '../schema/config.js';
import type { TaskData } from '../schema/task.js';
import { retryDelayMs } from './backoff.js';
import type { LogEntry } from './log-entry.js';

type FailData = Pick<
  TaskData,
  'id' | 'status' | 'assignee' | 'lease' | 'attempts' | 'max_attempts'
>;

export type FailDecision =
  | { ok: false; reason: string }
  | {
      ok: true;
      /** The attempt that failed (1-based) and the limit. */
      attempt: number;
      max: number;
      /** No retries left: the task is now `failed`. */
      final: boolean;
      /** When the task is ready again (absent when final). */
      notBefore?: string;
      /** Front-matter changes (`undefined` removes the key); the caller adds `updated`. */
      fields: Record<string, unknown>;
      /** The log message after `fail: `. */
      message: string;
    };

/** ISO 8601 UTC to the second, rounded up so the wait is never shorter than computed. */
function isoSecond(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The attempt limit of a task: its own `max_attempts`, else the config's. */
export function maxAttempts(
  data: Pick<TaskData, 'max_attempts'>,
  config: Pick<Config, 'max_attempts'>,
): number {
  return data.max_attempts ?? config.max_attempts;
}

export function decideFail(
  data: FailData,
  config: Pick<Config, 'max_attempts' | 'retry'>,
  now: Date,
  reason: string,
): FailDecision {
  const id = data.id;
  if (data.status === 'failed') {
    return { ok: false, reason: `${id} has failed already; reopen it to try again` };
  }
  if (data.status === 'done' || data.status === 'cancelled') {
    return { ok: false, reason: `${id} is ${data.status}; reopen it before recording a failure` };
  }
  const attempt = (data.attempts ?? 0) + 1;
  const max = maxAttempts(data, config);
  const final = attempt >= max;
  const fields: Record<string, unknown> = {
    status: final ? 'failed' : 'todo',
    attempts: attempt,
    lease: undefined,
  };
  const leaseAgent = data.lease?.agent;
  if (data.assignee && leaseAgent === data.assignee) fields.assignee = undefined;
  if (final) {
    fields.not_before = undefined;
    return { ok: true, attempt, max, final, fields, message: failMessage(reason, attempt, max) };
  }
  const notBefore = isoSecond(now.getTime() + retryDelayMs(attempt, config.retry));
  fields.not_before = notBefore;
  const message = failMessage(reason, attempt, max, notBefore);
  return { ok: true, attempt, max, final, notBefore, fields, message };
}

/** The message of a `fail` log line. */
export function failMessage(
  reason: string,
  attempt: number,
  max: number,
  retryAfter?: string,
): string {
  const what = retryAfter ? `retry after ${retryAfter}` : 'final failure';
  return `${reason.replace(/\s+/g, ' ').trim()} (attempt ${attempt} of ${max}; ${what})`;
}

/** One failed attempt, as read back from the log. */
export interface Failure {
  time: string;
  agent: string;
  reason: string;
  /** Absent for a hand-written `fail` line without the attempt note. */
  attempt?: number;
  of?: number;
  retry_after?: string;
  final?: boolean;
}

const NOTE = /^(.*?)\s*\(attempt (\d+) of (\d+); (retry after (\S+)|final failure)\)$/;

/** Every `fail` entry of a log, in log order. */
export function failures(entries: readonly LogEntry[]): Failure[] {
  const out: Failure[] = [];
  for (const e of entries) {
    if (e.verb !== 'fail') continue;
    const message = e.message ?? '';
    const m = NOTE.exec(message);
    if (!m) {
      out.push({ time: e.time, agent: e.agent, reason: message });
      continue;
    }
    const f: Failure = {
      time: e.time,
      agent: e.agent,
      reason: m[1]!,
      attempt: Number(m[2]),
      of: Number(m[3]),
    };
    if (m[5] !== undefined) f.retry_after = m[5];
    else f.final = true;
    out.push(f);
  }
  return out;
}
