/**
 * `baton approve ID [--note N] [--commit]`: one of the task's `reviewers` approves it; the
 * log gets `approve[: note]`. Who may approve and which approvals count: `core/approvals.ts`.
 * Approving again while an approval still counts writes nothing, unless a note is given.
 * Like `share`, an approval leaves `updated` alone, so two reviewers approving on two
 * clones merge without a conflict.
 */
import { decideApprove } from '../../core/approvals.js';
import { formatEntry } from '../../core/log-entry.js';
import { refused } from '../../errors.js';
import { appendLog } from '../../format/log.js';
import type { Ctx } from '../context.js';
import { changeResult, changeTask } from '../task-change.js';
import { reportWrite } from '../write-result.js';
import { logEntriesOf } from './channel.js';

export async function runApprove(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const note = typeof opts.note === 'string' && opts.note.trim() ? opts.note.trim() : undefined;
  const agent = await ctx.agent();
  let outcome = '';
  let state: { already: boolean; approved: string[]; pending: string[] } | undefined;
  const done = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'approve',
    commit: opts.commit === true,
    change: ({ text, data, time }) => {
      const decision = decideApprove(data, agent, logEntriesOf(text));
      if (!decision.ok) throw refused(decision);
      const { approved, pending } = decision.state;
      state = { already: decision.already, approved, pending };
      const total = approved.length + pending.length;
      const still = pending.length > 0 ? `; awaiting ${pending.join(', ')}` : '; all approved';
      outcome = `${decision.already && !note ? 'already approved by' : 'approved by'} ${agent} (${approved.length} of ${total} reviewers${still})`;
      if (decision.already && !note) return text;
      return appendLog(text, formatEntry({ time, agent, verb: 'approve', message: note }));
    },
  });
  const result = changeResult(done, agent, 'approve', { note: note ?? null, ...state });
  return reportWrite(ctx, opts, result, [`${done.id}: ${outcome}`, done.committed]);
}
