/**
 * Short markers printed before a task's title in text lists (`list`, `ready`, `blocked`):
 * `overdue` (red) when its due date has passed (`core/due.ts`), `not before <time>` when it
 * waits for its `not_before`, and `attempts n/m` when failed attempts are on record and
 * it is still open.
 */
import { isOverdue } from '../core/due.js';
import type { Readiness } from '../core/readiness.js';
import { maxAttempts } from '../core/retry.js';
import type { Task } from '../core/types.js';
import type { Config } from '../schema/config.js';
import type { Paint } from './color.js';

export function taskMarks(
  task: Task,
  state: Readiness | undefined,
  now: Date,
  config: Pick<Config, 'max_attempts'>,
  p: Paint,
): string[] {
  const d = task.data;
  const out: string[] = [];
  if (isOverdue(d, now)) out.push(p.red('overdue'));
  if (state?.state === 'scheduled') out.push(p.cyan(`not before ${state.notBefore}`));
  const attempts = d.attempts ?? 0;
  if (attempts > 0 && d.status !== 'failed' && d.status !== 'done' && d.status !== 'cancelled') {
    out.push(p.yellow(`attempts ${attempts}/${maxAttempts(d, config)}`));
  }
  return out;
}

/** The title with its markers in front. */
export function markedTitle(title: string, marks: readonly string[]): string {
  return marks.length > 0 ? `${marks.join(' ')} ${title}` : title;
}
