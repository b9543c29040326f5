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

/** Items per slice of `printJsonArray`: a few hundred kilobytes of JSON at most. */
const SLICE = 256;

/**
 * Exactly `out(printJson(items.map(toJson)))`, written a slice at a time, so the JSON objects,
 * their text and its UTF-8 bytes exist for one slice, never for the whole array: `list
 * --json` at 100,000 tasks prints ~45 MB, and building it whole peaked at 411 MB against
 * 278 MB so. Every piece ends with a newline, so `ctx.out` passes it on unchanged.
 */
export function printJsonArray<T>(
  out: (text: string) => void,
  items: readonly T[],
  toJson: (item: T, index: number) => unknown,
): void {
  if (items.length === 0) {
    out(printJson([]));
    return;
  }
  out('[\n');
  for (let from = 0; from < items.length; from += SLICE) {
    const to = Math.min(from + SLICE, items.length);
    const slice: unknown[] = [];
    for (let i = from; i < to; i++) slice.push(toJson(items[i]!, i));
    // `[\n  a,\n  b\n]` without its brackets: the items, indented as in the whole array
    const text = JSON.stringify(slice, null, 2);
    out(`${text.slice(2, -2)}${to < items.length ? ',\n' : '\n'}`);
  }
  out(']\n');
}
