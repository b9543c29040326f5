/**
 * beads (`bd`): `.beads/issues.jsonl`, one issue per line as beads exports it (its Go
 * `Issue` type: id, title, description, design, acceptance_criteria, notes, status,
 * priority 0..4, issue_type, assignee, estimated_minutes, created_at, updated_at,
 * closed_at, close_reason, external_ref, labels, dependencies, comments). Dependencies are
 * `{issue_id, depends_on_id, type}` on the issue that has them: `blocks` waits for
 * `depends_on_id`, `parent-child` names the parent, every other type is kept as a list
 * key named after it (`related`, `discovered_from`). The README's table is the contract.
 */
import type { Priority, Status } from '../schema/fields.js';
import { batonPriority, batonStatus, extraKey, isoDate, Notes } from './fields.js';
import {
  isObject,
  locate,
  minutesEstimate,
  parseJsonRecords,
  readText,
  str,
  strList,
} from './json-lines.js';
import type { ImportedLogEntry, ImportedTask, ImportSource } from './types.js';

const STATUS: Record<string, Status> = {
  open: 'todo',
  in_progress: 'in_progress',
  blocked: 'blocked',
  closed: 'done',
  // beads' newer statuses: the nearest baton status, the original kept as `beads_status`
  // deferred (on ice) and pinned (a context marker) are not work `bd ready` offers
  deferred: 'blocked',
  pinned: 'blocked',
  hooked: 'in_progress',
  tombstone: 'cancelled',
};
const EXACT_STATUS = new Set(['open', 'in_progress', 'blocked', 'closed']);

const PRIORITY: readonly Priority[] = ['critical', 'high', 'medium', 'low', 'low'];

/** Fields this reader maps; every other field is kept as a key. */
const MAPPED = new Set([
  'id',
  'title',
  'description',
  'design',
  'acceptance_criteria',
  'notes',
  'status',
  'priority',
  'assignee',
  'estimated_minutes',
  'created_at',
  'updated_at',
  'labels',
  'dependencies',
  'comments',
  'baton_status',
  'baton_priority',
]);

export async function readBeads(path: string): Promise<ImportSource> {
  const file = await locate(path, ['.beads/issues.jsonl', 'issues.jsonl', '.beads/beads.jsonl']);
  const bad: string[] = [];
  const records = parseJsonRecords(await readText(file), bad);
  const notes = new Notes();
  notes.plain.push(...bad.map((b) => `${file} ${b}: skipped`));
  const tasks: ImportedTask[] = [];
  for (const { value: issue, line } of records) {
    const id = str(issue.id) ?? (typeof issue.id === 'number' ? String(issue.id) : undefined);
    if (!id) {
      notes.plain.push(`${file} line ${line}: an issue without an id: skipped`);
      continue;
    }
    tasks.push(readIssue(issue, id, `${file}:${line}`, notes));
  }
  return { format: 'beads', tasks, notes: notes.list() };
}

function readIssue(
  issue: Record<string, unknown>,
  id: string,
  from: string,
  notes: Notes,
): ImportedTask {
  const extra: Record<string, unknown> = {};
  const task: ImportedTask = { sourceId: id, title: str(issue.title) ?? id, status: 'todo', from };
  if (!str(issue.title)) notes.add(id, 'no title: the id is used as the title');

  const rawStatus = str(issue.status) ?? 'open';
  const ownStatus = batonStatus(issue.baton_status);
  task.status = ownStatus ?? STATUS[rawStatus] ?? 'todo';
  if (!ownStatus && !EXACT_STATUS.has(rawStatus)) {
    extra.beads_status = rawStatus;
    notes.add(id, `status "${rawStatus}" became "${task.status}" (kept as beads_status)`);
  }

  const ownPriority = batonPriority(issue.baton_priority);
  if (ownPriority) task.priority = ownPriority;
  else if (typeof issue.priority === 'number' && Number.isInteger(issue.priority)) {
    const p = PRIORITY[issue.priority];
    if (p) task.priority = p;
    else notes.add(id, `priority ${issue.priority} is outside 0..4: kept as beads_priority`);
    if (issue.priority === 4 || !p) extra.beads_priority = issue.priority;
  } else if (issue.priority !== undefined) {
    extra.beads_priority = issue.priority;
    notes.add(id, 'a priority that is not a number: kept as beads_priority');
  }

  const assignee = str(issue.assignee);
  if (assignee) task.assignee = assignee.replace(/\s+/g, '-');
  const labels = strList(issue.labels);
  if (labels.length > 0) task.labels = labels;
  if (typeof issue.estimated_minutes === 'number' && issue.estimated_minutes > 0) {
    task.estimate = minutesEstimate(issue.estimated_minutes);
  }
  const created = isoDate(issue.created_at);
  if (created) task.created = created;
  const updated = isoDate(issue.updated_at);
  if (updated) task.updated = updated;

  readDependencies(issue, id, task, extra, notes);
  task.body = body(issue);
  const log = comments(issue.comments, id, notes);
  if (log.length > 0) task.log = log;

  for (const [key, value] of Object.entries(issue)) {
    if (MAPPED.has(key) || value === null || value === undefined || value === '') continue;
    const k = extraKey(key, 'beads');
    extra[k] = key.endsWith('_at') ? (isoDate(value) ?? value) : value;
  }
  if (Object.keys(extra).length > 0) task.extra = extra;
  return task;
}

function readDependencies(
  issue: Record<string, unknown>,
  id: string,
  task: ImportedTask,
  extra: Record<string, unknown>,
  notes: Notes,
): void {
  if (issue.dependencies === undefined || issue.dependencies === null) return;
  if (!Array.isArray(issue.dependencies)) {
    extra.beads_dependencies = issue.dependencies;
    notes.add(id, '`dependencies` is not a list: kept as beads_dependencies');
    return;
  }
  const dependsOn: string[] = [];
  for (const dep of issue.dependencies) {
    const target = isObject(dep) ? str(dep.depends_on_id) : undefined;
    if (!isObject(dep) || !target) {
      notes.add(id, 'a dependency without depends_on_id: dropped');
      continue;
    }
    const owner = str(dep.issue_id);
    if (owner && owner !== id) {
      notes.add(id, `a dependency of ${owner} listed on another issue: read as this issue's`);
    }
    const type = str(dep.type) ?? 'blocks';
    if (type === 'blocks') {
      if (!dependsOn.includes(target)) dependsOn.push(target);
    } else if (type === 'parent-child') {
      if (task.parent === undefined) task.parent = target;
      else {
        const more = (extra.other_parents as string[] | undefined) ?? [];
        extra.other_parents = [...more, target];
        notes.add(id, 'more than one parent: the first is `parent`, the rest other_parents');
      }
    } else {
      const key = extraKey(type, 'beads');
      const list = (extra[key] as string[] | undefined) ?? [];
      if (!list.includes(target)) extra[key] = [...list, target];
    }
  }
  if (dependsOn.length > 0) task.dependsOn = dependsOn;
}

/** description, then design, acceptance criteria and notes as sections. */
function body(issue: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const description = str(issue.description)?.trim();
  if (description) parts.push(description);
  for (const [key, heading] of [
    ['design', 'Design'],
    ['acceptance_criteria', 'Acceptance criteria'],
    ['notes', 'Notes'],
  ] as const) {
    const text = str(issue[key])?.trim();
    if (text) parts.push(`## ${heading}\n\n${text}`);
  }
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : undefined;
}

/** Comments `{author, text, created_at}` become `note` lines of the log. */
function comments(value: unknown, id: string, notes: Notes): ImportedLogEntry[] {
  if (!Array.isArray(value)) return [];
  const out: ImportedLogEntry[] = [];
  for (const c of value) {
    const time = isObject(c) ? isoDate(c.created_at) : undefined;
    const text = isObject(c) ? str(c.text) : undefined;
    if (!isObject(c) || !time || !text) {
      notes.add(id, 'a comment without text or created_at: dropped');
      continue;
    }
    const agent = (str(c.author) ?? 'beads').replace(/\s+/g, '-');
    out.push({ time, agent, verb: 'note', message: text.replace(/\r?\n/g, ' ') });
  }
  return out;
}
