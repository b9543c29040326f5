/**
 * `baton update ID [--set key=value]... [field flags]`: change front-matter fields.
 * `--set` values are read as YAML (`labels=[a, b]`, `estimate=4h`, `attempts=2`); an empty
 * value removes the key. The field flags are the words people type: `--title`, `--status`,
 * `-p/--priority`, `--assignee`, `--add-label`/`--remove-label`, `--add-dep`/`--remove-dep`
 * (checked as `dep add|rm` check them: a cycle is refused), `--estimate`, `--due`,
 * `--parent`; an empty value removes the field. Statuses and priorities are read as
 * `words.ts` reads them (`pending`, `P1`), in flags and in `--set` alike. At least one change
 * is needed, and a field is given once. The id cannot change (other tasks refer to it); the
 * result must still be a valid task.
 *
 * A change appends `- <time> <agent> update: priority medium -> high, labels +db` to the
 * log, so `context` shows who changed what. `--json` prints `{ id, agent, verb: 'update',
 * changed, fields: { key: { from, to } }, logged }` (a removed key is `to: null`; `logged`
 * is the log message, null when nothing changed), plus `now_ready` when the status was set.
 */
import { formatEntry } from '../../core/log-entry.js';
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog } from '../../format/log.js';
import { PRIORITIES, STATUSES } from '../../schema/fields.js';
import type { TaskData } from '../../schema/task.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';
import { commaList, PRIORITY_HELP, priorityWord, statusWord } from '../words.js';
import { newlyReady, reportWrite, type WriteResult } from '../write-result.js';
import { dependencyToAdd, dependencyToRemove } from './dep.js';

/** Field flags that set one key to the typed text (empty: remove it). */
const TEXT_FLAGS = ['title', 'status', 'priority', 'assignee', 'estimate', 'due'] as const;

/** Lists edited by adding and removing items, so a concurrent edit is not overwritten. */
interface ListEdit {
  add: string[];
  remove: string[];
}

export async function runUpdate(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states } = await analyze(ctx);
  const i = findTask(graph, args[0] ?? '');
  const task = graph.tasks[i]!;
  const id = task.data.id;
  const changes = await setChanges(stringList(opts.set));
  const give = (key: string, value: unknown) => {
    if (key in changes) throw new UserError('USAGE', `${key} is given twice; give it once`);
    changes[key] = value;
  };
  for (const key of TEXT_FLAGS) {
    if (typeof opts[key] === 'string') give(key, (opts[key] as string).trim() || undefined);
  }
  if (typeof opts.parent === 'string') {
    give('parent', opts.parent.trim() ? graph.ids[findTask(graph, opts.parent.trim())] : undefined);
  }
  for (const key of ['status', 'priority'] as const) {
    normalize(changes, key, typeof opts[key] === 'string');
  }

  const labels: ListEdit = {
    add: commaList(stringList(opts.addLabel)),
    remove: commaList(stringList(opts.removeLabel)),
  };
  const deps: ListEdit = {
    add: commaList(stringList(opts.addDep)).map((q) => dependencyToAdd(graph, i, q)),
    remove: commaList(stringList(opts.removeDep)).map((q) =>
      dependencyToRemove(id, task.data.depends_on, q),
    ),
  };
  if ('labels' in changes && labels.add.length + labels.remove.length > 0) {
    throw new UserError('USAGE', 'labels is given twice (--set and --add/--remove-label)');
  }
  if ('depends_on' in changes && deps.add.length + deps.remove.length > 0) {
    throw new UserError('USAGE', 'depends_on is given twice (--set and --add/--remove-dep)');
  }
  const lists = { labels, depends_on: deps };
  const listKeys = (Object.keys(lists) as (keyof typeof lists)[]).filter(
    (k) => lists[k].add.length + lists[k].remove.length > 0,
  );
  const keys = [...Object.keys(changes), ...listKeys];
  if (keys.length === 0) {
    throw new UserError(
      'USAGE',
      'update needs a change: --set key=value, or a field flag such as --status, -p, --add-label (see baton update --help)',
    );
  }

  const now = isoNow(snapshot.now);
  const agent = await ctx.agent();
  let logged: string | null = null;
  const result = await mutateTask(ctx.root(), task, (text, data) => {
    const fields: Record<string, unknown> = { ...changes };
    for (const key of listKeys) fields[key] = edited(data[key], lists[key]);
    const message = describe(data, fields);
    if (!message) return text;
    logged = message;
    const next = setFields(text, { ...fields, updated: now });
    return appendLog(next, formatEntry({ time: now, agent, verb: 'update', message }));
  });
  const before = result.before as Record<string, unknown>;
  const after = result.after as Record<string, unknown>;
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    fields[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  const out: WriteResult = {
    id,
    agent: opts.json === true ? agent : '',
    verb: 'update',
    changed: result.changed,
    fields,
    logged: result.changed ? logged : null,
  };
  if (result.changed && result.before.status !== result.after.status) {
    out.now_ready = newlyReady(snapshot, graph, i, result.after, states);
  }
  return reportWrite(ctx, opts, out, [
    result.changed ? `${id}: ${logged}` : `${id}: nothing changed`,
  ]);
}

/** The `--set key=value` assignments, values read as YAML (empty: remove the key). */
async function setChanges(assignments: readonly string[]): Promise<Record<string, unknown>> {
  const changes: Record<string, unknown> = {};
  if (assignments.length === 0) return changes;
  const { parseYamlValue } = await import('../../format/yaml-value.js');
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const key = eq < 0 ? '' : assignment.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new UserError('USAGE', `--set takes key=value, not "${assignment}"`);
    }
    if (key === 'id')
      throw new UserError('USAGE', 'the id of a task cannot be changed; other tasks refer to it');
    if (key in changes) throw new UserError('USAGE', `${key} is given twice; give it once`);
    const raw = assignment.slice(eq + 1).trim();
    let value: unknown;
    try {
      value = raw === '' ? undefined : parseYamlValue(raw);
    } catch (error) {
      throw new UserError(
        'USAGE',
        `--set ${key}: "${raw}" is not a valid YAML value (${(error as Error).message.split('\n')[0]})`,
      );
    }
    changes[key] = value ?? undefined;
  }
  return changes;
}

/**
 * `status` and `priority` in baton's words. An unknown word from a flag is a usage error
 * naming the accepted ones; from `--set` it is left for the schema to refuse, naming the file.
 */
function normalize(
  changes: Record<string, unknown>,
  key: 'status' | 'priority',
  fromFlag: boolean,
): void {
  const typed = changes[key];
  if (typeof typed !== 'string') return;
  const word = key === 'status' ? statusWord(typed) : priorityWord(typed);
  const known: readonly string[] = key === 'status' ? STATUSES : PRIORITIES;
  if (!known.includes(word) && !fromFlag) return;
  if (!known.includes(word)) {
    const use = key === 'status' ? STATUSES.join(', ') : PRIORITY_HELP;
    throw new UserError('USAGE', `unknown ${key} "${typed}"; use ${use}`);
  }
  changes[key] = word;
}

/** `list` with `edit.add` appended (once each) and `edit.remove` taken out. */
function edited(list: unknown, edit: ListEdit): string[] {
  const out = Array.isArray(list) ? list.map(String) : [];
  for (const item of edit.add) if (!out.includes(item)) out.push(item);
  return out.filter((item) => !edit.remove.includes(item));
}

/** `priority medium -> high, labels +db -old`: what `fields` changes in `data`; '' if nothing. */
function describe(data: TaskData, fields: Record<string, unknown>): string {
  const before = data as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, to] of Object.entries(fields)) {
    const from = before[key];
    if (Array.isArray(from) || Array.isArray(to)) {
      const a = Array.isArray(from) ? from.map(String) : [];
      const b = Array.isArray(to) ? to.map(String) : [];
      const diff = [
        ...b.filter((x) => !a.includes(x)).map((x) => `+${x}`),
        ...a.filter((x) => !b.includes(x)).map((x) => `-${x}`),
      ];
      if (diff.length > 0) parts.push(`${key} ${diff.join(' ')}`);
      else if (a.join('\0') !== b.join('\0')) parts.push(`${key} reordered`);
      continue;
    }
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    parts.push(`${key} ${shown(from)} -> ${shown(to)}`);
  }
  return parts.join(', ');
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
