/**
 * `baton claim ID [--lease 2h] [--push]` and `baton release ID [--commit]`.
 *
 * A claim sets `status: in_progress`, `assignee`, `lease: { agent, until, claimed }` and
 * `updated`, and logs `claim: lease until <until>`. Concurrent claims on one machine are
 * serialized by the task's lock (`.tasks/.local/locks/<id>.lock`); the task is read again
 * after the lock is taken and the decision (`core/claim-decision.ts`) is made on that.
 * `--push` commits (`baton: claim <id>`, trailer `Baton-Task`) and pushes; see
 * `claim-push.ts` for lost races. `claimTask` is exported for `next --claim`. `release` is
 * one `changeTask`. With `--json` both print their result: status `from -> to`, what became
 * ready, and the commit.
 */
import { decideClaim, decideRelease, parseLeaseDuration } from '../../core/claim-decision.js';
import { formatEntry } from '../../core/log-entry.js';
import { refused, UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog } from '../../format/log.js';
import type { Status } from '../../schema/fields.js';
import { commitWritten, trailers, type Written } from '../../store/commit.js';
import { withTaskLock } from '../../store/lock.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { changeResult, changeTask } from '../task-change.js';
import { newlyReady, reportWrite } from '../write-result.js';

export interface ClaimResult {
  id: string;
  path: string;
  agent: string;
  kind: 'claim' | 'extend' | 'takeover';
  until: string;
  /** The agent whose expired lease was taken over. */
  previous?: string;
  /** The claim commit, with `--push`. */
  commit?: string;
  /** The status before the claim (after it: `in_progress`). */
  from: Status;
  /** Tasks that became ready through the claim. */
  now_ready: string[];
}

/** Claim the task `query` names, under its lock; throws `REFUSED` with the reason. */
export async function claimTask(
  ctx: Ctx,
  query: string,
  opts: { lease?: string; commit?: boolean } = {},
): Promise<ClaimResult> {
  const leaseText = opts.lease ?? '2h';
  const leaseMs = parseLeaseDuration(leaseText);
  if (leaseMs === undefined) {
    throw new UserError(
      'USAGE',
      `--lease takes a duration such as 30m, 2h or 1d, not "${leaseText}"`,
    );
  }
  const agent = await ctx.agent();
  const root = ctx.root();
  const first = await analyze(ctx);
  const id = first.graph.ids[findTask(first.graph, query)]!;
  return withTaskLock(root, id, async () => {
    // decide on what is on disk now, not on what we read before taking the lock
    const { graph, states, snapshot } = await analyze(ctx);
    const i = graph.index.get(id);
    if (i === undefined) throw new UserError('TASK_NOT_FOUND', `task ${id} is gone`);
    const task = graph.tasks[i]!;
    const now = new Date();
    const time = isoNow(now);
    const until = isoNow(new Date(now.getTime() + leaseMs));
    let result: ClaimResult | undefined;
    const written: Written = { path: task.path, before: '', after: '' };
    const m = await mutateTask(root, task, (text, data) => {
      const decision = decideClaim(data, agent, now, states[i]);
      if (!decision.ok) throw refused(decision);
      result = {
        id,
        path: task.path,
        agent,
        kind: decision.kind,
        until,
        from: data.status,
        now_ready: [],
      };
      if (decision.kind === 'takeover') result.previous = decision.previous!;
      const note =
        decision.kind === 'extend'
          ? ' (extended)'
          : decision.kind === 'takeover'
            ? ` (took over the expired lease of ${decision.previous})`
            : '';
      const fields = {
        status: 'in_progress',
        assignee: agent,
        lease: { agent, until, claimed: time },
        updated: time,
      };
      const entry = formatEntry({
        time,
        agent,
        verb: 'claim',
        message: `lease until ${until}${note}`,
      });
      written.before = text;
      written.after = appendLog(setFields(text, fields), entry);
      return written.after;
    });
    const claimed = result!;
    if (m.before.status !== m.after.status) {
      claimed.now_ready = newlyReady(snapshot, graph, i, m.after, states);
    }
    if (opts.commit) {
      const message = `baton: claim ${id}`;
      const done = await commitWritten(
        root.root,
        [written],
        message,
        trailers({ 'Baton-Task': id }),
      );
      if (done.commit) claimed.commit = done.commit;
    }
    return claimed;
  });
}

export async function runClaim(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const push = opts.push === true;
  const flow = push ? await import('./claim-push.js') : undefined;
  const cwd = ctx.root().root;
  const up = flow ? await flow.prepareClaimPush(cwd) : undefined;
  const lease = typeof opts.lease === 'string' ? opts.lease : undefined;
  const r = await claimTask(ctx, args[0] ?? '', { ...(lease ? { lease } : {}), commit: push });
  if (flow && up && r.commit) {
    const { commit } = r;
    const outcome = await flow
      .pushClaim({ cwd, path: r.path, id: r.id, agent: r.agent, commit, up })
      .catch(async (error: unknown) => {
        // a push that failed for good (no network, no permission): take the claim back
        const undone = await flow.abandonClaim(cwd, commit);
        ctx.err(`the claim of ${r.id} was ${undone ? 'undone' : 'left committed locally'}`);
        throw error;
      });
    if (!outcome.won) {
      ctx.err(`lost: ${outcome.message}`);
      if (!outcome.undone) {
        ctx.err(
          'the claim commit could not be undone automatically; see `git status` and `git log`',
        );
      }
      return 1;
    }
  }
  const what =
    r.kind === 'extend'
      ? 'extended the claim on'
      : r.kind === 'takeover'
        ? `took over (expired lease of ${r.previous})`
        : 'claimed';
  const result = {
    id: r.id,
    agent: r.agent,
    verb: 'claim',
    changed: true,
    from: r.from,
    to: 'in_progress',
    kind: r.kind,
    until: r.until,
    ...(r.previous ? { previous: r.previous } : {}),
    now_ready: r.now_ready,
    ...(push ? { commit: r.commit ?? null, pushed: true } : {}),
  };
  const line = `${what} ${r.id}: lease until ${r.until}${push ? ' (pushed)' : ''}`;
  return reportWrite(ctx, opts, result, [line]);
}

export async function runRelease(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const agent = await ctx.agent();
  const r = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'release',
    commit: opts.commit === true,
    change: ({ text, data, now, time }) => {
      const decision = decideRelease(data, agent, now);
      if (!decision.ok) throw refused(decision);
      const fields = { status: 'todo', assignee: undefined, lease: undefined, updated: time };
      return appendLog(setFields(text, fields), formatEntry({ time, agent, verb: 'release' }));
    },
  });
  const result = changeResult(r, agent, 'release', {}, true);
  return reportWrite(ctx, opts, result, [`released ${r.id}: back to todo`, r.committed]);
}
