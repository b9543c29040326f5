/**
 * `baton dep add ID DEP` (refuses a self-dependency or a cycle, printing the cycle it would
 * close), `baton dep rm ID DEP`, and `baton dep tree ID` (dependencies as a tree; a task
 * already shown is marked instead of repeated). `add` and `rm` with `--json` print
 * `{ id, agent, verb: 'dep add'|'dep rm', changed, added|removed: [dep], depends_on }`.
 */
import type { Graph } from '../../core/graph.js';
import type { Readiness } from '../../core/readiness.js';
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { paint } from '../../report/color.js';
import { printJson } from '../../report/task-json.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask, stateWord } from '../analysis.js';
import type { Ctx } from '../context.js';
import { reportWrite, type WriteResult } from '../write-result.js';

export async function runDep(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const [verb, idArg, depArg] = args;
  const { snapshot, graph, states } = await analyze(ctx);
  const i = findTask(graph, idArg ?? '');
  const task = graph.tasks[i]!;
  const id = task.data.id;
  if (verb === 'tree') {
    if (opts.json) ctx.out(printJson(treeJson(graph, states, i, new Set())));
    else ctx.out(treeText(graph, states, i, paint(ctx.color).dim));
    return 0;
  }
  const deps = task.data.depends_on;
  if (verb === 'add') {
    const dep = dependencyToAdd(graph, i, depArg ?? '');
    if (deps.includes(dep)) {
      const same = await depResult(ctx, opts, id, 'add', false, [], deps);
      return reportWrite(ctx, opts, same, [`${id} already depends on ${dep}; nothing changed`]);
    }
    // The list as read under the task's lock: a dependency another writer added is kept.
    const m = await mutateTask(ctx.root(), task, (text, data) =>
      data.depends_on.includes(dep)
        ? text
        : setFields(text, { depends_on: [...data.depends_on, dep], updated: isoNow(snapshot.now) }),
    );
    const added = await depResult(
      ctx,
      opts,
      id,
      'add',
      m.changed,
      m.changed ? [dep] : [],
      m.after.depends_on,
    );
    return reportWrite(ctx, opts, added, [`${id} now depends on ${dep}`]);
  }
  const dep = dependencyToRemove(id, deps, depArg ?? '');
  const m = await mutateTask(ctx.root(), task, (text, data) =>
    data.depends_on.includes(dep)
      ? setFields(text, {
          depends_on: data.depends_on.filter((d) => d !== dep),
          updated: isoNow(snapshot.now),
        })
      : text,
  );
  const removed = await depResult(
    ctx,
    opts,
    id,
    'rm',
    m.changed,
    m.changed ? [dep] : [],
    m.after.depends_on,
  );
  return reportWrite(ctx, opts, removed, [`${id} no longer depends on ${dep}`]);
}

/**
 * The id of the task `query` names, as a new dependency of task `i`: refused when it is
 * `i` itself or when `i` would then wait for itself (the cycle is printed). Used by
 * `dep add` and `update --add-dep`. Every new edge starts at `i`, so several added at once
 * close a cycle only if one of them does alone.
 */
export function dependencyToAdd(graph: Graph, i: number, query: string): string {
  const id = graph.ids[i]!;
  const j = findTask(graph, query);
  const dep = graph.ids[j]!;
  if (j === i) throw new UserError('REFUSED', `${id} cannot depend on itself`);
  const path = pathBetween(graph, j, i);
  if (path) {
    const cycle = [id, ...path.map((k) => graph.ids[k]!)];
    throw new UserError(
      'CYCLE',
      `refusing: ${id} -> ${dep} would close a dependency cycle: ${cycle.join(' -> ')}`,
      { details: { cycle } },
    );
  }
  return dep;
}

/**
 * The listed dependency of task `id` that `query` names (exactly, else as a prefix). It may
 * name a task that no longer exists, so the listed ids are matched, not the tasks. Used by
 * `dep rm` and `update --remove-dep`.
 */
export function dependencyToRemove(id: string, deps: readonly string[], query: string): string {
  const listed = deps.filter((d) => d === query);
  const match = listed.length > 0 ? listed : deps.filter((d) => d.startsWith(query));
  if (match.length !== 1) {
    throw new UserError(
      match.length === 0 ? 'TASK_NOT_FOUND' : 'AMBIGUOUS_ID',
      match.length === 0
        ? `${id} does not depend on "${query}"`
        : `"${query}" matches ${match.join(', ')}`,
      match.length === 0 ? {} : { details: { candidates: match } },
    );
  }
  return match[0]!;
}

/** What `dep add` / `dep rm` did; the agent is looked up only for JSON. */
async function depResult(
  ctx: Ctx,
  opts: Record<string, unknown>,
  id: string,
  verb: 'add' | 'rm',
  changed: boolean,
  deps: string[],
  dependsOn: readonly string[],
): Promise<WriteResult> {
  return {
    id,
    agent: opts.json === true ? await ctx.agent() : '',
    verb: `dep ${verb}`,
    changed,
    [verb === 'add' ? 'added' : 'removed']: deps,
    depends_on: [...dependsOn],
  };
}

/** A dependency path from `from` to `to` (node indices, both included), or undefined. */
function pathBetween(graph: Graph, from: number, to: number): number[] | undefined {
  const parent = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    if (u === to) {
      const path: number[] = [];
      for (let v = u; v !== -1; v = parent.get(v)!) path.push(v);
      return path.reverse();
    }
    for (const v of graph.deps[u]!) {
      if (!parent.has(v)) {
        parent.set(v, u);
        queue.push(v);
      }
    }
  }
  return undefined;
}

interface TreeNode {
  id: string;
  title?: string;
  status?: string;
  state?: string;
  missing?: true;
  repeated?: true;
  dependencies?: TreeNode[];
}

function treeJson(
  graph: Graph,
  states: readonly Readiness[],
  i: number,
  seen: Set<number>,
): TreeNode {
  const task = graph.tasks[i]!;
  const node: TreeNode = {
    id: graph.ids[i]!,
    title: task.data.title,
    status: task.data.status,
    state: stateWord(task, states[i]!),
  };
  if (seen.has(i)) return { ...node, repeated: true };
  seen.add(i);
  node.dependencies = [
    ...graph.deps[i]!.map((j) => treeJson(graph, states, j, seen)),
    ...graph.missing[i]!.map((id): TreeNode => ({ id, missing: true })),
  ];
  return node;
}

function treeText(
  graph: Graph,
  states: readonly Readiness[],
  root: number,
  dim: (s: string) => string,
): string {
  const lines: string[] = [];
  const seen = new Set<number>();
  const label = (j: number) =>
    `${graph.ids[j]}  ${stateWord(graph.tasks[j]!, states[j]!)}  ${graph.tasks[j]!.data.title}`;
  // Iterative depth-first walk: a 100,000-deep chain must not overflow the stack.
  const stack: { node: number | string; prefix: string; last: boolean; top: boolean }[] = [
    { node: root, prefix: '', last: true, top: true },
  ];
  while (stack.length > 0) {
    const { node, prefix, last, top } = stack.pop()!;
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    if (typeof node === 'string') {
      lines.push(`${prefix}${branch}${node}  missing: no such task`);
      continue;
    }
    const repeated = seen.has(node);
    lines.push(`${prefix}${branch}${label(node)}${repeated ? dim('  (shown above)') : ''}`);
    if (repeated) continue;
    seen.add(node);
    const children: (number | string)[] = [...graph.deps[node]!, ...graph.missing[node]!];
    const childPrefix = top ? '' : prefix + (last ? '   ' : '│  ');
    for (let k = children.length - 1; k >= 0; k--) {
      stack.push({
        node: children[k]!,
        prefix: childPrefix,
        last: k === children.length - 1,
        top: false,
      });
    }
  }
  return lines.join('\n');
}
