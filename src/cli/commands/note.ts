/**
 * `baton note ID "message"`: a private note, one `<time> <message>` line appended to
 * `.tasks/.local/notes/<agent>/<id>.md` (git-ignored, never committed).
 * `baton context ID [--json]`: everything said on a task in time order: its log (status
 * changes, claims, hand-offs with artifacts and criteria, shares, discoveries marked open or
 * acknowledged, checkpoints) and your private notes. JSON is an array of
 * `{ time, agent, kind: 'log'|'note', verb, target?, message?, artifacts?, criteria?, open? }`.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseEntry } from '../../core/log-entry.js';
import {
  buildTimeline,
  type PrivateNote,
  parseNoteLine,
  type TimelineItem,
} from '../../core/task-talk.js';
import { UserError } from '../../errors.js';
import { readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import { ensureLocalDir } from '../../store/index-cache.js';
import { isoNow } from '../../store/mutate.js';
import { localDir, type Root } from '../../store/root.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { reportWrite } from '../write-result.js';

/** `.tasks/.local/notes/<agent>/<id>.md`, the agent name made safe as a folder name. */
export function notesPath(root: Root, agent: string, id: string): string {
  const folder = agent.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
  return join(localDir(root), 'notes', folder, `${id}.md`);
}

export async function runNote(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const message = args.slice(1).join(' ').replace(/\s+/g, ' ').trim();
  if (!message) throw new UserError('USAGE', 'note needs a message');
  const root = ctx.root();
  const { graph, snapshot } = await analyze(ctx);
  const id = graph.ids[findTask(graph, args[0] ?? '')]!;
  const agent = await ctx.agent();
  const path = notesPath(root, agent, id);
  ensureLocalDir(localDir(root), 'notes', basename(dirname(path)));
  appendFileSync(path, `${isoNow(snapshot.now)} ${message}\n`);
  const rel = path.slice(root.root.length + 1);
  const result = { id, agent, verb: 'note', changed: true, message, path: rel, private: true };
  return reportWrite(ctx, opts, result, [`noted on ${id} (private: ${rel})`]);
}

function readNotes(path: string): PrivateNote[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map(parseNoteLine)
    .filter((n): n is PrivateNote => n !== undefined);
}

function describe(item: TimelineItem): string[] {
  const who = item.kind === 'note' ? '(private note)' : item.agent;
  let line = `${item.time || '?'}  ${who} ${item.kind === 'note' ? '' : item.verb}`.trimEnd();
  if (item.target) line += ` -> ${item.target}`;
  if (item.message) line += item.kind === 'note' ? ` ${item.message}` : `: ${item.message}`;
  if (item.open !== undefined) line += item.open ? '  [open]' : '  [acknowledged]';
  const out = [line];
  const pad = ' '.repeat((item.time || '?').length + 2);
  if (item.artifacts?.length) out.push(`${pad}  artifacts: ${item.artifacts.join(', ')}`);
  for (const c of item.criteria ?? []) out.push(`${pad}  criterion: ${c}`);
  return out;
}

export async function runContext(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const root = ctx.root();
  const { graph } = await analyze(ctx);
  const task = graph.tasks[findTask(graph, args[0] ?? '')]!;
  const id = task.data.id;
  const split = splitFile(readFileSync(join(root.root, task.path), 'utf8'));
  const entries = split.ok ? readLog(split.body).map(parseEntry) : [];
  const agent = await ctx.agent();
  const timeline = buildTimeline(entries, readNotes(notesPath(root, agent, id)), agent);
  if (opts.json === true) {
    ctx.out(JSON.stringify(timeline, null, 2));
    return 0;
  }
  ctx.out(
    `${id}  ${task.data.title}  [${task.data.status}${task.data.assignee ? `, ${task.data.assignee}` : ''}]`,
  );
  if (timeline.length === 0) {
    ctx.out('nothing said on it yet');
    return 0;
  }
  const open = timeline.filter((t) => t.open).length;
  for (const item of timeline) for (const line of describe(item)) ctx.out(line);
  if (open > 0)
    ctx.out(`${open} open discover${open === 1 ? 'y' : 'ies'}: \`baton ack ${id}\` when handled`);
  return 0;
}
