/**
 * Tasks as `task import` takes them: a JSON array of Taskwarrior tasks. Statuses map to
 * pending|completed|deleted (in_progress is pending with `start`); what Taskwarrior has no
 * word for travels as UDAs (`baton_id`, `baton_status`, `baton_priority`, `baton_assignee`,
 * `baton_estimate`, `baton_parent`) that `baton import taskwarrior` takes back. Dependencies
 * and the parent are named by uuid (`taskUuid`: the task's own, else derived from its id).
 */

import { entryText } from './log-entry.js';
import { dateTime, type ExportTask, list, text } from './source-task.js';
import { taskUuid } from './uuid.js';

const PRIORITY: Record<string, string> = { critical: 'H', high: 'H', medium: 'M', low: 'L' };

/** `2026-12-01T12:00:00Z` -> `20261201T120000Z`. */
export function compactDate(value: unknown): string | undefined {
  const iso = dateTime(value);
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return new Date(t)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function toTaskwarrior(tasks: readonly ExportTask[], now: Date): Record<string, unknown>[] {
  const uuidOf = new Map<string, string>();
  for (const t of tasks) uuidOf.set(String(t.data.id), taskUuid(t.data));
  const ref = (id: string) => uuidOf.get(id) ?? taskUuid({ id });
  const stamp = compactDate(now.toISOString())!;
  return tasks.map((t) => {
    const d = t.data;
    const id = String(d.id);
    const status = String(d.status);
    const entry = compactDate(d.created) ?? compactDate(d.updated) ?? stamp;
    const modified = compactDate(d.updated) ?? entry;
    const out: Record<string, unknown> = {
      uuid: uuidOf.get(id),
      description: d.title,
      status: status === 'done' ? 'completed' : status === 'cancelled' ? 'deleted' : 'pending',
      entry,
      modified,
      baton_id: id,
    };
    if (!['todo', 'in_progress', 'done', 'cancelled'].includes(status)) out.baton_status = status;
    if (status === 'done' || status === 'cancelled') out.end = compactDate(d.end) ?? modified;
    if (status === 'in_progress') out.start = compactDate(d.start) ?? startTime(t) ?? modified;
    const priority = text(d.priority);
    if (priority && PRIORITY[priority]) out.priority = PRIORITY[priority];
    if (priority === 'critical') out.baton_priority = 'critical';
    const project = text(d.project);
    if (project) out.project = project;
    const labels = list(d.labels);
    if (labels.length > 0) out.tags = labels;
    const deps = list(d.depends_on);
    if (deps.length > 0) out.depends = deps.map(ref);
    const due = compactDate(d.due);
    if (due) out.due = due;
    const wait = compactDate(d.not_before);
    if (wait) out.wait = wait;
    const scheduled = compactDate(d.scheduled);
    if (scheduled) out.scheduled = scheduled;
    if (text(d.assignee)) out.baton_assignee = d.assignee;
    if (text(d.estimate)) out.baton_estimate = d.estimate;
    if (text(d.parent)) out.baton_parent = ref(String(d.parent));
    const annotations = [
      ...(t.body ? [{ entry, description: t.body.replace(/\s*\n\s*/g, ' ') }] : []),
      ...t.log.map((e) => ({ entry: compactDate(e.time) ?? entry, description: entryText(e) })),
    ];
    if (annotations.length > 0) out.annotations = annotations;
    return out;
  });
}

/** The time of the last `start`/`claim` in the log. */
function startTime(t: ExportTask): string | undefined {
  const e = t.log.filter((l) => l.verb === 'start' || l.verb === 'claim').at(-1);
  return e ? compactDate(e.time) : undefined;
}
