/**
 * The text of `baton stats`: a header naming the window and the history read, throughput as
 * bars for the last weeks, one line per metric, completions per agent, then the notes on
 * what is missing. Durations are short words (45m, 5h, 3d); `--json` has the exact numbers.
 */
import type { Spread, Stats } from '../core/stats.js';
import { paint } from './color.js';
import { columns } from './table.js';
import { clean, plural, span } from './text-fit.js';

/** Weeks of throughput shown; `--json` has them all. */
const WEEKS_SHOWN = 12;
const BAR_WIDTH = 30;
const AGENTS_SHOWN = 10;

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
const dur = (hours: number | null) => (hours === null ? '-' : span(hours * 3_600_000));

function spreadCells(s: Spread, what: string): string[] {
  if (s.count === 0) return ['-', '', `(no ${what}s)`];
  return [`median ${dur(s.medianHours)}`, `p90 ${dur(s.p90Hours)}`, `(${plural(s.count, what)})`];
}

export function renderStats(stats: Stats, opts: { color: boolean }): string {
  const p = paint(opts.color);
  const out: string[] = [];
  const window = stats.since ? `since ${stats.since.slice(0, 10)}` : 'in all';
  const h = stats.history;
  const read =
    h.commits === 0
      ? 'no commits read'
      : `${fmt(h.commits)} commits, ${h.first?.slice(0, 10)} .. ${h.last?.slice(0, 10)}${h.shallow ? ', shallow clone' : ''}`;
  out.push(
    `${p.bold('baton stats')}: ${fmt(stats.tasks.done)} tasks done ${window} ${p.dim(`(${read})`)}`,
  );

  const weeks = stats.throughput.weeks.slice(-WEEKS_SHOWN);
  if (weeks.length > 0) {
    const max = Math.max(1, ...weeks.map((w) => w.done));
    const mean = stats.throughput.perWeek ?? 0;
    out.push(
      '',
      p.bold(
        `Throughput (done per week; mean ${mean} over ${stats.throughput.weeks.length} weeks)`,
      ),
    );
    const rows = weeks.map((w) => [
      `  ${w.week}`,
      p.dim(w.start),
      String(w.done).padStart(4),
      p.cyan('█'.repeat(Math.round((w.done / max) * BAR_WIDTH))),
    ]);
    out.push(columns(rows, undefined));
  }

  const b = stats.blocked;
  const rows: string[][] = [
    ['  Cycle time (start -> done)', ...spreadCells(stats.cycleTime, 'task')],
    ['  Lead time (created -> done)', ...spreadCells(stats.leadTime, 'task')],
    [
      '  Blocked',
      b.count === 0 ? 'never' : `${dur(b.totalHours)} in all`,
      b.count === 0 ? '' : `median ${dur(b.medianHours)}, p90 ${dur(b.p90Hours)}`,
      b.count === 0 ? '' : `(${plural(b.count, 'task')} blocked)`,
    ],
    [
      '  Reopened',
      pct(stats.reopen.rate),
      '',
      `(${fmt(stats.reopen.reopened)} of ${fmt(stats.reopen.done)})`,
    ],
    [
      '  On time',
      pct(stats.onTime.rate),
      '',
      `(${fmt(stats.onTime.onTime)} of ${fmt(stats.onTime.withDue)} with a due date)`,
    ],
    [
      '  Hand-offs per task',
      stats.handoffs.perTask === null ? '-' : `mean ${stats.handoffs.perTask}`,
      `max ${stats.handoffs.max}`,
      `(${fmt(stats.handoffs.total)} in all)`,
    ],
  ];
  out.push('', p.bold('Per done task'), columns(rows, undefined));

  if (stats.agents.length > 0) {
    out.push('', p.bold('Done by agent'));
    const shown = stats.agents.slice(0, AGENTS_SHOWN);
    out.push(columns(shown.map((a) => [`  ${clean(a.agent)}`, String(a.done).padStart(5)])));
    const more = stats.agents.length - shown.length;
    if (more > 0) out.push(p.dim(`  +${more} more (--json lists every agent)`));
  }
  if (stats.notes.length > 0) {
    out.push('', p.bold('Notes'), ...stats.notes.map((n) => p.yellow(`  - ${n}`)));
  }
  return `${out.join('\n')}\n`;
}
