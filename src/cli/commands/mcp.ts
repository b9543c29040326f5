/**
 * `baton mcp`: serve baton to a coding agent over MCP on stdin/stdout (`src/mcp/server.ts`).
 * The acting agent is fixed here, once: `--agent`, else `$BATON_AGENT`, else git's
 * user.name. This module and the MCP SDK load only for this command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../store/package-files.js';
import type { Ctx } from '../context.js';

export async function runMcp(
  ctx: Ctx,
  _args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  const agent = await ctx.agent();
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  const { serveStdio } = await import('../../mcp/server.js');
  await serveStdio({ cwd: ctx.cwd, agent, version: pkg.version });
  return 0;
}
