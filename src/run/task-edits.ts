/**
 * What `baton run` writes into a task file, as pure text edits: the same fields and log
 * lines the CLI's claim, done, fail and release write, so `context`, `failed`, `stats` and
 * the merge driver read a run's history like any other. Each takes the file's text and its
 * parsed data at the commit being extended and returns the new text.
 */
import { decideClaim } from '../core/claim-decision.js';
import { gateReport, gateSummary, gatesOpen } from '../core/gates.js';
import { formatEntry, parseEntry } from '../core/log-entry.js';
import type { Readiness } from '../core/readiness.js';
import { decideFail } from '../core/retry.js';
import { setFields } from '../format/edit.js';
import { appendLog, readLog } from '../format/log.js';
import { splitFile } from '../format/split.js';
import type { Config } from '../schema/config.js';
import type { TaskData } from '../schema/task.js';

const iso = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface EditContext {
  agent: string;
  now: Date;
  attempt: number;
}

/**
 * The claim of an attempt: in_progress, assigned, leased for `leaseMs`. Refused unless the
 * task is ready and nobody holds it under a live lease, the runner's own agent name
 * included: another runner acting as the same agent may be running it.
 */
export function claimText(
  text: string,
  data: TaskData,
  readiness: Readiness,
  c: EditContext & { leaseMs: number; branch: string },
): { text: string } | { refused: string } {
  const decision = decideClaim(data, c.agent, c.now, readiness);
  if (!decision.ok) return { refused: decision.reason };
  // `ready` also covers an in-progress task whose lease ran out, this agent's own included
  // (a runner that crashed): that one is taken over; a live claim never is.
  if (readiness.state !== 'ready') {
    return { refused: `${data.id} is already being worked on (${data.status})` };
  }
  const time = iso(c.now.getTime());
  const until = iso(c.now.getTime() + c.leaseMs);
  const entry = formatEntry({
    time,
    agent: c.agent,
    verb: 'claim',
    message: `lease until ${until} (baton run, attempt ${c.attempt} on ${c.branch})`,
  });
  const fields = {
    status: 'in_progress',
    assignee: c.agent,
    lease: { agent: c.agent, until, claimed: time },
    updated: time,
    conflict: undefined,
  };
  return { text: appendLog(setFields(text, fields), entry) };
}

/**
 * A successful attempt: done, or review when the task's gates are still open (unticked
 * acceptance boxes, missing approvals), which the runner does not force.
 */
export function doneText(
  text: string,
  data: TaskData,
  c: EditContext & { commit?: string },
): { text: string; status: 'done' | 'review' } {
  const split = splitFile(text);
  const body = split.ok ? split.body : '';
  const report = gateReport('done', body, data, readLog(body).map(parseEntry));
  const open = !gatesOpen(report);
  const status = open ? 'review' : 'done';
  const time = iso(c.now.getTime());
  const message = `baton run, attempt ${c.attempt}${open ? ` (gates open: ${gateSummary(report)})` : ''}`;
  const entry = formatEntry({ time, agent: c.agent, verb: open ? 'review' : 'done', message });
  return {
    text: appendLog(setFields(text, { status, lease: undefined, updated: time }), entry),
    status,
  };
}

/** A failed attempt through the retry rules: back to todo after a backoff, or failed. */
export function failText(
  text: string,
  data: TaskData,
  config: Pick<Config, 'max_attempts' | 'retry'>,
  c: EditContext & { reason: string },
): { text: string; final: boolean; notBefore?: string } | { refused: string } {
  const decision = decideFail(data, config, c.now, c.reason);
  if (!decision.ok) return { refused: decision.reason };
  const time = iso(c.now.getTime());
  const entry = formatEntry({ time, agent: c.agent, verb: 'fail', message: decision.message });
  return {
    text: appendLog(setFields(text, { ...decision.fields, updated: time }), entry),
    final: decision.final,
    ...(decision.notBefore ? { notBefore: decision.notBefore } : {}),
  };
}

/** An attempt stopped by the user or a crashed runner: back to todo, not a failure. */
export function releaseText(text: string, c: EditContext & { why: string }): string {
  const time = iso(c.now.getTime());
  const entry = formatEntry({ time, agent: c.agent, verb: 'release', message: c.why });
  const fields = { status: 'todo', assignee: undefined, lease: undefined, updated: time };
  return appendLog(setFields(text, fields), entry);
}

/**
 * A result that did not merge: blocked, with the files and the task whose commit touched
 * them, and the branch that keeps the work. `reopen` puts it back in the queue.
 */
export function conflictText(
  text: string,
  c: EditContext & { files: string[]; with?: string; local?: true; branch: string },
): string {
  const time = iso(c.now.getTime());
  const files = c.files.join(', ');
  const what = c.local
    ? `not merged: uncommitted changes in the checkout in ${files}`
    : `conflict in ${files}${c.with ? ` (changed by ${c.with})` : ''}`;
  const message = `${what}; work kept on ${c.branch}`;
  const entry = formatEntry({ time, agent: c.agent, verb: 'conflict', message });
  // unassigned, as after a failure: whoever reopens it, any agent may take it again
  const fields = {
    status: 'blocked',
    assignee: undefined,
    lease: undefined,
    updated: time,
    conflict: {
      branch: c.branch,
      files: c.files,
      ...(c.with ? { with: c.with } : {}),
      ...(c.local ? { uncommitted: true } : {}),
    },
  };
  return appendLog(setFields(text, fields), entry);
}
