/**
 * Taskwarrior: what `task export` prints, a JSON array (json.array=on, the default since
 * 2.6) or one object per line. Dates are Taskwarrior's compact UTC form `20261201T120000Z`
 * and become ISO 8601. `depends` is an array of uuids (2.6+) or one comma-separated string
 * (older). `project` is kept as the key `project` (a dotted project such as `Home.Garden`
 * stays exact, and the import namespace stays the one `--namespace` names). `wait` and
 * `scheduled` become `not_before` (the later one), so `ready` agrees with Taskwarrior's. Baton's own
 * values that `baton export --format taskwarrior` carries as UDAs (`baton_id`,
 * `baton_status`, ...) come back as they were. The README's table is the contract.
 */
import { ID_PATTERN, type Priority, type Status } from '../schema/fields.js';
import { batonPriority, batonStatus, extraKey, isoDate, Notes } from './fields.js';
import { isObject, locate, parseJsonRecords, readText, str, strList } from './json-lines.js';
import type { ImportedLogEntry, ImportedTask, ImportSource } from './types.js';

const STATUS: Record<string, Status> = {
  pending: 'todo',
  waiting: 'todo',
  completed: 'done',
  deleted: 'cancelled',
  // a recurring task's template: its instances are the tasks to do, so it is never ready
  recurring: 'blocked',
};

const PRIORITY: Record<string, Priority> = { H: 'high', M: 'medium', L: 'low' };

/** Date attributes kept as keys (converted to ISO). `wait` becomes `not_before`. */
const DATE_KEYS = ['end', 'start', 'scheduled', 'until'];

const MAPPED = new Set([
  'id',
  'uuid',
  'description',
  'status',
  'depends',
  'priority',
  'tags',
  'due',
  'entry',
  'modified',
  'wait',
  'annotations',
  'baton_id',
  'baton_status',
  'baton_priority',
  'baton_assignee',
  'baton_estimate',
  'baton_parent',
]);

export async function readTaskwarrior(path: string): Promise<ImportSource> {
  const file = await locate(path, ['export.json', 'taskwarrior.json', 'tasks.json']);
  const bad: string[] = [];
  const records = parseJsonRecords(await readText(file), bad);
  const notes = new Notes();
  notes.plain.push(...bad.map((b) => `${file} ${b}: skipped`));
  const tasks: ImportedTask[] = [];
  for (const { value, line } of records) {
    const uuid = str(value.uuid);
    const where = line > 0 ? `${file}:${line}` : file;
    if (!uuid) {
      notes.plain.push(
        `${file} ${line > 0 ? `line ${line}` : '(array)'}: a task without a uuid ("${str(value.description) ?? ''}"): skipped`,
      );
      continue;
    }
    tasks.push(readTask(value, uuid, where, notes));
  }
  return { format: 'taskwarrior', tasks, notes: notes.list() };
}

function readTask(
  t: Record<string, unknown>,
  uuid: string,
  from: string,
  notes: Notes,
): ImportedTask {
  const extra: Record<string, unknown> = { uuid };
  const task: ImportedTask = {
    sourceId: uuid,
    id: preferredId(t, uuid),
    title: str(t.description) ?? uuid,
    status: 'todo',
    from,
  };
  if (!str(t.description)) notes.add(uuid, 'no description: the uuid is used as the title');

  const raw = str(t.status) ?? 'pending';
  const own = batonStatus(t.baton_status);
  task.status = own ?? STATUS[raw] ?? 'todo';
  if (!own && raw === 'pending' && str(t.start)) task.status = 'in_progress';
  if (!own && !STATUS[raw]) {
    extra.taskwarrior_status = raw;
    notes.add(uuid, `status "${raw}" became "todo" (kept as taskwarrior_status)`);
  }
  if (!own && raw === 'recurring') {
    extra.taskwarrior_status = raw;
    notes.add(uuid, 'a recurring template: imported as a blocked task (recur kept as a key)');
  }

  const ownPriority = batonPriority(t.baton_priority);
  const p = str(t.priority);
  if (ownPriority) task.priority = ownPriority;
  else if (p && PRIORITY[p]) task.priority = PRIORITY[p];
  else if (p) {
    extra.taskwarrior_priority = p;
    notes.add(uuid, `priority "${p}" is not H/M/L: kept as taskwarrior_priority`);
  }

  const depends = strList(t.depends);
  if (depends.length > 0) task.dependsOn = depends;
  const tags = strList(t.tags);
  if (tags.length > 0) task.labels = tags;
  const assignee = str(t.baton_assignee);
  if (assignee) task.assignee = assignee;
  const estimate = str(t.baton_estimate);
  if (estimate) task.estimate = estimate;
  const parent = str(t.baton_parent);
  if (parent) task.parent = parent;

  for (const [key, field] of [
    ['due', 'due'],
    ['entry', 'created'],
    ['modified', 'updated'],
  ] as const) {
    if (t[key] === undefined) continue;
    const d = isoDate(t[key]);
    if (d) task[field] = d;
    else {
      extra[`taskwarrior_${key}`] = t[key];
      notes.add(uuid, `\`${key}\` is not a date: kept as taskwarrior_${key}`);
    }
  }
  // Taskwarrior shows neither a waiting task nor one scheduled later as ready: baton's
  // not_before says the same (the later of the two).
  const notBefore = [isoDate(t.wait), isoDate(t.scheduled)]
    .filter((d): d is string => d !== undefined)
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  if (notBefore) extra.not_before = notBefore;

  const log = annotations(t.annotations, uuid, notes);
  if (log.length > 0) task.log = log;

  for (const [key, value] of Object.entries(t)) {
    if (MAPPED.has(key) || value === null || value === undefined || value === '') continue;
    // Taskwarrior's `parent` is a recurring task's template, not a parent task.
    const k = key === 'parent' ? 'recurrence_parent' : extraKey(key, 'taskwarrior');
    extra[k] = DATE_KEYS.includes(key) ? (isoDate(value) ?? value) : value;
  }
  if (t.id !== undefined && t.id !== 0 && typeof t.id !== 'number') {
    notes.add(uuid, '`id` is not a number: ignored (ids come from uuids)');
  }
  task.extra = extra;
  return task;
}

/** `baton_id` (from a baton export), else the working-set number, else 8 uuid digits. */
function preferredId(t: Record<string, unknown>, uuid: string): string {
  const own = str(t.baton_id);
  if (own && ID_PATTERN.test(own)) return own;
  if (typeof t.id === 'number' && Number.isInteger(t.id) && t.id > 0) return String(t.id);
  const short = uuid.replace(/-/g, '').slice(0, 8);
  return ID_PATTERN.test(short) ? short : 'tw';
}

/** `annotations: [{entry, description}]` become `note` lines of the log. */
function annotations(value: unknown, uuid: string, notes: Notes): ImportedLogEntry[] {
  if (!Array.isArray(value)) return [];
  const out: ImportedLogEntry[] = [];
  for (const a of value) {
    const time = isObject(a) ? isoDate(a.entry) : undefined;
    const text = isObject(a) ? str(a.description) : undefined;
    if (!isObject(a) || !time || !text) {
      notes.add(uuid, 'an annotation without entry or description: dropped');
      continue;
    }
    out.push({ time, agent: 'taskwarrior', verb: 'note', message: text.replace(/\r?\n/g, ' ') });
  }
  return out;
}
