/**
 * `baton cache path|stamp|status|clear`: the configured caches of this checkout (folders per
 * namespace, branch or agent; see store/caches.ts) and whether their inputs changed since
 * they were stamped. Exit 0 whatever the states; 2 for an unknown cache name (the known ones
 * are listed) or a bad folder.
 *
 * - `path NAME`: create the folder, print its absolute path (so `$(baton cache path x)` works).
 * - `stamp NAME`: record the inputs' fingerprint in `<dir>/.baton-stamp.json`, after a build.
 * - `status [--json]`: each cache `fresh`, `stale` (with the inputs added, removed, changed)
 *   or `missing` (never stamped), for the current namespace.
 * - `clear NAME` / `clear --stale`: empty one cache, or every stale one (the folder stays).
 */
import { hasResult, staleResults } from '../../core/stale.js';
import type { Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import type { Config } from '../../schema/config.js';
import {
  type CacheReport,
  type CacheVars,
  cacheDir,
  cacheReports,
  cacheVars,
  clearCache,
  ensureCacheDir,
  requireCache,
  stampCache,
} from '../../store/caches.js';
import { loadConfig } from '../../store/config-load.js';
import { compileInputs, readInputTree } from '../../store/fingerprint.js';
import { changedFiles, gitOutput } from '../../store/git.js';
import type { Ctx } from '../context.js';
import type { NewsInput, NewsSection } from './news.js';

const MAX_LISTED = 10;

export async function runCache(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const [verb, name] = args;
  const root = ctx.root().root;
  // Only the config is needed: not a load of every task file.
  const { config } = await loadConfig(ctx.root());
  const now = new Date();
  const vars = await cacheVars(root, config, ctx.agent);
  switch (verb) {
    case 'path': {
      const { path, dir } = cacheDir(root, name!, requireCache(config, name!), vars);
      ensureCacheDir(path);
      if (!ignored(root, dir)) {
        ctx.err(`baton: warning: ${dir} is not ignored by git; add it to .gitignore`);
      }
      ctx.out(path);
      return 0;
    }
    case 'stamp': {
      const cache = requireCache(config, name!);
      const { path, dir } = cacheDir(root, name!, cache, vars);
      const stamp = stampCache(root, name!, cache, path, now);
      const n = stamp.files.length;
      ctx.out(
        `stamped ${name} (${dir}): ${n} input file${n === 1 ? '' : 's'}, fingerprint ${stamp.fingerprint.slice(0, 12)}`,
      );
      return 0;
    }
    case 'status':
      return status(ctx, root, config, vars, opts.json === true);
    case 'clear':
      return clear(ctx, root, config, vars, name, opts.stale === true);
    default:
      throw new UserError('USAGE', `unknown cache command "${verb ?? ''}"`);
  }
}

/** `git check-ignore`: is the folder ignored (so its stamp never shows as untracked)? */
function ignored(root: string, dir: string): boolean {
  try {
    gitOutput(root, ['check-ignore', '-q', '--', `${dir}/`]);
    return true;
  } catch {
    return false;
  }
}

function status(ctx: Ctx, root: string, config: Config, vars: CacheVars, json: boolean): number {
  const reports = cacheReports(root, config, vars);
  if (json) {
    ctx.out(
      JSON.stringify({ namespace: vars.namespace, branch: vars.branch, caches: reports }, null, 2),
    );
    return 0;
  }
  if (reports.length === 0) {
    ctx.out('no caches configured (add `caches:` to .tasks/config.yaml)');
    return 0;
  }
  ctx.out(cacheStatusText(reports, vars).join('\n'));
  return 0;
}

/** The text of `cache status`: a line per cache, the changed inputs under stale ones. */
export function cacheStatusText(reports: readonly CacheReport[], vars: CacheVars): string[] {
  const width = Math.max(...reports.map((r) => r.name.length));
  const lines = [`caches of namespace ${vars.namespace} (branch ${vars.branch}):`];
  for (const r of reports) {
    const what =
      r.state === 'missing'
        ? `  (not stamped: baton cache stamp ${r.name})`
        : r.state === 'stale'
          ? `  (${changeSummary(r)})`
          : '';
    lines.push(`  ${r.name.padEnd(width)}  ${r.state.padEnd(7)}  ${r.dir}${what}`);
    if (r.changes) lines.push(...changeLines(r.changes, '      '));
  }
  return lines;
}

function changeSummary(r: CacheReport): string {
  const c = r.changes;
  if (!c) return 'inputs changed';
  const parts = [
    c.changed.length > 0 ? `${c.changed.length} changed` : '',
    c.added.length > 0 ? `${c.added.length} added` : '',
    c.removed.length > 0 ? `${c.removed.length} removed` : '',
  ].filter(Boolean);
  return `inputs: ${parts.join(', ')}`;
}

/** `changed  a.csv` lines, at most MAX_LISTED. */
export function changeLines(
  c: { added: string[]; removed: string[]; changed: string[] },
  indent: string,
): string[] {
  const all = [
    ...c.changed.map((p) => `changed  ${p}`),
    ...c.added.map((p) => `added    ${p}`),
    ...c.removed.map((p) => `removed  ${p}`),
  ];
  const out = all.slice(0, MAX_LISTED).map((l) => indent + l);
  if (all.length > MAX_LISTED) out.push(`${indent}... and ${all.length - MAX_LISTED} more`);
  return out;
}

function clear(
  ctx: Ctx,
  root: string,
  config: Config,
  vars: CacheVars,
  name: string | undefined,
  stale: boolean,
): number {
  if (name !== undefined && stale) {
    throw new UserError('USAGE', 'cache clear takes a NAME or --stale, not both');
  }
  if (name !== undefined) {
    const { dir, path } = cacheDir(root, name, requireCache(config, name), vars);
    const n = clearCache(root, { name, dir, path });
    ctx.out(`cleared ${name} (${dir}): ${n} entr${n === 1 ? 'y' : 'ies'} removed`);
    return 0;
  }
  if (!stale) throw new UserError('USAGE', 'cache clear needs a NAME, or --stale');
  const targets = cacheReports(root, config, vars).filter((r) => r.state === 'stale');
  if (targets.length === 0) {
    ctx.out('no stale caches');
    return 0;
  }
  for (const r of targets) {
    const n = clearCache(root, r);
    ctx.out(`cleared ${r.name} (${r.dir}): ${n} entr${n === 1 ? 'y' : 'ies'} removed`);
  }
  return 0;
}

export interface CommitRef {
  commit: string;
  subject: string;
}

export interface StaleCacheNews {
  kind: 'stale-cache';
  name: string;
  dir: string;
  /** The inputs the incoming commits changed (added, removed or modified). */
  inputs: string[];
  commits: CommitRef[];
  cleared: boolean;
}

export interface StaleResultNews {
  kind: 'stale-result';
  id: string;
  title: string;
  path: string;
  inherited: boolean;
  via?: string;
  inputs?: string[];
  commits?: CommitRef[];
}

const EMPTY: NewsSection = { items: [], lines: [] };
const MAX_NAMED = 5;

/** `git log --format='%h %s' REV..HEAD -- paths`: the commits that changed them. */
function commitsChanging(root: string, rev: string, head: string, paths: string[]): CommitRef[] {
  if (paths.length === 0) return [];
  const out = gitOutput(root, [
    '--literal-pathspecs',
    'log',
    '--format=%h %s',
    `${rev}..${head}`,
    '--',
    ...paths,
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const sp = l.indexOf(' ');
      return sp < 0
        ? { commit: l, subject: '' }
        : { commit: l.slice(0, sp), subject: l.slice(sp + 1) };
    });
}

const named = (paths: readonly string[]) =>
  paths.length <= MAX_NAMED
    ? paths.join(', ')
    : `${paths.slice(0, MAX_NAMED).join(', ')} and ${paths.length - MAX_NAMED} more`;

/** What `staleNews` reads; `clear: false` reports without clearing (`watch` only reports). */
export type StaleNewsInput = Pick<NewsInput, 'root' | 'rev' | 'head' | 'agent'> & {
  after: Pick<NewsInput['after'], 'tasks' | 'config'>;
  clear?: boolean;
};

/**
 * The news section for caches and task results that the incoming commits (REV..HEAD) made
 * stale (SPEC section 4), with the inputs and the commits that changed them. With
 * `on_stale: clear` the stale cache folders are emptied, and the news says so. Silent (and
 * without a git call) when no cache is configured and no done task has a recorded result;
 * one `git diff` when the commits touched none of their inputs.
 */
export async function staleNews(input: StaleNewsInput): Promise<NewsSection> {
  const { root, rev, head, after } = input;
  const config = after.config;
  const caches = config.caches ?? {};
  const judged = after.tasks.filter(hasResult);
  if (Object.keys(caches).length === 0 && judged.length === 0) return EMPTY;
  const globs = [
    ...new Set([
      ...Object.values(caches).flatMap((c) => c.inputs),
      ...judged.flatMap((t) => t.data.inputs ?? []),
    ]),
  ];
  const touched = new Set(
    changedFiles(root.root, rev, head).filter(
      compileInputs(globs.filter((g) => !g.startsWith('!'))).test,
    ),
  );
  if (touched.size === 0) return EMPTY;

  const tree = readInputTree(root.root, globs);
  const items: { kind: string }[] = [];
  const lines: string[] = [];

  const cacheItems: StaleCacheNews[] = [];
  if (Object.keys(caches).length > 0) {
    const vars = await cacheVars(root.root, config, async () => input.agent);
    for (const r of cacheReports(root.root, config, vars, tree)) {
      if (r.state !== 'stale' || !r.changes) continue;
      const c = r.changes;
      const hit = [...c.changed, ...c.added, ...c.removed].filter((p) => touched.has(p)).sort();
      if (hit.length === 0) continue;
      let cleared = false;
      if (config.on_stale === 'clear' && input.clear !== false) {
        try {
          clearCache(root.root, r);
          cleared = true;
        } catch (error) {
          // A folder holding tracked files is reported stale, never emptied behind git's back.
          if (!(error instanceof UserError)) throw error;
        }
      }
      const commits = commitsChanging(root.root, rev, head, hit);
      cacheItems.push({
        kind: 'stale-cache',
        name: r.name,
        dir: r.dir,
        inputs: hit,
        commits,
        cleared,
      });
    }
  }
  if (cacheItems.length > 0) {
    const n = cacheItems.length;
    lines.push(`baton: ${n} cache${n === 1 ? '' : 's'} made stale by the incoming commits:`);
    for (const c of cacheItems) {
      lines.push(
        `  ${c.name} (${c.dir}): ${named(c.inputs)}${c.cleared ? '; cleared (on_stale: clear)' : ''}`,
      );
      lines.push(...commitLines(c.commits));
    }
    items.push(...cacheItems);
  }

  const fingerprints = new Map<string, string>();
  const fingerprintOf = (t: Task) => {
    const inputs = t.data.inputs ?? [];
    const key = JSON.stringify(inputs);
    let fp = fingerprints.get(key);
    if (fp === undefined) {
      fp = tree.fingerprint(inputs).fingerprint;
      fingerprints.set(key, fp);
    }
    return fp;
  };
  const touchedInputs = (t: Task) => {
    const m = compileInputs(t.data.inputs ?? []);
    return [...touched].filter(m.test).sort();
  };
  const stale = staleResults(after.tasks, fingerprintOf, touchedInputs);
  const news = new Set(
    stale.filter((s) => !s.inherited && (s.changed?.length ?? 0) > 0).map((s) => s.id),
  );
  const titles = new Map(after.tasks.map((t) => [t.data.id, t.data.title]));
  const resultItems: StaleResultNews[] = [];
  for (const s of stale) {
    if (!news.has(s.id) && !(s.via !== undefined && news.has(s.via))) continue;
    const item: StaleResultNews = {
      kind: 'stale-result',
      id: s.id,
      title: titles.get(s.id) ?? '',
      path: s.path,
      inherited: s.inherited,
    };
    if (s.via) item.via = s.via;
    if (s.changed) {
      item.inputs = s.changed;
      item.commits = commitsChanging(root.root, rev, head, s.changed);
    }
    resultItems.push(item);
  }
  if (resultItems.length > 0) {
    const n = resultItems.length;
    lines.push(`baton: ${n} task result${n === 1 ? '' : 's'} made stale by the incoming commits:`);
    for (const r of resultItems) {
      lines.push(
        `  ${r.id}  ${r.title}: ${r.inherited ? `depends on ${r.via}, whose result is stale` : `inputs changed: ${named(r.inputs ?? [])}`}`,
      );
      lines.push(...commitLines(r.commits ?? []));
    }
    lines.push('  (baton reopen --stale reopens them; baton done ID re-stamps a result)');
    items.push(...resultItems);
  }
  return { items, lines };
}

function commitLines(commits: readonly CommitRef[]): string[] {
  const out = commits.slice(0, MAX_NAMED).map((c) => `    ${c.commit} ${c.subject}`);
  if (commits.length > MAX_NAMED)
    out.push(`    ... and ${commits.length - MAX_NAMED} more commits`);
  return out;
}
