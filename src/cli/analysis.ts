/** Load once, compute once: the snapshot, its graph and every task's readiness. */
import { buildGraph, type Graph } from '../core/graph.js';
import { computeReadiness, type Readiness } from '../core/readiness.js';
import { resolveId } from '../core/resolve-id.js';
import type { Snapshot, Task } from '../core/types.js';
import { UserError } from '../errors.js';
import type { TaskSources } from '../store/all-branches.js';
import { localDir } from '../store/root.js';
import type { Ctx } from './context.js';
import { noteAnalysis } from './memo.js';

export interface Analysis {
  snapshot: Snapshot;
  graph: Graph;
  states: Readiness[];
  /** With --all-branches: where each task lives and whether its branches disagree. */
  sources?: Map<string, TaskSources>;
}

export async function analyze(ctx: Ctx, opts: { allBranches?: unknown } = {}): Promise<Analysis> {
  if (opts.allBranches) {
    const root = ctx.root();
    const { loadAllBranches } = await import('../store/all-branches.js');
    const { loadConfig } = await import('../store/config-load.js');
    const [all, { config }] = await Promise.all([
      loadAllBranches(root.root, localDir(root)),
      loadConfig(root),
    ]);
    const snapshot: Snapshot = {
      tasks: all.tasks,
      fileProblems: all.problems,
      config,
      now: new Date(),
    };
    const graph = buildGraph(snapshot.tasks);
    return { snapshot, graph, states: computeReadiness(graph, snapshot.now), sources: all.sources };
  }
  const snapshot = await ctx.load();
  const graph = buildGraph(snapshot.tasks);
  const states = computeReadiness(graph, snapshot.now);
  noteAnalysis(graph, states);
  return { snapshot, graph, states };
}

/** The --all-branches fields of a task's JSON: its branches, and its versions if they differ. */
export function sourceJson(
  sources: Map<string, TaskSources> | undefined,
  id: string,
): Record<string, unknown> {
  const s = sources?.get(id);
  if (!s) return {};
  return s.disagree
    ? { branches: s.branches, disagree: true, versions: s.versions }
    : { branches: s.branches, disagree: false };
}

/** The node index of the task named by an id or a unique prefix of one. */
export function findTask(graph: Graph, query: string): number {
  return graph.index.get(resolveOrThrow(graph.ids, query))!;
}

/** The id among `ids` that `query` names (an id or a unique prefix), or the usual error. */
export function resolveOrThrow(ids: readonly string[], query: string): string {
  const r = resolveId(ids, query);
  if (r.ok) return r.id;
  if (r.reason === 'ambiguous') {
    throw new UserError(
      'AMBIGUOUS_ID',
      `"${query}" matches several tasks: ${r.candidates.join(', ')}; give more of the id`,
      { details: { candidates: r.candidates } },
    );
  }
  throw new UserError('TASK_NOT_FOUND', `no task with id "${query}" (or an id starting with it)`);
}

/** One word for a task's derived state, as `list` and `show` print it. */
export function stateWord(task: Task, state: Readiness): string {
  if (state.state === 'ready') return 'ready';
  if (state.state === 'blocked') return 'blocked';
  if (state.state === 'scheduled') return 'scheduled';
  return task.data.status;
}
