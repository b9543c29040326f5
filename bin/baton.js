#!/usr/bin/env node
// Thin launcher: answers --version without loading anything else (start-up is a feature),
// hands the hottest exact calls to bundles of their own (check-staged.js, memo.js, read.js),
// and everything else to the bundled CLI.
import { existsSync, readFileSync } from 'node:fs';

const arg = process.argv[2];

/** Exactly `ready --json`, `list --json` or `blocked --json`: what dist/read.js answers. */
function exactRead() {
  if (arg !== 'ready' && arg !== 'list' && arg !== 'blocked') return false;
  return process.argv.length === 4 && process.argv[3] === '--json';
}

/**
 * `ready`, `list`, `blocked --json` answered from the memo when nothing changed (src/cli/memo.ts).
 * Run in the root with no memo folder (a fresh clone, a cleared cache), there is nothing to
 * replay: an exact read then goes straight to dist/read.js, which prepares the memo itself.
 */
async function replayed() {
  if (arg !== 'ready' && arg !== 'list' && arg !== 'blocked') return false;
  if (!process.argv.includes('--json')) return false;
  if (exactRead() && existsSync('.tasks') && !existsSync('.tasks/.local/memo')) return false;
  try {
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    return (await import('../dist/memo.js')).replayMemo(process.argv.slice(2), cli);
  } catch {
    return false;
  }
}

/**
 * Import `file` (a bundle of dist/) and say true; false when it is not built (or built
 * before it existed), so the full CLI runs instead and says what is missing.
 */
async function bundle(file) {
  try {
    await import(`../dist/${file}`);
    return true;
  } catch (error) {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND';
    if (missing && String(error.message).includes(`dist/${file}`)) return false;
    throw error;
  }
}

/** Exactly `check --staged`, what the pre-commit hook runs on every commit: one file, no option parser. */
async function stagedCheck() {
  if (arg !== 'check' || process.argv.length !== 4 || process.argv[3] !== '--staged') return false;
  return bundle('check-staged.js');
}

/** Exactly `ready --json`, `list --json` or `blocked --json` that the memo could not answer. */
function plainRead() {
  return exactRead() && bundle('read.js');
}

if (arg === '--version' || arg === '-V') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (!(await stagedCheck()) && !(await replayed()) && !(await plainRead())) {
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
