/**
 * Why blocked tasks are blocked: `baton blocked` and `show`.
 *
 * Decisions:
 * - The report lists every task `readiness` calls blocked, sorted by id.
 * - Roots: walk the unsatisfied dependencies transitively and stop at those that can move
 *   now or are stuck for a reason of their own: `cycle` (on a cycle; checked first),
 *   `ready`, `active` (in_progress/review), `blocked` (status blocked, set by hand),
 *   `failed`, `scheduled` (not_before in the future), and `missing` (an id naming no task).
 *   The walk passes through `todo` tasks blocked only by their own dependencies. Roots are
 *   deduplicated and sorted by id; a task is never its own root (its `cycle` and `manual`
 *   flags say that), so a task set to blocked with nothing to wait on has no roots.
 * - Roots of pass-through tasks are computed once each, dependencies first, and shared, so
 *   the report is linear in the graph for chains and trees. (A dense DAG in which many
 *   tasks wait on many roots costs tasks x roots.)
 * - `blockedChain(graph, i)` gives, for one task, one path per root: the shortest path from
 *   the task to it (breadth first, dependencies in id order, missing ids after existing
 *   ones), sorted by root id. It walks the part of the graph behind that task, so use it
 *   for one task (`show`, `blocked ID`), not for every task of a large graph.
 */
import { compareIds, type Graph } from './graph.js';
import { computeReadiness, isSatisfied, type Readiness } from './readiness.js';
import type { Task } from './types.js';

export type RootWhy = 'ready' | 'active' | 'blocked' | 'failed' | 'missing' | 'cycle' | 'scheduled';

export interface BlockRoot {
  id: string;
  why: RootWhy;
}

export interface BlockedEntry {
  task: Task;
  /** Node index in the graph. */
  index: number;
  waitingOn: string[];
  missing: string[];
  cycle: boolean;
  manual: boolean;
  roots: readonly BlockRoot[];
}

export interface BlockedPath {
  /** From the blocked task to the root, e.g. `['c', 'b', 'a']`. */
  path: string[];
  why: RootWhy;
}

/** `undefined` when the walk passes through dependency `j`; else why it stops there. */
function stopWhy(graph: Graph, j: number, state: Readiness): RootWhy | undefined {
  if (graph.onCycle[j] === 1) return 'cycle';
  switch (state.state) {
    case 'blocked':
      return state.manual ? 'blocked' : undefined;
    case 'closed':
      // Unreachable: only unsatisfied dependencies are walked.
      return 'ready';
    default:
      return state.state;
  }
}

function unsatisfiedDeps(graph: Graph, i: number): number[] {
  const out: number[] = [];
  for (let e = graph.depStart[i]!; e < graph.depStart[i + 1]!; e++) {
    const j = graph.depList[e]!;
    if (!isSatisfied(graph.tasks[j]!.data.status)) out.push(j);
  }
  return out;
}

function byId(a: BlockRoot, b: BlockRoot): number {
  return compareIds(a.id, b.id);
}

/** Every blocked task with what it waits on and the roots that hold it. */
export function blockedReport(
  graph: Graph,
  now: Date,
  states: readonly Readiness[] = computeReadiness(graph, now),
): BlockedEntry[] {
  const n = graph.tasks.length;
  const memo: (readonly BlockRoot[] | undefined)[] = new Array(n);
  const rootsOf = (i: number): readonly BlockRoot[] => {
    const parts: (readonly BlockRoot[])[] = [];
    for (const j of unsatisfiedDeps(graph, i)) {
      const why = stopWhy(graph, j, states[j]!);
      parts.push(why === undefined ? memo[j]! : [{ id: graph.ids[j]!, why }]);
    }
    for (const id of graph.missing[i]!) parts.push([{ id, why: 'missing' }]);
    if (parts.length === 1) return parts[0]!;
    const seen = new Map<string, BlockRoot>();
    for (const part of parts) for (const root of part) seen.set(root.id, root);
    return [...seen.values()].sort(byId);
  };
  // Dependencies first, so a pass-through dependency's roots are known when needed.
  for (const i of graph.order) {
    if (stopWhy(graph, i, states[i]!) === undefined) memo[i] = rootsOf(i);
  }
  const report: BlockedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const state = states[i]!;
    if (state.state !== 'blocked') continue;
    report.push({
      task: graph.tasks[i]!,
      index: i,
      waitingOn: state.waitingOn,
      missing: state.missing,
      cycle: state.cycle,
      manual: state.manual,
      roots: memo[i] ?? rootsOf(i),
    });
  }
  return report.sort((a, b) => compareIds(graph.ids[a.index]!, graph.ids[b.index]!));
}

/** One shortest path from blocked task `i` to each of its roots; `[]` if it is not blocked. */
export function blockedChain(
  graph: Graph,
  i: number,
  now: Date,
  states: readonly Readiness[] = computeReadiness(graph, now),
): BlockedPath[] {
  if (states[i]?.state !== 'blocked') return [];
  const parent = new Map<number, number>([[i, -1]]);
  const found = new Map<string, BlockedPath>();
  const pathTo = (j: number): string[] => {
    const path: string[] = [];
    for (let v = j; v !== -1; v = parent.get(v)!) path.push(graph.ids[v]!);
    return path.reverse();
  };
  const queue = [i];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    const next = unsatisfiedDeps(graph, u).filter((j) => !parent.has(j));
    next.sort((a, b) => compareIds(graph.ids[a]!, graph.ids[b]!));
    for (const j of next) {
      parent.set(j, u);
      const why = stopWhy(graph, j, states[j]!);
      if (why === undefined) queue.push(j);
      else found.set(graph.ids[j]!, { path: pathTo(j), why });
    }
    for (const id of [...graph.missing[u]!].sort(compareIds)) {
      if (!found.has(id)) found.set(id, { path: [...pathTo(u), id], why: 'missing' });
    }
  }
  return [...found.values()].sort((a, b) => compareIds(a.path.at(-1)!, b.path.at(-1)!));
}
