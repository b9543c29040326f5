/**
 * `baton run --dry-run`: the order the runner would start tasks in, by simulation over the
 * plan at the target's tip: each wave takes up to `jobs` tasks as the runner picks them
 * (`pickNext` for each agent with a free slot), then counts them done, which readies the
 * next wave. Real runs differ only where attempts fail, conflict or end out of order.
 */
import type { AgentProfile } from '../core/agents.js';
import { buildGraph } from '../core/graph.js';
import { pickNext } from '../core/next.js';
import { computeReadiness } from '../core/readiness.js';
import { readyQueue } from '../core/ready-queue.js';
import type { Task } from '../core/types.js';
import type { View } from './view.js';

export interface PlannedStart {
  order: number;
  wave: number;
  id: string;
  agent: string;
  why: string;
  /** The command it would run; undefined: none, so the runner skips it. */
  command?: string;
}

const MAX_STARTS = 500;

export function dryRun(
  view: View,
  o: { jobs: number; profiles: AgentProfile[]; agent: string; cmd?: string; maxTasks?: number },
): PlannedStart[] {
  let tasks: Task[] = view.snapshot.tasks.slice();
  const { config, now } = view.snapshot;
  const out: PlannedStart[] = [];
  const limit = Math.min(o.maxTasks ?? MAX_STARTS, MAX_STARTS);
  for (let wave = 1; out.length < limit; wave++) {
    const started: string[] = [];
    // the queue as the wave starts: each pick's place in it is part of "why"
    const first = buildGraph(tasks);
    const waveQueue = readyQueue(first, config, now, computeReadiness(first, now));
    const place = new Map(waveQueue.map((r) => [r.task.data.id, r.rank]));
    for (;;) {
      if (started.length >= o.jobs || out.length >= limit) break;
      const graph = buildGraph(tasks);
      const states = computeReadiness(graph, now);
      const queue = readyQueue(graph, config, now, states);
      const skills = new Set(tasks.flatMap((t) => t.data.skills ?? []));
      const agents: AgentProfile[] =
        o.profiles.length > 0
          ? o.profiles
          : [{ name: o.agent, tools: [], skills: [...skills], capacity: o.jobs, path: '' }];
      let best: { task: Task; agent: AgentProfile; rank: number; why: string } | undefined;
      for (const a of agents) {
        const r = pickNext({
          queue,
          graph,
          states,
          agent: a.name,
          profiles: agents,
          resources: config.resources,
          now,
        });
        const c = r.choice;
        if (c && (!best || c.ranked.rank < best.rank)) {
          const d = c.ranked.task.data;
          const why = [`${d.priority}, ${place.get(d.id) ?? '?'} of ${waveQueue.length} ready`];
          if (d.depends_on.length > 0) why.push(`after ${d.depends_on.join(', ')}`);
          if (c.assigned) why.push(`assigned to ${a.name}`);
          if (c.resources.length > 0) why.push(`uses ${c.resources.map((u) => u.name).join(', ')}`);
          best = { task: c.ranked.task, agent: a, rank: c.ranked.rank, why: why.join('; ') };
        }
      }
      if (!best) break;
      const d = best.task.data;
      const run = (d as Record<string, unknown>).run;
      const command = o.cmd ?? best.agent.command ?? (typeof run === 'string' ? run : undefined);
      out.push({
        order: out.length + 1,
        wave,
        id: d.id,
        agent: best.agent.name,
        why: best.why,
        ...(command ? { command } : {}),
      });
      started.push(d.id);
      // running: in progress, held by the agent, so capacity and resources count it
      tasks = tasks.map((t) =>
        t === best!.task
          ? {
              ...t,
              data: { ...t.data, status: 'in_progress' as const, assignee: best!.agent.name },
            }
          : t,
      );
    }
    if (started.length === 0) break;
    const done = new Set(started);
    tasks = tasks.map((t) =>
      done.has(t.data.id) ? { ...t, data: { ...t.data, status: 'done' as const } } : t,
    );
  }
  return out;
}
