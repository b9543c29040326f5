/**
 * `baton fail ID --reason R [--commit]` and `baton failed [--json]`.
 *
 * `fail` counts a failed attempt (decided in `core/retry.ts`): under the attempt limit the
 * task goes back to `todo` with `not_before` set by exponential backoff, at the limit it
 * becomes `failed`. The change is made under the task's lock, on the file as read then.
 * `failed` is the dead-letter list: every failed task with each failure from its log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatEntry } from '../../core/log-entry.js';
import { decideFail, type Failure, failures, maxAttempts } from '../../core/retry.js';
import type { Task } from '../../core/types.js';
import { refused, UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog } from '../../format/log.js';
import { paint } from '../../report/color.js';
import { columns } from '../../report/table.js';
import { printJson, taskJson } from '../../report/task-json.js';
import { loadAgents } from '../../store/agents.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';
import { changeResult, changeTask } from '../task-change.js';
import { reportWrite } from '../write-result.js';
import { logEntriesOf } from './channel.js';

export async function runFail(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const reason = typeof opts.reason === 'string' ? opts.reason.trim() : '';
  if (!reason) throw new UserError('USAGE', 'baton fail needs --reason: say what went wrong');
  const { loadConfig } = await import('../../store/config-load.js');
  const { config } = await loadConfig(ctx.root());
  const agent = await ctx.agent();
  let outcome = '';
  let attempt: Record<string, unknown> = {};
  const done = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'fail',
    commit: opts.commit === true,
    change: ({ text, data, now, time }) => {
      const decision = decideFail(data, config, now, reason);
      if (!decision.ok) throw refused(decision);
      const { attempt: n, max } = decision;
      attempt = {
        reason,
        attempt: n,
        max_attempts: max,
        final: decision.final,
        not_before: decision.notBefore ?? null,
      };
      outcome = decision.final
        ? `attempt ${n} of ${max} failed; no retries left: status failed (see baton failed)`
        : `attempt ${n} of ${max} failed; back to todo, retry after ${decision.notBefore}`;
      const entry = formatEntry({ time, agent, verb: 'fail', message: decision.message });
      return appendLog(setFields(text, { ...decision.fields, updated: time }), entry);
    },
  });
  const result = changeResult(done, agent, 'fail', attempt, true);
  return reportWrite(ctx, opts, result, [`${done.id}: ${outcome}`, done.committed]);
}

interface DeadLetter {
  task: Task;
  max: number;
  failures: Failure[];
  /** The backup of the agent whose attempt failed last, from its profile. */
  escalate?: string;
}

export async function runFailed(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph } = await analyze(ctx);
  const root = ctx.root().root;
  const { agents } = await loadAgents(ctx.root());
  const backupOf = new Map(agents.map((a) => [a.name, a.backup]));
  const dead: DeadLetter[] = graph.tasks
    .filter((t) => t.data.status === 'failed')
    .sort((a, b) => (a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0))
    .map((task) => ({
      task,
      max: maxAttempts(task.data, snapshot.config),
      failures: failures(logEntriesOf(readFileSync(join(root, task.path), 'utf8'))),
    }))
    .map((d) => {
      // Escalation: the backup named in the profile of the agent whose attempt failed last.
      const last = d.failures[d.failures.length - 1]?.agent ?? d.task.data.assignee;
      const escalate = last ? backupOf.get(last) : undefined;
      return escalate ? { ...d, escalate } : d;
    });
  if (opts.json) {
    ctx.out(
      printJson(
        dead.map((d) =>
          taskJson(
            d.task,
            { max_attempts: d.max, failures: d.failures, escalate_to: d.escalate ?? null },
            snapshot.now,
          ),
        ),
      ),
    );
    return 0;
  }
  if (dead.length === 0) {
    ctx.out('No failed tasks.');
    return 0;
  }
  const p = paint(ctx.color);
  const out: string[] = [];
  for (const d of dead) {
    const tries = d.task.data.attempts ?? d.failures.length;
    out.push(
      `${p.bold(d.task.data.id)}  ${d.task.data.title}  ${p.dim(`(${tries} of ${d.max} attempts)`)}`,
    );
    if (d.escalate) out.push(`  escalate to ${p.bold(d.escalate)} (backup in the profile)`);
    if (d.failures.length === 0) {
      out.push(`  ${p.dim('no failure recorded in its log (status set by hand)')}`);
      continue;
    }
    const rows = d.failures.map((f) => [p.dim(f.time), f.agent, f.reason || '-']);
    out.push(
      ...columns(rows)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  ctx.out(out.join('\n'));
  return 0;
}
