/**
 * Status changes: start, review, done, block, cancel, reopen. Each sets `status` and
 * `updated`, appends a `## Log` line (`<time> <agent> <verb>[: reason]`), and reports the
 * tasks the change made ready. Setting the status a task already has writes nothing.
 *
 * Gates (SPEC section 6, `core/gates.ts`): `review` is refused while the body has unticked
 * acceptance boxes, `done` also while a reviewer's approval is missing; `--force` passes
 * and the log line says what was forced. The gates are judged on the file as read for the
 * write, so a box ticked a moment ago counts.
 *
 * `reopen` of a `failed` task also resets `attempts` to 0 and removes `not_before`: it gets
 * a fresh set of attempts.
 *
 * Results (SPEC section 4): `done` on a task with `inputs` also records
 * `result: { commit: HEAD, fingerprint }` of those inputs as they are in the working tree;
 * `done` on a task already done re-stamps the result when the fingerprint moved (logged as
 * `done: result re-stamped`, no gates). `reopen --stale` is in `reopen-stale.ts`.
 */

import { gateRefusal, gateReport, gateSummary, gatesOpen } from '../../core/gates.js';
import type { Graph } from '../../core/graph.js';
import { formatEntry, parseEntry } from '../../core/log-entry.js';
import type { Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog, readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import { SATISFIED, type Status } from '../../schema/fields.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { newlyReady, reportWrite, type WriteResult } from '../write-result.js';

export type StatusVerb = 'start' | 'review' | 'done' | 'block' | 'cancel' | 'reopen';

export const VERB_STATUS: Record<StatusVerb, Status> = {
  start: 'in_progress',
  review: 'review',
  done: 'done',
  block: 'blocked',
  cancel: 'cancelled',
  reopen: 'todo',
};

export function statusRunner(verb: StatusVerb) {
  return async (ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> => {
    if (verb === 'reopen' && opts.stale === true) {
      return (await import('../reopen-stale.js')).reopenStale(ctx, args, opts);
    }
    if (args[0] === undefined) {
      throw new UserError(
        'USAGE',
        `baton ${verb} needs a task id${verb === 'reopen' ? ' (or --stale)' : ''}`,
      );
    }
    const { snapshot, graph, states } = await analyze(ctx);
    const i = findTask(graph, args[0]);
    const task = graph.tasks[i]!;
    const status = VERB_STATUS[verb];
    const id = task.data.id;
    const stamp = verb === 'done' ? await resultStamp(ctx.root().root, task) : undefined;
    const given =
      typeof opts.reason === 'string' && opts.reason.trim() ? opts.reason.trim() : undefined;
    const now = isoNow(snapshot.now);
    const agent = await ctx.agent();
    const unmet = WORK_VERBS.has(verb) ? unmetDependencies(graph, i) : [];
    const written = { path: task.path, before: '', after: '' };
    const out: StatusResult = {
      id,
      agent,
      verb,
      from: task.data.status,
      to: status,
      changed: false,
    };
    let note = '';
    // Everything is decided on the file as read under the task's lock: a status another
    // writer set a moment ago counts, and nothing it wrote is overwritten.
    await mutateTask(ctx.root(), task, (text, data) => {
      out.from = data.status;
      written.before = text;
      written.after = text;
      const restamp =
        data.status === status &&
        stamp !== undefined &&
        stamp.fingerprint !== data.result?.fingerprint;
      if (data.status === status && !restamp) return text;
      out.restamped = restamp || undefined;
      const fields: Record<string, unknown> = { status, updated: now };
      if (stamp) fields.result = stamp;
      const parts = [given ?? (restamp ? 'result re-stamped' : undefined)];
      if (!restamp && (verb === 'review' || verb === 'done')) {
        const forced = gate(verb, text, data, opts.force === true);
        if (forced) {
          note = ` (forced: ${forced})`;
          parts.push(`(forced: ${forced})`);
        }
      }
      if (!restamp && unmet.length > 0) {
        parts.push(`(unmet dependencies: ${unmet.map((u) => u.id).join(', ')})`);
      }
      if (verb === 'reopen' && data.status === 'failed') {
        fields.attempts = 0;
        fields.not_before = undefined;
        note = ' (attempts reset)';
        if (!given) parts.push('attempts reset');
      }
      const message = parts.filter(Boolean).join(' ') || undefined;
      const entry = formatEntry({ time: now, agent, verb, message });
      written.after = appendLog(setFields(text, fields), entry);
      return written.after;
    });
    out.changed = written.after !== written.before;
    if (out.changed && !out.restamped && unmet.length > 0) {
      out.warnings = [
        `${id} has unmet dependencies: ${unmet.map((u) => `${u.id} (${u.state})`).join(', ')}`,
      ];
    }
    if (out.changed && opts.commit === true) {
      // --commit: just this file, `baton: <verb> <id>` with a Baton-Task trailer
      const { commitWritten, describeCommit, trailers } = await import('../../store/commit.js');
      const message = `baton: ${verb} ${id}`;
      const done = await commitWritten(
        ctx.root().root,
        [written],
        message,
        trailers({ 'Baton-Task': id }),
      );
      out.commit = done.commit ?? null;
      out.committed = describeCommit(done, message);
    }
    out.now_ready =
      out.changed && !out.restamped
        ? newlyReady(snapshot, graph, i, { ...task.data, status }, states)
        : [];
    const nowReady =
      out.now_ready.length > 0 ? `now ready: ${out.now_ready.join(', ')}` : undefined;
    return reportWrite(ctx, opts, out, [
      !out.changed
        ? `${id} is already ${status}; nothing changed`
        : out.restamped
          ? `${id}: result re-stamped (fingerprint ${stamp!.fingerprint.slice(0, 12)})`
          : `${id}: ${out.from} -> ${status}${note}`,
      out.committed,
      nowReady,
    ]);
  };
}

/** What a status verb did: the object `--json` prints and the text reports. */
export interface StatusResult extends WriteResult {
  verb: StatusVerb;
  from: Status;
  to: Status;
  restamped?: true | undefined;
}

/** The verbs that move work forward, and so warn when the task's dependencies are not done. */
const WORK_VERBS: ReadonlySet<StatusVerb> = new Set(['start', 'review', 'done']);

/** Task `i`'s dependencies that are not done or cancelled: each with its state or `missing`. */
function unmetDependencies(graph: Graph, i: number): { id: string; state: string }[] {
  const out: { id: string; state: string }[] = [];
  for (const dep of graph.tasks[i]!.data.depends_on) {
    const j = graph.index.get(dep);
    const status = j === undefined ? undefined : graph.tasks[j]!.data.status;
    if (status !== undefined && SATISFIED.has(status)) continue;
    out.push({ id: dep, state: status ?? 'missing' });
  }
  return out;
}

/**
 * The gates of `review` / `done` over the file's text: throws `REFUSED` listing what is
 * missing; with `force`, returns the summary of what was passed (undefined when nothing).
 */
function gate(
  verb: 'review' | 'done',
  text: string,
  data: Task['data'],
  force: boolean,
): string | undefined {
  const split = splitFile(text);
  const body = split.ok ? split.body : '';
  const entries = readLog(body).map(parseEntry);
  const report = gateReport(verb, body, data, entries);
  if (gatesOpen(report)) return undefined;
  if (!force) {
    throw new UserError(
      'REFUSED',
      gateRefusal(data.id, verb, report, split.ok ? split.bodyLine : 1),
    );
  }
  return gateSummary(report);
}

/** `result: { commit, fingerprint }` for a task with inputs, as its inputs are now. */
async function resultStamp(
  root: string,
  task: Task,
): Promise<{ commit: string; fingerprint: string } | undefined> {
  const inputs = task.data.inputs;
  if (!inputs || inputs.length === 0) return undefined;
  const { headCommit, readInputTree } = await import('../../store/fingerprint.js');
  const { fingerprint } = readInputTree(root, inputs).fingerprint(inputs);
  return { commit: headCommit(root), fingerprint };
}
