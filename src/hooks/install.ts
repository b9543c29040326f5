/**
 * Install and remove baton's git hooks and merge driver. Idempotent; every step reports what
 * it did so the command can print it.
 *
 * Where the hooks go: `git rev-parse --git-path hooks`, which honours `core.hooksPath` and
 * linked worktrees (they share the main repository's hooks).
 * - husky 9 sets `core.hooksPath=.husky/_`, a folder it regenerates on every `npm install`,
 *   whose files run `.husky/<name>` with `sh -e`. So with husky the hooks are written to
 *   `.husky/` itself, in the same way (a user hook there is kept as `<name>.baton-chained`
 *   and run first), where husky runs them and its regeneration leaves them alone. Those files
 *   are usually committed: teammates without baton at the recorded path fall back to
 *   `baton` on PATH, or get a one-line warning.
 * - husky 5-8 (`core.hooksPath=.husky`) and any other `core.hooksPath`: written there.
 * - lefthook and other managers that write `.git/hooks/<name>` themselves: their hook is kept
 *   as `<name>.baton-chained` and run first. Re-running their installer replaces our file;
 *   run `baton hooks install` again after it.
 * A hook file is ours when it has the `# baton hook` line; any other file is never
 * overwritten, only renamed to `<name>.baton-chained` (and put back by uninstall).
 *
 * The merge driver: `merge.baton.name` and `merge.baton.driver` in the repository's own
 * config (git does not share config through clones: each clone runs install), and the line
 * `.tasks/**\/*.md merge=baton` in the top-level `.gitattributes` (committed, so shared).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { gitOutput } from '../store/git.js';
import { packageRoot } from '../store/package-files.js';
import {
  ATTRIBUTES_LINE,
  CHAINED_SUFFIX,
  DRIVER_NAME,
  driverCommand,
  HOOK_NAMES,
  type HookName,
  hookScript,
  type Invocation,
  isBatonHook,
} from './scripts.js';

export type HookAction =
  | 'installed'
  | 'updated'
  | 'unchanged'
  | 'chained'
  | 'conflict'
  | 'removed'
  | 'restored'
  | 'absent'
  | 'foreign';

export interface HookStep {
  name: HookName;
  action: HookAction;
}

export interface HooksResult {
  /** Absolute folder the hooks were written to (or removed from). */
  dir: string;
  /** The working tree's top folder. */
  top: string;
  husky: boolean;
  hooks: HookStep[];
  /** Merge driver config: set now, already set, removed, or was not there. */
  driver: 'set' | 'unchanged' | 'removed' | 'absent';
  /** The `.gitattributes` line: added, already there, removed, or was not there. */
  attributes: 'added' | 'unchanged' | 'removed' | 'absent';
}

/** baton as it runs now: this Node.js and this package's `bin/baton.js`. */
export function currentInvocation(): Invocation {
  return { node: process.execPath, js: join(packageRoot(), 'bin', 'baton.js') };
}

/** The working tree's top folder, or undefined outside a git working tree. */
export function gitTop(cwd: string): string | undefined {
  try {
    const top = gitOutput(cwd, ['rev-parse', '--show-toplevel']).trim();
    return top || undefined;
  } catch {
    return undefined;
  }
}

function requireTop(cwd: string): string {
  const top = gitTop(cwd);
  if (!top) {
    throw new UserError(
      'NOT_A_GIT_REPOSITORY',
      `${cwd} is not inside a git working tree; hooks need one (run \`git init\` first)`,
    );
  }
  return top;
}

/** Where the hooks go, and whether that is husky's `.husky/` (see the module comment). */
export function hooksLocation(top: string): { dir: string; husky: boolean } {
  const dir = resolve(top, gitOutput(top, ['rev-parse', '--git-path', 'hooks']).trim());
  if (basename(dir) === '_' && basename(dirname(dir)) === '.husky') {
    return { dir: dirname(dir), husky: true };
  }
  return { dir, husky: basename(dir) === '.husky' };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function installHook(dir: string, name: HookName, text: string): HookAction {
  const path = join(dir, name);
  const chained = path + CHAINED_SUFFIX;
  const existing = existsSync(path) ? (readText(path) ?? '') : undefined;
  let action: HookAction = 'installed';
  if (existing !== undefined && isBatonHook(existing)) {
    if (existing === text) {
      chmodSync(path, 0o755);
      return 'unchanged';
    }
    action = 'updated';
  } else if (existing !== undefined) {
    // Someone else's hook. Never overwrite it: keep it as the chained hook, unless one is
    // already kept from before (then both are someone else's and a person must choose).
    if (existsSync(chained)) return 'conflict';
    renameSync(path, chained);
    action = 'chained';
  }
  writeFileSync(path, text, { mode: 0o755 });
  chmodSync(path, 0o755);
  return action;
}

function uninstallHook(dir: string, name: HookName): HookAction {
  const path = join(dir, name);
  const chained = path + CHAINED_SUFFIX;
  const existing = existsSync(path) ? readText(path) : undefined;
  if (existing === undefined) {
    if (existsSync(chained)) {
      renameSync(chained, path);
      return 'restored';
    }
    return 'absent';
  }
  if (!isBatonHook(existing)) return 'foreign';
  unlinkSync(path);
  if (existsSync(chained)) {
    renameSync(chained, path);
    return 'restored';
  }
  return 'removed';
}

function gitConfigGet(top: string, key: string): string | undefined {
  try {
    return gitOutput(top, ['config', '--local', '--get', key]).replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

function setDriver(top: string, inv: Invocation): HooksResult['driver'] {
  const command = driverCommand(inv);
  if (
    gitConfigGet(top, 'merge.baton.name') === DRIVER_NAME &&
    gitConfigGet(top, 'merge.baton.driver') === command
  ) {
    return 'unchanged';
  }
  gitOutput(top, ['config', '--local', 'merge.baton.name', DRIVER_NAME]);
  gitOutput(top, ['config', '--local', 'merge.baton.driver', command]);
  return 'set';
}

function unsetDriver(top: string): HooksResult['driver'] {
  if (gitConfigGet(top, 'merge.baton.driver') === undefined) {
    if (gitConfigGet(top, 'merge.baton.name') === undefined) return 'absent';
  }
  try {
    gitOutput(top, ['config', '--local', '--remove-section', 'merge.baton']);
  } catch {
    return 'absent';
  }
  return 'removed';
}

const isAttributesLine = (l: string) => l.trim().split(/\s+/).join(' ') === ATTRIBUTES_LINE;

function addAttributes(top: string): HooksResult['attributes'] {
  const path = join(top, '.gitattributes');
  const text = readText(path) ?? '';
  if (text.split(/\r?\n/).some(isAttributesLine)) return 'unchanged';
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  writeFileSync(path, `${text}${sep}${ATTRIBUTES_LINE}\n`);
  return 'added';
}

function removeAttributes(top: string): HooksResult['attributes'] {
  const path = join(top, '.gitattributes');
  const text = readText(path);
  if (text === undefined) return 'absent';
  const lines = text.split('\n');
  const kept = lines.filter((l) => !isAttributesLine(l));
  if (kept.length === lines.length) return 'absent';
  const rest = kept.join('\n');
  // A file that held only our line was ours: remove it rather than leave it empty.
  if (rest.trim() === '') unlinkSync(path);
  else writeFileSync(path, rest);
  return 'removed';
}

export function installHooks(cwd: string, inv: Invocation = currentInvocation()): HooksResult {
  const top = requireTop(cwd);
  const { dir, husky } = hooksLocation(top);
  // e.g. a core.hooksPath folder that does not exist yet
  mkdirSync(dir, { recursive: true });
  const hooks = HOOK_NAMES.map((name) => ({
    name,
    action: installHook(dir, name, hookScript(name, inv, husky)),
  }));
  return {
    dir,
    top,
    husky,
    hooks,
    driver: setDriver(top, inv),
    attributes: addAttributes(top),
  };
}

export function uninstallHooks(cwd: string): HooksResult {
  const top = requireTop(cwd);
  const { dir, husky } = hooksLocation(top);
  const hooks = HOOK_NAMES.map((name) => ({ name, action: uninstallHook(dir, name) }));
  return { dir, top, husky, hooks, driver: unsetDriver(top), attributes: removeAttributes(top) };
}

/** `dir` relative to `top` when inside it (for messages), else absolute. */
export function shownPath(top: string, dir: string): string {
  const rel = relative(top, dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}
