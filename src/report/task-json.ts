/**
 * The JSON shape of a task (SPEC section 3): the core fields first in a fixed order, then
 * every other front-matter key in file order, then `overdue` (when the caller passes "now"),
 * then what the command adds (e.g. `rank`).
 */
import { isOverdue } from '../core/due.js';
import type { Task } from '../core/types.js';

const CORE = ['id', 'title', 'status', 'priority', 'depends_on', 'assignee', 'labels'] as const;
const CORE_SET: ReadonlySet<string> = new Set(CORE);

export function taskJson(
  task: Task,
  extra: Record<string, unknown> = {},
  now?: Date,
): Record<string, unknown> {
  const d = task.data as Record<string, unknown>;
  const out: Record<string, unknown> = {
    id: d.id,
    title: d.title,
    status: d.status,
    priority: d.priority,
    depends_on: d.depends_on,
    assignee: d.assignee ?? null,
    labels: d.labels,
    namespace: task.namespace,
    path: task.path,
  };
  for (const key in d) {
    if (!CORE_SET.has(key) && d[key] !== undefined) out[key] = d[key];
  }
  if (now) out.overdue = isOverdue(task.data, now);
  return Object.assign(out, extra);
}

export function printJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
