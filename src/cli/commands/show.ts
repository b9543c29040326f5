/**
 * `baton show ID [ID...]`: each task in turn (JSON: one object, an array when several ids
 * are given; every id is looked up before anything is printed). One task with its dependencies, dependents and whether it is ready; also
 * whether it is overdue, its failed attempts, and what its gates still need (unticked
 * acceptance boxes, reviewers yet to approve). JSON: `overdue`, and `gates: { unticked,
 * approved, awaiting }` (awaiting: the reviewers `done` still needs).
 *
 * An id held by a file that could not be read (found as `edit` finds it: by the id it holds
 * or its file name) is a finding, not an unknown id: the error names the file and each of
 * its problems, exit 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalState } from '../../core/approvals.js';
import { blockedChain } from '../../core/blocked.js';
import { isOverdue } from '../../core/due.js';
import { uncheckedBoxes } from '../../core/gates.js';
import { parseEntry } from '../../core/log-entry.js';
import { maxAttempts } from '../../core/retry.js';
import { UserError } from '../../errors.js';
import { readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import { paint } from '../../report/color.js';
import { columns } from '../../report/table.js';
import { printJson, taskJson } from '../../report/task-json.js';
import { type Analysis, analyze, stateWord } from '../analysis.js';
import type { Ctx } from '../context.js';
import { brokenName, type FileTarget, findFileTarget } from '../file-target.js';

export async function runShow(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const analysis = await analyze(ctx);
  const ids = args.length > 0 ? args : [''];
  // Every id is looked up before anything is printed: one unknown id prints nothing.
  const shown = ids.map((query) => showOne(ctx, analysis, query, opts.json === true));
  if (opts.json) {
    const objects = shown.map((s) => s as object);
    ctx.out(printJson(objects.length === 1 ? objects[0] : objects));
  } else {
    ctx.out(shown.join('\n\n'));
  }
  return 0;
}

/** One task: its JSON object, or its text. */
function showOne(
  ctx: Ctx,
  { snapshot, graph, states }: Analysis,
  query: string,
  json: boolean,
): object | string {
  const target = findFileTarget(snapshot, graph, query);
  if (!target.task) throw unreadable(target);
  const i = graph.index.get(target.task.data.id)!;
  const task = graph.tasks[i]!;
  const state = states[i]!;
  const text = readFileSync(join(ctx.root().root, task.path), 'utf8');
  const split = splitFile(text);
  const body = split.ok ? split.body : '';
  const unticked = uncheckedBoxes(body);
  const approvals = approvalState(readLog(body).map(parseEntry), task.data.reviewers);
  const overdue = isOverdue(task.data, snapshot.now);
  const dependencies = graph.deps[i]!.map((j) => ({
    id: graph.ids[j]!,
    title: graph.tasks[j]!.data.title,
    status: graph.tasks[j]!.data.status,
    state: stateWord(graph.tasks[j]!, states[j]!),
  }));
  const dependents = graph.dependents[i]!.map((j) => ({
    id: graph.ids[j]!,
    title: graph.tasks[j]!.data.title,
    status: graph.tasks[j]!.data.status,
    state: stateWord(graph.tasks[j]!, states[j]!),
  }));
  const chains = blockedChain(graph, i, snapshot.now, states);
  if (json) {
    return taskJson(
      task,
      {
        state: stateWord(task, state),
        ready: state.state === 'ready',
        dependencies,
        missing_dependencies: graph.missing[i],
        dependents,
        blocked_by: chains.map((c) => ({ path: c.path, why: c.why })),
        gates: {
          unticked: unticked.map((b) => b.text),
          approved: approvals.approved,
          awaiting: approvals.pending,
        },
        body,
      },
      snapshot.now,
    );
  }
  const p = paint(ctx.color);
  const d = task.data;
  const word = stateWord(task, state);
  const lines: string[] = [`${p.bold(d.id)}  ${d.title}`];
  const fields: [string, string][] = [
    ['state', word === 'ready' ? p.green('ready') : word === 'blocked' ? p.red('blocked') : word],
    ['status', d.status],
    ['priority', d.priority],
    ['assignee', d.assignee ?? '-'],
  ];
  if (d.labels.length > 0) fields.push(['labels', d.labels.join(', ')]);
  if (d.estimate) fields.push(['estimate', d.estimate]);
  if (d.due) fields.push(['due', overdue ? `${d.due}  ${p.red('overdue')}` : d.due]);
  if (d.parent) fields.push(['parent', d.parent]);
  if (d.not_before) fields.push(['not before', d.not_before]);
  if (d.attempts) {
    fields.push(['attempts', `${d.attempts} of ${maxAttempts(d, snapshot.config)} failed`]);
  }
  const reviewers = [
    ...approvals.approved.map((r) => `${r} ${p.green('approved')}`),
    ...approvals.pending.map((r) => `${r} ${p.yellow('pending')}`),
  ];
  if (reviewers.length > 0) fields.push(['reviewers', reviewers.join(', ')]);
  if (unticked.length > 0) {
    const n = unticked.length;
    fields.push(['unticked', `${n} acceptance ${n === 1 ? 'box' : 'boxes'}`]);
  }
  fields.push(['file', task.path]);
  lines.push(columns(fields.map(([k, v]) => [p.dim(k), v])));
  if (dependencies.length > 0 || graph.missing[i]!.length > 0) {
    lines.push('', p.bold('Depends on'));
    for (const dep of dependencies) lines.push(`  ${dep.id}  ${dep.state}  ${dep.title}`);
    for (const id of graph.missing[i]!) lines.push(`  ${id}  ${p.red('missing: no such task')}`);
  }
  if (dependents.length > 0) {
    lines.push('', p.bold('Needed by'));
    for (const dep of dependents) lines.push(`  ${dep.id}  ${dep.state}  ${dep.title}`);
  }
  if (chains.length > 0) {
    lines.push('', p.bold('Blocked by'));
    for (const c of chains) lines.push(`  ${c.path.join(' <- ')}  (${c.why})`);
  }
  if (body.trim()) lines.push('', body.replace(/\s+$/, ''));
  return lines.join('\n');
}

/** `path:line: task file could not be read: why; line 5: why; fix it with baton edit NAME`. */
function unreadable(target: FileTarget): UserError {
  const errors = target.errors ?? [];
  const first = errors[0];
  const why = errors
    .map((e, k) => (k > 0 && e.line ? `line ${e.line}: ${e.message}` : e.message))
    .join('; ');
  const name = brokenName(target.path, errors.find((e) => e.id !== undefined)?.id);
  return new UserError(
    'TASK_INVALID',
    `task file could not be read: ${why}; fix it with \`baton edit ${name}\` (see baton check)`,
    { path: target.path, ...(first?.line ? { line: first.line } : {}) },
  );
}
