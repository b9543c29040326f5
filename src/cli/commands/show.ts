/** `baton show ID`: one task with its dependencies, dependents and whether it is ready. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockedChain } from '../../core/blocked.js';
import { splitFile } from '../../format/split.js';
import { paint } from '../../report/color.js';
import { columns } from '../../report/table.js';
import { printJson, taskJson } from '../../report/task-json.js';
import { analyze, findTask, stateWord } from '../analysis.js';
import type { Ctx } from '../context.js';

export async function runShow(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states } = await analyze(ctx);
  const i = findTask(graph, args[0] ?? '');
  const task = graph.tasks[i]!;
  const state = states[i]!;
  const text = readFileSync(join(ctx.root().root, task.path), 'utf8');
  const split = splitFile(text);
  const body = split.ok ? split.body : '';
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
  if (opts.json) {
    ctx.out(
      printJson(
        taskJson(task, {
          state: stateWord(task, state),
          ready: state.state === 'ready',
          dependencies,
          missing_dependencies: graph.missing[i],
          dependents,
          blocked_by: chains.map((c) => ({ path: c.path, why: c.why })),
          body,
        }),
      ),
    );
    return 0;
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
  if (d.due) fields.push(['due', d.due]);
  if (d.parent) fields.push(['parent', d.parent]);
  if (d.not_before) fields.push(['not before', d.not_before]);
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
  ctx.out(lines.join('\n'));
  return 0;
}
