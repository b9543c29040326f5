/** `baton blocked`: blocked tasks, what each waits on, and the roots that can move now. */
import { type BlockedEntry, blockedReport } from '../../core/blocked.js';
import { paint } from '../../report/color.js';
import { printJson, taskJson } from '../../report/task-json.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';

const WHY: Record<string, string> = {
  ready: 'ready now',
  active: 'in progress',
  blocked: 'blocked by hand',
  failed: 'failed',
  missing: 'no such task',
  cycle: 'on a dependency cycle',
  scheduled: 'not before its start date',
};

export async function runBlocked(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states } = await analyze(ctx);
  const report = blockedReport(graph, snapshot.now, states);
  if (opts.json) {
    ctx.out(
      printJson(
        report.map((e) =>
          taskJson(e.task, {
            waiting_on: e.waitingOn,
            missing: e.missing,
            cycle: e.cycle,
            manual: e.manual,
            roots: e.roots,
          }),
        ),
      ),
    );
    return 0;
  }
  if (report.length === 0) {
    ctx.out('Nothing is blocked.');
    return 0;
  }
  const p = paint(ctx.color);
  const out: string[] = [];
  for (const e of report) out.push(...describe(e, p.bold, p.dim));
  ctx.out(out.join('\n'));
  return 0;
}

function describe(
  e: BlockedEntry,
  bold: (s: string) => string,
  dim: (s: string) => string,
): string[] {
  const lines = [`${bold(e.task.data.id)}  ${e.task.data.title}`];
  const reasons: string[] = [];
  if (e.manual) reasons.push('status is blocked');
  if (e.cycle) reasons.push('on a dependency cycle');
  if (e.waitingOn.length > 0) reasons.push(`waits on ${e.waitingOn.join(', ')}`);
  if (e.missing.length > 0) reasons.push(`missing ${e.missing.join(', ')}`);
  lines.push(`  ${reasons.join('; ')}`);
  if (e.roots.length > 0) {
    lines.push(
      `  ${dim('root causes:')} ${e.roots.map((r) => `${r.id} (${WHY[r.why] ?? r.why})`).join(', ')}`,
    );
  }
  return lines;
}
