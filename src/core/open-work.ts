/**
 * What is still open for one agent when `next` has nothing for it now, so an agent loop can
 * tell "wait" from "done". Pure, over the same graph and readiness as `next`.
 *
 * Decisions:
 * - Open for an agent: a `todo` or `blocked` task that `next` could one day hand it, that is
 *   assigned to it or to nobody and asks only for skills it has; and its own live
 *   `in_progress` tasks (work it still has to finish). A task assigned to someone else, or
 *   needing a skill the agent lacks, is never its work: `next` would never return it.
 * - Each open task says what it waits on: the dependencies not yet done (with their status
 *   and who holds them), ids that name no task, a cycle, a hand-set `blocked`, a
 *   `not_before`, or, for a ready task, that it does not fit now (capacity, a resource).
 */
import type { Graph } from './graph.js';
import type { NextAgent } from './next.js';
import type { Readiness } from './readiness.js';
import { distinct, holderOf, holdsWork } from './work-load.js';

export interface WaitOn {
  id: string;
  status: string;
  /** Who holds it, for a dependency in progress. */
  held_by?: string;
}

export interface OpenTask {
  id: string;
  why: 'dependencies' | 'blocked' | 'cycle' | 'scheduled' | 'not-fitting' | 'in-progress';
  /** Dependencies not done or cancelled. */
  on?: WaitOn[];
  /** Dependency ids that name no task. */
  missing?: string[];
  not_before?: string;
}

export interface OpenWork {
  /** How many tasks are open for the agent. */
  count: number;
  /** The first `limit` of them, in id order. */
  tasks: OpenTask[];
}

export function openWork(
  graph: Graph,
  states: readonly Readiness[],
  agent: Pick<NextAgent, 'name' | 'skills'>,
  now: Date,
  limit = 5,
): OpenWork {
  const skills = new Set(agent.skills);
  const open: OpenTask[] = [];
  for (let i = 0; i < graph.tasks.length; i++) {
    const task = graph.tasks[i]!;
    const d = task.data;
    if (d.status === 'in_progress') {
      if (holdsWork(task, now) && holderOf(task, now) === agent.name) {
        open.push({ id: d.id, why: 'in-progress' });
      }
      continue;
    }
    if (d.status !== 'todo' && d.status !== 'blocked') continue;
    if (d.assignee && d.assignee !== agent.name) continue;
    if (distinct(d.skills).some((s) => !skills.has(s))) continue;
    open.push(describe(graph, states[i]!, i, now));
  }
  open.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { count: open.length, tasks: open.slice(0, limit) };
}

function describe(graph: Graph, state: Readiness, i: number, now: Date): OpenTask {
  const id = graph.ids[i]!;
  if (state.state === 'scheduled') return { id, why: 'scheduled', not_before: state.notBefore };
  if (state.state !== 'blocked') return { id, why: 'not-fitting' };
  const out: OpenTask = {
    id,
    why: state.manual ? 'blocked' : state.cycle ? 'cycle' : 'dependencies',
  };
  if (state.waitingOn.length > 0) {
    out.on = state.waitingOn.map((dep) => {
      const task = graph.tasks[graph.index.get(dep)!]!;
      const holder = holdsWork(task, now) ? holderOf(task, now) : undefined;
      return { id: dep, status: task.data.status, ...(holder ? { held_by: holder } : {}) };
    });
  }
  if (state.missing.length > 0) out.missing = [...state.missing];
  return out;
}
