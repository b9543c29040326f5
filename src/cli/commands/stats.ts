/**
 * `baton stats [--since D] [--json]`: flow metrics from the git history of `.tasks/` on the
 * current branch, read in one `git log` pass (store/history.ts), computed by the pure
 * `computeStats` (core/stats.ts), printed as text or JSON. Only committed history counts;
 * `--since` picks the tasks done from that date, while the whole history is still read, so a
 * task started before the date and done after it keeps its whole cycle time.
 */
import { computeStats } from '../../core/stats.js';
import { renderStats } from '../../report/stats-text.js';
import { printJson } from '../../report/task-json.js';
import { readHistory, resolveSince } from '../../store/history.js';
import type { Ctx } from '../context.js';

export async function runStats(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { root } = ctx.root();
  const now = Date.now();
  const since = typeof opts.since === 'string' ? resolveSince(root, opts.since, now) : undefined;
  const history = await readHistory(root);
  const stats = computeStats(history, { since, now });
  ctx.out(opts.json ? printJson(stats) : renderStats(stats, { color: ctx.color }));
  return 0;
}
