/**
 * Task Master's `tasks.json` -> `ImportSource`. PATH is the file, or a project folder holding
 * `.taskmaster/tasks/tasks.json` (or the older `tasks/tasks.json`). Both layouts are read: the
 * tagged one (`{ "<tag>": { "tasks": [...], "metadata": {...} } }`) and the legacy one
 * (`{ "tasks": [...] }`).
 *
 * Decisions: each tag's tasks go to namespace `<tag>`; ids in tag `master` (and in the legacy
 * file) stay as they are (`12`, subtasks `12.3`), other tags' ids get the tag as a prefix
 * (`feature-x-12`), since every tag counts from 1. `deferred` becomes `blocked` with
 * `deferred: true`, so `baton ready` offers what `task-master next` would (a deferred task is
 * never next). Subtask dependencies follow Task Master: a bare number is a sibling subtask,
 * `"12.3"` a subtask anywhere in the tag.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Priority, Status } from '../schema/fields.js';
import { sanitizeId, sanitizeNamespace } from './plan.js';
import type { ImportedTask, ImportSource } from './types.js';

const STATUS: Record<string, Status> = {
  pending: 'todo',
  'in-progress': 'in_progress',
  review: 'review',
  done: 'done',
  completed: 'done',
  cancelled: 'cancelled',
  deferred: 'blocked',
};
const PRIORITY: Record<string, Priority> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/** Fields read into baton's own fields or the body; every other one is kept as a key. */
const KNOWN = new Set([
  'id',
  'title',
  'description',
  'details',
  'testStrategy',
  'status',
  'priority',
  'dependencies',
  'subtasks',
  'parentTaskId',
]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** camelCase -> snake_case, for kept keys. */
function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function findTasksJson(path: string): string {
  if (existsSync(path) && statSync(path).isFile()) return path;
  for (const rel of ['.taskmaster/tasks/tasks.json', 'tasks/tasks.json', 'tasks.json']) {
    const p = join(path, rel);
    if (existsSync(p)) return p;
  }
  throw new UserError(
    'USAGE',
    `no Task Master file at ${path} (looked for .taskmaster/tasks/tasks.json and tasks/tasks.json)`,
  );
}

function body(t: Json): string {
  const parts: string[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  if (text(t.description)) parts.push(text(t.description));
  if (text(t.details)) parts.push(`## Details\n\n${text(t.details)}`);
  if (text(t.testStrategy)) parts.push(`## Test strategy\n\n${text(t.testStrategy)}`);
  return parts.join('\n\n');
}

interface TagContext {
  tag: string | undefined;
  /** Task Master id -> source id, within the tag. */
  sid: (tmId: string) => string;
  /** Preferred baton id for a Task Master id. */
  bid: (tmId: string) => string;
  namespace: string;
  notes: string[];
  from: string;
}

function mapTask(
  t: Json,
  tmId: string,
  ctx: TagContext,
  deps: string[],
  parent?: string,
): ImportedTask {
  const extra: Record<string, unknown> = {};
  const rawStatus = String(t.status ?? 'pending').toLowerCase();
  let status = STATUS[rawStatus];
  if (rawStatus === 'deferred') extra.deferred = true;
  if (!status) {
    status = 'todo';
    extra.taskmaster_status = t.status;
    ctx.notes.push(
      `task ${ctx.sid(tmId)}: status "${String(t.status)}" became todo (kept in taskmaster_status)`,
    );
  }
  let priority: Priority | undefined;
  if (t.priority !== undefined && t.priority !== null) {
    priority = PRIORITY[String(t.priority).toLowerCase()];
    if (!priority) extra.taskmaster_priority = t.priority;
  }
  for (const [k, v] of Object.entries(t)) {
    if (!KNOWN.has(k) && v !== undefined) extra[snake(k)] = v;
  }
  const task: ImportedTask = {
    sourceId: ctx.sid(tmId),
    id: ctx.bid(tmId),
    title: String(t.title ?? '').trim() || `Task ${tmId}`,
    status,
    dependsOn: deps.map(ctx.sid),
    body: body(t),
    namespace: ctx.namespace,
    from: ctx.from,
  };
  if (priority) task.priority = priority;
  if (parent !== undefined) task.parent = ctx.sid(parent);
  if (Object.keys(extra).length > 0) task.extra = extra;
  return task;
}

function readTag(tasks: unknown[], ctx: TagContext, out: ImportedTask[]): void {
  for (const raw of tasks) {
    if (!isObject(raw) || raw.id === undefined) {
      ctx.notes.push(`${ctx.tag ?? 'tasks'}: an entry without an id was skipped`);
      continue;
    }
    const id = String(raw.id);
    const deps = Array.isArray(raw.dependencies) ? raw.dependencies.map(String) : [];
    out.push(mapTask(raw, id, ctx, deps));
    const subtasks = Array.isArray(raw.subtasks) ? raw.subtasks : [];
    for (const sub of subtasks) {
      if (!isObject(sub) || sub.id === undefined) {
        ctx.notes.push(`task ${ctx.sid(id)}: a subtask without an id was skipped`);
        continue;
      }
      const subId = `${id}.${String(sub.id)}`;
      const subDeps = (Array.isArray(sub.dependencies) ? sub.dependencies : []).map((d) => {
        const s = String(d);
        return s.includes('.') ? s : `${id}.${s}`;
      });
      out.push(mapTask(sub, subId, ctx, subDeps, id));
    }
  }
}

export async function readTaskmaster(path: string): Promise<ImportSource> {
  const file = findTasksJson(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError('USAGE', `${file}: not JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new UserError('USAGE', `${file}: not a Task Master tasks file`);
  const notes: string[] = [];
  const tasks: ImportedTask[] = [];
  if (Array.isArray(json.tasks)) {
    const ctx: TagContext = {
      tag: undefined,
      sid: (id) => id,
      bid: (id) => id,
      namespace: 'taskmaster',
      notes,
      from: file,
    };
    readTag(json.tasks, ctx, tasks);
    for (const k of Object.keys(json))
      if (k !== 'tasks') notes.push(`top-level "${k}" was not imported`);
  } else {
    for (const [tag, value] of Object.entries(json)) {
      if (!isObject(value) || !Array.isArray(value.tasks)) {
        notes.push(`top-level "${tag}" is not a tag with tasks; not imported`);
        continue;
      }
      const prefix = tag === 'master' ? '' : `${sanitizeId(tag)}-`;
      const ctx: TagContext = {
        tag,
        sid: (id) => `${tag}:${id}`,
        bid: (id) => `${prefix}${id}`,
        namespace: sanitizeNamespace(tag, 'taskmaster'),
        notes,
        from: file,
      };
      readTag(value.tasks, ctx, tasks);
      if (isObject(value.metadata)) notes.push(`tag "${tag}": its metadata was not imported`);
    }
  }
  return { format: 'taskmaster', tasks, notes };
}
