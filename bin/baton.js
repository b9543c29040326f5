#!/usr/bin/env node
// Thin launcher: answers --version without loading anything else (start-up is a feature),
// hands the hottest exact calls to bundles of their own (check-staged.cjs, memo.cjs,
// read.cjs), and everything else to the bundled CLI.
//
// CommonJS (bin/package.json says so), like those three bundles: a run that stays on them
// never starts Node's ES module loader, ~5 ms of every such run. The full CLI is ESM and is
// loaded with import().
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const arg = process.argv[2];
const dist = join(__dirname, '..', 'dist');

/** Exactly `ready --json`, `list --json` or `blocked --json`: what dist/read.cjs answers. */
function exactRead() {
  if (arg !== 'ready' && arg !== 'list' && arg !== 'blocked') return false;
  return process.argv.length === 4 && process.argv[3] === '--json';
}

/**
 * Load `file` (a CommonJS bundle of dist/) and say true; false when it is not built (or
 * built before it existed), so the full CLI runs instead and says what is missing.
 */
function bundle(file) {
  const path = join(dist, file);
  try {
    require(path);
    return true;
  } catch (error) {
    const missing = error?.code === 'MODULE_NOT_FOUND';
    if (missing && String(error.message).includes(path)) return false;
    throw error;
  }
}

/**
 * `ready`, `list`, `blocked --json` answered from the memo when nothing changed (src/cli/memo.ts).
 * Run in the root with no memo folder (a fresh clone, a cleared cache), there is nothing to
 * replay: an exact read then goes straight to dist/read.cjs, which prepares the memo itself.
 */
function replayed() {
  if (arg !== 'ready' && arg !== 'list' && arg !== 'blocked') return false;
  if (!process.argv.includes('--json')) return false;
  if (exactRead() && existsSync('.tasks') && !existsSync('.tasks/.local/memo')) return false;
  try {
    const { replayMemo } = require(join(dist, 'memo.cjs'));
    return replayMemo(process.argv.slice(2), join(dist, 'cli.js'));
  } catch {
    return false;
  }
}

/** Exactly `check --staged`, what the pre-commit hook runs on every commit: one file, no option parser. */
function stagedCheck() {
  if (arg !== 'check' || process.argv.length !== 4 || process.argv[3] !== '--staged') return false;
  return bundle('check-staged.cjs');
}

/** Exactly `ready --json`, `list --json` or `blocked --json` that the memo could not answer. */
function plainRead() {
  return exactRead() && bundle('read.cjs');
}

async function fullCli() {
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

if (arg === '--version' || arg === '-V') {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (!stagedCheck() && !replayed() && !plainRead()) {
  fullCli();
}
