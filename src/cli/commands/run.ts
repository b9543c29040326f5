/**
 * `baton run [-j N] [--cmd C] [--agent-profiles] [--timeout T] [--into BRANCH] [--check C]
 * [--max-tasks K] [--dry-run] [--json]`, `baton run log ID [--attempt N]` and
 * `baton run gc`. The pool itself is `src/run/runner.ts`; this file reads the options,
 * reports the runner's events (plain lines, a live footer on a terminal, or JSON lines)
 * and turns Ctrl-C into the runner's two-step stop.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseWallDuration } from '../../core/backoff.js';
import { UserError } from '../../errors.js';
import { printJson } from '../../report/task-json.js';
import type { RunEvent } from '../../run/events.js';
import { localDir } from '../../store/root.js';
import type { Ctx } from '../context.js';

export async function runRun(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  if (args[0] === 'log') return runLog(ctx, args.slice(1), opts);
  if (args[0] === 'gc') return runGc(ctx, opts);
  if (args[0] !== undefined) {
    throw new UserError('USAGE', `baton run takes no task ids; "${args[0]}" is not log or gc`);
  }
  const root = ctx.root();
  const jobs = count(opts.jobs ?? '1', '-j', 1, 64);
  const maxTasks = opts.maxTasks === undefined ? undefined : count(opts.maxTasks, '--max-tasks', 1);
  const timeoutMs = duration(opts.timeout, '--timeout');
  const graceMs = duration(opts.grace, '--grace');
  const { currentBranch } = await import('../../store/git.js');
  const target = typeof opts.into === 'string' ? opts.into : currentBranch(root.root);
  if (!target) {
    throw new UserError(
      'USAGE',
      'HEAD is detached: name the branch to merge into with --into BRANCH',
    );
  }
  const { loadConfig } = await import('../../store/config-load.js');
  const { config } = await loadConfig(root);
  const { loadAgents } = await import('../../store/agents.js');
  const profiles = opts.agentProfiles === true ? (await loadAgents(root)).agents : [];
  if (opts.agentProfiles === true && profiles.length === 0) {
    throw new UserError('USAGE', '--agent-profiles: there are no profiles in .tasks/agents/');
  }
  const json = opts.json === true;
  if (opts.dryRun === true) {
    const { dryRun } = await import('../../run/dry-run.js');
    const { branchTip } = await import('../../run/git-plumbing.js');
    const { TipReader } = await import('../../run/view.js');
    const view = await new TipReader(root.root, config).read(
      await branchTip(root.root, target),
      new Date(),
    );
    const plan = dryRun(view, {
      jobs,
      profiles,
      agent: await ctx.agent(),
      ...(typeof opts.cmd === 'string' ? { cmd: opts.cmd } : {}),
      ...(maxTasks !== undefined ? { maxTasks } : {}),
    });
    if (json) ctx.out(printJson({ target, jobs, starts: plan }));
    else {
      ctx.out(`would run into ${target}, ${jobs} at a time, in this order:`);
      for (const s of plan) {
        ctx.out(
          `  ${String(s.order).padStart(3)}. wave ${s.wave}  ${s.id}  (${s.agent}: ${s.why})${s.command ? '' : '  [no command: skipped]'}`,
        );
      }
      if (plan.length === 0) ctx.out('  nothing: no task is ready or can become ready');
    }
    return 0;
  }

  const { Runner } = await import('../../run/runner.js');
  const { eventLine } = await import('../../run/events.js');
  let runnerRef: { openTasks: number; openHours: number } | undefined;
  const live =
    !json && process.stdout.isTTY === true
      ? new (await import('../../run/live-view.js')).LiveView(
          (text) => process.stdout.write(text),
          () => ({ tasks: runnerRef?.openTasks ?? 0, hours: runnerRef?.openHours ?? 0 }),
        )
      : undefined;
  const report = (e: RunEvent) => {
    if (json) ctx.out(JSON.stringify({ ...e, time: new Date().toISOString() }));
    else if (live) live.event(e);
    else ctx.out(eventLine(e));
  };
  const runner = new Runner({
    root: root.root,
    localDir: localDir(root),
    target,
    jobs,
    profiles,
    agent: await ctx.agent(),
    config,
    onEvent: report,
    ...(typeof opts.cmd === 'string' ? { cmd: opts.cmd } : {}),
    ...(typeof opts.check === 'string' ? { check: opts.check } : {}),
    ...(typeof opts.setup === 'string' ? { setup: opts.setup } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(graceMs !== undefined ? { graceMs } : {}),
    ...(maxTasks !== undefined ? { maxTasks } : {}),
  });
  runnerRef = runner;
  const onInt = () => runner.interrupt();
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onInt);
  try {
    const summary = await runner.run();
    return summary.exit;
  } finally {
    live?.close();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onInt);
  }
}

/** `baton run log ID [--attempt N]`: the whole output of an attempt (default: the last). */
async function runLog(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> {
  const { attemptsWithLogs, logPath } = await import('../../run/records.js');
  const id = args[0];
  if (!id) throw new UserError('USAGE', 'baton run log needs a task id');
  const dir = localDir(ctx.root());
  const attempts = attemptsWithLogs(dir, id);
  if (attempts.length === 0) {
    throw new UserError('TASK_NOT_FOUND', `no run log for ${id} in this clone`);
  }
  const n =
    opts.attempt === undefined
      ? attempts[attempts.length - 1]!
      : count(opts.attempt, '--attempt', 1);
  if (!attempts.includes(n)) {
    throw new UserError(
      'USAGE',
      `${id} has run logs for attempts ${attempts.join(', ')}, not ${n}`,
    );
  }
  ctx.out(readFileSync(logPath(dir, id, n), 'utf8'));
  return 0;
}

/**
 * `baton run gc`: delete the branches and logs of attempts whose task is done or cancelled
 * (their work is merged or dropped), and the worktrees git lost track of. Branches of
 * failed, conflicted or open tasks stay: they hold work nobody merged.
 */
async function runGc(ctx: Ctx, opts: Record<string, unknown>): Promise<number> {
  const root = ctx.root();
  const { listRecords, runsDir } = await import('../../run/records.js');
  const { deleteBranch, listBranches } = await import('../../run/git-plumbing.js');
  const { isAlive } = await import('../../run/supervise.js');
  const snapshot = await ctx.load();
  const status = new Map(snapshot.tasks.map((t) => [t.data.id, t.data.status]));
  const closed = (id: string) => status.get(id) === 'done' || status.get(id) === 'cancelled';
  const live = new Set(
    listRecords(localDir(root))
      .filter((r) => r.state === 'running' && isAlive(r.runner_pid))
      .map((r) => r.branch),
  );
  const branches: string[] = [];
  for (const b of await listBranches(root.root, 'baton/')) {
    const id = b.name.split('/')[1] ?? '';
    if (closed(id) && !live.has(b.name)) {
      await deleteBranch(root.root, b.name);
      branches.push(b.name);
    }
  }
  const logs: string[] = [];
  const runs = runsDir(localDir(root));
  for (const r of listRecords(localDir(root))) {
    if (closed(r.id) && r.state !== 'running' && existsSync(join(runs, r.id))) {
      rmSync(join(runs, r.id), { recursive: true, force: true });
      logs.push(r.id);
    }
  }
  const { gitOutput } = await import('../../store/git.js');
  gitOutput(root.root, ['worktree', 'prune']);
  const result = { branches, logs: [...new Set(logs)] };
  if (opts.json === true) ctx.out(printJson(result));
  else
    ctx.out(
      `removed ${branches.length} attempt branch(es) and the run logs of ${result.logs.length} task(s)`,
    );
  return 0;
}

function count(value: unknown, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(
      'USAGE',
      `${flag} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not "${String(value)}"`,
    );
  }
  return n;
}

function duration(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseWallDuration(String(value));
  if (ms === undefined) {
    throw new UserError(
      'USAGE',
      `${flag} takes a duration such as 30s, 5m or 2h, not "${String(value)}"`,
    );
  }
  return ms;
}
