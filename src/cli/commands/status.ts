/**
 * Status changes: start, review, done, block, cancel, reopen. Each sets `status` and
 * `updated`, appends a `## Log` line (`<time> <agent> <verb>[: reason]`), and reports the
 * tasks the change made ready. Setting the status a task already has writes nothing.
 *
 * Results (SPEC section 4): `done` on a task with `inputs` also records
 * `result: { commit: HEAD, fingerprint }` of those inputs as they are in the working tree;
 * `done` on a task already done re-stamps the result when the fingerprint moved (logged as
 * `done: result re-stamped`). `reopen --stale` reopens every done task whose result is stale
 * (inherited ones too), each with its own log line, all computed before any file is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, type Graph } from '../../core/graph.js';
import { formatEntry } from '../../core/log-entry.js';
import { computeReadiness, type Readiness } from '../../core/readiness.js';
import { staleResults } from '../../core/stale.js';
import type { Snapshot, Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog } from '../../format/log.js';
import type { Status } from '../../schema/fields.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';

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
    if (verb === 'reopen' && opts.stale === true) return reopenStale(ctx, args, opts);
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
    const restamp =
      task.data.status === status &&
      stamp !== undefined &&
      stamp.fingerprint !== task.data.result?.fingerprint;
    if (task.data.status === status && !restamp) {
      ctx.out(`${id} is already ${status}; nothing changed`);
      return 0;
    }
    const given =
      typeof opts.reason === 'string' && opts.reason.trim() ? opts.reason.trim() : undefined;
    const reason = given ?? (restamp ? 'result re-stamped' : undefined);
    const now = isoNow(snapshot.now);
    const entry = formatEntry({ time: now, agent: await ctx.agent(), verb, message: reason });
    const written = { path: task.path, before: '', after: '' };
    const fields: Record<string, unknown> = { status, updated: now };
    if (stamp) fields.result = stamp;
    const result = await mutateTask(ctx.root(), task, (text) => {
      written.before = text;
      written.after = appendLog(setFields(text, fields), entry);
      return written.after;
    });
    ctx.out(
      restamp
        ? `${id}: result re-stamped (fingerprint ${stamp!.fingerprint.slice(0, 12)})`
        : `${id}: ${result.before.status} -> ${status}`,
    );
    if (opts.commit === true) {
      // --commit: just this file, `baton: <verb> <id>` with a Baton-Task trailer
      const { commitWritten, describeCommit, trailers } = await import('../../store/commit.js');
      const message = `baton: ${verb} ${id}`;
      const done = await commitWritten(
        ctx.root().root,
        [written],
        message,
        trailers({ 'Baton-Task': id }),
      );
      ctx.out(describeCommit(done, message));
    }
    const nowReady = newlyReady(snapshot, graph, i, status, states);
    if (nowReady.length > 0) ctx.out(`now ready: ${nowReady.join(', ')}`);
    return 0;
  };
}

/** Ids that are ready after task `i` takes `status` and were not before. */
function newlyReady(
  snapshot: Snapshot,
  before: Graph,
  i: number,
  status: Status,
  wasReady: readonly Readiness[],
): string[] {
  const tasks = snapshot.tasks.slice();
  const changed = before.tasks[i]!;
  tasks[tasks.indexOf(changed)] = { ...changed, data: { ...changed.data, status } };
  const graph = buildGraph(tasks);
  const after = computeReadiness(graph, snapshot.now);
  const out: string[] = [];
  for (let j = 0; j < after.length; j++) {
    if (j !== i && after[j]!.state === 'ready' && wasReady[j]!.state !== 'ready')
      out.push(graph.ids[j]!);
  }
  return out.sort();
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

/** `reopen --stale`: every done task whose result is stale, in one step, each logged. */
async function reopenStale(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  if (args[0] !== undefined) {
    throw new UserError('USAGE', 'reopen takes a task id or --stale, not both');
  }
  const snapshot = await ctx.load();
  const root = ctx.root();
  const { taskFingerprints } = await import('../../store/fingerprint.js');
  const stale = staleResults(snapshot.tasks, taskFingerprints(root.root, snapshot.tasks).of);
  if (stale.length === 0) {
    ctx.out('no stale results; nothing reopened');
    return 0;
  }
  const byPath = new Map(snapshot.tasks.map((t) => [t.path, t]));
  const given =
    typeof opts.reason === 'string' && opts.reason.trim() ? opts.reason.trim() : undefined;
  const now = isoNow(snapshot.now);
  const agent = await ctx.agent();
  const plan = stale.map((s) => {
    const why =
      given ??
      (s.inherited
        ? `result stale: depends on ${s.via}, whose result is stale`
        : 'result stale: its inputs changed');
    const entry = formatEntry({ time: now, agent, verb: 'reopen', message: why });
    const change = (text: string) =>
      appendLog(setFields(text, { status: 'todo', updated: now }), entry);
    return { s, task: byPath.get(s.path)!, why, change };
  });
  // Compute every new text before writing any: one task that cannot be edited stops all.
  for (const p of plan) p.change(readFileSync(join(root.root, p.task.path), 'utf8'));
  const written: { path: string; before: string; after: string }[] = [];
  for (const p of plan) {
    const w = { path: p.task.path, before: '', after: '' };
    await mutateTask(root, p.task, (text) => {
      w.before = text;
      w.after = p.change(text);
      return w.after;
    });
    written.push(w);
    ctx.out(`${p.s.id}: done -> todo (${p.why})`);
  }
  if (opts.commit === true) {
    const { commitWritten, describeCommit } = await import('../../store/commit.js');
    const ids = plan.map((p) => p.s.id);
    const message = `baton: reopen ${ids.length === 1 ? ids[0] : `${ids.length} stale results`}`;
    const trailerLines = ids.map((id) => `Baton-Task: ${id}`);
    const done = await commitWritten(root.root, written, message, trailerLines);
    ctx.out(describeCommit(done, message));
  }
  return 0;
}
