/**
 * The `check` rules that need the whole graph. (Per-file rules, `schema`,
 * `conflict-markers` and `file-name`, come from reading files; `stale-result` from git.)
 *
 * Decisions:
 * - `duplicate-id` (error): on every task after the first with an id (input order, i.e.
 *   path order), naming the first's path; line of `id`. Read from `graph.duplicates`
 *   (a second map of 100,000 ids costs more than every other rule together); `tasks` must
 *   be the list the graph was built from.
 * - `missing-dependency` (error): one problem per missing id, line of `depends_on`.
 * - `self-dependency` (error): a task listing its own id, line of `depends_on`.
 * - `cycle` (error): one per cycle in `graph.cycles`, `dependency cycle: a -> b -> a`, on
 *   the task of the first id, line of its `depends_on`.
 * - `missing-parent` (error): `parent` names no task; line of `parent`.
 * - `expired-lease` (warning): status `in_progress` and `lease.until` earlier than now;
 *   line of `lease`. An unreadable `until` is not reported here.
 * - `near-miss-key` (warning): a front-matter key other tools use for one of baton's
 *   (`dependencies`, `deps`, `tags`, `assignees`, ...; NEAR_MISS_KEYS), which baton keeps as
 *   a user key and never reads; names the baton key. No line (user keys keep none).
 * - Tasks left out of the graph as duplicates are checked only for `duplicate-id`.
 * - Order: path, then line (problems without a line first), then rule, then message.
 */
import { parseDate } from './estimate.js';
import { compareIds, type Graph } from './graph.js';
import { type LineKey, lineOf, type Problem, type Rule, type Task } from './types.js';

function problem(
  rule: Rule,
  severity: Problem['severity'],
  task: Task,
  key: LineKey,
  message: string,
): Problem {
  const p: Problem = { rule, severity, id: task.data.id, path: task.path, message };
  const line = lineOf(task, key);
  if (line !== undefined) p.line = line;
  return p;
}

/** Keys other tools use, and the baton key they mean. */
export const NEAR_MISS_KEYS: Readonly<Record<string, string>> = {
  dependencies: 'depends_on',
  deps: 'depends_on',
  depends: 'depends_on',
  'depends-on': 'depends_on',
  dependsOn: 'depends_on',
  blocked_by: 'depends_on',
  tags: 'labels',
  tag: 'labels',
  label: 'labels',
  assignees: 'assignee',
};

/** Problem order: path, line (problems without a line first), rule, message. */
export function compareProblems(a: Problem, b: Problem): number {
  return (
    compareIds(a.path ?? '', b.path ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareIds(a.rule, b.rule) ||
    compareIds(a.message, b.message)
  );
}

/** Graph-level problems of a snapshot's tasks (`tasks` as passed to `buildGraph`). */
export function checkRules(tasks: readonly Task[], graph: Graph, now: Date): Problem[] {
  const problems: Problem[] = [];
  if (tasks.length !== graph.tasks.length + graph.duplicates.length) {
    throw new Error('checkRules: `graph` was not built from `tasks`');
  }
  for (const { task, first } of graph.duplicates) {
    const msg = `duplicate id "${task.data.id}": already used by ${graph.tasks[first]!.path}`;
    problems.push(problem('duplicate-id', 'error', task, 'id', msg));
  }
  const nowMs = now.getTime();
  for (let i = 0; i < graph.tasks.length; i++) {
    const task = graph.tasks[i]!;
    for (const id of graph.missing[i]!) {
      const msg = `depends on "${id}", which is not a task`;
      problems.push(problem('missing-dependency', 'error', task, 'depends_on', msg));
    }
    if (graph.selfDep[i] === 1) {
      const msg = `depends on itself ("${task.data.id}")`;
      problems.push(problem('self-dependency', 'error', task, 'depends_on', msg));
    }
    const parent = task.data.parent;
    if (typeof parent === 'string' && !graph.index.has(parent)) {
      const msg = `parent "${parent}" is not a task`;
      problems.push(problem('missing-parent', 'error', task, 'parent', msg));
    }
    for (const key of Object.keys(task.data)) {
      const meant = Object.hasOwn(NEAR_MISS_KEYS, key) ? NEAR_MISS_KEYS[key] : undefined;
      if (meant === undefined) continue;
      const msg = `"${key}" is not a baton key and is ignored; did you mean "${meant}"?`;
      problems.push({
        rule: 'near-miss-key',
        severity: 'warning',
        id: task.data.id,
        path: task.path,
        message: msg,
      });
    }
    const lease = task.data.lease;
    if (task.data.status === 'in_progress' && lease) {
      const until = parseDate(lease.until);
      if (until !== undefined && until < nowMs) {
        const msg = `lease of ${lease.agent} expired at ${lease.until}`;
        problems.push(problem('expired-lease', 'warning', task, 'lease', msg));
      }
    }
  }
  for (const cycle of graph.cycles) {
    const task = graph.tasks[graph.index.get(cycle[0]!)!]!;
    const msg = `dependency cycle: ${cycle.join(' -> ')}`;
    problems.push(problem('cycle', 'error', task, 'depends_on', msg));
  }
  return problems.sort(compareProblems);
}
