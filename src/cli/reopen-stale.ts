/**
 * `baton reopen --stale`: every done task whose result is stale (inherited ones too) goes
 * back to `todo`, each with its own log line, all computed before any file is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatEntry } from '../core/log-entry.js';
import { staleResults } from '../core/stale.js';
import { UserError } from '../errors.js';
import { setFields } from '../format/edit.js';
import { appendLog } from '../format/log.js';
import { isoNow, mutateTask } from '../store/mutate.js';
import type { Ctx } from './context.js';

/** `reopen --stale`: every done task whose result is stale, in one step, each logged. */
export async function reopenStale(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  if (args[0] !== undefined) {
    throw new UserError('USAGE', 'reopen takes a task id or --stale, not both');
  }
  const snapshot = await ctx.load();
  const root = ctx.root();
  const { taskFingerprints } = await import('../store/fingerprint.js');
  const stale = staleResults(snapshot.tasks, taskFingerprints(root.root, snapshot.tasks).of);
  if (stale.length === 0) {
    ctx.out('no stale results; nothing reopened');
    return 0;
  }
  const byPath = new Map(snapshot.tasks.map((t) => [t.path, t]));
  const given =
    typeof opts.reason === 'string' && opts.reason.trim() ? opts.reason.trim() : undefined;
  const now = isoNow(snapshot.now);
  const agent = await ctx.agent();
  const plan = stale.map((s) => {
    const why =
      given ??
      (s.inherited
        ? `result stale: depends on ${s.via}, whose result is stale`
        : 'result stale: its inputs changed');
    const entry = formatEntry({ time: now, agent, verb: 'reopen', message: why });
    const change = (text: string) =>
      appendLog(setFields(text, { status: 'todo', updated: now }), entry);
    return { s, task: byPath.get(s.path)!, why, change };
  });
  // Compute every new text before writing any: one task that cannot be edited stops all.
  for (const p of plan) p.change(readFileSync(join(root.root, p.task.path), 'utf8'));
  const written: { path: string; before: string; after: string }[] = [];
  for (const p of plan) {
    const w = { path: p.task.path, before: '', after: '' };
    await mutateTask(root, p.task, (text) => {
      w.before = text;
      w.after = p.change(text);
      return w.after;
    });
    written.push(w);
    ctx.out(`${p.s.id}: done -> todo (${p.why})`);
  }
  if (opts.commit === true) {
    const { commitWritten, describeCommit } = await import('../store/commit.js');
    const ids = plan.map((p) => p.s.id);
    const message = `baton: reopen ${ids.length === 1 ? ids[0] : `${ids.length} stale results`}`;
    const trailerLines = ids.map((id) => `Baton-Task: ${id}`);
    const done = await commitWritten(root.root, written, message, trailerLines);
    ctx.out(describeCommit(done, message));
  }
  return 0;
}
