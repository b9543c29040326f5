/**
 * The stderr line of the commands that list tasks (`list`, `ready`, `blocked`, `next`,
 * `status`) when some task files could not be read (`report/bad-files.ts`). Printed at most
 * once per command, so a command that reads the tasks again (`next --claim`) says it once;
 * the answer memo stores it with the output and replays it.
 */
import type { Snapshot } from '../core/types.js';
import { badFilesLine, unreadableFiles } from '../report/bad-files.js';
import type { Ctx } from './context.js';
import { noteWarning } from './memo.js';

const warned = new WeakSet<Pick<Ctx, 'err'>>();

export function warnUnreadable(ctx: Pick<Ctx, 'err'>, snapshot: Snapshot): void {
  if (snapshot.fileProblems.length === 0 || warned.has(ctx)) return;
  const line = badFilesLine(unreadableFiles(snapshot.fileProblems, snapshot.tasks));
  if (line === undefined) return;
  warned.add(ctx);
  noteWarning(`${line}\n`);
  ctx.err(`${line}\n`);
}
