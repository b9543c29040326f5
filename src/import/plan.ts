/**
 * From what a reader found (`ImportSource`) and the tasks already in the repository to the
 * files an import writes: pure, no reads or writes. It picks each task's baton id, rewrites
 * every reference (depends_on, parent) to those ids, renders each file the way `baton new`
 * does, and says per task whether the file is created, updated or unchanged.
 *
 * Ids: the source id (or the reader's preferred id) is kept when it is a valid baton id and
 * free; otherwise it gets the format's prefix (`tm-12`), then a counter (`tm-12-2`). A task
 * imported before (its file says `imported_from: "<format>:<sourceId>"`) keeps the id and
 * path it has, so importing twice changes nothing.
 */
import { formatEntry } from '../core/log-entry.js';
import { renderTask } from '../format/render.js';
import { isDate } from '../schema/dates.js';
import {
  DATE_PATTERN,
  ESTIMATE_PATTERN,
  ID_PATTERN,
  NAMESPACE_PATTERN,
  OWNED_KEYS,
} from '../schema/fields.js';
import type { ImportedTask, ImportSource } from './types.js';

export const IMPORTED_FROM = 'imported_from';

/** Short prefixes for ids that had to change: `tm-12`. */
export const FORMAT_PREFIX: Record<ImportSource['format'], string> = {
  backlog: 'bl',
  taskmaster: 'tm',
  beads: 'bd',
  taskwarrior: 'tw',
};

/** A task already in the repository, as far as the plan needs it. */
export interface ExistingTask {
  id: string;
  /** Repo-relative path. */
  path: string;
  /** The file's text (compared with the rendered one). */
  text: string;
  /** Its `imported_from` key, if any. */
  importedFrom?: string;
}

export interface PlanInput {
  source: ImportSource;
  /** The path the user gave, for the report. */
  sourcePath: string;
  /** `--namespace`: every task goes there. */
  namespace?: string;
  existing: readonly ExistingTask[];
}

export type Action = 'create' | 'update' | 'unchanged';

export interface PlannedFile {
  id: string;
  sourceId: string;
  namespace: string;
  /** Repo-relative path to write. */
  path: string;
  text: string;
  action: Action;
  /** For `update`: the text on disk the write replaces. */
  before?: string;
}

export interface ImportResult {
  format: ImportSource['format'];
  source: string;
  namespace: string | null;
  created: string[];
  updated: string[];
  unchanged: string[];
  id_map: Record<string, string>;
  notes: string[];
}

export interface ImportPlan {
  files: PlannedFile[];
  result: ImportResult;
}

const OWNED: ReadonlySet<string> = new Set([...OWNED_KEYS, IMPORTED_FROM]);

/** Any string -> a valid baton id (or '' when nothing is left). */
export function sanitizeId(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64)
    .replace(/[.]+$/, '');
}

/** Any string -> a valid namespace folder (lower case), or `fallback`. */
export function sanitizeNamespace(raw: string, fallback: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return NAMESPACE_PATTERN.test(s) && s !== 'agents' ? s : fallback;
}

/** Source id -> baton id for every task, in the order of `source.tasks`. */
export function assignIds(
  source: ImportSource,
  existing: readonly ExistingTask[],
  notes: string[],
): Map<string, string> {
  const fmt = source.format;
  const prefix = FORMAT_PREFIX[fmt];
  const taken = new Set(existing.map((t) => t.id));
  const byOrigin = new Map<string, string>();
  for (const t of existing) if (t.importedFrom) byOrigin.set(t.importedFrom, t.id);
  const map = new Map<string, string>();
  // first the tasks imported before: they keep the ids they have
  for (const task of source.tasks) {
    const id = byOrigin.get(`${fmt}:${task.sourceId}`);
    if (id !== undefined && !map.has(task.sourceId)) map.set(task.sourceId, id);
  }
  const used = new Set(map.values());
  const free = (id: string) => ID_PATTERN.test(id) && !used.has(id) && !taken.has(id);
  for (const task of source.tasks) {
    if (map.has(task.sourceId)) continue;
    const wanted = task.id ?? task.sourceId;
    let id = wanted;
    if (!free(id)) {
      const base = sanitizeId(`${prefix}-${sanitizeId(wanted) || 'task'}`).slice(0, 58);
      id = base;
      for (let n = 2; !free(id); n++) id = `${base}-${n}`;
      notes.push(
        ID_PATTERN.test(wanted)
          ? `id "${wanted}" is taken; ${fmt} task ${task.sourceId} became "${id}"`
          : `"${wanted}" is not a valid baton id; ${fmt} task ${task.sourceId} became "${id}"`,
      );
    }
    map.set(task.sourceId, id);
    used.add(id);
  }
  return map;
}

function validDate(s: string | undefined): boolean {
  return s !== undefined && DATE_PATTERN.test(s) && isDate(s);
}

/** Extra keys whose values are source ids of other tasks. */
const REFERENCE_KEYS: ReadonlySet<string> = new Set([
  'related',
  'discovered_from',
  'other_parents',
  'recurrence_parent',
]);

function rewriteRefs(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? (ids.get(v) ?? v) : v));
  return value;
}

/** The front-matter fields of one task, in baton's key order, references rewritten. */
function taskFields(
  task: ImportedTask,
  id: string,
  ids: ReadonlyMap<string, string>,
  fmt: ImportSource['format'],
  notes: string[],
): [string, unknown][] {
  const extra: [string, unknown][] = [];
  const dependsOn: string[] = [];
  const unresolved: string[] = [];
  for (const dep of task.dependsOn ?? []) {
    const to = ids.get(dep);
    if (to === undefined) unresolved.push(dep);
    else if (to !== id && !dependsOn.includes(to)) dependsOn.push(to);
  }
  if (unresolved.length > 0) {
    extra.push(['unresolved_depends_on', unresolved]);
    notes.push(
      `${fmt} task ${task.sourceId}: dependencies on ${unresolved.join(', ')} name no imported task; kept in unresolved_depends_on`,
    );
  }
  let parent: string | undefined;
  if (task.parent !== undefined) {
    parent = ids.get(task.parent);
    if (parent === undefined) {
      extra.push(['unresolved_parent', task.parent]);
      notes.push(
        `${fmt} task ${task.sourceId}: parent ${task.parent} names no imported task; kept in unresolved_parent`,
      );
    }
  }
  const checked = (key: string, value: string | undefined, ok: boolean): string | undefined => {
    if (value === undefined || ok) return value;
    extra.push([`source_${key}`, value]);
    notes.push(
      `${fmt} task ${task.sourceId}: ${key} "${value}" is not valid in baton; kept in source_${key}`,
    );
    return undefined;
  };
  const estimate = checked(
    'estimate',
    task.estimate,
    task.estimate !== undefined && ESTIMATE_PATTERN.test(task.estimate),
  );
  const due = checked('due', task.due, validDate(task.due));
  const created = checked('created', task.created, validDate(task.created));
  const updated = checked('updated', task.updated, validDate(task.updated));
  for (const [key, raw] of Object.entries(task.extra ?? {})) {
    if (raw === undefined) continue;
    // a reader may set not_before (Taskwarrior's wait): baton's own key, kept when valid
    if (key === 'not_before' && typeof raw === 'string' && validDate(raw)) {
      extra.push([key, raw]);
      continue;
    }
    // keys that name other tasks (beads' related, discovered-from; a second parent; a
    // recurring task's template) are rewritten like depends_on where the task was imported
    const value = REFERENCE_KEYS.has(key) ? rewriteRefs(raw, ids) : raw;
    const k = OWNED.has(key) ? `${fmt}_${key}` : key;
    if (k !== key) notes.push(`${fmt} task ${task.sourceId}: its "${key}" is kept as ${k}`);
    extra.push([k, value]);
  }
  const labels = task.labels && task.labels.length > 0 ? [...new Set(task.labels)] : undefined;
  return [
    ['id', id],
    ['title', task.title],
    ['status', task.status],
    ['priority', task.priority],
    ['depends_on', dependsOn],
    ['assignee', task.assignee],
    ['labels', labels],
    ['estimate', estimate],
    ['due', due],
    ['parent', parent],
    ...extra,
    [IMPORTED_FROM, `${fmt}:${task.sourceId}`],
    ['created', created],
    ['updated', updated],
  ];
}

/** The body (trimmed, one final newline) and the `## Log` lines, if any. */
function taskBody(task: ImportedTask): string {
  const body = (task.body ?? '').replace(/\r\n/g, '\n').trim();
  const log = (task.log ?? []).map((e) => `- ${formatEntry(e)}`);
  const parts: string[] = [];
  if (body !== '') parts.push(body);
  if (log.length > 0) parts.push(`## Log\n${log.join('\n')}`);
  return parts.length === 0 ? '' : `${parts.join('\n\n')}\n`;
}

export function planImport(input: PlanInput): ImportPlan {
  const { source } = input;
  const fmt = source.format;
  const notes = [...source.notes];
  const seen = new Set<string>();
  const tasks: ImportedTask[] = [];
  for (const t of source.tasks) {
    if (seen.has(t.sourceId)) {
      notes.push(
        `${fmt} task ${t.sourceId} appears twice; the second (${t.from ?? '?'}) was skipped`,
      );
      continue;
    }
    seen.add(t.sourceId);
    tasks.push(t);
  }
  const ids = assignIds({ ...source, tasks }, input.existing, notes);
  const byId = new Map(input.existing.map((t) => [t.id, t]));
  const files: PlannedFile[] = [];
  const result: ImportResult = {
    format: fmt,
    source: input.sourcePath,
    namespace: input.namespace ?? null,
    created: [],
    updated: [],
    unchanged: [],
    id_map: {},
    notes,
  };
  for (const task of tasks) {
    const id = ids.get(task.sourceId)!;
    result.id_map[task.sourceId] = id;
    const namespace = input.namespace ?? sanitizeNamespace(task.namespace ?? fmt, fmt);
    const text = renderTask(taskFields(task, id, ids, fmt, notes), taskBody(task));
    const old = byId.get(id);
    if (old) {
      const action: Action = old.text === text ? 'unchanged' : 'update';
      const ns = old.path.split('/')[1] ?? namespace;
      files.push({
        id,
        sourceId: task.sourceId,
        namespace: ns,
        path: old.path,
        text,
        action,
        before: old.text,
      });
      (action === 'unchanged' ? result.unchanged : result.updated).push(id);
    } else {
      const path = `.tasks/${namespace}/${id}.md`;
      files.push({ id, sourceId: task.sourceId, namespace, path, text, action: 'create' });
      result.created.push(id);
    }
  }
  return { files, result };
}
