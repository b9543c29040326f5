/**
 * The simulated schedule of `baton plan`: event-driven list scheduling of the schedulable
 * work (see `schedule-scope.ts`) over agents with parallel slots.
 *
 * Decisions:
 * - Time is in working hours from now; durations are the estimates (missing ones count as
 *   `config.default_estimate`), kept as whole seconds so that equal times are equal.
 * - Order: tasks already `in_progress` or in `review` first (they are started; they count
 *   their full estimate, as baton does not know how far along they are), then the
 *   ready-queue order: priority after aging, unblocks, due, created, id.
 * - At time 0 and whenever a task ends, every task whose dependencies have all ended (or
 *   were done or cancelled already) is waiting; while some waiting task has a free slot on
 *   an agent it may run on, the first such task in the order starts there. Among the free
 *   agents it may run on it goes to the one with the fewest hours per slot given so far,
 *   then the one listed first. Nothing waits while it could run (no idle slot is kept).
 * - `resources` and `not_before` are not simulated.
 */
import type { Config } from '../schema/config.js';
import { PRIORITIES } from '../schema/fields.js';
import { parseDate } from './estimate.js';
import { compareIds, type Graph } from './graph.js';
import { MinHeap } from './min-heap.js';
import {
  agedPriority,
  compareReadyKeys,
  computeUnblocks,
  nodeHours,
  type ReadyKey,
} from './ready-queue.js';
import { SCHEDULABLE, type Scope, type SimAgent } from './schedule-scope.js';

export interface ScheduledTask {
  id: string;
  agent: string;
  /** Working hours from now. */
  start: number;
  end: number;
  hours: number;
  /** Already in progress or in review. */
  active: boolean;
}

export interface Simulation {
  /** In start order, then agent order, then id. */
  tasks: ScheduledTask[];
  /** The node index of each of `tasks`. */
  nodes: number[];
  /** Hours from now until the last task ends (0 with none). */
  finish: number;
  /** Hours of work and number of tasks each agent got, indexed like the agents. */
  agentHours: number[];
  agentTasks: number[];
}

const toHours = (seconds: number) => seconds / 3600;

const isActive = (status: string) => status === 'in_progress' || status === 'review';

/** Position of every schedulable node in the order of the module comment. */
function rankNodes(graph: Graph, config: Config, now: Date, scope: Scope): Int32Array {
  const unblocks = computeUnblocks(graph, config);
  const nodes: number[] = [];
  const keys: ReadyKey[] = [];
  for (let i = 0; i < graph.tasks.length; i++) {
    if (scope.kind[i] !== SCHEDULABLE) continue;
    const d = graph.tasks[i]!.data;
    const aged = agedPriority(d.priority, d.created, config.aging, now).priority;
    nodes.push(i);
    keys[i] = {
      id: graph.ids[i]!,
      priority: PRIORITIES.indexOf(aged),
      unblocks: unblocks[i]!,
      due: parseDate(d.due) ?? Number.POSITIVE_INFINITY,
      created: parseDate(d.created) ?? Number.POSITIVE_INFINITY,
    };
  }
  const active = (i: number) => (isActive(graph.tasks[i]!.data.status) ? 0 : 1);
  nodes.sort((a, b) => active(a) - active(b) || compareReadyKeys(keys[a]!, keys[b]!));
  const rank = new Int32Array(graph.tasks.length).fill(-1);
  nodes.forEach((node, k) => {
    rank[node] = k;
  });
  return rank;
}

export function simulate(
  graph: Graph,
  config: Config,
  now: Date,
  agents: readonly SimAgent[],
  scope: Scope,
): Simulation {
  const n = graph.tasks.length;
  const hours = nodeHours(graph, config);
  const secs = new Float64Array(n);
  for (let i = 0; i < n; i++) secs[i] = Math.max(0, Math.round(hours[i]! * 3600));
  const rank = rankNodes(graph, config, now, scope);
  const byRank = (a: number, b: number) => rank[a]! < rank[b]!;
  const queues = scope.classes.map(() => new MinHeap(byRank));
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const ranOn = new Int32Array(n).fill(-1);
  const events = new MinHeap((a, b) => end[a]! < end[b]! || (end[a] === end[b] && byRank(a, b)));
  const busy = new Int32Array(agents.length);
  const given = new Float64Array(agents.length);
  const count = new Int32Array(agents.length);
  const waitingOn = new Int32Array(n);
  const { depStart, depList } = graph;
  for (let t = 0; t < n; t++) {
    if (scope.kind[t] !== SCHEDULABLE) continue;
    for (let e = depStart[t]!; e < depStart[t + 1]!; e++) {
      if (scope.kind[depList[e]!] === SCHEDULABLE) waitingOn[t]!++;
    }
    if (waitingOn[t] === 0) queues[scope.classOf[t]!]!.push(t);
  }

  /** The free agent of a class with the fewest hours per slot given, or -1. */
  const freeAgent = (c: number): number => {
    let best = -1;
    for (const a of scope.classes[c]!) {
      if (busy[a]! >= agents[a]!.capacity) continue;
      if (best === -1 || given[a]! / agents[a]!.capacity < given[best]! / agents[best]!.capacity)
        best = a;
    }
    return best;
  };

  let time = 0;
  for (;;) {
    for (;;) {
      let pick = -1;
      let pickClass = -1;
      for (let c = 0; c < queues.length; c++) {
        const head = queues[c]!.peek();
        if (head === undefined || (pick !== -1 && !byRank(head, pick))) continue;
        if (freeAgent(c) === -1) continue;
        pick = head;
        pickClass = c;
      }
      if (pick === -1) break;
      queues[pickClass]!.pop();
      const a = freeAgent(pickClass);
      busy[a]!++;
      given[a]! += secs[pick]!;
      count[a]!++;
      ranOn[pick] = a;
      start[pick] = time;
      end[pick] = time + secs[pick]!;
      events.push(pick);
    }
    const next = events.peek();
    if (next === undefined) break;
    time = end[next]!;
    while (events.size > 0 && end[events.peek()!] === time) {
      const t = events.pop()!;
      busy[ranOn[t]!]!--;
      for (const d of graph.dependents[t]!) {
        if (scope.kind[d] === SCHEDULABLE && --waitingOn[d]! === 0) {
          queues[scope.classOf[d]!]!.push(d);
        }
      }
    }
  }

  const nodes: number[] = [];
  let finish = 0;
  for (let t = 0; t < n; t++) {
    if (ranOn[t] === -1) continue;
    nodes.push(t);
    if (end[t]! > finish) finish = end[t]!;
  }
  nodes.sort(
    (x, y) =>
      start[x]! - start[y]! || ranOn[x]! - ranOn[y]! || compareIds(graph.ids[x]!, graph.ids[y]!),
  );
  const tasks = nodes.map(
    (t): ScheduledTask => ({
      id: graph.ids[t]!,
      agent: agents[ranOn[t]!]!.name,
      start: toHours(start[t]!),
      end: toHours(end[t]!),
      hours: toHours(secs[t]!),
      active: isActive(graph.tasks[t]!.data.status),
    }),
  );
  return {
    tasks,
    nodes,
    finish: toHours(finish),
    agentHours: Array.from(given, toHours),
    agentTasks: Array.from(count),
  };
}
