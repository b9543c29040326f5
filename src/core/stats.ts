/**
 * `baton stats`: flow metrics over the tasks' git history (README "Stats" defines each one).
 * Pure: takes what the history reader found and the window, returns the numbers.
 *
 * The population is the tasks **done in the window**: status `done` at the end of the
 * history, their last move to `done` at or after `since`. Each counts once, at that last
 * `done` (a reopened task counts when it is done again). Times per task:
 * - cycle time: first move to `in_progress` -> last `done` (tasks never in progress have none);
 * - lead time: `created` (else the first commit holding the task) -> last `done`;
 * - blocked: the time spent in status `blocked`, summed over the task's life.
 * Percentiles interpolate between the nearest ranks (the median of 1, 2, 3, 4 is 2.5).
 */
import { type Done, measure } from './stats-measure.js';
import { buildTimeline, type History, type Timeline } from './stats-timeline.js';
import { isoWeek, WEEK_MS, weekLabel } from './stats-week.js';

export interface Spread {
  /** Tasks measured. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface Stats {
  since: string | null;
  until: string;
  history: { commits: number; first: string | null; last: string | null; shallow: boolean };
  /** Tasks in the history; created (when known) in the window; done in the window. */
  tasks: { seen: number; created: number; done: number };
  throughput: { weeks: { week: string; start: string; done: number }[]; perWeek: number | null };
  cycleTime: Spread;
  leadTime: Spread;
  /** `count`: done tasks that were ever blocked; the spread is over those. */
  blocked: Spread & { totalHours: number };
  reopen: { reopened: number; done: number; rate: number | null };
  onTime: { onTime: number; withDue: number; rate: number | null };
  handoffs: { total: number; perTask: number | null; max: number };
  /** Completions per agent, most first. */
  agents: { agent: string; done: number }[];
  /** What is missing or approximate (shallow clone, tasks without a start, ...). */
  notes: string[];
}

export interface StatsOptions {
  /** Start of the window, ms; undefined: the whole history. */
  since?: number;
  now: number;
}

/** The `p` quantile (0..1) of ascending `sorted`, interpolated between nearest ranks. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/** Hours with three decimals (to the nearest 3.6 s). */
const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 3600) / 1000);
const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);
const iso = (ms: number | undefined) =>
  ms === undefined ? null : `${new Date(ms).toISOString().slice(0, 19)}Z`;

function spread(values: number[]): Spread {
  const sorted = values.sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianHours: hours(quantile(sorted, 0.5)),
    p90Hours: hours(quantile(sorted, 0.9)),
  };
}

export function computeStats(history: History, opts: StatsOptions): Stats {
  const since = opts.since ?? Number.NEGATIVE_INFINITY;
  const done: Done[] = [];
  let created = 0;
  let doneBefore = 0;
  const timelines = history.tasks.map(buildTimeline);
  for (const t of timelines) {
    if (t.created !== undefined && t.created >= since) created++;
    const d = measure(t);
    if (d === null) doneBefore++;
    else if (d !== undefined && d.doneAt >= since) done.push(d);
  }
  const blockedTimes = done.filter((d) => d.blocked > 0).map((d) => d.blocked);
  const withDue = done.filter((d) => d.onTime !== undefined);
  const handoffs = done.reduce((sum, d) => sum + d.handoffs, 0);
  const perAgent = new Map<string, number>();
  for (const d of done) perAgent.set(d.agent, (perAgent.get(d.agent) ?? 0) + 1);
  const weeks = throughput(done, opts, history.first);
  return {
    since: opts.since === undefined ? null : iso(opts.since),
    until: iso(opts.now)!,
    history: {
      commits: history.commits,
      first: iso(history.first),
      last: iso(history.last),
      shallow: history.shallow,
    },
    tasks: { seen: timelines.length, created, done: done.length },
    throughput: {
      weeks,
      perWeek: weeks.length === 0 ? null : Math.round((done.length / weeks.length) * 100) / 100,
    },
    cycleTime: spread(done.flatMap((d) => (d.cycle === undefined ? [] : [d.cycle]))),
    leadTime: spread(done.flatMap((d) => (d.lead === undefined ? [] : [d.lead]))),
    blocked: {
      ...spread(blockedTimes),
      totalHours: hours(blockedTimes.reduce((a, b) => a + b, 0))!,
    },
    reopen: (() => {
      const reopened = done.filter((d) => d.reopened).length;
      return { reopened, done: done.length, rate: rate(reopened, done.length) };
    })(),
    onTime: (() => {
      const onTime = withDue.filter((d) => d.onTime).length;
      return { onTime, withDue: withDue.length, rate: rate(onTime, withDue.length) };
    })(),
    handoffs: {
      total: handoffs,
      perTask: done.length === 0 ? null : Math.round((handoffs / done.length) * 100) / 100,
      max: done.reduce((m, d) => Math.max(m, d.handoffs), 0),
    },
    agents: [...perAgent]
      .map(([agent, n]) => ({ agent, done: n }))
      .sort((a, b) => b.done - a.done || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0)),
    notes: notes(history, timelines, done, doneBefore),
  };
}

/**
 * Completions per ISO week, to this week: from the first completion's week, or with `since`
 * from the week of `since` (not before the history's first commit).
 */
function throughput(done: readonly Done[], opts: StatsOptions, first: number | undefined) {
  const times = done.map((d) => d.doneAt);
  const start = opts.since === undefined ? undefined : Math.max(opts.since, first ?? opts.since);
  if (times.length === 0 && (start === undefined || first === undefined)) return [];
  const from = times.reduce((a, b) => Math.min(a, b), start ?? Number.POSITIVE_INFINITY);
  const last = times.reduce((a, b) => Math.max(a, b), opts.now);
  const counts = new Map<number, number>();
  for (const t of times) counts.set(isoWeek(t), (counts.get(isoWeek(t)) ?? 0) + 1);
  const out: { week: string; start: string; done: number }[] = [];
  for (let w = isoWeek(from); w <= last; w += WEEK_MS) {
    out.push({ week: weekLabel(w), start: iso(w)!.slice(0, 10), done: counts.get(w) ?? 0 });
  }
  return out;
}

function notes(h: History, timelines: Timeline[], done: Done[], doneBefore: number): string[] {
  const out: string[] = [];
  if (h.commits === 0) {
    out.push('no commit changes a task file: stats reads the committed history of .tasks/ only');
  }
  const neverStarted = done.filter((d) => d.cycle === undefined && !d.startUnknown).length;
  if (neverStarted > 0) {
    out.push(`done tasks that never went to in_progress (no cycle time): ${neverStarted}`);
  }
  if (!h.shallow) return out;
  const first = iso(h.first)?.slice(0, 10) ?? 'nowhere';
  const truncated = timelines.filter((t) => t.truncated).length;
  out.push(
    `shallow clone: the history starts at ${first} (${h.commits} commits); for the ${truncated} ` +
      'tasks already there, what came before is known only from their ## Log lines',
  );
  const count = (f: (d: Done) => boolean) => done.filter((d) => d.truncated && f(d)).length;
  const missing: [string, number][] = [
    ['tasks done before it without a done log line (left out)', doneBefore],
    ['done tasks without a `created` field (no lead time)', count((d) => d.lead === undefined)],
    ['done tasks started before it (no cycle time)', count((d) => d.startUnknown)],
    [
      `done tasks blocked when it starts (blocked time counted from ${first})`,
      count((d) => d.blockedPartial),
    ],
  ];
  for (const [what, n] of missing) if (n > 0) out.push(`${what}: ${n}`);
  out.push('`git fetch --unshallow` reads the whole history');
  return out;
}
