/**
 * `baton merge-driver %O %A %B %P`: git's merge driver for task files (configured by
 * `baton hooks install`: `merge.baton.driver` and `.tasks/**\/*.md merge=baton`). Reads the
 * base, ours and theirs temp files, writes the merge into the ours file (%A), and exits 0
 * when clean, 1 when conflicts remain (git then reports the file as conflicted). Files that
 * are not UTF-8 text are merged in place by `git merge-file`, as git itself would.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { gitMergeLines } from '../../merge/merge-body.js';
import { mergeTask } from '../../merge/merge-task.js';
import type { Ctx } from '../context.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readText(path: string): string | undefined {
  try {
    return UTF8.decode(readFileSync(path));
  } catch (error) {
    if (error instanceof TypeError) return undefined; // not UTF-8
    throw new UserError('USAGE', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/** `git merge-file` in place on the ours file: the exit code git expects. */
function mergeInPlace(base: string, ours: string, theirs: string): number {
  try {
    execFileSync(
      'git',
      ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', ours, base, theirs],
      {
        stdio: 'ignore',
      },
    );
    return 0;
  } catch {
    return 1;
  }
}

export async function runMergeDriver(
  ctx: Ctx,
  args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  const [basePath, oursPath, theirsPath, path] = args;
  if (!basePath || !oursPath || !theirsPath) {
    throw new UserError('USAGE', 'usage: baton merge-driver <base> <ours> <theirs> [path]');
  }
  const name = path ?? oursPath;
  const [base, ours, theirs] = [basePath, oursPath, theirsPath].map(readText);
  if (base === undefined || ours === undefined || theirs === undefined) {
    ctx.err(`baton merge-driver: ${name}: not UTF-8 text; merged line by line`);
    return mergeInPlace(basePath, oursPath, theirsPath);
  }
  const result = mergeTask(base, ours, theirs, gitMergeLines);
  writeFileSync(oursPath, result.text);
  if (result.fallback) {
    ctx.err(
      `baton merge-driver: ${name}: not a readable task file (${result.fallback}); merged line by line`,
    );
  }
  if (result.conflictKeys.length > 0) {
    ctx.err(
      `baton merge-driver: ${name}: conflicting changes to ${result.conflictKeys.join(', ')}; resolve the markers in the front matter`,
    );
  }
  return result.conflict ? 1 : 0;
}
