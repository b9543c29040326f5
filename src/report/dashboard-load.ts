/**
 * The load lines of `baton status`: agents (in progress / capacity, from the agent profiles)
 * and resources (in use / capacity, with the tasks holding them). Each is a heading and its
 * entries packed into a few lines of `width` columns, the last ending in "+N more" if cut.
 */
import type { Dashboard } from '../core/dashboard.js';
import type { Paint } from './color.js';
import { clean, visibleWidth } from './text-fit.js';

/** Holders shown per resource before "+N". */
const HOLDERS = 2;

/** `tokens` packed two spaces apart into at most `maxLines` lines under `head`. */
export function packLines(
  head: string,
  tokens: readonly string[],
  width: number,
  maxLines: number,
  p: Paint,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const last = lines.length === maxLines - 1;
    const rest = tokens.length - k - 1;
    const room = width - (last && rest > 0 ? ` +${rest} more`.length + 2 : 0);
    const next = line === '' ? `  ${token}` : `${line}  ${token}`;
    if (visibleWidth(next) <= room || line === '') {
      line = next;
      continue;
    }
    if (last) {
      lines.push(`${line}  ${p.dim(`+${tokens.length - k} more`)}`);
      return [head, ...lines];
    }
    lines.push(line);
    line = `  ${token}`;
  }
  lines.push(line);
  return [head, ...lines];
}

export function agentLines(board: Dashboard, width: number, maxLines: number, p: Paint): string[] {
  const head = `${p.bold('Agents')}  ${p.dim('in progress / capacity')}`;
  const tokens = board.agents.map((a) => {
    const text = `${clean(a.agent)} ${a.in_progress}/${a.capacity}${a.over ? '!' : ''}`;
    return a.over ? p.red(text) : text;
  });
  if (board.unassigned > 0) tokens.push(p.yellow(`no assignee ${board.unassigned}`));
  if (tokens.length === 0) return [`${head}  nobody is working on anything`];
  return packLines(head, tokens, width, maxLines, p);
}

/** No lines at all when no resource is configured or in use. */
export function resourceLines(
  board: Dashboard,
  width: number,
  maxLines: number,
  p: Paint,
): string[] {
  if (board.resources.length === 0) return [];
  const head = `${p.bold('Resources')}  ${p.dim('in use / capacity')}`;
  const tokens = board.resources.map((r) => {
    const cap = r.capacity === null ? '?' : String(r.capacity);
    const shown = r.holders.slice(0, HOLDERS).map(clean).join(',');
    const more = r.holders.length > HOLDERS ? `,+${r.holders.length - HOLDERS}` : '';
    const who = shown === '' ? '' : ` ${shown}${more}`;
    const mark = r.over && r.capacity !== null ? '!' : '';
    const text = `${clean(r.name)} ${r.use}/${cap}${mark}${who}`;
    if (r.over) return p.red(text);
    return r.capacity !== null && r.use >= r.capacity ? p.yellow(text) : text;
  });
  return packLines(head, tokens, width, maxLines, p);
}
