/**
 * `baton status` as data: one pure pass over the snapshot, its graph, every task's readiness
 * and a few facts read elsewhere (log entries, agent capacities, stale caches and results).
 * Reporters (`report/dashboard-text.ts`, `--json`) format the result; the keys are already
 * the JSON keys.
 *
 * Decisions:
 * - Counts, load and alerts cover the graph's tasks (the first task with each id); later
 *   duplicates are only counted under `problems`.
 * - Bad files and their errors are counted apart: `bad_files` is how many files have at
 *   least one error (one that could not be read, or one read with conflict markers in its
 *   body), `file_errors` how many errors those files have in all.
 * - Every list keeps at most `limit` items (default 10) and says how many there are in
 *   `total`: the dashboard is a summary; `ready`, `blocked`, `list` give the full lists.
 * - Agent load: tasks `in_progress` per agent (`assignee`, else the lease's agent), against
 *   the agent's capacity (`capacities`, default `defaultCapacity` = 1 until agent profiles
 *   provide it). An in-progress task whose lease expired is not load: it is listed under
 *   `expired_leases` (and is back in the ready queue if nothing else holds it). Agents with a known capacity and no
 *   work are listed too. `review` tasks are counted per agent but are not load.
 * - Blocked: root causes from `blockedReport`, each with how many blocked tasks it holds and
 *   the first few of them (priority, then id); most held first, then id. A task blocked by
 *   hand is a root cause of its own; so is a task that depends on itself.
 * - Open discoveries: `discover` log entries after the task's last `ack`
 *   (`openDiscoveries`), on any task, closed ones included: a discovery is news until
 *   someone acknowledges it. Newest first.
 * - Expired leases: `in_progress` with a `lease.until` in the past; oldest first.
 * - Overdue: not done or cancelled, with a `due` in the past (`due.ts`: a bare date is due
 *   at the end of that day, UTC; a date-time at that moment). Most overdue first.
 * - Resources: every resource in `config.resources`, by name, with the live in-progress
 *   tasks that list it (`work-load.ts`, as `next` counts them); then any resource a task in
 *   progress lists that the config lacks, with `capacity: null`.
 */
import type { Priority, Status } from '../schema/fields.js';
import { PRIORITIES, SATISFIED, STATUSES } from '../schema/fields.js';
import { type BlockRoot, blockedReport, type RootWhy } from './blocked.js';
import { leaseState } from './claim-decision.js';
import { dueDeadline } from './due.js';
import { parseDate } from './estimate.js';
import { compareIds, type Graph } from './graph.js';
import type { LogEntry } from './log-entry.js';
import { criticalPath } from './plan.js';
import type { Readiness, ReadinessState } from './readiness.js';
import { readyQueue } from './ready-queue.js';
import { openDiscoveries } from './task-talk.js';
import type { Snapshot, Task } from './types.js';
import { type ResourceItem, resourceItems, workLoad } from './work-load.js';

/** Stale caches and results (SPEC section 4), computed by the cache code and passed in. */
export interface DashboardStale {
  caches: { name: string; namespace: string; changed: string[] }[];
  results: { id: string; inherited: boolean }[];
}

/** What the dashboard needs beyond the snapshot, graph and states. */
export interface DashboardFacts {
  /**
   * Log entries by task id, in log order; only `discover` and `ack` entries matter, and
   * tasks without a discovery can be left out.
   */
  logs?: ReadonlyMap<string, readonly LogEntry[]>;
  /** Max tasks in progress per agent (agent profiles, SPEC section 6). */
  capacities?: ReadonlyMap<string, number>;
  /** Capacity of an agent without one in `capacities` (default 1). */
  defaultCapacity?: number;
  stale?: DashboardStale;
  /** Items kept per list (default 10); the totals always count everything. */
  limit?: number;
}

export interface TaskRef {
  id: string;
  title: string;
}

export interface AgentLoad {
  agent: string;
  in_progress: number;
  review: number;
  capacity: number;
  over: boolean;
}

export interface ReadyItem extends TaskRef {
  rank: number;
  priority: Priority;
  assignee: string | null;
  estimate: string | null;
  lease_expired: boolean;
}

export interface RootItem {
  id: string;
  why: RootWhy;
  /** Null when the id names no task. */
  title: string | null;
  /** Blocked tasks this root holds, itself excluded. */
  holds: number;
  /** The first few of them, highest priority first. */
  blocked: string[];
}

export interface DiscoveryItem extends TaskRef {
  time: string;
  agent: string;
  message: string;
}

export interface LeaseItem extends TaskRef {
  agent: string;
  until: string;
}

export interface OverdueItem extends TaskRef {
  status: Status;
  assignee: string | null;
  due: string;
}

export interface Section<T> {
  total: number;
  items: T[];
}

export interface Dashboard {
  now: string;
  /** Tasks in the graph (duplicates of an id excluded). */
  total: number;
  counts: Record<Status, number>;
  /** Derived states (`readiness.ts`): ready, blocked, scheduled, active, closed, failed. */
  states: Record<ReadinessState, number>;
  problems: {
    /** Files with at least one error. */
    bad_files: number;
    /** Errors in files, all told (a file can have several). */
    file_errors: number;
    cycles: number;
    missing: number;
    duplicates: number;
  };
  agents: AgentLoad[];
  resources: ResourceItem[];
  /** In-progress tasks (live lease or none) with no assignee and no lease agent. */
  unassigned: number;
  ready: Section<ReadyItem> & { lease_expired: number };
  blocked: Section<RootItem> & { tasks: number };
  critical_path: { ids: string[]; hours: number };
  discoveries: Section<DiscoveryItem> & { tasks: number };
  expired_leases: Section<LeaseItem>;
  overdue: Section<OverdueItem>;
  stale?: DashboardStale;
}

const EXAMPLES = 5;

function ref(task: Task): TaskRef {
  return { id: task.data.id, title: task.data.title };
}

function section<T>(items: T[], limit: number): Section<T> {
  return { total: items.length, items: items.slice(0, limit) };
}

export function buildDashboard(
  snapshot: Snapshot,
  graph: Graph,
  states: readonly Readiness[],
  facts: DashboardFacts = {},
): Dashboard {
  const limit = facts.limit ?? 10;
  const now = snapshot.now;
  const nowMs = now.getTime();
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const stateCounts: Record<ReadinessState, number> = {
    ready: 0,
    blocked: 0,
    scheduled: 0,
    active: 0,
    closed: 0,
    failed: 0,
  };
  const load = new Map<string, { in_progress: number; review: number }>();
  const loadOf = (agent: string) => {
    let l = load.get(agent);
    if (!l) {
      l = { in_progress: 0, review: 0 };
      load.set(agent, l);
    }
    return l;
  };
  let unassigned = 0;
  const leases: LeaseItem[] = [];
  const overdue: { item: OverdueItem; ms: number }[] = [];
  const discoveries: { item: DiscoveryItem; ms: number }[] = [];
  let discoveryTasks = 0;

  for (let i = 0; i < graph.tasks.length; i++) {
    const task = graph.tasks[i]!;
    const d = task.data;
    counts[d.status]++;
    stateCounts[states[i]!.state]++;
    if (d.status === 'in_progress') {
      const lease = leaseState(d, now);
      if (lease && !lease.live) {
        leases.push({ id: d.id, title: d.title, agent: lease.agent, until: lease.until });
      } else {
        const agent = d.assignee ?? lease?.agent;
        if (agent) loadOf(agent).in_progress++;
        else unassigned++;
      }
    } else if (d.status === 'review' && d.assignee) loadOf(d.assignee).review++;
    if (typeof d.due === 'string' && !SATISFIED.has(d.status)) {
      const ms = dueDeadline(d.due);
      if (ms !== undefined && ms <= nowMs) {
        const assignee = d.assignee ?? null;
        const item = { id: d.id, title: d.title, status: d.status, assignee, due: d.due };
        overdue.push({ item, ms });
      }
    }
    const entries = facts.logs?.get(d.id);
    if (entries === undefined) continue;
    // Without an ack every discovery is open (the common case; skips reading the times).
    const open = entries.some((e) => e.verb === 'ack')
      ? openDiscoveries(entries)
      : entries.flatMap((e, k) => (e.verb === 'discover' ? [k] : []));
    if (open.length > 0) discoveryTasks++;
    for (const k of open) {
      const e = entries[k]!;
      const item = {
        id: d.id,
        title: d.title,
        time: e.time,
        agent: e.agent,
        message: e.message ?? '',
      };
      discoveries.push({ item, ms: parseDate(e.time) ?? Number.NEGATIVE_INFINITY });
    }
  }

  const capacities = facts.capacities ?? new Map<string, number>();
  for (const agent of capacities.keys()) loadOf(agent);
  const agents: AgentLoad[] = [...load.entries()]
    .sort((a, b) => compareIds(a[0], b[0]))
    .map(([agent, l]) => {
      const capacity = capacities.get(agent) ?? facts.defaultCapacity ?? 1;
      return { agent, ...l, capacity, over: l.in_progress > capacity };
    });

  const queue = readyQueue(graph, snapshot.config, now, states);
  const readyItems: ReadyItem[] = queue.slice(0, limit).map((r) => ({
    ...ref(r.task),
    rank: r.rank,
    priority: r.effectivePriority,
    assignee: r.task.data.assignee ?? null,
    estimate: r.task.data.estimate ?? null,
    lease_expired: leaseExpired(states[r.index]!),
  }));
  const leaseExpiredReady = queue.filter((r) => leaseExpired(states[r.index]!)).length;

  const blocked = blockedRoots(graph, now, states, limit);
  leases.sort((a, b) => byTime(a.until, b.until) || compareIds(a.id, b.id));

  const board: Dashboard = {
    now: now.toISOString(),
    total: graph.tasks.length,
    counts,
    states: stateCounts,
    problems: {
      ...fileErrors(snapshot),
      cycles: graph.cycles.length + graph.selfDep.reduce((n, x) => n + x, 0),
      missing: graph.missing.filter((m) => m.length > 0).length,
      duplicates: graph.duplicates.length,
    },
    agents,
    resources: resourceItems(snapshot.config.resources, workLoad(graph, now).byResource),
    unassigned,
    ready: { total: queue.length, lease_expired: leaseExpiredReady, items: readyItems },
    blocked,
    critical_path: criticalPath(graph, snapshot.config),
    discoveries: { ...section(byTimeDesc(discoveries), limit), tasks: discoveryTasks },
    expired_leases: section(leases, limit),
    overdue: section(byTimeAsc(overdue), limit),
  };
  if (facts.stale) board.stale = facts.stale;
  return board;
}

/** How many files have an error, and how many errors they have. */
function fileErrors(snapshot: Snapshot): { bad_files: number; file_errors: number } {
  const errors = snapshot.fileProblems.filter((p) => p.severity === 'error');
  return { bad_files: new Set(errors.map((p) => p.path)).size, file_errors: errors.length };
}

function byTimeAsc<T extends TaskRef>(xs: { item: T; ms: number }[]): T[] {
  return xs.sort((a, b) => a.ms - b.ms || compareIds(a.item.id, b.item.id)).map((x) => x.item);
}

function byTimeDesc<T extends TaskRef>(xs: { item: T; ms: number }[]): T[] {
  return xs.sort((a, b) => b.ms - a.ms || compareIds(a.item.id, b.item.id)).map((x) => x.item);
}

function leaseExpired(state: Readiness): boolean {
  return state.state === 'ready' && state.leaseExpired === true;
}

function byTime(a: string, b: string): number {
  return (parseDate(a) ?? 0) - (parseDate(b) ?? 0);
}

/** Root causes of the blocked tasks, most held first. */
function blockedRoots(
  graph: Graph,
  now: Date,
  states: readonly Readiness[],
  limit: number,
): Dashboard['blocked'] {
  const report = blockedReport(graph, now, states);
  const roots = new Map<string, { why: RootWhy; held: number[] }>();
  const add = (root: BlockRoot, held?: number) => {
    let r = roots.get(root.id);
    if (!r) {
      r = { why: root.why, held: [] };
      roots.set(root.id, r);
    }
    if (held !== undefined) r.held.push(held);
  };
  for (const e of report) {
    for (const root of e.roots) add(root, e.index);
    // Held by itself: set to blocked by hand, or depending on itself.
    if (e.manual || graph.selfDep[e.index] === 1) {
      add({ id: graph.ids[e.index]!, why: graph.onCycle[e.index] === 1 ? 'cycle' : 'blocked' });
    }
  }
  const rank = (i: number) => PRIORITIES.indexOf(graph.tasks[i]!.data.priority);
  const items: RootItem[] = [...roots.entries()]
    .sort((a, b) => b[1].held.length - a[1].held.length || compareIds(a[0], b[0]))
    .slice(0, limit)
    .map(([id, r]) => {
      const j = graph.index.get(id);
      const first = [...r.held]
        .sort((a, b) => rank(a) - rank(b) || compareIds(graph.ids[a]!, graph.ids[b]!))
        .slice(0, EXAMPLES);
      return {
        id,
        why: r.why,
        title: j === undefined ? null : graph.tasks[j]!.data.title,
        holds: r.held.length,
        blocked: first.map((i) => graph.ids[i]!),
      };
    });
  return { tasks: report.length, total: roots.size, items };
}
