/**
 * `baton list`: tasks filtered by status (or the derived states `ready`, `blocked`,
 * `scheduled`), assignee, labels and namespace, optionally grouped. Sorted by namespace,
 * then id. Readiness comes from the one `readiness` function, as in `ready` and `show`.
 * Overdue tasks, tasks waiting for their `not_before` and tasks with failed attempts are
 * marked before the title (`report/task-marks.ts`); JSON has `overdue: true|false`. Task
 * files that could not be read are named first, in one line on stderr (`cli/bad-files.ts`).
 * `--grep TEXT` keeps the tasks whose title or body (log included) contains TEXT, in any
 * case; only the files that passed the other filters are read. `--limit N` prints the
 * first N. `--priority P` (repeatable) keeps those priorities; statuses and priorities are
 * read as `words.ts` reads them (`pending`, `P0`). `--sort FIELD` orders by one of
 * SORT_FIELDS (priority: critical first; status: as STATUSES lists them; a task without a
 * `due` after those with one), ties by namespace and id; `--sort -FIELD` or `--reverse`
 * turns the order around. `search TEXT` is `list --grep TEXT`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readiness } from '../../core/readiness.js';
import type { Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { splitFile } from '../../format/split.js';
import { paint } from '../../report/color.js';
import { columns } from '../../report/table.js';
import { printJsonArray, taskJson } from '../../report/task-json.js';
import { markedTitle, taskMarks } from '../../report/task-marks.js';
import { PRIORITIES, STATUSES } from '../../schema/fields.js';
import { analyze, sourceJson, stateWord } from '../analysis.js';
import { warnUnreadable } from '../bad-files.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';
import {
  commaList,
  PRIORITY_HELP,
  priorityWord,
  SORT_FIELDS,
  SORT_HELP,
  type SortField,
  statusWord,
} from '../words.js';

const DERIVED = new Set(['ready', 'blocked', 'scheduled']);
const GROUPS = ['status', 'state', 'assignee', 'priority', 'namespace', 'label'] as const;
type GroupBy = (typeof GROUPS)[number];

export async function runList(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const statuses = stringList(opts.status).map((s) => (DERIVED.has(s) ? s : statusWord(s)));
  for (const s of statuses) {
    if (!DERIVED.has(s) && !(STATUSES as readonly string[]).includes(s)) {
      throw new UserError(
        'USAGE',
        `unknown status "${s}"; use one of ${[...new Set([...STATUSES, ...DERIVED])].join(', ')}`,
      );
    }
  }
  const groupBy = opts.groupBy as GroupBy | undefined;
  if (groupBy && !GROUPS.includes(groupBy)) {
    throw new UserError('USAGE', `--group-by takes one of ${GROUPS.join(', ')}`);
  }
  const labels = commaList(stringList(opts.label));
  const priorities = stringList(opts.priority).map(priorityWord);
  for (const p of priorities) {
    if (!(PRIORITIES as readonly string[]).includes(p)) {
      throw new UserError('USAGE', `unknown priority "${p}"; use ${PRIORITY_HELP}`);
    }
  }
  const sort = sortOrder(opts.sort, opts.reverse === true);
  const assignee = typeof opts.assignee === 'string' ? opts.assignee : undefined;
  const namespace = typeof opts.namespace === 'string' ? opts.namespace : undefined;
  const grep = typeof opts.grep === 'string' ? opts.grep.toLowerCase() : undefined;
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new UserError('USAGE', `--limit takes a whole number, not "${String(opts.limit)}"`);
  }

  const { snapshot, graph, states, sources } = await analyze(ctx, opts);
  warnUnreadable(ctx, snapshot);
  const picked: { task: Task; state: Readiness }[] = [];
  for (let i = 0; i < graph.tasks.length; i++) {
    const task = graph.tasks[i]!;
    const state = states[i]!;
    const d = task.data;
    if (
      statuses.length > 0 &&
      !statuses.some((s) => s === d.status || (DERIVED.has(s) && s === state.state))
    ) {
      continue;
    }
    if (assignee !== undefined && (assignee === 'none' ? d.assignee : d.assignee !== assignee))
      continue;
    if (namespace !== undefined && task.namespace !== namespace) continue;
    if (labels.length > 0 && !labels.every((l) => d.labels.includes(l))) continue;
    if (priorities.length > 0 && !priorities.includes(d.priority)) continue;
    if (grep !== undefined && !mentions(ctx.root().root, task, grep)) continue;
    picked.push({ task, state });
  }
  picked.sort((a, b) => sort(a.task, b.task));
  if (limit !== undefined) picked.length = Math.min(picked.length, limit);

  if (opts.json) {
    printJsonArray(ctx.out, picked, ({ task, state }) =>
      taskJson(
        task,
        { state: stateWord(task, state), ...sourceJson(sources, task.data.id) },
        snapshot.now,
      ),
    );
    return 0;
  }
  if (picked.length === 0) {
    ctx.out('No tasks match.');
    return 0;
  }
  const p = paint(ctx.color);
  const row = ({ task, state }: { task: Task; state: Readiness }) => {
    const word = stateWord(task, state);
    const colored =
      word === 'ready'
        ? p.green(word)
        : word === 'blocked' || word === 'failed'
          ? p.red(word)
          : word;
    const where = sources?.get(task.data.id);
    return [
      p.bold(task.data.id),
      colored,
      task.data.priority,
      task.data.assignee ?? '-',
      ...(where ? [`${where.branches.join(',')}${where.disagree ? ' (differ)' : ''}`] : []),
      markedTitle(task.data.title, taskMarks(task, state, snapshot.now, snapshot.config, p)),
    ];
  };
  if (!groupBy) {
    ctx.out(columns(picked.map(row)));
    return 0;
  }
  const groups = new Map<string, typeof picked>();
  for (const item of picked) {
    for (const key of groupKeys(item.task, item.state, groupBy)) {
      const list = groups.get(key);
      if (list) list.push(item);
      else groups.set(key, [item]);
    }
  }
  const out: string[] = [];
  for (const key of [...groups.keys()].sort(groupOrder(groupBy))) {
    const items = groups.get(key)!;
    out.push(`${p.bold(key)} (${items.length})`);
    out.push(
      columns(items.map(row))
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  ctx.out(out.join('\n'));
  return 0;
}

/** The task's title or body contains `lower` (already lower case), in any case. */
function mentions(root: string, task: Task, lower: string): boolean {
  if (task.data.title.toLowerCase().includes(lower)) return true;
  let text: string;
  try {
    text = readFileSync(join(root, task.path), 'utf8');
  } catch {
    return false; // gone since the snapshot was read: nothing to match
  }
  const split = splitFile(text);
  const body = split.ok ? split.body : text;
  return body.toLowerCase().includes(lower);
}

function groupKeys(task: Task, state: Readiness, by: GroupBy): string[] {
  const d = task.data;
  switch (by) {
    case 'status':
      return [d.status];
    case 'state':
      return [stateWord(task, state)];
    case 'assignee':
      return [d.assignee ?? '(unassigned)'];
    case 'priority':
      return [d.priority];
    case 'namespace':
      return [task.namespace];
    case 'label':
      return d.labels.length > 0 ? d.labels : ['(no label)'];
  }
}

const ORDERS: Partial<Record<GroupBy, readonly string[]>> = {
  status: STATUSES,
  priority: ['critical', 'high', 'medium', 'low'],
  state: [
    'ready',
    'in_progress',
    'review',
    'blocked',
    'scheduled',
    'todo',
    'done',
    'cancelled',
    'failed',
  ],
};

function groupOrder(by: GroupBy): (a: string, b: string) => number {
  const order = ORDERS[by];
  return (a, b) => {
    if (order) {
      const d = order.indexOf(a) - order.indexOf(b);
      if (d !== 0) return d;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

const byNamespaceThenId = (a: Task, b: Task): number =>
  a.namespace === b.namespace
    ? a.data.id < b.data.id
      ? -1
      : a.data.id > b.data.id
        ? 1
        : 0
    : a.namespace < b.namespace
      ? -1
      : 1;

const rankOf = (order: readonly string[]) => (value: string) => order.indexOf(value);

/** The comparison `--sort [-]FIELD` (and `--reverse`) asks for. */
function sortOrder(given: unknown, reverse: boolean): (a: Task, b: Task) => number {
  if (given === undefined) return reverse ? (a, b) => byNamespaceThenId(b, a) : byNamespaceThenId;
  const typed = String(given);
  const descending = typed.startsWith('-') !== reverse;
  const field = typed.replace(/^-/, '').toLowerCase() as SortField;
  if (!SORT_FIELDS.includes(field)) {
    throw new UserError('USAGE', `--sort takes one of ${SORT_HELP} (-field: descending)`);
  }
  const key = sortKey(field);
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    // a missing value (no due date) sorts last both ways
    if (ka === undefined || kb === undefined) {
      if (ka !== kb) return ka === undefined ? 1 : -1;
      return byNamespaceThenId(a, b);
    }
    const d = ka < kb ? -1 : ka > kb ? 1 : 0;
    return d !== 0 ? sign * d : sign * byNamespaceThenId(a, b);
  };
}

function sortKey(field: SortField): (t: Task) => string | number | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  switch (field) {
    case 'id':
      return (t) => t.data.id;
    case 'priority':
      return (t) => rankOf(PRIORITIES)(t.data.priority);
    case 'status':
      return (t) => rankOf(STATUSES)(t.data.status);
    case 'title':
      return (t) => t.data.title.toLowerCase();
    case 'due':
    case 'created':
    case 'updated':
      return (t) => text(t.data[field]);
  }
}
