/**
 * `baton blocked`: blocked tasks, what each waits on, and the roots that can move now.
 * Overdue tasks are marked before the title; JSON has `overdue: true|false`. Task files that
 * could not be read are named first, in one line on stderr (`cli/bad-files.ts`).
 */
import { type BlockedEntry, blockedReport } from '../../core/blocked.js';
import { type Paint, paint } from '../../report/color.js';
import { printJsonArray, taskJson } from '../../report/task-json.js';
import { markedTitle, taskMarks } from '../../report/task-marks.js';
import { analyze } from '../analysis.js';
import { warnUnreadable } from '../bad-files.js';
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
  warnUnreadable(ctx, snapshot);
  const report = blockedReport(graph, snapshot.now, states);
  if (opts.json) {
    printJsonArray(ctx.out, report, (e) =>
      taskJson(
        e.task,
        {
          waiting_on: e.waitingOn,
          missing: e.missing,
          cycle: e.cycle,
          manual: e.manual,
          roots: e.roots,
        },
        snapshot.now,
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
  for (const e of report) {
    const marks = taskMarks(e.task, states[e.index], snapshot.now, snapshot.config, p);
    out.push(...describe(e, marks, p));
  }
  ctx.out(out.join('\n'));
  return 0;
}

function describe(e: BlockedEntry, marks: string[], p: Paint): string[] {
  const lines = [`${p.bold(e.task.data.id)}  ${markedTitle(e.task.data.title, marks)}`];
  const reasons: string[] = [];
  if (e.manual) reasons.push('status is blocked');
  if (e.cycle) reasons.push('on a dependency cycle');
  if (e.waitingOn.length > 0) reasons.push(`waits on ${e.waitingOn.join(', ')}`);
  if (e.missing.length > 0) reasons.push(`missing ${e.missing.join(', ')}`);
  lines.push(`  ${reasons.join('; ')}`);
  if (e.roots.length > 0) {
    lines.push(
      `  ${p.dim('root causes:')} ${e.roots.map((r) => `${r.id} (${WHY[r.why] ?? r.why})`).join(', ')}`,
    );
  }
  return lines;
}
