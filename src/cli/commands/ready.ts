/**
 * `baton ready`: the ready queue, best first (order documented in the README). A priority
 * raised by aging shows as `high↑`; overdue tasks, expired leases and failed attempts are
 * marked before the title. JSON adds `rank`, `effective_priority`, `unblocks_hours`,
 * `overdue`, and `flags: ["lease-expired"]` where it applies. Task files that could not be
 * read are named first, in one line on stderr (`cli/bad-files.ts`).
 */
import { readyQueue } from '../../core/ready-queue.js';
import { paint } from '../../report/color.js';
import { columns } from '../../report/table.js';
import { printJsonArray, taskJson } from '../../report/task-json.js';
import { markedTitle, taskMarks } from '../../report/task-marks.js';
import { analyze, sourceJson } from '../analysis.js';
import { warnUnreadable } from '../bad-files.js';
import type { Ctx } from '../context.js';
import { parseLimit } from '../options.js';

export async function runReady(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states, sources } = await analyze(ctx, opts);
  warnUnreadable(ctx, snapshot);
  let queue = readyQueue(graph, snapshot.config, snapshot.now, states);
  const agent = typeof opts.agent === 'string' ? opts.agent : undefined;
  if (agent) queue = queue.filter((r) => !r.task.data.assignee || r.task.data.assignee === agent);
  const leaseExpired = (i: number) => {
    const s = states[i];
    return s?.state === 'ready' && s.leaseExpired === true;
  };
  const limit = parseLimit(opts.limit);
  if (limit !== undefined) queue = queue.slice(0, limit);
  if (opts.json) {
    printJsonArray(ctx.out, queue, (r, i) =>
      taskJson(
        r.task,
        {
          rank: i + 1,
          effective_priority: r.effectivePriority,
          unblocks_hours: r.unblocks,
          ...(leaseExpired(r.index) ? { flags: ['lease-expired'] } : {}),
          ...sourceJson(sources, r.task.data.id),
        },
        snapshot.now,
      ),
    );
    return 0;
  }
  if (queue.length === 0) {
    ctx.out('No task is ready.');
    return 0;
  }
  const p = paint(ctx.color);
  const rows = queue.map((r, i) => {
    const d = r.task.data;
    const prio = r.agedBy > 0 ? `${r.effectivePriority}↑` : r.effectivePriority;
    return [
      p.dim(String(i + 1).padStart(3)),
      p.bold(d.id),
      prio,
      d.estimate ?? '-',
      d.assignee ?? '-',
      r.unblocks > 0 ? `unblocks ${formatHours(r.unblocks)}` : '',
      markedTitle(d.title, [
        ...(leaseExpired(r.index) ? [p.yellow('lease expired')] : []),
        ...taskMarks(r.task, states[r.index], snapshot.now, snapshot.config, p),
      ]),
    ];
  });
  ctx.out(columns(rows));
  return 0;
}

export function formatHours(h: number): string {
  return Number.isInteger(h) ? `${h}h` : `${h.toFixed(1)}h`;
}
