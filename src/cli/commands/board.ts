/**
 * `baton board [--port P] [--no-open]`: the board in a browser, served on 127.0.0.1 until
 * SIGINT or SIGTERM (exit 0). Prints one line, the URL with its token; opens it unless
 * `--no-open` (a failure to open is ignored: the URL is printed). The acting agent of the
 * board's writes is fixed here: `--agent`, else `$BATON_AGENT`, else git's user.name. The
 * server (src/board/) loads only for this command.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../../errors.js';
import type { Ctx } from '../context.js';
import { stopSignal } from '../stop-signal.js';

function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser opener: the printed URL is enough
  }
}

export async function runBoard(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const root = ctx.root();
  const agent = await ctx.agent();
  const raw = opts.port === undefined ? '0' : String(opts.port);
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new UserError('USAGE', `--port must be a port number (0 for any free port), not ${raw}`);
  }
  // a write runs git (hooks, commits): it must never wait for a password on the terminal
  process.env.GIT_TERMINAL_PROMPT = '0';
  const { startBoard } = await import('../../board/server.js');
  const signal = stopSignal();
  try {
    const board = await startBoard({ cwd: ctx.cwd, root, agent, port });
    ctx.out(`baton board: ${board.url}`);
    if (opts.open !== false) openBrowser(board.url);
    await signal.stopped;
    await board.close();
  } finally {
    signal.dispose();
  }
  return 0;
}
