/**
 * `baton plan [--agents N | --agent-profiles] [--assign [--write]] [--json]`: the critical
 * path, the waves, and a simulated schedule of the not-done work over the agents.
 *
 * Decisions:
 * - Agents: `--agents N` is N identical agents `agent-1` .. `agent-N`, one slot each, every
 *   skill. `--agent-profiles` is the profiles in `.tasks/agents/` (capacity = slots, skills
 *   = what they can do); it is a usage error when there are none. With neither flag: the
 *   profiles when there are any, else one agent. Bad profiles are reported on stderr and
 *   left out.
 * - `--write` needs `--assign` and named agents (profiles): `agent-1` names nobody.
 */
import { criticalPath, waves } from '../../core/plan.js';
import type { SimAgent } from '../../core/schedule-scope.js';
import { planSchedule } from '../../core/schedule-summary.js';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { type PlanReport, planText } from '../../report/plan-text.js';
import { printJson } from '../../report/task-json.js';
import type { Root } from '../../store/root.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';

const MAX_AGENTS = 10_000;

interface Agents {
  list: SimAgent[];
  from: string;
  named: boolean;
}

function parseCount(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_AGENTS) {
    throw new UserError(
      'USAGE',
      `--agents takes a whole number from 1 to ${MAX_AGENTS}, not "${String(value)}"`,
    );
  }
  return n;
}

function countAgents(n: number, from: string): Agents {
  const list = Array.from({ length: n }, (_, k) => ({
    name: `agent-${k + 1}`,
    capacity: 1,
    skills: null,
  }));
  return { list, from, named: false };
}

async function chooseAgents(ctx: Ctx, root: Root, opts: Record<string, unknown>): Promise<Agents> {
  if (opts.agents !== undefined && opts.agentProfiles) {
    throw new UserError('USAGE', 'give --agents or --agent-profiles, not both');
  }
  if (opts.agents !== undefined) {
    const n = parseCount(opts.agents);
    return countAgents(n, `--agents ${n}`);
  }
  const { loadAgents } = await import('../../store/agents.js');
  const { agents, problems } = await loadAgents(root);
  for (const p of problems) {
    ctx.err(
      `${p.path}${p.line === undefined ? '' : `:${p.line}`}: ${p.message} (profile left out)`,
    );
  }
  if (agents.length === 0) {
    if (opts.agentProfiles) {
      throw new UserError('USAGE', 'no agent profiles in .tasks/agents/ (see baton agents)');
    }
    return countAgents(1, 'one agent: no profiles in .tasks/agents/');
  }
  const list = agents.map((a) => ({ name: a.name, capacity: a.capacity, skills: a.skills }));
  return { list, from: 'profiles in .tasks/agents/', named: true };
}

export async function runPlan(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  if (opts.write && !opts.assign) throw new UserError('USAGE', '--write needs --assign');
  const root = ctx.root();
  const agents = await chooseAgents(ctx, root, opts);
  if (opts.write && !agents.named) {
    throw new UserError(
      'USAGE',
      '--write needs named agents: add profiles under .tasks/agents/ (not --agents N)',
    );
  }
  const { snapshot, graph } = await analyze(ctx);
  const { config, now } = snapshot;
  const schedule = planSchedule(graph, config, now, agents.list);
  const report: PlanReport = {
    schedule,
    criticalPath: criticalPath(graph, config),
    waves: waves(graph),
    agentsFrom: agents.from,
    named: agents.named,
    config,
    titles: new Map(
      schedule.tasks.map((t) => [t.id, graph.tasks[graph.index.get(t.id)!]!.data.title]),
    ),
  };
  if (opts.assign) report.assign = 'proposed';
  if (opts.write && schedule.proposals.length > 0) {
    const { writeAssignees } = await import('../plan-assign.js');
    report.assign = await writeAssignees(root, graph, schedule.proposals, await ctx.agent(), now);
  } else if (opts.write) report.assign = { written: [], skipped: [] };
  if (opts.json) {
    ctx.out(printJson(planJson(report)));
    return 0;
  }
  ctx.out(planText(report, paint(ctx.color)));
  return 0;
}

function planJson(r: PlanReport): Record<string, unknown> {
  const s = r.schedule;
  const out: Record<string, unknown> = {
    agents_from: r.agentsFrom,
    finish: s.finish,
    agents: s.agents,
    load: s.load,
    critical_path: r.criticalPath,
    waves: r.waves.waves,
    schedule: s.tasks,
    unschedulable: s.unschedulable,
    failed: s.failed,
  };
  if (r.assign !== undefined) out.proposals = s.proposals;
  if (r.assign !== undefined && r.assign !== 'proposed') {
    out.written = r.assign.written;
    out.skipped = r.assign.skipped;
  }
  return out;
}
