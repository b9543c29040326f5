/**
 * A deliberately naive reference for the graph core, for property tests on small graphs.
 * No SCC algorithm, no topological order, no memoisation: reachability by a fresh DFS per
 * question, chains by enumerating every path, waves by simulating rounds, dates with
 * `Date.parse` and estimates from a lookup table. Exponential in places: keep graphs small.
 */

import type { Task } from '../../src/core/types.js';
import type { Config } from '../../src/schema/config.js';
import { DEFAULT_CONFIG } from '../../src/schema/config-defaults.js';
import type { TaskData } from '../../src/schema/task.js';

/** A task for tests: only `id` is required. */
export function makeTask(
  data: Partial<TaskData> & { id: string },
  extra: Partial<Omit<Task, 'data'>> = {},
): Task {
  const full: TaskData = {
    title: `Task ${data.id}`,
    status: 'todo',
    priority: 'medium',
    depends_on: [],
    labels: [],
    ...data,
  };
  return { data: full, namespace: 'main', path: `.tasks/main/${data.id}.md`, ...extra };
}

export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...DEFAULT_CONFIG, ...overrides };
}

/** Hours of the estimates the generators use; every value is exact in binary. */
export function refHours(estimate: string | null | undefined, config: Config): number {
  const table: Record<string, number> = {
    '30m': 0.5,
    '45m': 0.75,
    '90m': 1.5,
    '1h': 1,
    '1.5h': 1.5,
    '4h': 4,
    '2d': 2 * config.hours_per_day,
    '1w': config.days_per_week * config.hours_per_day,
  };
  const own = estimate == null ? undefined : table[estimate];
  if (own !== undefined) return own;
  const fallback = table[config.default_estimate];
  if (fallback === undefined)
    throw new Error(`reference: no table entry ${config.default_estimate}`);
  return fallback;
}

const PRIORITY_ORDER = ['critical', 'high', 'medium', 'low'];
const DONE = ['done', 'cancelled'];

export class Reference {
  readonly nodes: Task[];

  constructor(
    tasks: readonly Task[],
    readonly config: Config,
    readonly now: Date,
  ) {
    this.nodes = tasks.filter((t, k) => tasks.findIndex((u) => u.data.id === t.data.id) === k);
  }

  find(id: string): Task | undefined {
    return this.nodes.find((t) => t.data.id === id);
  }

  /** Existing dependencies, self included, as tasks. */
  depsOf(t: Task): Task[] {
    return t.data.depends_on.map((id) => this.find(id)).filter((d) => d !== undefined);
  }

  /** Is there a path of one or more edges from `a` to `b`? */
  reaches(a: Task, b: Task): boolean {
    const seen = new Set<Task>();
    const stack = this.depsOf(a);
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (t === b) return true;
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push(...this.depsOf(t));
    }
    return false;
  }

  onCycle(t: Task): boolean {
    return this.reaches(t, t);
  }

  isDone(t: Task): boolean {
    return DONE.includes(t.data.status);
  }

  /** Unsatisfied dependency ids (missing or not done/cancelled). */
  unsatisfied(t: Task): string[] {
    return t.data.depends_on.filter((id) => {
      const d = this.find(id);
      return d === undefined || !this.isDone(d);
    });
  }

  notYet(t: Task): boolean {
    const nb = t.data.not_before;
    return nb != null && Date.parse(nb) > this.now.getTime();
  }

  isBlocked(t: Task): boolean {
    if (t.data.status === 'blocked') return true;
    return t.data.status === 'todo' && (this.unsatisfied(t).length > 0 || this.onCycle(t));
  }

  /** In progress under a claim whose lease has run out. */
  leaseExpired(t: Task): boolean {
    const until = (t.data.lease as { until?: string } | null | undefined)?.until;
    return (
      t.data.status === 'in_progress' && until != null && Date.parse(until) < this.now.getTime()
    );
  }

  isReady(t: Task): boolean {
    const open = t.data.status === 'todo' || this.leaseExpired(t);
    const held = this.unsatisfied(t).length > 0 || this.onCycle(t);
    return open && !held && !this.notYet(t);
  }

  effectivePriority(t: Task): number {
    const base = PRIORITY_ORDER.indexOf(t.data.priority);
    const aging = this.config.aging;
    if (aging === false || t.data.created == null) return base;
    const days = (this.now.getTime() - Date.parse(t.data.created)) / 86_400_000;
    const levels = Math.floor(days / aging.every_days);
    const max = PRIORITY_ORDER.indexOf(aging.max);
    let level = base;
    for (let k = 0; k < levels; k++) if (level > max) level--;
    return level;
  }

  /** Open work: not done/cancelled and not on a cycle. */
  open(t: Task): boolean {
    return !this.isDone(t) && !this.onCycle(t);
  }

  dependentsOf(t: Task): Task[] {
    return this.nodes.filter((d) => d !== t && d.data.depends_on.includes(t.data.id));
  }

  /** Max over every path t -> d1 -> d2 ... of open dependents, of the summed estimates. */
  unblocks(t: Task): number {
    let best = 0;
    for (const d of this.dependentsOf(t)) {
      if (!this.open(d)) continue;
      best = Math.max(best, refHours(d.data.estimate, this.config) + this.unblocks(d));
    }
    return best;
  }

  readyOrder(): string[] {
    const keyed = this.nodes
      .filter((t) => this.isReady(t))
      .map((t) => ({
        id: t.data.id,
        keys: [
          this.effectivePriority(t),
          -this.unblocks(t),
          t.data.due == null ? Number.POSITIVE_INFINITY : Date.parse(t.data.due),
          t.data.created == null ? Number.POSITIVE_INFINITY : Date.parse(t.data.created),
        ],
      }));
    keyed.sort((a, b) => {
      for (let k = 0; k < a.keys.length; k++) {
        if (a.keys[k]! < b.keys[k]!) return -1;
        if (a.keys[k]! > b.keys[k]!) return 1;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return keyed.map((k) => k.id);
  }

  /** Strongly connected groups of size > 1, by mutual reachability. */
  cycleGroups(): Set<string>[] {
    const groups: Set<string>[] = [];
    for (const a of this.nodes) {
      if (groups.some((g) => g.has(a.data.id))) continue;
      const group = new Set([a.data.id]);
      for (const b of this.nodes) {
        if (b !== a && this.reaches(a, b) && this.reaches(b, a)) group.add(b.data.id);
      }
      if (group.size > 1) groups.push(group);
    }
    return groups;
  }

  /** Fewest edges of a closed walk from `t` back to `t` without self-loops, or undefined. */
  shortestCycleLength(t: Task): number | undefined {
    let frontier = new Set([t]);
    for (let k = 1; k <= this.nodes.length; k++) {
      const next = new Set<Task>();
      for (const u of frontier) for (const d of this.depsOf(u)) if (d !== u) next.add(d);
      if (next.has(t)) return k;
      frontier = next;
    }
    return undefined;
  }

  /** Longest chain of open tasks by summed estimates, over every path. */
  criticalHours(): number {
    const longestFrom = (t: Task): number => {
      let best = 0;
      for (const d of this.depsOf(t))
        if (d !== t && this.open(d)) best = Math.max(best, longestFrom(d));
      return refHours(t.data.estimate, this.config) + best;
    };
    let best = 0;
    for (const t of this.nodes) if (this.open(t)) best = Math.max(best, longestFrom(t));
    return best;
  }

  /** Simulate rounds: each round runs every open task whose dependencies are all finished. */
  waves(): { waves: string[][]; unschedulable: string[] } {
    const finished = new Set(this.nodes.filter((t) => this.isDone(t)).map((t) => t.data.id));
    let pending = this.nodes.filter((t) => !this.isDone(t) && !this.onCycle(t));
    const waves: string[][] = [];
    for (;;) {
      const round = pending.filter((t) => t.data.depends_on.every((id) => finished.has(id)));
      if (round.length === 0) break;
      waves.push(round.map((t) => t.data.id).sort());
      for (const t of round) finished.add(t.data.id);
      pending = pending.filter((t) => !round.includes(t));
    }
    const unschedulable = this.nodes
      .filter((t) => !this.isDone(t) && !waves.some((w) => w.includes(t.data.id)))
      .map((t) => t.data.id)
      .sort();
    return { waves, unschedulable };
  }

  /** Roots of a blocked task: walk unsatisfied dependencies through todo tasks blocked by theirs. */
  roots(t: Task): { id: string; why: string }[] {
    const found = new Map<string, string>();
    const visited = new Set<Task>([t]);
    const walk = (u: Task): void => {
      for (const id of this.unsatisfied(u)) {
        const d = this.find(id);
        if (d === undefined) found.set(id, 'missing');
        else if (d === t)
          continue; // only through a self-dependency: never its own root
        else if (this.onCycle(d)) found.set(id, 'cycle');
        else if (this.leaseExpired(d) && this.isReady(d)) found.set(id, 'ready');
        else if (d.data.status === 'in_progress' || d.data.status === 'review')
          found.set(id, 'active');
        else if (d.data.status === 'blocked') found.set(id, 'blocked');
        else if (d.data.status === 'failed') found.set(id, 'failed');
        else if (this.isBlocked(d)) {
          if (!visited.has(d)) {
            visited.add(d);
            walk(d);
          }
        } else found.set(id, this.notYet(d) ? 'scheduled' : 'ready');
      }
    };
    walk(t);
    return [...found]
      .map(([id, why]) => ({ id, why }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
