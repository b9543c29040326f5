/**
 * `baton agents [list] [--json]`: every agent profile with its skills, capacity and current
 * load, then the agents holding tasks without a profile; bad profiles are printed to stderr
 * as `file:line: message` (exit 1, the good ones still listed).
 * `baton agents import DIR [--force]`: copy the profiles in DIR into `.tasks/agents/`
 * (`store/agent-import.ts`); exit 1 if any file was refused or invalid.
 */
import { resolve } from 'node:path';
import { roster } from '../../core/agents.js';
import { workLoad } from '../../core/work-load.js';
import { UserError } from '../../errors.js';
import { importText, problemText, rosterJson, rosterText } from '../../report/agents-text.js';
import { paint } from '../../report/color.js';
import { printJson } from '../../report/task-json.js';
import { applyImport, planImport } from '../../store/agent-import.js';
import { loadAgents } from '../../store/agents.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';

export async function runAgents(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'import') return runImport(ctx, rest[0], opts.force === true);
  if (verb !== undefined && verb !== 'list') {
    throw new UserError('USAGE', `unknown agents command "${verb}" (list or import)`);
  }
  const [{ agents, problems }, { snapshot, graph }] = await Promise.all([
    loadAgents(ctx.root()),
    analyze(ctx),
  ]);
  const entries = roster(agents, workLoad(graph, snapshot.now).byAgent);
  for (const p of problems) ctx.err(problemText(p));
  if (opts.json) ctx.out(printJson(rosterJson(entries, problems)));
  else ctx.out(rosterText(entries, paint(ctx.color)).join('\n'));
  return problems.length > 0 ? 1 : 0;
}

async function runImport(ctx: Ctx, dir: string | undefined, force: boolean): Promise<number> {
  if (!dir) throw new UserError('USAGE', 'agents import takes a folder, e.g. .claude/agents');
  const root = ctx.root();
  const items = await planImport(root, resolve(ctx.cwd, dir), dir, force);
  applyImport(root, items);
  const { out, err } = importText(items);
  for (const line of err) ctx.err(line);
  ctx.out(out.join('\n'));
  return err.length > 0 ? 1 : 0;
}
