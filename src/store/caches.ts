/**
 * Local caches (SPEC section 4): where each configured cache lives for this checkout, its
 * stamp (`<dir>/.baton-stamp.json`, the inputs' fingerprint recorded after a build) and
 * whether it is fresh, stale or missing.
 *
 * Decisions:
 * - `dir` is relative to the root (the folder holding `.tasks/`). Placeholders: `{namespace}`
 *   (the current branch's namespace, as `baton new` computes it), `{branch}` (the branch name
 *   as one folder name: `feature/auth` -> `feature-auth`; `detached` on a detached HEAD),
 *   `{agent}` (the acting agent) and `{name}` (the cache's name). A folder that would be the
 *   root, lie outside it (`..`, an absolute path, a symbolic link out of it), or sit in
 *   `.git` or `.tasks` is refused.
 * - A stamp that is absent or unreadable makes the cache `missing`; stale lists the inputs
 *   added, removed and changed since the stamp.
 * - Clearing empties the folder (it stays) and refuses a folder that holds tracked files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { CacheConfig, Config } from '../schema/config.js';
import { writeAtomic } from './atomic-write.js';
import {
  diffInputs,
  headCommit,
  type InputChanges,
  type InputFile,
  type InputTree,
  readInputTree,
} from './fingerprint.js';
import { branchNamespace, currentBranch, gitOutput } from './git.js';

export const STAMP_FILE = '.baton-stamp.json';

/** What the placeholders of a cache folder stand for in this checkout. */
export interface CacheVars {
  namespace: string;
  branch: string;
  agent: string;
}

export interface Stamp {
  cache: string;
  inputs: string[];
  fingerprint: string;
  files: InputFile[];
  commit: string;
  stamped_at: string;
}

export type CacheState = 'fresh' | 'stale' | 'missing';

export interface CacheReport {
  name: string;
  /** The folder, relative to the root (POSIX separators), and absolute. */
  dir: string;
  path: string;
  inputs: string[];
  state: CacheState;
  stamp?: { fingerprint: string; commit: string; stamped_at: string };
  /** The inputs' fingerprint now (fresh and stale caches). */
  fingerprint?: string;
  changes?: InputChanges;
}

/** A branch or agent name as one folder name. */
export function folderName(s: string): string {
  const out = s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '');
  return out || '_';
}

/** The placeholders' values; the agent is asked for only when some folder uses it. */
export async function cacheVars(
  root: string,
  config: Config,
  agent: () => Promise<string>,
): Promise<CacheVars> {
  const branch = currentBranch(root);
  const nsBranch = config.branch_namespaces ? branch : undefined;
  const namespace = nsBranch ? branchNamespace(nsBranch) : (config.default_namespace ?? 'main');
  const usesAgent = Object.values(config.caches ?? {}).some((c) => c.dir.includes('{agent}'));
  return {
    namespace,
    branch: branch ? folderName(branch) : 'detached',
    agent: usesAgent ? folderName(await agent()) : '_',
  };
}

/** The cache's folder for this checkout: relative (POSIX) and absolute. Refuses escapes. */
export function cacheDir(
  root: string,
  name: string,
  cache: CacheConfig,
  vars: CacheVars,
): { dir: string; path: string } {
  const values: Record<string, string> = { ...vars, name };
  const rel = cache.dir
    .replace(/\{(namespace|branch|agent|name)\}/g, (_, k: string) => values[k]!)
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
  const abs = resolve(root, rel);
  const inside = relative(root, abs);
  const refuse = (why: string) =>
    new UserError('FILE_REFUSED', `cache "${name}": folder "${rel}" ${why}`, {
      path: '.tasks/config.yaml',
    });
  if (rel === '' || inside === '' || isAbsolute(inside) || inside.split(sep).includes('..')) {
    throw refuse('is not inside the repository');
  }
  const top = inside.split(sep)[0];
  if (top === '.git' || top === '.tasks') throw refuse(`is inside ${top}/`);
  // A symbolic link on the way out of the repository is never followed.
  let probe = abs;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const real = realpathSync(probe);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw refuse('leads out of the repository through a symbolic link');
  }
  return { dir: inside.split(sep).join('/'), path: abs };
}

/** The configured cache called `name`, or a usage error naming the known ones. */
export function requireCache(config: Config, name: string): CacheConfig {
  const caches = config.caches ?? {};
  const cache = Object.hasOwn(caches, name) ? caches[name] : undefined;
  if (cache) return cache;
  const known = Object.keys(caches).sort();
  throw new UserError(
    'USAGE',
    known.length > 0
      ? `no cache named "${name}"; configured caches: ${known.join(', ')}`
      : `no cache named "${name}": no caches are configured (add \`caches:\` to .tasks/config.yaml)`,
  );
}

function isPair(x: unknown): x is InputFile {
  return Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';
}

/** The stamp in a cache folder, or undefined when absent or unreadable. */
export function readStamp(path: string): Stamp | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(path, STAMP_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const s = data as Partial<Stamp>;
  if (typeof s.fingerprint !== 'string' || !Array.isArray(s.files) || !s.files.every(isPair)) {
    return undefined;
  }
  return {
    cache: String(s.cache ?? ''),
    inputs: Array.isArray(s.inputs) ? s.inputs.map(String) : [],
    fingerprint: s.fingerprint,
    files: s.files,
    commit: typeof s.commit === 'string' ? s.commit : '',
    stamped_at: typeof s.stamped_at === 'string' ? s.stamped_at : '',
  };
}

/** Record the inputs' fingerprint now in the cache folder (created if needed). */
export function stampCache(
  root: string,
  name: string,
  cache: CacheConfig,
  path: string,
  now: Date,
): Stamp {
  const current = readInputTree(root, cache.inputs).fingerprint(cache.inputs);
  const stamp: Stamp = {
    cache: name,
    inputs: cache.inputs,
    fingerprint: current.fingerprint,
    files: current.files,
    commit: headCommit(root),
    stamped_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  mkdirSync(path, { recursive: true });
  writeAtomic(join(path, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

/**
 * Every configured cache's state, in name order. The inputs are read from git once for all
 * caches (and not at all when no cache has a stamp). `tree` reuses a read the caller made.
 */
export function cacheReports(
  root: string,
  config: Config,
  vars: CacheVars,
  tree?: InputTree,
): CacheReport[] {
  const caches = config.caches ?? {};
  const names = Object.keys(caches).sort();
  const reports: CacheReport[] = [];
  const stamps = new Map<string, Stamp>();
  for (const name of names) {
    const cache = caches[name]!;
    const { dir, path } = cacheDir(root, name, cache, vars);
    reports.push({ name, dir, path, inputs: cache.inputs, state: 'missing' });
    const stamp = readStamp(path);
    if (stamp) stamps.set(name, stamp);
  }
  if (stamps.size === 0) return reports;
  const globs = [...new Set([...stamps.keys()].flatMap((n) => caches[n]!.inputs))];
  const read = tree ?? readInputTree(root, globs);
  for (const report of reports) {
    const stamp = stamps.get(report.name);
    if (!stamp) continue;
    const now = read.fingerprint(report.inputs);
    report.stamp = {
      fingerprint: stamp.fingerprint,
      commit: stamp.commit,
      stamped_at: stamp.stamped_at,
    };
    report.fingerprint = now.fingerprint;
    if (now.fingerprint === stamp.fingerprint) report.state = 'fresh';
    else {
      report.state = 'stale';
      report.changes = diffInputs(stamp.files, now.files);
    }
  }
  return reports;
}

/** Empty a cache folder, keeping it; returns how many entries were removed. */
export function clearCache(
  root: string,
  report: Pick<CacheReport, 'name' | 'dir' | 'path'>,
): number {
  if (!existsSync(report.path)) return 0;
  const tracked = gitOutput(root, ['--literal-pathspecs', 'ls-files', '-z', '--', report.dir]);
  if (tracked !== '') {
    throw new UserError(
      'REFUSED',
      `cache "${report.name}": ${report.dir} holds files tracked by git; not clearing it`,
    );
  }
  const entries = readdirSync(report.path);
  for (const entry of entries) rmSync(join(report.path, entry), { recursive: true, force: true });
  return entries.length;
}

/** Create the cache folder; returns its absolute path. */
export function ensureCacheDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
