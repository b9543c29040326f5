/**
 * The schedule as `baton plan` reports it: the simulation plus the finish date, each
 * agent's load, the spread of the load, and the assignees it proposes.
 *
 * Decisions:
 * - Finish date: the working hours until the last task ends, spread evenly over the
 *   calendar: a working week of `days_per_week` days of `hours_per_day` hours takes 7
 *   calendar days, so the date is now + hours / hours_per_day * 7 / days_per_week days
 *   (UTC date). No holidays, no weekday logic.
 * - Utilization of an agent: its hours of work / (capacity * finish); 0 with no work.
 * - Load variance: the population variance of the hours each agent with capacity got
 *   (agents with capacity 0 take no part), and its square root, the standard deviation.
 * - Proposals: every scheduled task with no assignee, for the agent the simulation gave it,
 *   in schedule order. Tasks already assigned (to anyone) are never proposed.
 */
import type { Config } from '../schema/config.js';
import type { Graph } from './graph.js';
import { type ScheduledTask, type Simulation, simulate } from './schedule.js';
import { type SimAgent, scheduleScope, type Unschedulable } from './schedule-scope.js';

export interface AgentLoad {
  name: string;
  capacity: number;
  /** `null`: every skill. */
  skills: string[] | null;
  hours: number;
  tasks: number;
  /** Busy share of the agent's slots until the finish, 0..1. */
  utilization: number;
}

export interface Proposal {
  id: string;
  agent: string;
}

export interface Schedule {
  finish: { hours: number; date: string };
  agents: AgentLoad[];
  load: { variance: number; stddev: number };
  tasks: ScheduledTask[];
  unschedulable: Unschedulable[];
  failed: string[];
  proposals: Proposal[];
}

const DAY_MS = 86_400_000;

/** The UTC date (YYYY-MM-DD) `hours` working hours after `now` (see the module comment). */
export function finishDate(
  now: Date,
  hours: number,
  config: Pick<Config, 'hours_per_day' | 'days_per_week'>,
): string {
  const days = (hours / config.hours_per_day) * (7 / config.days_per_week);
  return new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Population variance and standard deviation of `values` (0 for none). */
export function spread(values: readonly number[]): { variance: number; stddev: number } {
  if (values.length === 0) return { variance: 0, stddev: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { variance, stddev: Math.sqrt(variance) };
}

function loads(agents: readonly SimAgent[], sim: Simulation): AgentLoad[] {
  return agents.map((a, k) => {
    const hours = sim.agentHours[k] ?? 0;
    const slotHours = a.capacity * sim.finish;
    return {
      name: a.name,
      capacity: a.capacity,
      skills: a.skills === null ? null : [...a.skills],
      hours,
      tasks: sim.agentTasks[k] ?? 0,
      utilization: slotHours > 0 ? hours / slotHours : 0,
    };
  });
}

export function planSchedule(
  graph: Graph,
  config: Config,
  now: Date,
  agents: readonly SimAgent[],
): Schedule {
  const scope = scheduleScope(graph, agents);
  const sim = simulate(graph, config, now, agents, scope);
  const agentLoads = loads(agents, sim);
  const proposals: Proposal[] = [];
  sim.tasks.forEach((t, k) => {
    if (!graph.tasks[sim.nodes[k]!]!.data.assignee) proposals.push({ id: t.id, agent: t.agent });
  });
  return {
    finish: { hours: sim.finish, date: finishDate(now, sim.finish, config) },
    agents: agentLoads,
    load: spread(agentLoads.filter((a) => a.capacity > 0).map((a) => a.hours)),
    tasks: sim.tasks,
    unschedulable: scope.unschedulable,
    failed: scope.failed,
    proposals,
  };
}
