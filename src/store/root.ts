/** Where the task store is: the nearest ancestor of cwd holding `.tasks/` (like git's `.git`). */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

export const TASKS_DIR = '.tasks';
export const LOCAL_DIR = '.local';

export interface Root {
  /** Absolute path of the folder that holds `.tasks/` (normally the repo root). */
  root: string;
  /** Absolute path of `.tasks/`. */
  tasksDir: string;
}

export function findRoot(cwd: string): Root | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, TASKS_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) {
      return { root: dir, tasksDir: candidate };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function requireRoot(cwd: string): Root {
  const found = findRoot(cwd);
  if (!found) {
    throw new UserError(
      'NO_REPOSITORY',
      `no ${TASKS_DIR}/ folder here or in any parent of ${cwd}; run \`baton init\` first`,
    );
  }
  return found;
}

/**
 * Whether the process runs in the root itself, so a repo-relative path names the same file.
 * The kernel then resolves three components of `.tasks/<ns>/<file>` instead of the whole
 * absolute path: about a fifth of each stat at 10,000 files.
 */
export function atRoot(root: Root): boolean {
  return process.cwd() === root.root;
}

export function localDir(root: Root): string {
  return join(root.tasksDir, LOCAL_DIR);
}
