/**
 * Lists the task files: every `*.md` directly inside a namespace folder of `.tasks/`, with
 * the stat facts the index cache keys on. Reads no file contents. Symbolic links that lead
 * out of the repository are refused, never followed; hidden files (editor temp files) and
 * `.tasks/agents/` are skipped.
 */
import { type Dirent, readdirSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Problem } from '../core/types.js';
import { NAMESPACE_PATTERN } from '../schema/fields.js';
import { atRoot, type Root } from './root.js';
import { entryStat, fileStat } from './stat.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export interface ScannedFile {
  /** Repo-relative POSIX path. */
  rel: string;
  namespace: string;
  size: number;
  /** `size:mtimeNs:ctimeNs:ino`: equal keys mean the file has not changed since it was indexed. */
  key: string;
  mtimeMs: number;
}

export interface Scan {
  files: ScannedFile[];
  problems: Problem[];
}

const RESERVED = new Set(['agents']);

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * Whether `path` (absolute, or relative to the working folder), with symbolic links
 * resolved, lies inside the repository.
 */
export function insideRoot(root: Root, path: string): boolean {
  try {
    const real = realpathSync(path);
    const base = realpathSync(root.root);
    return real === base || real.startsWith(base + sep);
  } catch {
    return false;
  }
}

function linkProblem(rel: string): Problem {
  return {
    rule: 'schema',
    severity: 'error',
    path: rel,
    message: 'symbolic link leading out of the repository (or broken); not followed',
  };
}

/**
 * The namespace of a repo-relative path if it is a task file by the same rules the scan
 * applies (`.tasks/<namespace>/<name>.md`, no hidden or reserved folders), else undefined.
 */
export function taskFileNamespace(rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts.length !== 3 || parts[0] !== '.tasks') return undefined;
  const [, ns, name] = parts as [string, string, string];
  if (ns.startsWith('.') || RESERVED.has(ns) || !NAMESPACE_PATTERN.test(ns)) return undefined;
  if (name.startsWith('.') || !name.endsWith('.md')) return undefined;
  return ns;
}

/** `.tasks/main/t-k3x9.md` -> `t-k3x9`: a task file's name without `.md`. */
export function fileStem(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1, -3);
}

/** A global slot, so the answer memo's own bundle (src/cli/memo.ts) can hand a scan over. */
const SLOT = Symbol.for('baton.scan.handed');
const shared = globalThis as unknown as { [SLOT]?: { tasksDir: string; scan: Scan } };

/** Hand a scan just made to the next `takeScan` of the same store (one stat per file). */
export function handScan(root: Root, scan: Scan): void {
  shared[SLOT] = { tasksDir: root.tasksDir, scan };
}

/** The scan handed over for `root`, once; undefined when there is none. */
export function takeScan(root: Root): Scan | undefined {
  const h = shared[SLOT];
  shared[SLOT] = undefined;
  return h && h.tasksDir === root.tasksDir ? h.scan : undefined;
}

export function scanTasks(root: Root): Scan {
  const files: ScannedFile[] = [];
  const problems: Problem[] = [];
  let top: Dirent[];
  try {
    top = readdirSync(root.tasksDir, { withFileTypes: true });
  } catch {
    return { files, problems };
  }
  top.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const here = atRoot(root);
  for (const dirent of top) {
    const name = dirent.name;
    if (name.startsWith('.') || RESERVED.has(name)) continue;
    const nsAbs = join(root.tasksDir, name);
    const nsRel = toPosix(relative(root.root, nsAbs));
    if (dirent.isSymbolicLink()) {
      if (!insideRoot(root, nsAbs)) {
        problems.push(linkProblem(nsRel));
        continue;
      }
    } else if (!dirent.isDirectory()) {
      continue;
    }
    if (!NAMESPACE_PATTERN.test(name)) {
      problems.push({
        rule: 'file-name',
        severity: 'warning',
        path: nsRel,
        message: `folder "${name}" is not a valid namespace name (a-z, 0-9, . _ -); its files are not read`,
      });
      continue;
    }
    scanNamespace(root, name, nsAbs, nsRel, here, files, problems);
  }
  return { files, problems };
}

function scanNamespace(
  root: Root,
  namespace: string,
  nsAbs: string,
  nsRel: string,
  /** Stat by repo-relative path: the process runs in the root. */
  here: boolean,
  files: ScannedFile[],
  problems: Problem[],
): void {
  let names: string[];
  try {
    // Names only: the lstat below says what each entry is (no Dirent object per file).
    names = readdirSync(nsAbs).filter((n) => n.charCodeAt(0) !== 46 /* . */ && n.endsWith('.md'));
  } catch {
    return;
  }
  names.sort();
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    const rel = `${nsRel}/${n}`;
    const path = here ? rel : nsAbs + sep + n;
    let st = entryStat(path);
    if (st === 'link') {
      if (!insideRoot(root, path)) {
        problems.push(linkProblem(rel));
        continue;
      }
      st = fileStat(path);
    }
    if (st === undefined) continue; // removed between readdir and stat, or not a file
    files.push({ rel, namespace, size: st.size, key: st.key, mtimeMs: st.mtimeMs });
  }
}
