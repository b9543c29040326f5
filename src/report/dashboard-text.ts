/**
 * The text of `baton status`: one screen. Every line fits `width` columns (long text is cut
 * with `…`, and a last pass cuts whatever still does not fit), and the whole board stays
 * within `height` lines (default 40) at any repository size: each list shows as many items as
 * the budget allows, the last line saying "+N more".
 *
 * Layout: header (and problems), the counts by status as bars in two columns, agent load and
 * resource use (`dashboard-load.ts`), the ready queue's head, blocked root causes, the critical path, then the alerts (open
 * discoveries, overdue tasks, expired leases, stale caches and results). Lists get their
 * first line each, then further lines in the order ready, blocked, ready, discoveries,
 * overdue, leases, stale, until the budget is spent.
 */
import type { Dashboard, RootItem } from '../core/dashboard.js';
import { dueDeadline } from '../core/due.js';
import { parseDate } from '../core/estimate.js';
import { STATUSES, type Status } from '../schema/fields.js';
import { type Paint, paint } from './color.js';
import { agentLines, resourceLines } from './dashboard-load.js';
import { clean, clip, pad, plural, span, visibleWidth } from './text-fit.js';

export interface DashboardTextOptions {
  /** Terminal columns; every line fits in them. */
  width: number;
  /** Most lines printed (default 40). */
  height?: number;
  color: boolean;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const MAX_BAR_WIDTH = 100;
const WHY: Record<RootItem['why'], string> = {
  ready: 'ready now',
  active: 'in progress',
  blocked: 'blocked by hand',
  failed: 'failed',
  missing: 'no such task',
  cycle: 'on a cycle',
  scheduled: 'scheduled',
};

function hours(h: number): string {
  return Number.isInteger(h) ? `${h}h` : `${h.toFixed(1)}h`;
}

/** A bar of `value / max` of `width` columns, in eighths. */
function bar(value: number, max: number, width: number): string {
  if (value <= 0 || max <= 0 || width <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** A list section: its heading, candidate lines, and how many items exist in all. */
interface Block {
  head: string;
  lines: string[];
  total: number;
}

/** Lines a block shows when given `k` item lines: the first items, then "+N more". */
function showBlock(b: Block, k: number, p: Paint): string[] {
  if (b.total <= k) return [b.head, ...b.lines.slice(0, b.total)];
  const shown = Math.max(0, k - 1);
  return [b.head, ...b.lines.slice(0, shown), p.dim(`  +${b.total - shown} more`)];
}

/** Item lines a block wants: all its items, or all it has plus a "+N more" line. */
function wanted(b: Block): number {
  return b.total <= b.lines.length ? b.total : b.lines.length + 1;
}

function statusLines(board: Dashboard, width: number, p: Paint): string[] {
  const color: Record<Status, (s: string) => string> = {
    todo: (s) => s,
    in_progress: p.cyan,
    blocked: p.red,
    review: p.yellow,
    done: p.green,
    cancelled: p.dim,
    failed: p.red,
  };
  const closed = board.counts.done + board.counts.cancelled;
  const pct = board.total === 0 ? 0 : Math.round((closed / board.total) * 100);
  const head = `${p.bold('Status')}  ${plural(board.total, 'task')}, ${pct}% done or cancelled`;
  const left: Status[] = ['todo', 'in_progress', 'review', 'blocked'];
  const right: Status[] = ['done', 'cancelled', 'failed'];
  const numWidth = Math.max(...STATUSES.map((s) => String(board.counts[s]).length));
  const colWidth = Math.floor((Math.min(width, MAX_BAR_WIDTH) - 2) / 2);
  const barWidth = colWidth - 11 - 2 - numWidth - 1 - 2;
  const max = Math.max(...STATUSES.map((s) => board.counts[s]));
  const cell = (s: Status | undefined) => {
    if (!s) return '';
    const n = board.counts[s];
    const b = bar(n, max, barWidth);
    return `${s.padEnd(11)}  ${String(n).padStart(numWidth)} ${b && color[s](b)}`;
  };
  const rows = left.map((s, k) => `  ${pad(cell(s), colWidth)}${cell(right[k])}`.trimEnd());
  return [head, ...rows];
}

function readyBlock(board: Dashboard, width: number, p: Paint): Block {
  const r = board.ready;
  const expired = r.lease_expired > 0 ? p.dim(` (${r.lease_expired} with an expired lease)`) : '';
  const head = `${p.bold('Ready')}  ${r.total === 0 ? 'nothing is ready' : r.total}${expired}`;
  const idW = Math.max(0, ...r.items.map((t) => visibleWidth(clean(t.id))));
  const whoW = Math.min(
    12,
    Math.max(1, ...r.items.map((t) => visibleWidth(clean(t.assignee ?? '-')))),
  );
  const estW = Math.max(0, ...r.items.map((t) => clean(t.estimate ?? '').length));
  const lines = r.items.map((t) => {
    const who = pad(clip(clean(t.assignee ?? '-'), whoW), whoW);
    const est = clean(t.estimate ?? '').padEnd(estW);
    const title = (t.lease_expired ? p.yellow('lease expired: ') : '') + clean(t.title);
    const line = `  ${p.cyan(pad(clean(t.id), idW))}  ${t.priority.padEnd(8)}  ${who}  ${est}  ${title}`;
    return clip(line, width);
  });
  return { head, lines, total: r.total };
}

function blockedBlock(board: Dashboard, width: number, p: Paint): Block {
  const b = board.blocked;
  const head =
    b.tasks === 0
      ? `${p.bold('Blocked')}  nothing is blocked`
      : `${p.bold('Blocked')}  ${plural(b.tasks, 'task')}, held by ${plural(b.total, 'root cause')}:`;
  const idW = Math.max(0, ...b.items.map((r) => visibleWidth(clean(r.id))));
  const whyW = Math.max(0, ...b.items.map((r) => WHY[r.why].length));
  const lines = b.items.map((r) => {
    const what =
      r.holds === 0
        ? clean(r.title ?? '')
        : `holds ${r.holds}: ${r.blocked.map(clean).join(', ')}${r.holds > r.blocked.length ? ', …' : ''}`;
    return clip(`  ${p.cyan(pad(clean(r.id), idW))}  ${pad(WHY[r.why], whyW)}  ${what}`, width);
  });
  return { head, lines, total: b.total };
}

function criticalLines(board: Dashboard, width: number, p: Paint): string[] {
  const c = board.critical_path;
  if (c.ids.length === 0) return [`${p.bold('Critical path')}  nothing left to do`];
  const head = `${p.bold('Critical path')}  ${hours(c.hours)} of work, ${plural(c.ids.length, 'task')}`;
  const ids = c.ids.map(clean);
  const full = `  ${ids.join(' → ')}`;
  if (visibleWidth(full) <= width || ids.length < 3) return [head, clip(full, width)];
  // As many first ids as fit, then "… (+N) →" and the last id.
  const last = ids[ids.length - 1]!;
  const cutAt = (k: number) =>
    `  ${ids.slice(0, k).join(' → ')} → … (+${ids.length - k - 1}) → ${last}`;
  let k = 1;
  while (k + 1 < ids.length - 1 && visibleWidth(cutAt(k + 1)) <= width) k++;
  return [head, clip(cutAt(k), width)];
}

function discoveryBlock(board: Dashboard, width: number, now: number, p: Paint): Block {
  const d = board.discoveries;
  const on = d.tasks < d.total ? ` on ${plural(d.tasks, 'task')}` : '';
  const head = `${p.yellow(p.bold('Open discoveries'))}  ${d.total}${on}`;
  const idW = Math.max(0, ...d.items.map((x) => visibleWidth(clean(x.id))));
  const whoW = Math.min(12, Math.max(0, ...d.items.map((x) => visibleWidth(clean(x.agent)))));
  const lines = d.items.map((x) => {
    const ms = parseDate(x.time);
    const when = ms === undefined ? '' : `${span(now - ms)} ago`;
    const who = pad(clip(clean(x.agent), whoW), whoW);
    return clip(
      `  ${p.cyan(pad(clean(x.id), idW))}  ${who}  ${when.padEnd(7)}  ${clean(x.message)}`,
      width,
    );
  });
  return { head, lines, total: d.total };
}

function overdueBlock(board: Dashboard, width: number, now: number, p: Paint): Block {
  const o = board.overdue;
  const head = `${p.yellow(p.bold('Overdue'))}  ${o.total}`;
  const idW = Math.max(0, ...o.items.map((x) => visibleWidth(clean(x.id))));
  const lines = o.items.map((x) => {
    const due = dueDeadline(x.due);
    const late = due === undefined ? x.due : `${span(now - due)} late`;
    const who = x.assignee ? `  ${clean(x.assignee)}` : '';
    const line = `  ${p.cyan(pad(clean(x.id), idW))}  ${late.padEnd(8)}  ${x.status.padEnd(11)}  ${clean(x.title)}${p.dim(who)}`;
    return clip(line, width);
  });
  return { head, lines, total: o.total };
}

function leaseBlock(board: Dashboard, width: number, now: number, p: Paint): Block {
  const l = board.expired_leases;
  const head = `${p.yellow(p.bold('Expired leases'))}  ${l.total}`;
  const idW = Math.max(0, ...l.items.map((x) => visibleWidth(clean(x.id))));
  const whoW = Math.min(12, Math.max(0, ...l.items.map((x) => visibleWidth(clean(x.agent)))));
  const lines = l.items.map((x) => {
    const ms = parseDate(x.until);
    const when = ms === undefined ? `until ${x.until}` : `expired ${span(now - ms)} ago`;
    const who = pad(clip(clean(x.agent), whoW), whoW);
    return clip(`  ${p.cyan(pad(clean(x.id), idW))}  ${who}  ${when}  ${clean(x.title)}`, width);
  });
  return { head, lines, total: l.total };
}

function staleBlock(board: Dashboard, width: number, p: Paint): Block | undefined {
  const s = board.stale;
  if (!s || s.caches.length + s.results.length === 0) return undefined;
  const head = `${p.yellow(p.bold('Stale'))}  ${plural(s.caches.length, 'cache')}, ${plural(s.results.length, 'result')}`;
  const caches = s.caches.map((c) => {
    const changed = c.changed.map(clean).join(', ');
    return clip(
      `  cache ${clean(c.name)} [${clean(c.namespace)}]  ${c.changed.length} changed: ${changed}`,
      width,
    );
  });
  const results = [...s.results]
    .sort((a, b) => Number(a.inherited) - Number(b.inherited))
    .map((r) =>
      clip(`  result ${p.cyan(clean(r.id))}${r.inherited ? p.dim(' (inherited)') : ''}`, width),
    );
  return { head, lines: [...caches, ...results], total: s.caches.length + s.results.length };
}

function problemLine(board: Dashboard, p: Paint): string | undefined {
  const x = board.problems;
  const parts: string[] = [];
  if (x.file_errors > 0)
    parts.push(`${plural(x.bad_files, 'bad file')} (${plural(x.file_errors, 'error')})`);
  if (x.cycles > 0) parts.push(plural(x.cycles, 'cycle'));
  if (x.missing > 0) {
    parts.push(
      x.missing === 1
        ? '1 task with a missing dependency'
        : `${x.missing} tasks with missing dependencies`,
    );
  }
  if (x.duplicates > 0) parts.push(plural(x.duplicates, 'duplicate id'));
  return parts.length === 0 ? undefined : p.red(`! ${parts.join(', ')}: run baton check`);
}

export function renderDashboard(board: Dashboard, opts: DashboardTextOptions): string {
  const width = Math.max(20, opts.width);
  const height = opts.height ?? 40;
  const p = paint(opts.color);
  const now = Date.parse(board.now);
  const stamp = `${board.now.slice(0, 10)} ${board.now.slice(11, 16)} UTC`;
  const top = [`${p.bold('baton status')}  ${p.dim(stamp)}`];
  const problems = problemLine(board, p);
  if (problems) top.push(problems);

  const ready = readyBlock(board, width, p);
  const blocked = blockedBlock(board, width, p);
  const alerts: Block[] = [];
  if (board.discoveries.total > 0) alerts.push(discoveryBlock(board, width, now, p));
  if (board.overdue.total > 0) alerts.push(overdueBlock(board, width, now, p));
  if (board.expired_leases.total > 0) alerts.push(leaseBlock(board, width, now, p));
  const stale = staleBlock(board, width, p);
  if (stale) alerts.push(stale);

  const statuses = statusLines(board, width, p);
  const critical = criticalLines(board, width, p);
  const quiet = alerts.length === 0 ? 1 : 0;
  const fixed = top.length + 1 + statuses.length + 1 + critical.length + 1 + quiet;
  // Agents and resources take at most 3 lines each (a heading, two packed lines; resources
  // none when there are none); the lists share the rest,
  // each first getting its heading and one or two lines (an item, or one and "+N more").
  const agents = [...agentLines(board, width, 2, p), ...resourceLines(board, width, 2, p)];
  const lists = [ready, blocked, ...alerts];
  const give = new Map<Block, number>(lists.map((b) => [b, Math.min(wanted(b), 2)]));
  let left = height - fixed - agents.length - lists.reduce((n, b) => n + 1 + give.get(b)!, 0);
  const turns = [ready, blocked, ready, ...alerts];
  for (let more = true; left > 0 && more; ) {
    more = false;
    for (const b of turns) {
      if (left === 0) break;
      const k = give.get(b)!;
      if (k >= wanted(b)) continue;
      give.set(b, k + 1);
      left--;
      more = true;
    }
  }
  const show = (b: Block) => showBlock(b, give.get(b)!, p);
  const out = [
    ...top,
    '',
    ...statuses,
    '',
    ...agents,
    ...show(ready),
    ...show(blocked),
    ...critical,
    '',
    ...(alerts.length === 0
      ? [`${p.bold('Alerts')}  none: no open discoveries, overdue tasks or expired leases`]
      : alerts.flatMap(show)),
  ];
  return out.map((line) => clip(line, width)).join('\n');
}
