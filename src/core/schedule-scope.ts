/**
 * What `baton plan` can schedule: every not-done task sorted into schedulable, failed or
 * unschedulable (with the reason), and the agents each schedulable task may run on.
 *
 * Decisions:
 * - Work is every task whose status is not done, cancelled or failed. `blocked` (set by
 *   hand) counts as work like `todo`; `not_before` is ignored (the plan is about effort).
 * - `failed` tasks are left out and listed: they finish only when someone reopens them.
 * - A task is unschedulable, in this order of reasons: it is on a cycle (`cycle`); it names
 *   a task that does not exist (`missing-dependency`); it is assigned to an agent of the
 *   schedule who lacks one of its skills or has capacity 0 (`assignee`); no agent with
 *   capacity has every skill it needs (`no-agent`); it depends on a failed or unschedulable
 *   task (`waits`, naming those dependencies).
 * - A task assigned to an agent of the schedule runs on that agent only, waiting for it if
 *   it is busy, as `next` would hand it to nobody else. A task assigned to a name that is
 *   no agent of the schedule runs on any agent that has its skills.
 * - Tasks that may run on the same agents form one class (one per assignee, one per skill
 *   set among the others); the simulation keeps one queue per class.
 */
import { SATISFIED } from '../schema/fields.js';
import { compareIds, type Graph } from './graph.js';

/** An agent of the simulation. `skills: null` means every skill. */
export interface SimAgent {
  name: string;
  capacity: number;
  skills: readonly string[] | null;
}

export type UnschedulableReason =
  | 'cycle'
  | 'missing-dependency'
  | 'assignee'
  | 'no-agent'
  | 'waits';

export interface Unschedulable {
  id: string;
  reason: UnschedulableReason;
  message: string;
  /** The ids the reason is about: missing dependencies, or failed/unschedulable ones. */
  on?: string[];
}

export const CLOSED = 0;
export const SCHEDULABLE = 1;
export const UNSCHEDULABLE = 2;
export const FAILED = 3;

export interface Scope {
  /** Per node: CLOSED, SCHEDULABLE, UNSCHEDULABLE or FAILED. */
  kind: Uint8Array;
  /** Per schedulable node: its class (index into `classes`); -1 for the others. */
  classOf: Int32Array;
  /** The agent indices (ascending) that may run the tasks of each class. */
  classes: number[][];
  unschedulable: Unschedulable[];
  failed: string[];
}

/** A task's needed skills, each once, in order. */
export function skillsOf(skills: readonly string[] | null | undefined): string[] {
  return skills ? [...new Set(skills)] : [];
}

function lacking(agent: SimAgent, skills: readonly string[]): string[] {
  const own = agent.skills;
  return own === null ? [] : skills.filter((s) => !own.includes(s));
}

const list = (ids: readonly string[]) => ids.join(', ');

export function scheduleScope(graph: Graph, agents: readonly SimAgent[]): Scope {
  const n = graph.tasks.length;
  const kind = new Uint8Array(n);
  const classOf = new Int32Array(n).fill(-1);
  const classes: number[][] = [];
  const classKeys = new Map<string, number>();
  const byName = new Map<string, number>();
  agents.forEach((a, k) => {
    if (!byName.has(a.name)) byName.set(a.name, k);
  });
  const unschedulable: Unschedulable[] = [];
  const failed: string[] = [];
  const refuse = (t: number, reason: UnschedulableReason, message: string, on?: string[]) => {
    kind[t] = UNSCHEDULABLE;
    unschedulable.push({ id: graph.ids[t]!, reason, message, ...(on ? { on } : {}) });
  };
  const classFor = (key: string, members: () => number[]): number => {
    let c = classKeys.get(key);
    if (c === undefined) {
      c = classes.length;
      classes.push(members());
      classKeys.set(key, c);
    }
    return c;
  };
  const { depStart, depList } = graph;
  for (const t of graph.order) {
    const data = graph.tasks[t]!.data;
    if (SATISFIED.has(data.status)) continue;
    if (data.status === 'failed') {
      kind[t] = FAILED;
      failed.push(graph.ids[t]!);
      continue;
    }
    if (graph.onCycle[t] === 1) {
      refuse(t, 'cycle', 'on a dependency cycle');
      continue;
    }
    const missing = graph.missing[t]!;
    if (missing.length > 0) {
      refuse(t, 'missing-dependency', `depends on missing ${list(missing)}`, [...missing]);
      continue;
    }
    const skills = skillsOf(data.skills);
    const owner = data.assignee ? byName.get(data.assignee) : undefined;
    if (owner !== undefined) {
      const agent = agents[owner]!;
      const lack = lacking(agent, skills);
      if (lack.length > 0 || agent.capacity < 1) {
        const why = lack.length > 0 ? `lacks skill ${list(lack)}` : 'has capacity 0';
        refuse(t, 'assignee', `assigned to ${agent.name}, who ${why}`);
        continue;
      }
      kind[t] = SCHEDULABLE;
      classOf[t] = classFor(`@${owner}`, () => [owner]);
    } else {
      const key = [...skills].sort(compareIds).join('\n');
      const c = classFor(`#${key}`, () =>
        agents.flatMap((a, k) => (a.capacity >= 1 && lacking(a, skills).length === 0 ? [k] : [])),
      );
      if (classes[c]!.length === 0) {
        const what = skills.length > 0 ? `every skill of ${list(skills)}` : 'capacity';
        refuse(t, 'no-agent', `no agent has ${what}`);
        continue;
      }
      kind[t] = SCHEDULABLE;
      classOf[t] = c;
    }
    const blockers: string[] = [];
    for (let e = depStart[t]!; e < depStart[t + 1]!; e++) {
      const p = depList[e]!;
      if (kind[p] === FAILED || kind[p] === UNSCHEDULABLE) blockers.push(graph.ids[p]!);
    }
    if (blockers.length > 0) {
      classOf[t] = -1;
      refuse(t, 'waits', `waits on failed or unschedulable ${list(blockers)}`, blockers);
    }
  }
  unschedulable.sort((a, b) => compareIds(a.id, b.id));
  failed.sort(compareIds);
  return { kind, classOf, classes, unschedulable, failed };
}
