/**
 * Backlog.md's task files -> `ImportSource`. PATH is the project (holding `backlog/`, or
 * `.backlog/`) or the backlog folder itself. Read: `tasks/` (active), `completed/` and
 * `archive/tasks/`; `drafts/` is not imported (the report counts it).
 *
 * Files are read as Backlog.md reads them (its `parseMarkdown`): the front matter between the
 * first two `---` lines, `assignee:`/`reporter:` values starting with `@` quoted first (so
 * `assignee: @alice` is the string "@alice"), then YAML; but with baton's own YAML reader
 * (core schema, nothing evaluated) instead of gray-matter. Dates then agree with Backlog.md's
 * `normalizeDate` ("2025-06-03", "2025-06-03 14:30"), written as ISO dates.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Priority, Status } from '../schema/fields.js';
import type { ImportedTask, ImportSource } from './types.js';

const FOLDERS = [
  { dir: 'tasks', kind: 'active' },
  { dir: 'completed', kind: 'completed' },
  { dir: join('archive', 'tasks'), kind: 'archived' },
] as const;

const STATUS: Record<string, Status> = {
  'to do': 'todo',
  'in progress': 'in_progress',
  done: 'done',
};
const PRIORITIES: readonly string[] = ['high', 'medium', 'low'];
/** Front-matter keys read into baton fields; every other key is kept as it is. */
const KNOWN = new Set([
  'id',
  'title',
  'status',
  'assignee',
  'labels',
  'dependencies',
  'parent_task_id',
  'priority',
  'created_date',
  'updated_date',
  'due_date',
  'subtasks',
]);

export function findBacklogDir(path: string): string {
  for (const dir of [join(path, 'backlog'), join(path, '.backlog'), path]) {
    if (existsSync(join(dir, 'tasks')) && statSync(join(dir, 'tasks')).isDirectory()) return dir;
  }
  throw new UserError('USAGE', `no Backlog.md folder at ${path} (looked for backlog/tasks/)`);
}

/** Backlog.md's `preprocessFrontmatter`: quote `assignee:`/`reporter:` values that YAML would refuse. */
export function preprocessFrontMatter(fm: string): string {
  return fm
    .split(/\r?\n/)
    .map((line) => {
      const m = /^(\s*(?:assignee|reporter):\s*)(.*)$/.exec(line);
      if (!m) return line;
      const prefix = m[1] ?? '';
      const value = (m[2] ?? '').trim();
      const flow = /^\[(.*)\]\s*(#.*)?$/.exec(value);
      if (flow) {
        const items = (flow[1] ?? '')
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e.length > 0)
          .map((e) =>
            e.startsWith('@') ? `"${e.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : e,
          );
        return `${prefix}[${items.join(', ')}]${flow[2] ? ` ${flow[2]}` : ''}`;
      }
      if (value && !/^['"[-]/.test(value)) {
        return `${prefix}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      }
      return line;
    })
    .join('\n');
}

/** Backlog.md's `normalizeDate`, then ISO: "2025-06-03", "2025-06-03T14:30". */
export function normalizeDate(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = String(value)
    .trim()
    .replace(/^['"]|['"]$/g, '');
  let m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(s);
  if (m) return `${m[1]}T${m[2]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  m = /^(\d{2})[-/.](\d{2})[-/.](\d{2})$/.exec(s);
  if (m) return `20${m[3]}-${m[2]}-${m[1]}`;
  return s || undefined;
}

/** The body without Backlog.md's section markers, acceptance criteria as plain boxes. */
export function backlogBody(content: string): string {
  return content
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter(
      (l) => !/^\s*<!--\s*(?:SECTION:[A-Z_]+|AC|DOD|COMMENTS?):(?:BEGIN|END)\s*-->\s*$/.test(l),
    )
    .map((l) => l.replace(/^(\s*- \[[ xX]\]) #\d+ /, '$1 '))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface BacklogFile {
  data: Record<string, unknown>;
  content: string;
}

/** One task file as Backlog.md's `parseMarkdown` splits it (front matter data, trimmed content). */
export async function parseBacklogFile(text: string, file: string): Promise<BacklogFile> {
  const fmRegex = /^---\r?\n([\s\S]*?)\r?\n---/;
  const m = fmRegex.exec(text);
  if (!m) return { data: {}, content: text.trim() };
  const { parseYamlFrontMatter } = await import('../format/yaml-parse.js');
  const parsed = parseYamlFrontMatter(preprocessFrontMatter(m[1] ?? ''));
  if (!parsed.ok) {
    throw new UserError(
      'USAGE',
      `${file}${parsed.line !== undefined ? `:${parsed.line + 2}` : ''}: ${parsed.message}`,
    );
  }
  const rest = text.slice(m[0].length).replace(/^[^\n]*\n?/, '');
  return { data: parsed.data, content: rest.trim() };
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  return v === undefined || v === null || v === '' ? [] : [String(v)];
}

function toTask(
  f: BacklogFile,
  file: string,
  kind: (typeof FOLDERS)[number]['kind'],
  notes: string[],
): ImportedTask {
  const d = f.data;
  const fileStem = file.replace(/^.*[\\/]/, '').replace(/\.md$/, '');
  const sourceId = String(d.id ?? fileStem.split(' - ')[0] ?? fileStem);
  const extra: Record<string, unknown> = {};
  const rawStatus = String(d.status ?? '').trim();
  let status: Status = STATUS[rawStatus.toLowerCase()] ?? 'todo';
  if (rawStatus !== '' && !STATUS[rawStatus.toLowerCase()]) {
    extra.backlog_status = rawStatus;
    notes.push(`${sourceId}: status "${rawStatus}" became todo (kept in backlog_status)`);
  }
  if (kind === 'archived') {
    extra.archived = true;
    if (status !== 'done') status = 'cancelled';
  }
  const assignees = list(d.assignee).map((a) => a.replace(/^@/, ''));
  if (assignees.length > 1) extra.other_assignees = assignees.slice(1);
  let priority: Priority | undefined;
  if (d.priority !== undefined && d.priority !== null) {
    const p = String(d.priority).toLowerCase();
    if (PRIORITIES.includes(p)) priority = p as Priority;
    else extra.backlog_priority = d.priority;
  }
  for (const [k, v] of Object.entries(d)) if (!KNOWN.has(k) && v !== undefined) extra[k] = v;
  const task: ImportedTask = {
    sourceId,
    title: String(d.title ?? '').trim() || fileStem.split(' - ').slice(1).join(' - ') || sourceId,
    status,
    dependsOn: list(d.dependencies),
    body: backlogBody(f.content),
    namespace: 'backlog',
    from: file,
  };
  if (assignees[0]) task.assignee = assignees[0];
  const labels = list(d.labels);
  if (labels.length > 0) task.labels = labels;
  if (priority) task.priority = priority;
  if (d.parent_task_id !== undefined && d.parent_task_id !== null && d.parent_task_id !== '') {
    task.parent = String(d.parent_task_id);
  }
  const created = normalizeDate(d.created_date);
  const updated = normalizeDate(d.updated_date);
  const due = normalizeDate(d.due_date);
  if (created) task.created = created;
  if (updated) task.updated = updated;
  if (due) task.due = due;
  if (Object.keys(extra).length > 0) task.extra = extra;
  return task;
}

/** Backlog.md compares ids without case, and `3` means `task-3`: resolve references so. */
function resolveReferences(tasks: ImportedTask[]): void {
  const byLower = new Map(tasks.map((t) => [t.sourceId.toLowerCase(), t.sourceId]));
  const resolve = (ref: string, from: string): string => {
    const hit = byLower.get(ref.toLowerCase());
    if (hit) return hit;
    const prefix = /^(.*?)-\d/.exec(from)?.[1];
    if (prefix && /^\d+(?:\.\d+)*$/.test(ref))
      return byLower.get(`${prefix}-${ref}`.toLowerCase()) ?? ref;
    return ref;
  };
  for (const t of tasks) {
    if (t.dependsOn) t.dependsOn = t.dependsOn.map((r) => resolve(r, t.sourceId));
    if (t.parent !== undefined) t.parent = resolve(t.parent, t.sourceId);
  }
}

export async function readBacklog(path: string): Promise<ImportSource> {
  const dir = findBacklogDir(path);
  const notes: string[] = [];
  const tasks: ImportedTask[] = [];
  let subtaskLists = 0;
  for (const { dir: sub, kind } of FOLDERS) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith('.md')) continue;
      const file = join(folder, name);
      const parsed = await parseBacklogFile(readFileSync(file, 'utf8'), file);
      if (Array.isArray(parsed.data.subtasks) && parsed.data.subtasks.length > 0) subtaskLists++;
      tasks.push(toTask(parsed, file, kind, notes));
    }
  }
  resolveReferences(tasks);
  if (subtaskLists > 0) {
    notes.push(
      `${subtaskLists} task(s): the "subtasks" list was not kept; baton derives children from each subtask's parent`,
    );
  }
  const drafts = join(dir, 'drafts');
  if (existsSync(drafts)) {
    const n = readdirSync(drafts).filter((f) => f.endsWith('.md')).length;
    if (n > 0) notes.push(`${n} draft(s) in drafts/ were not imported`);
  }
  return { format: 'backlog', tasks, notes };
}
