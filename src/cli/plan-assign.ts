/**
 * `baton plan --assign --write`: write the proposed assignees. Each task is changed under
 * its lock through `mutateTask`: `assignee` and `updated` set, one log line
 * `<time> <agent> assign -> <assignee>: proposed by baton plan` appended, nothing else
 * touched. A task that has an assignee by the time it is read again is left alone and
 * reported. If a write fails, the files already written get their earlier text back (when
 * nobody changed them since) and the error is raised: all of it is written, or none.
 */
import type { Graph } from '../core/graph.js';
import { formatEntry } from '../core/log-entry.js';
import type { Proposal } from '../core/schedule-summary.js';
import type { Task } from '../core/types.js';
import { setFields } from '../format/edit.js';
import { appendLog } from '../format/log.js';
import { isoNow, mutateTask } from '../store/mutate.js';
import type { Root } from '../store/root.js';

export interface AssignOutcome {
  /** Ids written, in proposal order. */
  written: string[];
  /** Ids left alone because they had an assignee when read again. */
  skipped: string[];
}

interface Done {
  task: Task;
  before: string;
  after: string;
}

export async function writeAssignees(
  root: Root,
  graph: Graph,
  proposals: readonly Proposal[],
  actor: string,
  now: Date,
): Promise<AssignOutcome> {
  const { withTaskLock } = await import('../store/lock.js');
  const time = isoNow(now);
  const outcome: AssignOutcome = { written: [], skipped: [] };
  const done: Done[] = [];
  try {
    for (const { id, agent } of proposals) {
      const task = graph.tasks[graph.index.get(id)!]!;
      await withTaskLock(root, id, () =>
        mutateTask(root, task, (text, data) => {
          if (data.assignee) {
            outcome.skipped.push(id);
            return text;
          }
          const entry = formatEntry({
            time,
            agent: actor,
            verb: 'assign',
            target: agent,
            message: 'proposed by baton plan',
          });
          const after = appendLog(setFields(text, { assignee: agent, updated: time }), entry);
          done.push({ task, before: text, after });
          outcome.written.push(id);
          return after;
        }),
      );
    }
  } catch (error) {
    await undo(root, done);
    throw error;
  }
  return outcome;
}

/** Put back the earlier text of every file still holding what was written. */
async function undo(root: Root, done: readonly Done[]): Promise<void> {
  const { withTaskLock } = await import('../store/lock.js');
  for (const d of [...done].reverse()) {
    try {
      await withTaskLock(root, d.task.data.id, () =>
        mutateTask(root, d.task, (text) => (text === d.after ? d.before : text)),
      );
    } catch {
      // The file changed again since: leave it as it is now.
    }
  }
}
