/**
 * `agents import DIR`: copy agent profiles (such as `.claude/agents/*.md`) into
 * `.tasks/agents/` as they are, byte for byte. Everything is decided first (`planImport`),
 * then written (`applyImport`).
 *
 * Decisions:
 * - Every `*.md` directly in DIR is a candidate; sub-folders are not searched. A file that
 *   is not a valid profile (`profileFromData`), a symbolic link or over 1 MiB is reported
 *   and not copied.
 * - The copy keeps the file name. An existing identical file is left alone (`unchanged`); an
 *   existing different one is refused unless `force` (`overwrite`).
 * - A profile whose agent name another profile already has (in `.tasks/agents/` under
 *   another file name, or earlier in DIR) is refused: one name, one profile.
 * - Writes are atomic: the bytes read (and validated) go to a temp file that is hard-linked
 *   into place (a new file: never replaces one that appeared meanwhile) or renamed over the
 *   old one (`overwrite`).
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import {
  AGENTS_DIR,
  isProblem,
  loadAgents,
  parseProfile,
  profileFiles,
  unreadable,
} from './agents.js';
import type { Root } from './root.js';

export type ImportAction = 'import' | 'overwrite' | 'unchanged' | 'refused' | 'invalid';

export interface ImportItem {
  /** The source as the user named it: DIR joined with the file name. */
  source: string;
  /** Repo-relative destination, `.tasks/agents/<file>`. */
  target: string;
  action: ImportAction;
  /** The agent's name, when the file is a valid profile. */
  name?: string;
  /** Why it is refused or invalid. */
  message?: string;
  line?: number;
  /** The bytes to write (import and overwrite). */
  bytes?: Buffer;
}

export async function planImport(
  root: Root,
  dir: string,
  shownDir: string,
  force: boolean,
): Promise<ImportItem[]> {
  const files = profileFiles(dir);
  if (files === undefined) throw new UserError('USAGE', `cannot read the folder ${shownDir}`);
  const { agents } = await loadAgents(root);
  const owner = new Map(agents.map((a) => [a.name, a.path]));
  const items: ImportItem[] = [];
  for (const file of files) {
    const source = join(shownDir, file);
    const target = `.tasks/${AGENTS_DIR}/${file}`;
    const full = join(dir, file);
    const refused = unreadable(full);
    if (refused) {
      items.push({ source, target, action: 'invalid', message: refused });
      continue;
    }
    const bytes = readFileSync(full);
    const p = await parseProfile(bytes.toString('utf8'), source, file);
    if (isProblem(p)) {
      const line = p.line !== undefined ? { line: p.line } : {};
      items.push({ source, target, action: 'invalid', message: p.message, ...line });
      continue;
    }
    const item: ImportItem = { source, target, action: 'import', name: p.name };
    const other = owner.get(p.name);
    const destination = join(root.tasksDir, AGENTS_DIR, file);
    const existing = existsSync(destination) ? readFileSync(destination) : undefined;
    if (other !== undefined && other !== target) {
      item.action = 'refused';
      item.message = `agent "${p.name}" is already defined in ${other}`;
    } else if (existing?.equals(bytes)) {
      item.action = 'unchanged';
    } else if (existing && !force) {
      item.action = 'refused';
      item.message = `${target} exists and differs (--force overwrites it)`;
    } else {
      item.action = existing ? 'overwrite' : 'import';
      item.bytes = bytes;
    }
    owner.set(p.name, target);
    items.push(item);
  }
  return items;
}

/** Writes the planned copies; returns the repo-relative paths written. */
export function applyImport(root: Root, items: readonly ImportItem[]): string[] {
  const dir = join(root.tasksDir, AGENTS_DIR);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const item of items) {
    if (!item.bytes) continue;
    const path = join(root.root, item.target);
    const tmp = join(dir, `.import-${process.pid}-${written.length}.tmp`);
    writeFileSync(tmp, item.bytes, { flag: 'wx' });
    try {
      if (item.action === 'overwrite') renameSync(tmp, path);
      else linkSync(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      item.action = 'refused';
      item.message = `${item.target} appeared while importing; nothing was written`;
      continue;
    } finally {
      rmSync(tmp, { force: true });
    }
    written.push(item.target);
  }
  return written;
}
