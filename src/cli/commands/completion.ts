/**
 * `baton completion bash|zsh|fish`: print a completion script for the shell, made from the
 * program's own command tree. `baton __complete-ids [prefix]` (hidden) is what the scripts
 * call for task ids: the ids of the index, one a line.
 */
import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { findRoot } from '../../store/root.js';
import { bashScript, fishScript, zshScript } from '../completion-scripts.js';
import { completionTree } from '../completion-tree.js';
import type { Ctx } from '../context.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export async function runCompletion(
  ctx: Ctx,
  args: string[],
  _opts: Record<string, unknown>,
  program: Command,
): Promise<number> {
  const shell = args[0] ?? '';
  if (!(shell in SCRIPTS)) {
    throw new UserError('USAGE', `no completion for "${shell}"; try bash, zsh or fish`);
  }
  ctx.out(SCRIPTS[shell as keyof typeof SCRIPTS](completionTree(program)));
  return 0;
}

/** The task ids starting with `args[0]`, sorted; nothing (exit 0) outside a baton repo. */
export async function runCompleteIds(ctx: Ctx, args: string[]): Promise<number> {
  if (!findRoot(ctx.cwd)) return 0;
  const prefix = args[0] ?? '';
  const ids = new Set<string>();
  for (const task of (await ctx.load()).tasks) {
    if (task.data.id.startsWith(prefix)) ids.add(task.data.id);
  }
  if (ids.size > 0) ctx.out([...ids].sort().join('\n'));
  return 0;
}
