/** The words of `next`: why a task was chosen, why others were skipped, and the JSON shape. */
import type { NextChoice, NextResult, Skipped, SkipReason } from '../core/next.js';
import type { OpenTask, OpenWork } from '../core/open-work.js';
import type { Paint } from './color.js';
import { taskJson } from './task-json.js';

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

export function reasonText(r: SkipReason, agent: string): string {
  switch (r.kind) {
    case 'assigned':
      return `assigned to ${r.to}${r.leaseExpired ? ' (lease expired; `baton claim` can take it over)' : ''}`;
    case 'skills':
      return `missing ${plural(r.missing.length, 'skill')} ${r.missing.join(', ')}`;
    case 'capacity':
      return `${agent} at capacity ${r.load}/${r.capacity}`;
    case 'resource':
      return `resource ${r.name} full ${r.use}/${r.capacity}`;
    case 'unknown-resource':
      return `resource ${r.name} is not configured (no resources.${r.name} in .tasks/config.yaml)`;
    case 'own-first':
      return `unassigned; ${agent}'s own task ${r.first} comes first`;
  }
}

export function skippedText(s: Skipped, agent: string): string {
  return s.reasons.map((r) => reasonText(r, agent)).join('; ');
}

/** Why the choice was made: whose it is, the skills it needs, the load and resources. */
export function whyText(result: NextResult, choice: NextChoice): string {
  const a = result.agent;
  const parts = [choice.assigned ? `assigned to ${a.name}` : 'unassigned'];
  if (choice.skills.length > 0) parts.push(`${a.name} has ${choice.skills.join(', ')}`);
  parts.push(`load ${a.load.length}/${a.capacity}${a.profile ? '' : ' (no profile)'}`);
  for (const r of choice.resources) parts.push(`${r.name} ${r.use}/${r.capacity} in use`);
  return parts.join('; ');
}

/** Why there is nothing: no open work left, at capacity, nothing ready, or nothing that fits. */
export function noneText(result: NextResult): string {
  const a = result.agent;
  if (result.open?.count === 0) return `nothing for ${a.name}: no open work is left for ${a.name}`;
  if (result.atCapacity) {
    const holding = a.load.length > 0 ? ` (in progress: ${a.load.join(', ')})` : '';
    return `nothing for ${a.name}: at capacity ${a.load.length}/${a.capacity}${holding}`;
  }
  if (result.ready === 0) return `nothing for ${a.name}: no task is ready`;
  return `nothing for ${a.name}: ${result.ready} ready ${plural(result.ready, 'task')}, none fits`;
}

export function nextText(
  result: NextResult,
  opts: { explain: boolean; claim?: string },
  p: Paint,
): string[] {
  const lines: string[] = [];
  const c = result.choice;
  const n = result.skipped.length;
  const hint = n > 0 && !opts.explain ? p.dim(' (--explain says why)') : '';
  if (c) {
    const d = c.ranked.task.data;
    lines.push(`${p.bold(d.id)}  ${d.title}`);
    const facts = [`rank ${c.ranked.rank} of ${result.ready} ready`, c.ranked.effectivePriority];
    if (d.estimate) facts.push(d.estimate);
    if (c.overdue) facts.push(p.red(`overdue (due ${d.due})`));
    lines.push(`  ${facts.join(' · ')}`);
    lines.push(`  why: ${whyText(result, c)}`);
    if (hint) lines.push(`  ${n} better-ranked ready ${plural(n, 'task')} skipped${hint}`);
  } else {
    lines.push(`${noneText(result)}${hint}`);
    if (result.open && result.open.count > 0) lines.push(...openText(result.open, p));
  }
  if (n > 0 && opts.explain) {
    lines.push(c ? 'skipped (ranked better):' : 'skipped:');
    const w = Math.max(...result.skipped.map((s) => s.id.length));
    for (const s of result.skipped) {
      const rank = p.dim(`#${s.rank}`.padStart(4));
      lines.push(`${rank} ${p.cyan(s.id.padEnd(w))}  ${skippedText(s, result.agent.name)}`);
    }
  }
  if (opts.claim) lines.push(opts.claim);
  return lines;
}

/** What the open tasks wait on, a line each, then how many more there are. */
function openText(open: OpenWork, p: Paint): string[] {
  const lines = [`open for you: ${open.count} ${plural(open.count, 'task')}`];
  const w = Math.max(...open.tasks.map((t) => t.id.length));
  for (const t of open.tasks) lines.push(`  ${p.cyan(t.id.padEnd(w))}  ${waitText(t)}`);
  const more = open.count - open.tasks.length;
  if (more > 0) lines.push(`  and ${more} more`);
  return lines;
}

/** What one open task waits on. */
export function waitText(t: OpenTask): string {
  const on = (t.on ?? []).map(
    (d) => `${d.id} (${d.status}${d.held_by ? `, held by ${d.held_by}` : ''})`,
  );
  const missing = t.missing?.length ? [`missing ${t.missing.join(', ')}`] : [];
  switch (t.why) {
    case 'in-progress':
      return 'yours, in progress';
    case 'scheduled':
      return `not before ${t.not_before}`;
    case 'not-fitting':
      return 'ready, but does not fit now (see --explain)';
    case 'blocked':
      return ['blocked by hand', ...on, ...missing].join('; ');
    case 'cycle':
      return ['on a dependency cycle', ...on].join('; ');
    default:
      return `waits on ${[...on, ...missing].join(', ')}`;
  }
}

/**
 * The JSON of `next`: the chosen task (`taskJson`) plus `rank`, `agent`, `why`, `overdue`,
 * and with `--explain` `skipped: [{ id, rank, reason }]`; with nothing to do, an object
 * whose `id` is null, with `agent`, `reason` (`wait`: open work remains, `no-open-work`),
 * `message`, `load`, `capacity`, `open` (how many tasks are open for the agent),
 * `waiting` (the first of them, with what each waits on) and `skipped`.
 */
export function nextJson(
  result: NextResult,
  opts: { explain: boolean; claim?: Record<string, unknown> },
): Record<string, unknown> {
  const a = result.agent;
  const skipped = opts.explain
    ? {
        skipped: result.skipped.map((s) => ({
          id: s.id,
          rank: s.rank,
          reason: skippedText(s, a.name),
        })),
      }
    : {};
  const c = result.choice;
  if (!c) {
    const open = result.open ?? { count: 0, tasks: [] };
    return {
      id: null,
      agent: a.name,
      reason: open.count === 0 ? 'no-open-work' : 'wait',
      message: noneText(result),
      load: a.load,
      capacity: a.capacity,
      open: open.count,
      waiting: open.tasks,
      ...skipped,
    };
  }
  return taskJson(c.ranked.task, {
    rank: c.ranked.rank,
    agent: a.name,
    why: whyText(result, c),
    overdue: c.overdue,
    ...(opts.claim ? { claim: opts.claim } : {}),
    ...skipped,
  });
}
