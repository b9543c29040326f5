/**
 * The ready queue: every ready task (see `readiness.ts`), best first.
 *
 * Order (each key only breaks ties of the ones before it):
 * 1. Effective priority, critical first. Aging: a ready task rises one level per full
 *    `config.aging.every_days` days since its `created` date, but never above
 *    `config.aging.max` (`high` at most); a task already at or above that level keeps its
 *    own. No or an unreadable `created`, a `created` in the future, or `aging: false`: no
 *    aging.
 * 2. `unblocks`, most first: the hours of the longest chain of not-done work waiting on the
 *    task, = max over its dependents d that are neither done/cancelled nor on a cycle of
 *    (estimate of d + unblocks of d); 0 with none. Missing estimates count as
 *    `config.default_estimate`. Computed once for all nodes over `graph.order` reversed.
 * 3. Due date, earliest first; tasks without a (real) due date after those with one.
 * 4. Created, oldest first; tasks without a (real) created date last.
 * 5. Id, in plain string order.
 * Ranks are 1-based.
 */
import type { Config } from '../schema/config.js';
import { PRIORITIES, type Priority, SATISFIED } from '../schema/fields.js';
import { estimateHours, parseDate } from './estimate.js';
import { compareIds, type Graph } from './graph.js';
import { computeReadiness, type Readiness } from './readiness.js';
import type { Task } from './types.js';

export interface RankedTask {
  task: Task;
  /** Node index in the graph. */
  index: number;
  /** 1-based place in the queue. */
  rank: number;
  effectivePriority: Priority;
  /** Levels gained by aging (0 when none). */
  agedBy: number;
  /** Hours of not-done work in the longest chain waiting on this task. */
  unblocks: number;
}

/** The sort keys of one ready task; `due`/`created` are ms, `Infinity` when absent. */
export interface ReadyKey {
  id: string;
  /** Index into `PRIORITIES` of the effective priority (0 = critical). */
  priority: number;
  unblocks: number;
  due: number;
  created: number;
}

const DAY_MS = 86_400_000;

/** The ready-queue comparator: negative when `a` goes first. */
export function compareReadyKeys(a: ReadyKey, b: ReadyKey): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.unblocks !== b.unblocks) return b.unblocks > a.unblocks ? 1 : -1;
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  if (a.created !== b.created) return a.created < b.created ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** A ready task's priority after aging, and by how many levels it rose. */
export function agedPriority(
  priority: Priority,
  created: string | null | undefined,
  aging: Config['aging'],
  now: Date,
): { priority: Priority; agedBy: number } {
  const base = PRIORITIES.indexOf(priority);
  const level = agedLevel(base, parseDate(created), aging, now.getTime());
  return { priority: PRIORITIES[level]!, agedBy: base - level };
}

/** The effective priority index of a task at `base` created at `since` (ms). */
function agedLevel(
  base: number,
  since: number | undefined,
  aging: Config['aging'],
  nowMs: number,
): number {
  if (aging === false || since === undefined) return base;
  const max = PRIORITIES.indexOf(aging.max);
  if (base <= max) return base;
  const levels = Math.floor((nowMs - since) / (aging.every_days * DAY_MS));
  return levels > 0 ? Math.max(max, base - levels) : base;
}

/** Estimate hours of every node (missing estimates count as the default). */
export function nodeHours(graph: Graph, config: Config): Float64Array {
  const n = graph.tasks.length;
  const hours = new Float64Array(n);
  const memo = new Map<string | null | undefined, number>();
  for (let i = 0; i < n; i++) {
    const e = graph.tasks[i]!.data.estimate;
    let h = memo.get(e);
    if (h === undefined) {
      h = estimateHours(e, config);
      memo.set(e, h);
    }
    hours[i] = h;
  }
  return hours;
}

/** `unblocks` of every node (see the module comment), indexed like `graph.tasks`. */
export function computeUnblocks(graph: Graph, config: Config): Float64Array {
  const n = graph.tasks.length;
  const hours = nodeHours(graph, config);
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (graph.onCycle[i] === 0 && !SATISFIED.has(graph.tasks[i]!.data.status)) open[i] = 1;
  }
  // Dependents before their dependencies: each open task d, once its own value is final,
  // offers (its hours + its unblocks) to every task it depends on.
  const { depStart, depList, order } = graph;
  const unblocks = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const d = order[k]!;
    if (open[d] === 0) continue;
    const offer = hours[d]! + unblocks[d]!;
    for (let e = depStart[d]!; e < depStart[d + 1]!; e++) {
      const t = depList[e]!;
      if (offer > unblocks[t]!) unblocks[t] = offer;
    }
  }
  return unblocks;
}

/** The ready tasks in queue order. Pass `states` from `computeReadiness` to reuse them. */
export function readyQueue(
  graph: Graph,
  config: Config,
  now: Date,
  states: readonly Readiness[] = computeReadiness(graph, now),
): RankedTask[] {
  const unblocks = computeUnblocks(graph, config);
  const nowMs = now.getTime();
  const entries: { key: ReadyKey; ranked: RankedTask }[] = [];
  for (let i = 0; i < graph.tasks.length; i++) {
    if (states[i]!.state !== 'ready') continue;
    const task = graph.tasks[i]!;
    const created = parseDate(task.data.created);
    const base = PRIORITIES.indexOf(task.data.priority);
    const level = agedLevel(base, created, config.aging, nowMs);
    const key: ReadyKey = {
      id: graph.ids[i]!,
      priority: level,
      unblocks: unblocks[i]!,
      due: parseDate(task.data.due) ?? Number.POSITIVE_INFINITY,
      created: created ?? Number.POSITIVE_INFINITY,
    };
    const ranked: RankedTask = {
      task,
      index: i,
      rank: 0,
      effectivePriority: PRIORITIES[level]!,
      agedBy: base - level,
      unblocks: unblocks[i]!,
    };
    entries.push({ key, ranked });
  }
  entries.sort((a, b) => compareReadyKeys(a.key, b.key));
  return entries.map((e, k) => {
    e.ranked.rank = k + 1;
    return e.ranked;
  });
}
