/**
 * What a write command did, as one object: the text reporter prints lines made from it and
 * `--json` prints it whole (SPEC section 4's "one result, many reporters"). Every result
 * starts `{ id, agent, verb, changed }`, then says what changed, then `now_ready` where a
 * status changed, `commit` (a sha, or null when nothing was committed) when `--commit` ran,
 * and `warnings` when there are any. `committed` is the text line of the commit; JSON
 * leaves it out.
 */
import { buildGraph, type Graph } from '../core/graph.js';
import { computeReadiness, type Readiness } from '../core/readiness.js';
import type { Snapshot } from '../core/types.js';
import type { TaskData } from '../schema/task.js';
import type { Ctx } from './context.js';

export interface WriteResult {
  id: string;
  agent: string;
  verb: string;
  changed: boolean;
  warnings?: string[];
  commit?: string | null;
  committed?: string;
  now_ready?: string[];
  [key: string]: unknown;
}

/**
 * Report `result`: as one JSON object with `--json`, else its `warnings` on stderr
 * (`warning: ...`) and the text `lines` on stdout.
 */
export async function reportWrite(
  ctx: Ctx,
  opts: Record<string, unknown>,
  result: WriteResult,
  lines: readonly (string | undefined)[],
): Promise<number> {
  if (opts.json === true) {
    const { printJson } = await import('../report/task-json.js');
    const { committed: _text, ...json } = result;
    ctx.out(printJson(json));
    return 0;
  }
  for (const w of result.warnings ?? []) ctx.err(`warning: ${w}`);
  for (const line of lines) if (line !== undefined) ctx.out(line);
  return 0;
}

/** Ids other than task `i` that are ready once it holds `data`, and were not before. */
export function newlyReady(
  snapshot: Snapshot,
  before: Graph,
  i: number,
  data: TaskData,
  wasReady: readonly Readiness[],
): string[] {
  const tasks = snapshot.tasks.slice();
  const changed = before.tasks[i]!;
  tasks[tasks.indexOf(changed)] = { ...changed, data };
  const graph = buildGraph(tasks);
  const after = computeReadiness(graph, snapshot.now);
  const out: string[] = [];
  for (let j = 0; j < after.length; j++) {
    if (j !== i && after[j]!.state === 'ready' && wasReady[j]!.state !== 'ready')
      out.push(graph.ids[j]!);
  }
  return out.sort();
}
