/**
 * Status changes: start, review, done, block, cancel, reopen. Each sets `status` and
 * `updated`, appends a `## Log` line (`<time> <agent> <verb>[: reason]`), and reports the
 * tasks the change made ready. Setting the status a task already has writes nothing.
 */
import { buildGraph, type Graph } from '../../core/graph.js';
import { computeReadiness, type Readiness } from '../../core/readiness.js';
import type { Snapshot } from '../../core/types.js';
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
    const { snapshot, graph, states } = await analyze(ctx);
    const i = findTask(graph, args[0] ?? '');
    const task = graph.tasks[i]!;
    const status = VERB_STATUS[verb];
    const id = task.data.id;
    if (task.data.status === status) {
      ctx.out(`${id} is already ${status}; nothing changed`);
      return 0;
    }
    const reason =
      typeof opts.reason === 'string' && opts.reason.trim() ? opts.reason.trim() : undefined;
    const now = isoNow(snapshot.now);
    const entry = `${now} ${await ctx.agent()} ${verb}${reason ? `: ${reason}` : ''}`;
    const written = { path: task.path, before: '', after: '' };
    const result = await mutateTask(ctx.root(), task, (text) => {
      written.before = text;
      written.after = appendLog(setFields(text, { status, updated: now }), entry);
      return written.after;
    });
    ctx.out(`${id}: ${result.before.status} -> ${status}`);
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
