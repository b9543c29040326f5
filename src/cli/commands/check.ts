/**
 * `baton check`: validate every task file (or, with --staged, the snapshot in git's index)
 * and the graph. Exit 1 when any error is found; warnings alone exit 0.
 */
import { runChecks } from '../../core/check.js';
import { buildGraph } from '../../core/graph.js';
import type { Snapshot } from '../../core/types.js';
import { paint } from '../../report/color.js';
import { problemsGithub, problemsJson, problemsText } from '../../report/problems.js';
import { loadConfig } from '../../store/config-load.js';
import { stagedTaskFiles } from '../../store/git.js';
import { parseTexts } from '../../store/load.js';
import type { Ctx } from '../context.js';

export async function runCheck(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const format = opts.json ? 'json' : String(opts.format ?? 'text');
  const snapshot = opts.staged ? await stagedSnapshot(ctx) : await ctx.load();
  const result = runChecks(snapshot, buildGraph(snapshot.tasks));
  const text =
    format === 'json'
      ? problemsJson(result)
      : format === 'github'
        ? problemsGithub(result)
        : problemsText(result, paint(ctx.color));
  if (text) ctx.out(text);
  return result.ok ? 0 : 1;
}

async function stagedSnapshot(ctx: Ctx): Promise<Snapshot> {
  const root = ctx.root();
  const { config } = await loadConfig(root);
  const parsed = await parseTexts(stagedTaskFiles(root.root));
  return { tasks: parsed.tasks, fileProblems: parsed.problems, config, now: new Date() };
}
