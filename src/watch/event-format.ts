/**
 * The two reporters of `baton watch`: `--json` prints each event as one object on one line,
 * `{"type": ..., "time": ..., ...}` (agents read it line by line); text prints one short
 * line per event, `HH:MM:SS what`, in local time.
 */
import type { Paint } from '../report/color.js';
import type { TaskRef, WatchEvent } from './events.js';

/** One JSON object per line: `type` and `time` first. */
export function eventJson(event: WatchEvent, time: Date): string {
  const { type, ...rest } = event;
  return JSON.stringify({ type, time: time.toISOString(), ...rest });
}

const hhmmss = (d: Date) =>
  [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');

function describe(e: WatchEvent, p: Paint): string {
  const task = (t: TaskRef) => `${p.cyan(t.id)}  ${t.title}`;
  switch (e.type) {
    case 'ready':
      return `${p.green('ready')}      ${task(e)}${e.priority !== 'medium' ? ` (${e.priority})` : ''}${e.leaseExpired ? p.yellow(' lease expired') : ''}`;
    case 'unready': {
      const why = e.waitingOn?.length ? `: waits on ${e.waitingOn.join(', ')}` : '';
      return `${p.dim('unready')}    ${task(e)} (${e.state}${why})`;
    }
    case 'claimed':
      return `${p.yellow('claimed')}    ${task(e)} by ${e.by}${e.wasYours ? ' (was yours)' : ''}`;
    case 'released':
      return `${p.dim('released')}   ${task(e)}${e.by ? ` by ${e.by}` : ''}${e.by !== e.previous ? ` (held by ${e.previous})` : ''}`;
    case 'status':
      return `${p.bold('status')}     ${task(e)}: ${e.from} -> ${e.to}${e.by ? ` by ${e.by}` : ''}`;
    case 'handoff': {
      const says = [(e.from ?? e.previous) ? `from ${e.from ?? e.previous}` : '', e.note ?? '']
        .filter(Boolean)
        .join(': ');
      return `${p.bold('handoff')}    ${task(e)}${says ? ` (${says})` : ''}${e.ready ? p.green(' ready') : ''}`;
    }
    case 'discovery':
      return `${p.yellow('discovery')}  ${task(e)}: ${e.agent}: ${e.message}`;
    case 'lease-expired':
      return `${p.yellow('lease')}      ${task(e)}: ${e.agent}'s lease ran out at ${e.until}`;
    case 'removed':
      return `${p.dim('removed')}    ${e.id ? `${p.cyan(e.id)}  ` : ''}${e.path}`;
    case 'cycle':
      return `${p.red('cycle')}      ${e.cycle.join(' -> ')}`;
    case 'cycle-resolved':
      return `${p.green('cycle gone')} ${e.cycle.join(' -> ')}`;
    case 'bad-file':
      return `${p.red('bad file')}   ${e.path}${e.line ? `:${e.line}` : ''}: [${e.rule}] ${e.message}`;
    case 'invalid':
      return `${p.red('invalid')}    ${task(e)}: ${e.path}${e.line ? `:${e.line}` : ''}: [${e.rule}] ${e.message}`;
    case 'file-fixed':
      return `${p.green('fixed')}      ${e.path}`;
    case 'head':
      return `${p.bold('HEAD')}       ${e.from?.slice(0, 12) ?? '(none)'} -> ${e.to?.slice(0, 12) ?? '(none)'}${e.branch ? ` (${e.branch})` : ''}, ${e.changed} task file${e.changed === 1 ? '' : 's'} changed`;
    case 'reload':
      return `${p.dim('reload')}     ${e.reason}, ${e.changed} task file${e.changed === 1 ? '' : 's'} changed`;
    case 'tasks-dir':
      return e.state === 'missing'
        ? `${p.red('.tasks/ is gone')}; waiting for it to come back`
        : `${p.green('.tasks/ is back')}`;
    case 'stale-cache':
      return `${p.yellow('stale')}      cache ${e.name} (${e.dir}): ${e.inputs.join(', ')}`;
    case 'stale-result':
      return `${p.yellow('stale')}      ${task(e)}: ${e.inherited ? `depends on ${e.via}, whose result is stale` : `inputs changed: ${(e.inputs ?? []).join(', ')}`}`;
    case 'ready-state': {
      const c = e.counts;
      return `${e.tasks} tasks: ${p.green(`${c.ready} ready`)}, ${c.blocked} blocked, ${c.active} active${e.cycles.length ? p.red(`, ${e.cycles.length} cycles`) : ''}${e.badFiles ? p.red(`, ${e.badFiles} bad files`) : ''}${e.head ? ` (HEAD ${e.head.slice(0, 12)}${e.branch ? ` ${e.branch}` : ''})` : ''}`;
    }
    case 'watching':
      return `watching ${e.root}${e.git ? ' and its git HEAD' : ''} (Ctrl-C to stop)`;
    case 'error':
      return `${p.red('error')}      ${e.message}`;
  }
}

/** One text line: `HH:MM:SS what`. */
export function eventText(event: WatchEvent, time: Date, p: Paint): string {
  return `${p.dim(hhmmss(time))} ${describe(event, p)}`;
}
