/**
 * `next`: the best ready task for one agent (SPEC section 6). Pure: it takes the ready queue
 * (`readyQueue`, the one order), the graph, every task's readiness, the agent profiles and
 * the configured resources, and never re-sorts.
 *
 * Rules, in this order:
 * - Candidates are the ready tasks assigned to the agent (in queue order), then the
 *   unassigned ones (in queue order). A task assigned to someone else is never returned,
 *   not even when its lease expired (`claim` can take that over by name).
 * - A candidate fits when every one of its `skills` is among the agent's; the agent's load
 *   (`work-load.ts`: live in-progress tasks) is below its capacity; and every resource it
 *   lists is configured and in use by fewer tasks than its capacity.
 * - A resource that `config.yaml` does not list is not unlimited: the task is skipped, and
 *   the reason names the missing `resources:` entry (a typo must not lift a limit).
 * - An agent without a profile has capacity 1 and no skills, so it gets only tasks that
 *   ask for no skill.
 * - With no candidate that fits, `open` says what is still open for the agent (`open-work.ts`):
 *   none means no open work is left for it, which an agent loop tells from "wait".
 * - The first candidate that fits is the choice. Every ready task ranked better than it
 *   (all of them when there is none) is listed as skipped, with every rule it breaks; an
 *   unassigned task that fits but lost to the agent's own task says so (`own-first`).
 */
import type { Config } from '../schema/config.js';
import type { AgentProfile } from './agents.js';
import { isOverdue } from './due.js';
import type { Graph } from './graph.js';
import { type OpenWork, openWork } from './open-work.js';
import type { Readiness } from './readiness.js';
import type { RankedTask } from './ready-queue.js';
import { distinct, workLoad } from './work-load.js';

export type SkipReason =
  | { kind: 'assigned'; to: string; leaseExpired: boolean }
  | { kind: 'skills'; missing: string[] }
  | { kind: 'capacity'; load: number; capacity: number }
  | { kind: 'resource'; name: string; use: number; capacity: number }
  | { kind: 'unknown-resource'; name: string }
  | { kind: 'own-first'; first: string };

export interface Skipped {
  id: string;
  rank: number;
  reasons: SkipReason[];
}

export interface NextAgent {
  name: string;
  /** Undefined when the agent has no profile (capacity 1, no skills). */
  profile: AgentProfile | undefined;
  skills: string[];
  capacity: number;
  /** The tasks it holds now. */
  load: string[];
}

export interface ResourceUse {
  name: string;
  use: number;
  capacity: number;
}

export interface NextChoice {
  ranked: RankedTask;
  /** Assigned to the agent (else unassigned). */
  assigned: boolean;
  skills: string[];
  resources: ResourceUse[];
  overdue: boolean;
}

export interface NextResult {
  agent: NextAgent;
  /** How many tasks are in the ready queue. */
  ready: number;
  atCapacity: boolean;
  choice?: NextChoice;
  /** With no choice: what is still open for the agent, and what it waits on. */
  open?: OpenWork;
  /** Ready tasks ranked better than the choice (every one when there is no choice). */
  skipped: Skipped[];
}

export interface NextInput {
  /** The ready queue (or a part of it), in queue order. */
  queue: readonly RankedTask[];
  graph: Graph;
  states: readonly Readiness[];
  agent: string;
  profiles: readonly AgentProfile[];
  resources: Config['resources'];
  now: Date;
}

/** The agent as `next` sees it: its profile, or the default of capacity 1 and no skills. */
export function nextAgent(name: string, profiles: readonly AgentProfile[], load: string[]) {
  const profile = profiles.find((p) => p.name === name);
  return {
    name,
    profile,
    skills: profile?.skills ?? [],
    capacity: profile?.capacity ?? 1,
    load,
  } satisfies NextAgent;
}

export function pickNext(input: NextInput): NextResult {
  const { queue, graph, states, resources, now } = input;
  const held = workLoad(graph, now);
  const agent = nextAgent(input.agent, input.profiles, held.byAgent.get(input.agent) ?? []);
  const skills = new Set(agent.skills);
  const atCapacity = agent.load.length >= agent.capacity;

  const uses = (r: RankedTask): ResourceUse[] =>
    distinct(r.task.data.resources).map((name) => ({
      name,
      use: held.byResource.get(name)?.length ?? 0,
      capacity: Object.hasOwn(resources, name) ? resources[name]!.capacity : -1,
    }));

  const reasonsFor = (r: RankedTask): SkipReason[] => {
    const to = r.task.data.assignee;
    if (to && to !== agent.name) {
      const s = states[r.index];
      return [{ kind: 'assigned', to, leaseExpired: s?.state === 'ready' && !!s.leaseExpired }];
    }
    const out: SkipReason[] = [];
    const missing = distinct(r.task.data.skills).filter((s) => !skills.has(s));
    if (missing.length > 0) out.push({ kind: 'skills', missing });
    if (atCapacity) {
      out.push({ kind: 'capacity', load: agent.load.length, capacity: agent.capacity });
    }
    for (const u of uses(r)) {
      if (u.capacity < 0) out.push({ kind: 'unknown-resource', name: u.name });
      else if (u.use >= u.capacity) out.push({ kind: 'resource', ...u });
    }
    return out;
  };

  const find = (wanted: (assignee: string | null | undefined) => boolean) =>
    queue.find((r) => wanted(r.task.data.assignee) && reasonsFor(r).length === 0);
  const chosen = find((a) => a === agent.name) ?? find((a) => !a);

  let choice: NextChoice | undefined;
  if (chosen) {
    choice = {
      ranked: chosen,
      assigned: chosen.task.data.assignee === agent.name,
      skills: distinct(chosen.task.data.skills),
      resources: uses(chosen),
      overdue: isOverdue(chosen.task.data, now),
    };
  }
  const skipped: Skipped[] = [];
  for (const r of queue) {
    if (r === chosen) break;
    const reasons = reasonsFor(r);
    if (reasons.length === 0) reasons.push({ kind: 'own-first', first: chosen!.task.data.id });
    skipped.push({ id: r.task.data.id, rank: r.rank, reasons });
  }
  return {
    agent,
    ready: queue.length,
    atCapacity,
    ...(choice ? { choice } : { open: openWork(graph, states, agent, now) }),
    skipped,
  };
}
