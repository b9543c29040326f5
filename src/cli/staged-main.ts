/**
 * `baton check --staged` exactly as the pre-commit hook runs it, as one self-contained file
 * that bin/baton.js loads instead of the whole CLI: every commit pays for this start-up, and
 * module loading and the option parser were a fifth of it. Same code, output and exit codes
 * as the command (`commands/check.ts`).
 */
import { runCheck } from './commands/check.js';
import { makeCtx } from './context.js';
import { quietOnClosedPipe } from './quiet-pipe.js';
import { reportFailure } from './report-error.js';

async function main(): Promise<void> {
  quietOnClosedPipe();
  try {
    process.exitCode = await runCheck(makeCtx({}), [], { staged: true, format: 'text' });
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}

// A function, not top-level await: this bundle is CommonJS (see esbuild.config.mjs).
void main();
