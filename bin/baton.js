#!/usr/bin/env node
// Thin launcher: answers --version without loading anything else (start-up is a feature),
// otherwise hands over to the bundled CLI.
const arg = process.argv[2];

/** `ready`, `list`, `blocked --json` answered from the memo when nothing changed (src/cli/memo.ts). */
async function replayed() {
  if (arg !== 'ready' && arg !== 'list' && arg !== 'blocked') return false;
  if (!process.argv.includes('--json')) return false;
  try {
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    return (await import('../dist/memo.js')).replayMemo(process.argv.slice(2), cli);
  } catch {
    return false;
  }
}

/** Exactly `check --staged`, what the pre-commit hook runs on every commit: one file, no option parser. */
async function stagedCheck() {
  if (arg !== 'check' || process.argv.length !== 4 || process.argv[3] !== '--staged') return false;
  try {
    await import('../dist/check-staged.js');
    return true;
  } catch (error) {
    // not built (or built before it existed): the CLI path says what is missing
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND';
    if (missing && String(error.message).includes('dist/check-staged.js')) return false;
    throw error;
  }
}

if (arg === '--version' || arg === '-V') {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (!(await stagedCheck()) && !(await replayed())) {
  try {
    await import('../dist/cli.js');
  } catch (error) {
    if (
      error &&
      error.code === 'ERR_MODULE_NOT_FOUND' &&
      String(error.message).includes('dist/cli.js')
    ) {
      process.stderr.write(
        'baton: the CLI is not built; run `npm install` (or `npm run build`) first\n',
      );
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}
