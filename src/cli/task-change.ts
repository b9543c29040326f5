/**
 * One change to one task by a collaboration command (handoff, share, discover, sync, ack):
 * resolve the id, take the task's lock, read the task again, let the command decide and
 * compute the new text, write it atomically, and with `--commit` commit just that file
 * (plus any extra paths) with `Baton-Task` and the command's trailers. The outcome holds
 * what the command's result needs: the task as before and after, the status `from -> to`,
 * the tasks the change made ready, and the commit.
 */

import type { Task } from '../core/types.js';
import { UserError } from '../errors.js';
import type { Status } from '../schema/fields.js';
import type { TaskData } from '../schema/task.js';
import { isoNow, mutateTask } from '../store/mutate.js';
import { analyze, findTask } from './analysis.js';
import type { Ctx } from './context.js';
import { newlyReady, type WriteResult } from './write-result.js';

export interface ChangeOutcome {
  id: string;
  path: string;
  changed: boolean;
  /** The task's front matter as read under the lock, and as written. */
  before: TaskData;
  after: TaskData;
  from: Status;
  to: Status;
  /** Tasks that became ready through this change (only when the status changed). */
  now_ready: string[];
  /** With `--commit` on a change: the commit, or null when the files matched HEAD. */
  commit?: string | null;
  /** What `--commit` printed, if it ran. */
  committed?: string;
}

export interface ChangeSpec {
  query: string;
  /** `baton: <verb> <id>` unless `message` is given. */
  verb: string;
  commit: boolean;
  /** Decide and compute: throw a `UserError` to refuse; return the new text. */
  change: (ctx: { text: string; data: TaskData; task: Task; now: Date; time: string }) => string;
  message?: (id: string) => string;
  trailers?: Record<string, string>;
  /** More paths (relative to the store's root) for the commit. */
  extraPaths?: string[];
}

export async function changeTask(ctx: Ctx, spec: ChangeSpec): Promise<ChangeOutcome> {
  const root = ctx.root();
  const first = await analyze(ctx);
  const id = first.graph.ids[findTask(first.graph, spec.query)]!;
  const { withTaskLock } = await import('../store/lock.js');
  const done = await withTaskLock(root, id, async () => {
    const { graph, snapshot, states } = await analyze(ctx);
    const i = graph.index.get(id);
    if (i === undefined) throw new UserError('TASK_NOT_FOUND', `task ${id} is gone`);
    const task = graph.tasks[i]!;
    const now = snapshot.now;
    const w = { path: task.path, before: '', after: '' };
    const m = await mutateTask(root, task, (text, data) => {
      w.before = text;
      w.after = spec.change({ text, data, task, now, time: isoNow(now) });
      return w.after;
    });
    const moved = m.changed && m.before.status !== m.after.status;
    const ready = moved ? newlyReady(snapshot, graph, i, m.after, states) : [];
    return { w, m, ready };
  });
  const { w: written, m, ready } = done;
  const outcome: ChangeOutcome = {
    id,
    path: written.path,
    changed: written.before !== written.after,
    before: m.before,
    after: m.after,
    from: m.before.status,
    to: m.after.status,
    now_ready: ready,
  };
  if (spec.commit && outcome.changed) {
    const { commitWritten, describeCommit, trailers } = await import('../store/commit.js');
    const message = spec.message ? spec.message(id) : `baton: ${spec.verb} ${id}`;
    const made = await commitWritten(
      root.root,
      [written],
      message,
      trailers({ 'Baton-Task': id, ...spec.trailers }),
      spec.extraPaths ?? [],
    );
    outcome.commit = made.commit ?? null;
    outcome.committed = describeCommit(made, message);
  }
  return outcome;
}

/**
 * The result of a `changeTask` command: `{ id, agent, verb, changed }`, what changed, then
 * with `status` the status `from -> to` and what became ready, then the commit if one ran.
 */
export function changeResult(
  o: ChangeOutcome,
  agent: string,
  verb: string,
  what: Record<string, unknown> = {},
  status = false,
): WriteResult {
  const result: WriteResult = { id: o.id, agent, verb, changed: o.changed };
  if (status) Object.assign(result, { from: o.from, to: o.to });
  Object.assign(result, what);
  if (status) result.now_ready = o.now_ready;
  if (o.committed !== undefined) {
    result.commit = o.commit ?? null;
    result.committed = o.committed;
  }
  return result;
}
