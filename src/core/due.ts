/**
 * Due dates. A task is **overdue** when its `due` has passed and it is neither done nor
 * cancelled. A bare date (`2026-12-01`) is due at the end of that day, UTC (so it becomes
 * overdue at `2026-12-02T00:00:00Z`); a date-time at that very moment. A `due` that is not a
 * real date never makes a task overdue. `list`, `ready`, `blocked`, `show` and the
 * dashboard all use this one rule.
 */
import { SATISFIED } from '../schema/fields.js';
import type { TaskData } from '../schema/task.js';
import { parseDate } from './estimate.js';

const DAY_MS = 86_400_000;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** When a due date has passed (ms): the end of a bare date's day (UTC), or the date-time. */
export function dueDeadline(due: string | null | undefined): number | undefined {
  const ms = parseDate(due);
  if (ms === undefined) return undefined;
  return BARE_DATE.test(due!) ? ms + DAY_MS : ms;
}

/** Whether the task is past its due date at `now` and still open. */
export function isOverdue(data: Pick<TaskData, 'due' | 'status'>, now: Date): boolean {
  if (SATISFIED.has(data.status)) return false;
  const deadline = dueDeadline(data.due);
  return deadline !== undefined && deadline <= now.getTime();
}
