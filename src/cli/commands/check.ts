/**
 * `baton check`: validate every task file (or, with --staged, the snapshot in git's index)
 * and the graph. Exit 1 when any error is found; warnings alone exit 0.
 */
import { type CheckResult, compareWithBase, runChecks, type StaleInput } from '../../core/check.js';
import { buildGraph } from '../../core/graph.js';
import { staleResults } from '../../core/stale.js';
import type { Problem, Severity, Snapshot, Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { problemsGithub, problemsJson, problemsText } from '../../report/problems.js';
import { type InputSource, taskFingerprints } from '../../store/fingerprint.js';
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
  const base = typeof opts.base === 'string' ? opts.base : undefined;
  // stale-result: warning, or error per config and always in CI (--base).
  const severity: Severity =
    base !== undefined || snapshot.config.stale === 'error' ? 'error' : 'warning';
  const source = opts.staged ? 'index' : 'worktree';
  const stale = staleInput(ctx, snapshot.tasks, source, severity);
  let result = runChecks(snapshot, buildGraph(snapshot.tasks), stale.input);
  if (stale.problem) result = withProblem(result, stale.problem);
  if (base !== undefined) result = await withBase(ctx, base, snapshot, result, severity);
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
  severity: Severity,
): Promise<CheckResult> {
  const root = ctx.root();
  const commit = resolveRev(root.root, rev);
  const before = await tasksAtRev(root.root, commit);
  const beforeSnapshot: Snapshot = {
    ...snapshot,
    tasks: before.tasks,
    fileProblems: before.problems,
  };
  // Results at the base are judged by the inputs at the base: stale there too is not new.
  const stale = staleInput(ctx, before.tasks, { rev: commit }, severity);
  const beforeResult = runChecks(beforeSnapshot, buildGraph(before.tasks), stale.input);
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

/**
 * The stale results of `tasks` with inputs read from `source`: one batch of git calls for
 * all tasks, none when no done task has a recorded result. Without git (a copy of the
 * files), one warning says results could not be checked.
 */
function staleInput(
  ctx: Ctx,
  tasks: readonly Task[],
  source: InputSource,
  severity: Severity,
): { input?: StaleInput; problem?: Problem } {
  try {
    const { of } = taskFingerprints(ctx.root().root, tasks, source);
    return { input: { results: staleResults(tasks, of), severity } };
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== 'GIT_FAILED') throw error;
    const message = `cannot check results for staleness: ${error.message}`;
    return { problem: { rule: 'stale-result', severity: 'warning', message } };
  }
}

function withProblem(result: CheckResult, problem: Problem): CheckResult {
  return { ok: result.ok, problems: [problem, ...result.problems] };
}
