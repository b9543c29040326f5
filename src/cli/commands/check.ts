/**
 * `baton check`: validate every task file (or, with --staged, the snapshot in git's index)
 * and the graph. Exit 1 when any error is found; warnings alone exit 0.
 */
import { type CheckResult, compareWithBase, runChecks } from '../../core/check.js';
import { buildGraph } from '../../core/graph.js';
import type { Snapshot } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { problemsGithub, problemsJson, problemsText } from '../../report/problems.js';
import { gitOutput } from '../../store/git.js';
import { tasksAtRev } from '../../store/git-snapshot.js';
import { stagedSnapshot as readStaged } from '../../store/staged.js';
import type { Ctx } from '../context.js';

export async function runCheck(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const format = opts.json ? 'json' : String(opts.format ?? 'text');
  const snapshot = opts.staged ? await stagedSnapshot(ctx) : await ctx.load();
  let result = runChecks(snapshot, buildGraph(snapshot.tasks));
  if (typeof opts.base === 'string') result = await withBase(ctx, opts.base, snapshot, result);
  const text =
    format === 'json'
      ? problemsJson(result)
      : format === 'github'
        ? problemsGithub(result)
        : problemsText(result, paint(ctx.color));
  if (text) ctx.out(text);
  return result.ok ? 0 : 1;
}

/** Mark the problems the change since `rev` introduced, and add tasks it reopened. */
async function withBase(
  ctx: Ctx,
  rev: string,
  snapshot: Snapshot,
  result: CheckResult,
): Promise<CheckResult> {
  const root = ctx.root();
  const commit = resolveRev(root.root, rev);
  const before = await tasksAtRev(root.root, commit);
  const beforeSnapshot: Snapshot = {
    ...snapshot,
    tasks: before.tasks,
    fileProblems: before.problems,
  };
  const beforeResult = runChecks(beforeSnapshot, buildGraph(before.tasks));
  const { introduced, reopened } = compareWithBase(
    { tasks: before.tasks, result: beforeResult },
    { tasks: snapshot.tasks, result },
  );
  const fresh = new Set(introduced);
  const problems = [
    ...result.problems.map((p) => (fresh.has(p) ? { ...p, introduced: true as const } : p)),
    ...reopened,
  ];
  return { ok: result.ok, problems };
}

function resolveRev(root: string, rev: string): string {
  try {
    return gitOutput(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
  } catch {
    throw new UserError('USAGE', `--base: "${rev}" is not a commit in this repository`);
  }
}

async function stagedSnapshot(ctx: Ctx): Promise<Snapshot> {
  // From the index cache matched against git's index, else the working tree corrected by
  // git (src/store/staged.ts; the full read of every staged blob is the reference there).
  return readStaged(ctx.root(), () => ctx.load());
}
