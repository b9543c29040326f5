/**
 * `baton plan`: the critical path and the waves.
 *
 * Decisions:
 * - Not-done work: tasks whose status is not done or cancelled. Tasks on a cycle are left
 *   out of the critical path (no chain through them is finite) and are unschedulable.
 * - Critical path: the chain along dependency edges among not-done tasks, not on a cycle,
 *   with the largest sum of estimate hours (missing estimates count as
 *   `config.default_estimate`). Ids in execution order (dependency first). Ties: the chain
 *   ends at the smallest id among the best ends, and each step back takes the smallest id
 *   among the best predecessors. No not-done task: `{ ids: [], hours: 0 }`.
 * - Waves: wave 0 holds the not-done tasks whose dependencies all exist and are done or
 *   cancelled; a task's wave is 1 + the largest wave of its not-done dependencies. Tasks on
 *   a cycle, with a missing dependency, or waiting (transitively) on such a task are
 *   `unschedulable`. Every not-done status counts as work still to run (`in_progress`,
 *   `blocked` and `failed` too), and `not_before` is ignored: waves describe the shape of
 *   the work, not the calendar. Ids sorted within each wave and in `unschedulable`.
 */
import type { Config } from '../schema/config.js';
import { compareIds, type Graph } from './graph.js';
import { isSatisfied } from './readiness.js';
import { nodeHours } from './ready-queue.js';

export interface CriticalPath {
  ids: string[];
  hours: number;
}

export interface Waves {
  waves: string[][];
  unschedulable: string[];
}

function openMask(graph: Graph): Uint8Array {
  const n = graph.tasks.length;
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!isSatisfied(graph.tasks[i]!.data.status)) open[i] = 1;
  return open;
}

/** The longest chain of not-done work, by estimate. */
export function criticalPath(graph: Graph, config: Config): CriticalPath {
  const n = graph.tasks.length;
  const { ids } = graph;
  const hours = nodeHours(graph, config);
  const open = openMask(graph);
  for (let i = 0; i < n; i++) if (graph.onCycle[i] === 1) open[i] = 0;
  const best = new Float64Array(n);
  const prev = new Int32Array(n).fill(-1);
  let end = -1;
  const { depStart, depList } = graph;
  for (const t of graph.order) {
    if (open[t] === 0) continue;
    let before = 0;
    let from = -1;
    for (let e = depStart[t]!; e < depStart[t + 1]!; e++) {
      const p = depList[e]!;
      if (open[p] === 0) continue;
      const b = best[p]!;
      if (from === -1 || b > before || (b === before && ids[p]! < ids[from]!)) {
        before = b;
        from = p;
      }
    }
    best[t] = hours[t]! + before;
    prev[t] = from;
    if (end === -1 || best[t]! > best[end]! || (best[t] === best[end] && ids[t]! < ids[end]!))
      end = t;
  }
  if (end === -1) return { ids: [], hours: 0 };
  const chain: string[] = [];
  for (let v = end; v !== -1; v = prev[v]!) chain.push(ids[v]!);
  return { ids: chain.reverse(), hours: best[end]! };
}

/** The not-done tasks by the earliest round they could run in. */
export function waves(graph: Graph): Waves {
  const n = graph.tasks.length;
  const open = openMask(graph);
  const UNSCHEDULABLE = -1;
  const wave = new Int32Array(n);
  const rounds: string[][] = [];
  const unschedulable: string[] = [];
  const { depStart, depList } = graph;
  for (const t of graph.order) {
    if (open[t] === 0) continue;
    let w = graph.onCycle[t] === 1 || graph.missing[t]!.length > 0 ? UNSCHEDULABLE : 0;
    for (let e = depStart[t]!; e < depStart[t + 1]!; e++) {
      if (w === UNSCHEDULABLE) break;
      const p = depList[e]!;
      if (open[p] === 0) continue;
      const wp = wave[p]!;
      w = wp === UNSCHEDULABLE ? UNSCHEDULABLE : Math.max(w, wp + 1);
    }
    wave[t] = w;
    if (w === UNSCHEDULABLE) unschedulable.push(graph.ids[t]!);
    else {
      const round = rounds[w] ?? [];
      rounds[w] = round;
      round.push(graph.ids[t]!);
    }
  }
  for (const r of rounds) r.sort(compareIds);
  return { waves: rounds, unschedulable: unschedulable.sort(compareIds) };
}
