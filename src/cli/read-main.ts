/**
 * Exactly `baton ready --json`, `list --json` or `blocked --json`, the calls agents make
 * most, as one bundle that bin/baton.js loads when the answer memo missed: the same command
 * code the CLI runs, without the option parser and the thirty modules the full CLI loads,
 * about 25 ms of a 200 ms cold run at 1,000 tasks. Records the answer memo as main.ts does.
 */
import { fileURLToPath } from 'node:url';
import { runBlocked } from './commands/blocked.js';
import { runList } from './commands/list.js';
import { runReady } from './commands/ready.js';
import { makeCtx } from './context.js';
import { captureOutput, memoPending, replayMemo, storeMemo } from './memo.js';
import { quietOnClosedPipe } from './quiet-pipe.js';
import { reportFailure } from './report-error.js';

async function main(): Promise<void> {
  quietOnClosedPipe();
  const run = { ready: runReady, list: runList, blocked: runBlocked }[process.argv[2] ?? ''];
  // what the option parser hands the command for `<command> --json`
  const opts = { color: true, json: true };
  // Without a memo folder there is nothing to replay, so bin/baton.js came here directly:
  // prepare the recording of this answer as dist/memo.cjs would have.
  if (!memoPending())
    replayMemo(process.argv.slice(2), fileURLToPath(new URL('cli.js', import.meta.url)), false);
  const recording = captureOutput();
  try {
    process.exitCode = run ? await run(makeCtx(opts), [], opts) : 2;
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
  if (recording) await storeMemo(Number(process.exitCode));
}

// A function, not top-level await: this bundle is CommonJS (see esbuild.config.mjs).
void main();
