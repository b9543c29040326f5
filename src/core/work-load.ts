/**
 * Who is holding what right now: the work in progress that counts against an agent's
 * capacity and a resource's capacity (SPEC section 6). `next`, `agents` and `status` all
 * count with this one function, so they always agree.
 *
 * Decisions:
 * - A task holds work when its status is `in_progress` and its lease has not expired (no
 *   lease, or a lease whose `until` is not a real date, counts as live). A task in `review`
 *   holds nothing; an expired lease holds nothing (the task is back in the ready queue).
 * - The agent it counts against: `assignee`, else the lease's agent. A held task with
 *   neither counts against nobody (but still holds its resources).
 * - A resource is held by every such task that lists it in `resources` (once per task,
 *   however often it is listed).
 * - The resource report lists every configured resource by name, then any resource a held
 *   task lists that the config lacks (`capacity: null`; `next` never hands out such a task).
 */
import type { Config } from '../schema/config.js';
import { leaseState } from './claim-decision.js';
import type { Graph } from './graph.js';
import { compareIds } from './graph.js';
import type { Task } from './types.js';

export interface WorkLoad {
  /** Ids of the tasks each agent holds, in graph order. */
  byAgent: Map<string, string[]>;
  /** Ids of the tasks holding each resource, in graph order. */
  byResource: Map<string, string[]>;
}

/** Whether the task holds work at `now` (see the module comment). */
export function holdsWork(task: Task, now: Date): boolean {
  if (task.data.status !== 'in_progress') return false;
  const lease = leaseState(task.data, now);
  return lease === undefined || lease.live;
}

/** The agent a held task counts against, or undefined for nobody. */
export function holderOf(task: Task, now: Date): string | undefined {
  return task.data.assignee ?? leaseState(task.data, now)?.agent ?? undefined;
}

/** The distinct names in a list field, in order. */
export function distinct(list: readonly string[] | null | undefined): string[] {
  return list ? [...new Set(list)] : [];
}

export function workLoad(graph: Graph, now: Date): WorkLoad {
  const byAgent = new Map<string, string[]>();
  const byResource = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const task of graph.tasks) {
    if (!holdsWork(task, now)) continue;
    const id = task.data.id;
    const agent = holderOf(task, now);
    if (agent) add(byAgent, agent, id);
    for (const name of distinct(task.data.resources)) add(byResource, name, id);
  }
  return { byAgent, byResource };
}

export interface ResourceItem {
  name: string;
  /** Null when `config.resources` does not list it. */
  capacity: number | null;
  use: number;
  /** Ids of the in-progress tasks holding it, in graph order. */
  holders: string[];
  /** Use above capacity, or any use of a resource the config lacks. */
  over: boolean;
}

/** Every resource with its use (see the module comment). */
export function resourceItems(
  configured: Config['resources'],
  byResource: ReadonlyMap<string, readonly string[]>,
): ResourceItem[] {
  const known = (name: string) => Object.hasOwn(configured, name);
  const names = Object.keys(configured).sort(compareIds);
  const extra = [...byResource.keys()].filter((n) => !known(n)).sort(compareIds);
  return [...names, ...extra].map((name) => {
    const holders = [...(byResource.get(name) ?? [])];
    const capacity = known(name) ? configured[name]!.capacity : null;
    const over = capacity === null ? holders.length > 0 : holders.length > capacity;
    return { name, capacity, use: holders.length, holders, over };
  });
}
