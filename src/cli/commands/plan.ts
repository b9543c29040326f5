/** `baton plan`: the critical path and the waves of work that can run in parallel. */
import { criticalPath, waves } from '../../core/plan.js';
import { paint } from '../../report/color.js';
import { printJson } from '../../report/task-json.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';
import { formatHours } from './ready.js';

export async function runPlan(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph } = await analyze(ctx);
  const path = criticalPath(graph, snapshot.config);
  const w = waves(graph);
  if (opts.json) {
    ctx.out(printJson({ critical_path: path, waves: w.waves, unschedulable: w.unschedulable }));
    return 0;
  }
  const p = paint(ctx.color);
  const out: string[] = [];
  if (path.ids.length === 0) out.push('Nothing left to do.');
  else {
    out.push(
      `${p.bold('Critical path')} (${formatHours(path.hours)} of work, ${path.ids.length} tasks):`,
    );
    out.push(`  ${path.ids.join(' -> ')}`);
  }
  if (w.waves.length > 0) {
    out.push('', p.bold('Waves') + p.dim(' (what could run in parallel, round by round)'));
    w.waves.forEach((ids, k) => {
      out.push(
        `  ${String(k + 1).padStart(2)}. ${ids.length} task${ids.length === 1 ? '' : 's'}: ${abbreviate(ids, 8)}`,
      );
    });
  }
  if (w.unschedulable.length > 0) {
    out.push(
      '',
      `${p.red('Unschedulable')} (cycles or missing dependencies): ${abbreviate(w.unschedulable, 12)}`,
    );
  }
  ctx.out(out.join('\n'));
  return 0;
}

function abbreviate(ids: readonly string[], max: number): string {
  return ids.length <= max
    ? ids.join(', ')
    : `${ids.slice(0, max).join(', ')}, … (+${ids.length - max} more)`;
}
