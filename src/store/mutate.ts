/**
 * Change one task file: take the task's lock (every baton writer does, so writers on one
 * machine take turns), read the file fresh under it, compute the new text from what was
 * read, refuse to write anything that would not load back as a valid task, and replace the
 * file atomically only if nobody changed it meanwhile (a hand edit, which takes no lock).
 * Returns what was written so commands can report it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../core/types.js';
import { UserError } from '../errors.js';
import type { TaskData } from '../schema/task.js';
import { replaceIfUnchanged } from './atomic-write.js';
import { withTaskLock } from './lock.js';
import { parseTaskFileFully } from './parse-file.js';
import type { Root } from './root.js';

export interface Mutation {
  path: string;
  before: TaskData;
  after: TaskData;
  changed: boolean;
}

export async function mutateTask(
  root: Root,
  task: Task,
  change: (text: string, data: TaskData) => string,
): Promise<Mutation> {
  return withTaskLock(root, task.data.id, () => mutateLocked(root, task, change));
}

async function mutateLocked(
  root: Root,
  task: Task,
  change: (text: string, data: TaskData) => string,
): Promise<Mutation> {
  const abs = join(root.root, task.path);
  const text = readFileSync(abs, 'utf8');
  const current = await parseTaskFileFully(task.path, task.namespace, text);
  if (!current.task || current.task.data.id !== task.data.id) {
    throw new UserError(
      'FILE_CHANGED',
      `${task.path} changed on disk and no longer holds task ${task.data.id}`,
      {
        path: task.path,
      },
    );
  }
  const next = change(text, current.task.data);
  const parsed = await parseTaskFileFully(task.path, task.namespace, next);
  if (!parsed.task) {
    const first = parsed.problems[0];
    throw new UserError(
      'TASK_INVALID',
      // the error report puts the path first
      `refusing to write the change: ${first?.message ?? 'it would not parse'}`,
      {
        path: task.path,
      },
    );
  }
  replaceIfUnchanged(abs, text, next, task.path);
  return {
    path: task.path,
    before: current.task.data,
    after: parsed.task.data,
    changed: next !== text,
  };
}

/** ISO 8601 UTC to the second, the form baton writes for `created`, `updated` and logs. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
