/**
 * `baton edit ID`: open the task file in $VISUAL / $EDITOR (default vi), then validate what
 * was saved. An invalid file is reported (exit 1) and left as saved, for fixing, and `baton
 * edit` opens it again: an invalid file holds no task, so ids are looked up among the files
 * that failed to load too, by the id they hold or, when none can be read, their file name.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../../core/graph.js';
import type { Snapshot } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { parseTaskFileFully } from '../../store/parse-file.js';
import { fileStem, taskFileNamespace } from '../../store/scan.js';
import { analyze, resolveOrThrow } from '../analysis.js';
import type { Ctx } from '../context.js';

interface Target {
  path: string;
  namespace: string;
}

/** What `baton edit` calls a file that failed to load: the id it holds, else its file name. */
function brokenName(path: string, id: string | undefined): string {
  return id ?? fileStem(path);
}

/**
 * The file `query` names: a task's, or one that failed to load (an error and no task) by
 * its `brokenName`. One resolution over both, so an exact name wins over a prefix and a
 * prefix of both kinds is ambiguous; a task keeps its id if a broken file claims it too.
 */
function findTarget(snapshot: Snapshot, graph: Graph, query: string): Target {
  const targets = new Map<string, Target>();
  for (const task of graph.tasks) targets.set(task.data.id, task);
  const loaded = new Set(snapshot.tasks.map((t) => t.path));
  for (const p of snapshot.fileProblems) {
    if (p.severity !== 'error' || p.path === undefined || loaded.has(p.path)) continue;
    const name = brokenName(p.path, p.id);
    const namespace = taskFileNamespace(p.path);
    if (namespace !== undefined && !targets.has(name))
      targets.set(name, { path: p.path, namespace });
  }
  return targets.get(resolveOrThrow([...targets.keys()], query))!;
}

export async function runEdit(ctx: Ctx, args: string[]): Promise<number> {
  const { snapshot, graph } = await analyze(ctx);
  const task = findTarget(snapshot, graph, args[0] ?? '');
  const abs = join(ctx.root().root, task.path);
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  const res = spawnSync(`${editor} "$BATON_FILE"`, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, BATON_FILE: abs },
  });
  if (res.error || res.status !== 0) {
    throw new UserError(
      'EDITOR_FAILED',
      `the editor "${editor}" failed (exit ${res.status ?? res.error?.message})`,
    );
  }
  const parsed = await parseTaskFileFully(task.path, task.namespace, readFileSync(abs, 'utf8'));
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !parsed.task) {
    const p = paint(ctx.color);
    for (const e of errors)
      ctx.err(`${e.path}${e.line ? `:${e.line}` : ''}: ${p.red('error')} ${e.message}`);
    const again = parsed.task?.data.id ?? brokenName(task.path, parsed.problems[0]?.id);
    ctx.err(
      `${task.path} was saved but is not a valid task; run \`baton edit ${again}\` again to fix it`,
    );
    return 1;
  }
  ctx.out(`${parsed.task.data.id}: saved`);
  return 0;
}
