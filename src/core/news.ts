/**
 * What changed for one agent between two snapshots of the tasks (before and after a pull,
 * merge, checkout or rebase), as a pure function. The CLI (`baton news`, the post-merge,
 * post-checkout, post-rewrite and post-commit hooks, and `watch`) reads both sides and prints
 * this.
 *
 * Decisions:
 * - Both sides are judged at the same `now`, so a `not_before` or a lease that merely ran
 *   out in between is not news: only what the other side's commits changed is.
 * - `handoff`: a new `handoff -> <agent>` log entry by someone else (unless the task has
 *   since gone on to another assignee), or the assignee changed to the agent with no new log
 *   entry by the agent explaining it (their own claim). A new task assigned to the agent
 *   counts. `ready` on the item says whether it is ready now.
 * - `claimed`: the agent held the task before (lease agent or assignee) and now someone else
 *   does, with no new `handoff`/`release` entry by the agent (giving it away is not news).
 * - `ready`: ready now, not ready before (or new), assigned to the agent or to nobody, and
 *   not already announced as a hand-off.
 * - `discovery`: every new `discover` log entry by someone else, on any task, in time order.
 * - `cycle`: a dependency cycle the before side did not have (compared as id paths).
 * - `bad-file`: a `schema` or `conflict-markers` error the before side did not have
 *   (compared by path, rule and message; lines move).
 * - New log entries are the after side's entries minus the before side's, as a multiset of
 *   lines. Logs are optional per task: a task whose id is in neither side's `logs` map is
 *   taken to have the same log on both sides (callers read logs only for the files that
 *   differ); one in `after.logs` only is new, so all of its entries are.
 * Items come grouped in the order of `NewsKind`, tasks in path order within a group.
 */
import { buildGraph, type Graph } from './graph.js';
import { formatEntry, type LogEntry } from './log-entry.js';
import { computeReadiness, type Readiness } from './readiness.js';
import type { Problem, Task } from './types.js';

export interface NewsSide {
  tasks: readonly Task[];
  /** `## Log` entries by task id; see the module comment for what an absent id means. */
  logs?: ReadonlyMap<string, readonly LogEntry[]>;
  /** File problems (schema, conflict markers) of this side. */
  problems?: readonly Problem[];
}

export interface TaskRef {
  id: string;
  title: string;
  path: string;
}

export interface HandoffNews extends TaskRef {
  kind: 'handoff';
  /** Who handed it over (the log entry's agent), when a log entry says so. */
  from?: string;
  /** The assignee before, when the assignee changed to the agent. */
  previous?: string;
  note?: string;
  artifacts?: string[];
  /** Ready now. */
  ready: boolean;
}

export interface ClaimedNews extends TaskRef {
  kind: 'claimed';
  /** Who holds it now (lease agent, else assignee). */
  by: string;
}

export interface ReadyNews extends TaskRef {
  kind: 'ready';
  priority: string;
  assignee?: string;
}

export interface DiscoveryNews extends TaskRef {
  kind: 'discovery';
  agent: string;
  time: string;
  message: string;
}

export interface CycleNews {
  kind: 'cycle';
  /** An id path that starts and ends with the same id. */
  cycle: string[];
}

export interface BadFileNews {
  kind: 'bad-file';
  path: string;
  rule: string;
  line?: number;
  message: string;
}

export type NewsItem =
  | HandoffNews
  | ClaimedNews
  | ReadyNews
  | DiscoveryNews
  | CycleNews
  | BadFileNews;

export type NewsKind = NewsItem['kind'];
export const NEWS_KINDS: readonly NewsKind[] = [
  'handoff',
  'claimed',
  'ready',
  'discovery',
  'cycle',
  'bad-file',
];

interface Side {
  graph: Graph;
  states: Readiness[];
  logs: ReadonlyMap<string, readonly LogEntry[]>;
}

function side(s: NewsSide, now: Date): Side {
  const graph = buildGraph(s.tasks);
  return { graph, states: computeReadiness(graph, now), logs: s.logs ?? new Map() };
}

const lineOf = (e: LogEntry) => e.raw ?? formatEntry(e);

/** The entries of `after` not in `before`, as a multiset of lines, in `after` order. */
export function newEntries(
  before: readonly LogEntry[] | undefined,
  after: readonly LogEntry[] | undefined,
): LogEntry[] {
  if (!after || after.length === 0) return [];
  if (!before || before.length === 0) return [...after];
  const count = new Map<string, number>();
  for (const e of before) count.set(lineOf(e), (count.get(lineOf(e)) ?? 0) + 1);
  const out: LogEntry[] = [];
  for (const e of after) {
    const k = lineOf(e);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else out.push(e);
  }
  return out;
}

const ref = (t: Task): TaskRef => ({ id: t.data.id, title: t.data.title, path: t.path });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const leaseAgent = (t: Task | undefined) => str(t?.data.lease?.agent);
const assignee = (t: Task | undefined) => str(t?.data.assignee);

export function news(before: NewsSide, after: NewsSide, agent: string, now: Date): NewsItem[] {
  const b = side(before, now);
  const a = side(after, now);
  const groups = new Map<NewsKind, NewsItem[]>(NEWS_KINDS.map((k) => [k, []]));
  const push = (item: NewsItem) => groups.get(item.kind)!.push(item);
  const discoveries: DiscoveryNews[] = [];

  for (let i = 0; i < a.graph.tasks.length; i++) {
    const task = a.graph.tasks[i]!;
    const id = task.data.id;
    const j = b.graph.index.get(id);
    const prev = j === undefined ? undefined : b.graph.tasks[j];
    const fresh =
      a.logs.has(id) || b.logs.has(id) ? newEntries(b.logs.get(id), a.logs.get(id)) : [];
    const isReady = a.states[i]!.state === 'ready';
    const wasReady = j !== undefined && b.states[j]!.state === 'ready';
    const mine = (verbs?: readonly string[]) =>
      fresh.some((e) => e.agent === agent && (!verbs || verbs.includes(e.verb)));
    const owner = assignee(task);

    // Hand-offs to the agent.
    const toMe = fresh.filter(
      (e) => e.verb === 'handoff' && e.target === agent && e.agent !== agent,
    );
    const assignedNow = owner === agent && assignee(prev) !== agent && !mine();
    let handed = false;
    if ((toMe.length > 0 && (owner === undefined || owner === agent)) || assignedNow) {
      const last = toMe[toMe.length - 1];
      const item: HandoffNews = { kind: 'handoff', ...ref(task), ready: isReady };
      if (last) item.from = last.agent;
      const previous = assignee(prev);
      if (assignedNow && previous) item.previous = previous;
      if (last?.message) item.note = last.message;
      if (last?.artifacts) item.artifacts = last.artifacts;
      push(item);
      handed = true;
    }

    // Tasks the agent held that someone else holds now.
    const heldBefore = leaseAgent(prev) === agent || assignee(prev) === agent;
    const holdsNow = leaseAgent(task) === agent || owner === agent;
    const holder = leaseAgent(task) ?? owner;
    if (heldBefore && !holdsNow && holder !== undefined && !mine(['handoff', 'release'])) {
      push({ kind: 'claimed', ...ref(task), by: holder });
    }

    // Newly ready work the agent could take.
    if (isReady && !wasReady && !handed && (owner === undefined || owner === agent)) {
      const item: ReadyNews = { kind: 'ready', ...ref(task), priority: task.data.priority };
      if (owner) item.assignee = owner;
      push(item);
    }

    for (const e of fresh) {
      if (e.verb !== 'discover' || e.agent === agent) continue;
      discoveries.push({
        kind: 'discovery',
        ...ref(task),
        agent: e.agent,
        time: e.time,
        message: e.message ?? '',
      });
    }
  }
  discoveries.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  for (const d of discoveries) push(d);

  const oldCycles = new Set(b.graph.cycles.map((c) => c.join(' -> ')));
  for (const c of a.graph.cycles) {
    if (!oldCycles.has(c.join(' -> '))) push({ kind: 'cycle', cycle: [...c] });
  }

  const bad = (p: Problem) =>
    p.severity === 'error' && (p.rule === 'schema' || p.rule === 'conflict-markers');
  const key = (p: Problem) => `${p.path ?? ''}\0${p.rule}\0${p.message}`;
  const oldProblems = new Set((before.problems ?? []).filter(bad).map(key));
  const seen = new Set<string>();
  for (const p of after.problems ?? []) {
    if (!bad(p) || oldProblems.has(key(p)) || seen.has(key(p))) continue;
    seen.add(key(p));
    const item: BadFileNews = {
      kind: 'bad-file',
      path: p.path ?? '',
      rule: p.rule,
      message: p.message,
    };
    if (p.line !== undefined) item.line = p.line;
    push(item);
  }

  return NEWS_KINDS.flatMap((k) => groups.get(k)!);
}
