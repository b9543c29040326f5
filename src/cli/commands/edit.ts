/**
 * `baton edit ID`: open the task file in $VISUAL / $EDITOR (default vi), then validate what
 * was saved. An invalid file is reported (exit 1) and left as saved, for fixing, and `baton
 * edit` opens it again: an invalid file holds no task, so ids are looked up among the files
 * that failed to load too, by the id they hold or, when none can be read, their file name
 * (`cli/file-target.ts`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { paint } from '../../report/color.js';
import { parseTaskFileFully } from '../../store/parse-file.js';
import { analyze } from '../analysis.js';
import type { Ctx } from '../context.js';
import { brokenName, findFileTarget } from '../file-target.js';

export async function runEdit(ctx: Ctx, args: string[]): Promise<number> {
  const { snapshot, graph } = await analyze(ctx);
  const task = findFileTarget(snapshot, graph, args[0] ?? '');
  const abs = join(ctx.root().root, task.path);
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  const res = spawnSync(`${editor} "$BATON_FILE"`, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, BATON_FILE: abs },
  });
  if (res.error || res.status !== 0) {
    throw new UserError(
      'EDITOR_FAILED',
      `the editor "${editor}" failed (exit ${res.status ?? res.error?.message})`,
    );
  }
  const parsed = await parseTaskFileFully(task.path, task.namespace, readFileSync(abs, 'utf8'));
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !parsed.task) {
    const p = paint(ctx.color);
    for (const e of errors)
      ctx.err(`${e.path}${e.line ? `:${e.line}` : ''}: ${p.red('error')} ${e.message}`);
    const again = parsed.task?.data.id ?? brokenName(task.path, parsed.problems[0]?.id);
    ctx.err(
      `${task.path} was saved but is not a valid task; run \`baton edit ${again}\` again to fix it`,
    );
    return 1;
  }
  ctx.out(`${parsed.task.data.id}: saved`);
  return 0;
}
