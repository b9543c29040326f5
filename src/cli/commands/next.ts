/**
 * `baton next [--agent A] [--claim [--lease 2h]] [--wait [--timeout T]] [--explain] [--json]`:
 * the best ready task for the acting agent (rules in `core/next.ts`). Exit 0 with a task;
 * with nothing for the agent now, 1 while open work remains for it (wait and ask again) and
 * 3 when none is left (`core/open-work.ts`). `--wait` blocks until a task fits, watching the
 * task files and the next time-dependent change, or until no open work is left or the
 * timeout passes (then exit 1).
 *
 * `--claim` picks and claims under one scheduling lock (`.tasks/.local/locks/_next.lock`),
 * so concurrent `next --claim` runs on one machine see each other's claims and together
 * never overfill an agent or a resource. A claim can still lose to a plain `baton claim`;
 * then the queue is read again and the next task tried, at most `MAX_TRIES` times.
 */
import { parseWallDuration } from '../../core/backoff.js';
import { parseLeaseDuration } from '../../core/claim-decision.js';
import { nextChange } from '../../core/horizon.js';
import { type NextResult, pickNext } from '../../core/next.js';
import { readyQueue } from '../../core/ready-queue.js';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { nextJson, nextText } from '../../report/next-text.js';
import { printJson } from '../../report/task-json.js';
import { type LoadedAgents, loadAgents } from '../../store/agents.js';
import { withTaskLock } from '../../store/lock.js';
import { watchTaskChanges } from '../../store/task-changes.js';
import { analyze } from '../analysis.js';
import { warnUnreadable } from '../bad-files.js';
import type { Ctx } from '../context.js';
import { type ClaimResult, claimTask } from './claim.js';

/** Claims tried before giving up when others keep taking the chosen task first. */
const MAX_TRIES = 5;
/** Not a task id (ids start with a letter or digit), so it never shares a task's lock. */
const SCHEDULING_LOCK = '_next';

/** `next`'s exit code when no open work is left for the agent (1: nothing fits now, wait). */
export const EXIT_NO_OPEN_WORK = 3;

export async function runNext(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const lease = typeof opts.lease === 'string' ? opts.lease : '2h';
  if (opts.claim && parseLeaseDuration(lease) === undefined) {
    throw new UserError('USAGE', `--lease takes a duration such as 30m, 2h or 1d, not "${lease}"`);
  }
  const timeout = opts.timeout === undefined ? undefined : String(opts.timeout);
  const timeoutMs = timeout === undefined ? undefined : parseWallDuration(timeout);
  if (timeout !== undefined && (timeoutMs === undefined || opts.wait !== true)) {
    throw new UserError(
      'USAGE',
      opts.wait !== true
        ? '--timeout goes with --wait'
        : `--timeout takes a duration such as 30s, 5m or 2h, not "${timeout}"`,
    );
  }
  const explain = opts.explain === true;
  const json = opts.json === true;
  const agent = await ctx.agent();
  const agents = await loadAgents(ctx.root());
  warnProblems(ctx, agents);

  if (opts.wait !== true) return finish(ctx, await attempt(ctx, agent, agents, opts, lease));
  // --wait: look, and while nothing fits but work remains, sleep until a task file changes
  // or the next time-dependent change (a not_before, a lease's end) comes.
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  const changes = watchTaskChanges(ctx.root());
  try {
    for (;;) {
      const a = await attempt(ctx, agent, agents, opts, lease);
      const open = a.result?.open;
      if (!a.result || a.result.choice || open?.count === 0 || Date.now() >= deadline) {
        return finish(ctx, a);
      }
      await changes.next(Math.min(deadline, a.until) - Date.now());
    }
  } finally {
    changes.close();
  }

  function finish(c: Ctx, a: Attempt): number {
    if (!a.result) return 1;
    return report(c, a.result, explain, json, a.claimed);
  }
}

interface Attempt {
  /** Undefined when every claim tried was refused (already reported). */
  result?: NextResult;
  claimed?: ClaimResult;
  /** The next moment something time-dependent can change the answer (ms since the epoch). */
  until: number;
}

/** One look at the queue: pick, and with --claim, claim under the scheduling lock. */
async function attempt(
  ctx: Ctx,
  agent: string,
  agents: LoadedAgents,
  opts: Record<string, unknown>,
  lease: string,
): Promise<Attempt> {
  if (!opts.claim) return choose(ctx, agent, agents, new Set());
  return withTaskLock(
    ctx.root(),
    SCHEDULING_LOCK,
    async () => {
      const refused = new Map<string, string>();
      for (let k = 0; k < MAX_TRIES; k++) {
        const chosen = await choose(ctx, agent, agents, new Set(refused.keys()));
        const id = chosen.result?.choice?.ranked.task.data.id;
        if (id === undefined) return chosen;
        let claimed: ClaimResult;
        try {
          claimed = await claimTask(ctx, id, { lease });
        } catch (error) {
          if (!(error instanceof UserError) || error.code !== 'REFUSED') throw error;
          refused.set(id, error.message);
          continue;
        }
        return { ...chosen, result: await claimedVersion(ctx, chosen.result!), claimed };
      }
      for (const [id, why] of refused) ctx.err(`could not claim ${id}: ${why}`);
      ctx.err(`gave up after ${MAX_TRIES} claims were refused; run baton next again`);
      return { until: Date.now() };
    },
    { what: 'next --claim' },
  );
}

/** Read the tasks afresh and pick, leaving out the tasks whose claim was refused. */
async function choose(
  ctx: Ctx,
  agent: string,
  agents: LoadedAgents,
  exclude: ReadonlySet<string>,
): Promise<Attempt> {
  const { snapshot, graph, states } = await analyze(ctx);
  warnUnreadable(ctx, snapshot);
  const queue = readyQueue(graph, snapshot.config, snapshot.now, states).filter(
    (r) => !exclude.has(r.task.data.id),
  );
  const result = pickNext({
    queue,
    graph,
    states,
    agent,
    profiles: agents.agents,
    resources: snapshot.config.resources,
    now: snapshot.now,
  });
  return { result, until: nextChange(snapshot, graph, states) };
}

/** The result with the chosen task as the claim left it (status, assignee, lease). */
async function claimedVersion(ctx: Ctx, result: NextResult): Promise<NextResult> {
  const choice = result.choice!;
  const { graph } = await analyze(ctx);
  const i = graph.index.get(choice.ranked.task.data.id);
  if (i === undefined) return result;
  return { ...result, choice: { ...choice, ranked: { ...choice.ranked, task: graph.tasks[i]! } } };
}

function report(
  ctx: Ctx,
  result: NextResult,
  explain: boolean,
  json: boolean,
  claimed?: ClaimResult,
): number {
  if (json) {
    const claim = claimed ? { kind: claimed.kind, until: claimed.until } : undefined;
    ctx.out(printJson(nextJson(result, { explain, ...(claim ? { claim } : {}) })));
  } else {
    const claim = claimed ? `claimed ${claimed.id}: lease until ${claimed.until}` : undefined;
    const lines = nextText(result, { explain, ...(claim ? { claim } : {}) }, paint(ctx.color));
    ctx.out(lines.join('\n'));
  }
  if (result.choice) return 0;
  return result.open?.count === 0 ? EXIT_NO_OPEN_WORK : 1;
}

/** Bad profiles are warnings here: the agent falls back to capacity 1 and no skills. */
function warnProblems(ctx: Ctx, agents: LoadedAgents): void {
  for (const p of agents.problems) {
    const where = p.line ? `${p.path}:${p.line}` : p.path;
    ctx.err(`warning: ${where}: ${p.message} (run baton agents)`);
  }
}
