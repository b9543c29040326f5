/**
 * `baton hooks install | uninstall`: the git hooks (pre-commit, post-merge, post-checkout,
 * post-rewrite, post-commit) and the merge driver. Idempotent; existing hooks are chained, never
 * overwritten (src/hooks/install.ts). Exit 1 when a hook could not be placed because both
 * it and its `.baton-chained` copy belong to someone else.
 */
import { EXIT_FINDINGS, UserError } from '../../errors.js';
import {
  gitTop,
  type HookAction,
  type HooksResult,
  installHooks,
  shownPath,
  uninstallHooks,
} from '../../hooks/install.js';
import { ATTRIBUTES_LINE, CHAINED_SUFFIX } from '../../hooks/scripts.js';
import type { Ctx } from '../context.js';

function describe(action: HookAction, name: string): string {
  const kept = `${name}${CHAINED_SUFFIX}`;
  switch (action) {
    case 'installed':
      return 'installed';
    case 'updated':
      return 'updated';
    case 'unchanged':
      return 'already installed';
    case 'chained':
      return `installed; the existing hook is kept as ${kept} and runs first`;
    case 'conflict':
      return `NOT installed: ${name} and ${kept} both exist and neither is baton's; merge them by hand`;
    case 'removed':
      return 'removed';
    case 'restored':
      return `removed; ${kept} restored as ${name}`;
    case 'absent':
      return 'not installed';
    case 'foreign':
      return "not baton's; left as it is";
  }
}

/** The report lines (without the title). */
export function hooksReport(r: HooksResult): string[] {
  const width = Math.max(...r.hooks.map((h) => h.name.length), 'merge driver'.length) + 2;
  const lines = r.hooks.map((h) => `  ${h.name.padEnd(width)}${describe(h.action, h.name)}`);
  const driver = {
    set: 'merge.baton set in the repository config',
    unchanged: 'merge.baton already set',
    removed: 'merge.baton removed from the repository config',
    absent: 'merge.baton was not set',
  }[r.driver];
  const attrs = {
    added: `.gitattributes: added "${ATTRIBUTES_LINE}" (commit it to share)`,
    unchanged: `.gitattributes: "${ATTRIBUTES_LINE}" already there`,
    removed: `.gitattributes: removed "${ATTRIBUTES_LINE}"`,
    absent: '.gitattributes: no baton line',
  }[r.attributes];
  lines.push(`  ${'merge driver'.padEnd(width)}${driver}; ${attrs}`);
  if (r.husky) {
    lines.push(
      `  (husky: the hooks are in ${shownPath(r.top, r.dir)}/, where husky runs them; commit them to share)`,
    );
  }
  return lines;
}

export async function runHooks(
  ctx: Ctx,
  args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  const verb = args[0];
  if (verb !== 'install' && verb !== 'uninstall') {
    throw new UserError('USAGE', 'usage: baton hooks install | uninstall');
  }
  const result = verb === 'install' ? installHooks(ctx.cwd) : uninstallHooks(ctx.cwd);
  const where = shownPath(result.top, result.dir);
  ctx.out(
    verb === 'install'
      ? `baton hooks installed in ${where}/:`
      : `baton hooks removed from ${where}/:`,
  );
  for (const line of hooksReport(result)) ctx.out(line);
  return result.hooks.some((h) => h.action === 'conflict') ? EXIT_FINDINGS : 0;
}

/**
 * For `baton init`: install the hooks and say so in one line. Outside a git working tree
 * they are skipped with a note; a failure is reported, not fatal to init.
 */
export function initHooksLine(cwd: string): string {
  if (!gitTop(cwd)) {
    return 'hooks   skipped: not a git repository (run `baton hooks install` after `git init`)';
  }
  let r: HooksResult;
  try {
    r = installHooks(cwd);
  } catch (error) {
    if (error instanceof UserError) return `hooks   not installed: ${error.message}`;
    throw error;
  }
  const where = `${shownPath(r.top, r.dir)}/`;
  const conflicts = r.hooks.filter((h) => h.action === 'conflict').map((h) => h.name);
  const placed = r.hooks.filter((h) => h.action !== 'conflict').map((h) => h.name);
  const chained = r.hooks.filter((h) => h.action === 'chained').map((h) => h.name);
  const fresh = r.hooks.some((h) => h.action !== 'unchanged') || r.driver === 'set';
  let line = fresh
    ? `hooks   installed ${placed.join(', ')} and the merge driver in ${where}`
    : `hooks   already installed in ${where}`;
  if (chained.length > 0) line += ` (existing ${chained.join(', ')} kept and chained)`;
  if (conflicts.length > 0) line += `; NOT ${conflicts.join(', ')}: see \`baton hooks install\``;
  return line;
}
