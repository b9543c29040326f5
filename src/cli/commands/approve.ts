/**
 * `baton approve ID [--note N] [--commit]`: one of the task's `reviewers` approves it; the
 * log gets `approve[: note]`. Who may approve and which approvals count: `core/approvals.ts`.
 * Approving again while an approval still counts writes nothing, unless a note is given.
 * Like `share`, an approval leaves `updated` alone, so two reviewers approving on two
 * clones merge without a conflict.
 */
import { decideApprove } from '../../core/approvals.js';
import { formatEntry } from '../../core/log-entry.js';
import { UserError } from '../../errors.js';
import { appendLog } from '../../format/log.js';
import type { Ctx } from '../context.js';
import { changeTask } from '../task-change.js';
import { logEntriesOf } from './channel.js';

export async function runApprove(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const note = typeof opts.note === 'string' && opts.note.trim() ? opts.note.trim() : undefined;
  const agent = await ctx.agent();
  let outcome = '';
  const done = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'approve',
    commit: opts.commit === true,
    change: ({ text, data, time }) => {
      const decision = decideApprove(data, agent, logEntriesOf(text));
      if (!decision.ok) throw new UserError('REFUSED', decision.reason);
      const { approved, pending } = decision.state;
      const total = approved.length + pending.length;
      const still = pending.length > 0 ? `; awaiting ${pending.join(', ')}` : '; all approved';
      outcome = `${decision.already && !note ? 'already approved by' : 'approved by'} ${agent} (${approved.length} of ${total} reviewers${still})`;
      if (decision.already && !note) return text;
      return appendLog(text, formatEntry({ time, agent, verb: 'approve', message: note }));
    },
  });
  ctx.out(`${done.id}: ${outcome}`);
  if (done.committed) ctx.out(done.committed);
  return 0;
}
