/**
 * The text of `baton plan`: the estimated finish, each agent's load, the critical path, the
 * waves, what cannot be scheduled, the schedule itself, and the proposed assignees. Every
 * line fits the terminal, or 80 columns when the output is not a terminal (long titles and
 * messages are cut with `…`; `--json` has everything).
 */
import type { CriticalPath, Waves } from '../core/plan.js';
import type { Schedule } from '../core/schedule-summary.js';
import type { Paint } from './color.js';
import { columns } from './table.js';
import { clean, clip, plural, visibleWidth } from './text-fit.js';

/** The terminal's width, else 80: text stays readable when piped too. */
const width = () => (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 80;

/** Right-align the cells of the given columns. */
function alignRight(rows: string[][], cols: readonly number[]): string[][] {
  for (const c of cols) {
    const w = rows.reduce((m, r) => Math.max(m, visibleWidth(r[c] ?? '')), 0);
    for (const r of rows) r[c] = ' '.repeat(w - visibleWidth(r[c] ?? '')) + (r[c] ?? '');
  }
  return rows;
}

export interface PlanReport {
  schedule: Schedule;
  criticalPath: CriticalPath;
  waves: Waves;
  /** How the agents were chosen, e.g. `--agents 2` or `profiles in .tasks/agents/`. */
  agentsFrom: string;
  /** The agents are named profiles, so `--write` can write their names. */
  named: boolean;
  config: { hours_per_day: number; days_per_week: number };
  titles: ReadonlyMap<string, string>;
  /** With --assign: whether they were written (--write). */
  assign?: { written: readonly string[]; skipped: readonly string[] } | 'proposed';
}

/** Hours as one short word: 8h, 1.5h, 45m. */
export function hoursText(h: number): string {
  if (Number.isInteger(h)) return `${h}h`;
  if (h < 1) return `${Math.round(h * 60)}m`;
  return `${Number(h.toFixed(1))}h`;
}

/** `prefix` and as many of `ids` as fit the width, then `… (+N more)`. */
function fitIds(prefix: string, ids: readonly string[]): string {
  const max = width();
  const all = prefix + ids.join(', ');
  if (visibleWidth(all) <= max) return all;
  let line = prefix;
  let shown = 0;
  while (shown < ids.length) {
    const next = `${line}${ids[shown]}, `;
    if (visibleWidth(`${next}… (+${ids.length - shown - 1} more)`) > max) break;
    line = next;
    shown++;
  }
  return clip(`${line}… (+${ids.length - shown} more)`, max);
}

/** `a -> b -> c` over as many indented lines as `max` columns need. */
function wrapChain(ids: readonly string[], max: number): string[] {
  const lines: string[] = [];
  let line = '  ';
  ids.forEach((id, k) => {
    const piece = k < ids.length - 1 ? `${id} -> ` : id;
    if (line.trim() !== '' && visibleWidth(line + piece.trimEnd()) > max) {
      lines.push(line.trimEnd());
      line = '  ';
    }
    line += piece;
  });
  lines.push(line.trimEnd());
  return lines;
}

function head(r: PlanReport, p: Paint): string[] {
  const s = r.schedule;
  const out: string[] = [];
  if (s.tasks.length === 0) out.push('Nothing to schedule.');
  else {
    out.push(
      `${p.bold('Estimated finish')}: ${hoursText(s.finish.hours)} of working time from now, ` +
        `about ${s.finish.date}`,
    );
  }
  out.push(
    p.dim(
      `${plural(s.agents.length, 'agent')} (${r.agentsFrom}); ` +
        `${r.config.hours_per_day}h a day, ${r.config.days_per_week} days a week`,
    ),
  );
  const rows = [['agent', 'slots', 'tasks', 'hours', 'busy'].map((h) => p.dim(h))];
  for (const a of s.agents) {
    const busy = `${Math.round(a.utilization * 100)}%`;
    rows.push([`  ${a.name}`, String(a.capacity), String(a.tasks), hoursText(a.hours), busy]);
  }
  rows[0]![0] = `  ${rows[0]![0]}`;
  out.push('', columns(alignRight(rows, [1, 2, 3, 4]), width()));
  out.push(
    `  load variance ${s.load.variance.toFixed(2)} h², ` +
      `standard deviation ${hoursText(Number(s.load.stddev.toFixed(1)))}`,
  );
  return out;
}

function pathAndWaves(r: PlanReport, p: Paint): string[] {
  const out: string[] = [''];
  const path = r.criticalPath;
  if (path.ids.length === 0) out.push('No critical path: nothing left to do.');
  else {
    out.push(
      `${p.bold('Critical path')} (${hoursText(path.hours)} of work, ${plural(path.ids.length, 'task')}):`,
      ...wrapChain(path.ids, width()),
    );
  }
  if (r.waves.waves.length > 0) {
    out.push('', p.bold('Waves') + p.dim(' (what could run in parallel, round by round)'));
    r.waves.waves.forEach((ids, k) => {
      out.push(fitIds(`  ${String(k + 1).padStart(2)}. ${plural(ids.length, 'task')}: `, ids));
    });
  }
  return out;
}

function leftOut(r: PlanReport, p: Paint): string[] {
  const s = r.schedule;
  const out: string[] = [];
  if (s.unschedulable.length > 0) {
    out.push('', `${p.red('Unschedulable')} (${s.unschedulable.length}):`);
    out.push(
      columns(
        s.unschedulable.map((u) => [`  ${u.id}`, u.message]),
        width(),
      ),
    );
  }
  if (s.failed.length > 0) out.push('', fitIds(`${p.yellow('Failed')}, left out: `, s.failed));
  return out;
}

function table(r: PlanReport, p: Paint): string[] {
  const s = r.schedule;
  if (s.tasks.length === 0) return [];
  const rows = [['  start', 'end', 'agent', 'task', ''].map((h) => p.dim(h))];
  for (const t of s.tasks) {
    const title = clean(r.titles.get(t.id) ?? '');
    const id = p.bold(t.active ? `${t.id}*` : t.id);
    rows.push([`  ${hoursText(t.start)}`, hoursText(t.end), t.agent, id, title]);
  }
  const note = s.tasks.some((t) => t.active) ? p.dim(' (* already started)') : '';
  return ['', p.bold('Schedule') + note, columns(alignRight(rows, [0, 1]), width())];
}

function proposals(r: PlanReport, p: Paint): string[] {
  if (r.assign === undefined) return [];
  const list = r.schedule.proposals;
  if (list.length === 0) return ['', 'No unassigned task to propose an assignee for.'];
  const out = ['', p.bold('Proposed assignees') + ` (${list.length}):`];
  out.push(
    columns(
      list.map((x) => [`  ${x.id}`, `-> ${x.agent}`]),
      width(),
    ),
  );
  if (r.assign === 'proposed') {
    const how = r.named ? 'Run with --write' : 'With agent profiles, run with --write';
    out.push(p.dim(`${how} to write them.`));
  } else {
    out.push(`Wrote the assignee of ${plural(r.assign.written.length, 'task')}.`);
    if (r.assign.skipped.length > 0) {
      out.push(fitIds('Left alone (assigned meanwhile): ', r.assign.skipped));
    }
  }
  return out;
}

export function planText(r: PlanReport, p: Paint): string {
  return [
    ...head(r, p),
    ...pathAndWaves(r, p),
    ...leftOut(r, p),
    ...table(r, p),
    ...proposals(r, p),
  ].join('\n');
}
