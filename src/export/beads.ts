/**
 * Tasks as beads issues, one JSON object per line (`.beads/issues.jsonl`): the reverse of
 * `import/beads.ts`. depends_on become `blocks` dependencies, the parent a `parent-child`
 * one, the list keys `related`/`discovered_from` their own types; priorities 0..3 (or the
 * kept `beads_priority`); statuses open|in_progress|blocked|closed, with `baton_status`
 * where beads has no word (review, cancelled, failed). The body is the description; the
 * log becomes comments.
 */

import { entryText } from './log-entry.js';
import { dateTime, type ExportTask, list, text } from './source-task.js';

const STATUS: Record<string, string> = {
  todo: 'open',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'in_progress',
  done: 'closed',
  cancelled: 'closed',
  // failed work holds its dependents back, as a blocked issue does in beads
  failed: 'blocked',
};
const PRIORITY: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const LINK_KEYS: Record<string, string> = {
  related: 'related',
  discovered_from: 'discovered-from',
};
const CARRIED = ['issue_type', 'close_reason', 'external_ref'];

export function toBeads(tasks: readonly ExportTask[], now: Date): Record<string, unknown>[] {
  const stamp = now.toISOString();
  return tasks.map((t) => {
    const d = t.data;
    const id = String(d.id);
    const status = String(d.status);
    const created = dateTime(d.created) ?? dateTime(d.updated) ?? stamp;
    const updated = dateTime(d.updated) ?? created;
    const beadsStatus =
      status === 'blocked' && text(d.beads_status) ? String(d.beads_status) : STATUS[status];
    const out: Record<string, unknown> = {
      id,
      title: d.title,
      description: t.body,
      status: beadsStatus ?? 'open',
      priority:
        typeof d.beads_priority === 'number' && d.priority === 'low'
          ? d.beads_priority
          : (PRIORITY[String(d.priority)] ?? 2),
      issue_type: text(d.issue_type) ?? 'task',
    };
    if (STATUS[status] !== status && !(status === 'todo' || status === 'done')) {
      out.baton_status = status;
    }
    if (text(d.assignee)) out.assignee = d.assignee;
    const minutes = estimateMinutes(text(d.estimate));
    if (minutes !== undefined) out.estimated_minutes = minutes;
    out.created_at = created;
    out.updated_at = updated;
    if (out.status === 'closed') {
      out.closed_at = dateTime(d.closed_at) ?? updated;
      out.close_reason = text(d.close_reason) ?? (status === 'cancelled' ? 'cancelled' : 'done');
    }
    for (const key of CARRIED) if (text(d[key]) && out[key] === undefined) out[key] = d[key];
    const labels = list(d.labels);
    if (labels.length > 0) out.labels = labels;
    const deps: Record<string, unknown>[] = [];
    const link = (target: string, type: string) =>
      deps.push({
        issue_id: id,
        depends_on_id: target,
        type,
        created_at: created,
        created_by: 'baton',
      });
    for (const dep of list(d.depends_on)) link(dep, 'blocks');
    if (text(d.parent)) link(String(d.parent), 'parent-child');
    for (const [key, type] of Object.entries(LINK_KEYS)) {
      for (const target of typeof d[key] === 'string' ? [String(d[key])] : list(d[key])) {
        link(target, type);
      }
    }
    if (deps.length > 0) out.dependencies = deps;
    if (t.log.length > 0) {
      out.comments = t.log.map((e, i) => ({
        id: i + 1,
        issue_id: id,
        author: e.agent,
        text: entryText(e),
        created_at: e.time,
      }));
    }
    return out;
  });
}

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 60 * 8, w: 60 * 40 };

/** Minutes of a `30m|4h|2d|1w` estimate (a day is 8 hours, a week 5 days). */
function estimateMinutes(estimate: string | undefined): number | undefined {
  const m = estimate ? /^(\d+(?:\.\d+)?)([mhdw])$/.exec(estimate) : null;
  return m ? Math.round(Number(m[1]) * UNIT_MINUTES[m[2]!]!) : undefined;
}
