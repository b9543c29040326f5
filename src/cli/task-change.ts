/**
 * One change to one task by a collaboration command (handoff, share, discover, sync, ack):
 * resolve the id, take the task's lock, read the task again, let the command decide and
 * compute the new text, write it atomically, and with `--commit` commit just that file
 * (plus any extra paths) with `Baton-Task` and the command's trailers.
 */

import type { Task } from '../core/types.js';
import { UserError } from '../errors.js';
import type { TaskData } from '../schema/task.js';
import { isoNow, mutateTask } from '../store/mutate.js';
import { analyze, findTask } from './analysis.js';
import type { Ctx } from './context.js';

export interface ChangeOutcome {
  id: string;
  path: string;
  changed: boolean;
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
  const written = await withTaskLock(root, id, async () => {
    const { graph, snapshot } = await analyze(ctx);
    const i = graph.index.get(id);
    if (i === undefined) throw new UserError('TASK_NOT_FOUND', `task ${id} is gone`);
    const task = graph.tasks[i]!;
    const now = snapshot.now;
    const w = { path: task.path, before: '', after: '' };
    await mutateTask(root, task, (text, data) => {
      w.before = text;
      w.after = spec.change({ text, data, task, now, time: isoNow(now) });
      return w.after;
    });
    return w;
  });
  const outcome: ChangeOutcome = {
    id,
    path: written.path,
    changed: written.before !== written.after,
  };
  if (spec.commit && outcome.changed) {
    const { commitWritten, describeCommit, trailers } = await import('../store/commit.js');
    const message = spec.message ? spec.message(id) : `baton: ${spec.verb} ${id}`;
    const done = await commitWritten(
      root.root,
      [written],
      message,
      trailers({ 'Baton-Task': id, ...spec.trailers }),
      spec.extraPaths ?? [],
    );
    outcome.committed = describeCommit(done, message);
  }
  return outcome;
}
