/**
 * `baton news [--since REV] [--hook NAME] [--json]`: what the commits between REV and HEAD
 * changed for the acting agent: hand-offs to them, tasks that became ready, new discoveries,
 * tasks they held that someone else took, new cycles and bad files. The post-merge,
 * post-checkout, post-rewrite and post-commit hooks call it with `--hook`; it prints nothing
 * at all when there is no news, and with `--hook` stays silent (exit 0) when REV does not
 * resolve or there is no `.tasks/` (a hook must never get in git's way).
 *
 * Without `--since`, REV is where the news last shown to this agent in this working tree
 * stopped (`store/news-shown.ts`), else ORIG_HEAD; with neither (a fresh clone) there is no
 * news yet, and the bare command says so (`--json`: `[]`; a hook: nothing). The
 * bare command and the hooks record HEAD as shown after printing; `--since` alone does not.
 * So news that a hook could not print (git runs no post-merge when a merge stops on a
 * conflict) is still there for `baton news`, and news printed once is not printed again.
 *
 * How the two sides are read (cheap at 10,000 tasks; the pure comparison is core/news.ts):
 * - after: the working tree, `ctx.load()` (the warm index cache);
 * - before: the same snapshot with the task files that differ between REV and HEAD
 *   (`git diff --name-only REV HEAD -- .tasks`) replaced by their version at REV, read from
 *   git objects (`ls-tree` + `readBlobs`, as `tasksAtRev` does, for those paths only).
 *   Every other file is the same at REV, at HEAD and, after a merge or checkout (which
 *   refuse to overwrite local edits), in the working tree. So the result equals comparing
 *   `tasksAtRev(REV)` with the working tree, except that your own uncommitted edits and
 *   untracked tasks are on both sides: they are not news to you.
 * - logs: the `## Log` entries of just those files, on both sides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type LogEntry, parseEntry } from '../../core/log-entry.js';
import { type NewsItem, type NewsSide, news } from '../../core/news.js';
import type { Problem, Snapshot, Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import { type Paint, paint } from '../../report/color.js';
import { changedFiles, gitOutput } from '../../store/git.js';
import { type GitFile, listTaskBlobs, readBlobs } from '../../store/git-snapshot.js';
import { parseTexts } from '../../store/load.js';
import { NEWS_SHOWN, readNewsShown, writeNewsShown } from '../../store/news-shown.js';
import { LOCAL_DIR, type Root, TASKS_DIR } from '../../store/root.js';
import { taskFileNamespace } from '../../store/scan.js';
import type { Ctx } from '../context.js';

/** What the sections of the news are computed from. */
export interface NewsInput {
  root: Root;
  /** The commit REV resolved to, and HEAD. */
  rev: string;
  head: string;
  hook: string | undefined;
  /** Task files that differ between REV and HEAD. */
  changed: readonly string[];
  before: NewsSide;
  after: Snapshot & NewsSide;
  agent: string;
}

/** More news from the same input: items for `--json` (each with a `kind`), lines for text. */
export interface NewsSection {
  items: { kind: string }[];
  lines: string[];
}

/**
 * Extension point: further sections, run after the task news, in order. Stale caches
 * (SPEC section 4: which caches the change made stale, cleared with `on_stale: clear`)
 * join here; a section with nothing to say returns no items and no lines.
 */
export const NEWS_SECTIONS: ((input: NewsInput) => Promise<NewsSection>)[] = [
  // Caches and task results the incoming commits made stale; clears caches with
  // `on_stale: clear` (cache.ts, imported only when news runs).
  async (input) => (await import('./cache.js')).staleNews(input),
];

const MAX_LINES = 10;
const NEWS_SHOWN_PATH = `${TASKS_DIR}/${LOCAL_DIR}/${NEWS_SHOWN}`;

/** The commit a revision names, or undefined. */
function resolveCommit(root: string, rev: string): string | undefined {
  if (rev.startsWith('-')) return undefined;
  try {
    return gitOutput(root, ['rev-parse', '--verify', '-q', `${rev}^{commit}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A rebase is under way: its own checkouts are not news (post-rewrite reports at the end). */
function rebasing(root: string): boolean {
  try {
    const paths = gitOutput(root, [
      'rev-parse',
      '--git-path',
      'rebase-merge',
      '--git-path',
      'rebase-apply',
    ]);
    return paths.split('\n').some((p) => p !== '' && existsSync(resolve(root, p)));
  } catch {
    return false;
  }
}

function logOf(text: string | undefined): LogEntry[] | undefined {
  if (text === undefined) return undefined;
  const split = splitFile(text);
  if (!split.ok) return undefined;
  return readLog(split.body).map(parseEntry);
}

function readWorking(root: Root, rel: string): string | undefined {
  try {
    return readFileSync(join(root.root, rel), 'utf8');
  } catch {
    return undefined;
  }
}

/** The task files that differ between two commits (paths relative to the root). */
export function changedTaskFiles(root: Root, rev: string, head: string): string[] {
  return changedFiles(root.root, rev, head, ['.tasks']).filter(
    (p) => taskFileNamespace(p) !== undefined,
  );
}

/** The before side and both sides' logs for the files that differ (see the module comment). */
export async function newsSides(
  root: Root,
  rev: string,
  changed: readonly string[],
  after: Snapshot,
): Promise<{ before: NewsSide; after: NewsSide }> {
  const set = new Set(changed);
  const files = blobsAt(root, rev, changed).filter((f) => set.has(f.rel));
  const texts = readBlobs(
    root.root,
    files.map((f) => f.blob),
  );
  const textAt = new Map(files.map((f) => [f.rel, texts.get(f.blob) ?? '']));
  const old = await parseTexts(files.map((f) => ({ rel: f.rel, text: textAt.get(f.rel)! })));

  const beforeTasks: Task[] = after.tasks.filter((t) => !set.has(t.path)).concat(old.tasks);
  beforeTasks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const onPath = (p: Problem) => p.path !== undefined && set.has(p.path);
  const beforeProblems = after.fileProblems.filter((p) => !onPath(p)).concat(old.problems);

  const beforeLogs = new Map<string, LogEntry[]>();
  for (const t of old.tasks) {
    const log = logOf(textAt.get(t.path));
    if (log) beforeLogs.set(t.data.id, log);
  }
  const afterLogs = new Map<string, LogEntry[]>();
  for (const t of after.tasks) {
    if (!set.has(t.path)) continue;
    const log = logOf(readWorking(root, t.path));
    if (log) afterLogs.set(t.data.id, log);
  }
  return {
    before: { tasks: beforeTasks, problems: beforeProblems, logs: beforeLogs },
    after: { tasks: after.tasks, problems: after.fileProblems, logs: afterLogs },
  };
}

/** The blobs of `paths` at `rev`: by name when they are few, else from the whole listing. */
function blobsAt(root: Root, rev: string, paths: readonly string[]): GitFile[] {
  if (paths.length > 500) return listTaskBlobs(root.root, rev);
  const out = gitOutput(root.root, [
    '--literal-pathspecs',
    'ls-tree',
    '-r',
    '-z',
    rev,
    '--',
    ...paths,
  ]);
  const files: GitFile[] = [];
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    const [mode, type, blob] = rec.slice(0, tab).split(' ');
    if (tab < 0 || type !== 'blob' || mode === '120000' || !blob) continue;
    files.push({ rel: rec.slice(tab + 1), blob });
  }
  return files;
}

function quietly<T>(quiet: boolean, f: () => T): T | undefined {
  try {
    return f();
  } catch (error) {
    if (quiet && error instanceof UserError) return undefined;
    throw error;
  }
}

/**
 * Where `baton news` with no `--since` starts: the agent's mark (the news last shown), else
 * ORIG_HEAD (the last merge, pull, rebase or reset), else nowhere (nothing shown, nothing
 * merged: no news yet).
 */
function defaultSince(root: Root, agent: string): string | undefined {
  const shown = readNewsShown(root, agent);
  return (shown && resolveCommit(root.root, shown)) ?? resolveCommit(root.root, 'ORIG_HEAD');
}

/** Records the news as shown up to `head`; a hook never fails on it, a command warns. */
function markShown(ctx: Ctx, root: Root, agent: string, head: string, quiet: boolean): void {
  try {
    writeNewsShown(root, agent, head);
  } catch (error) {
    if (!quiet) {
      ctx.err(
        `baton: could not record the news as shown in ${NEWS_SHOWN_PATH}: ${(error as Error).message}`,
      );
    }
  }
}

export async function runNews(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const hook = typeof opts.hook === 'string' ? opts.hook : undefined;
  const since = typeof opts.since === 'string' && opts.since ? opts.since : undefined;
  const quiet = hook !== undefined;
  // A hook in a repository without .tasks/ (or outside git) has nothing to say.
  const root = quietly(quiet, () => ctx.root());
  if (!root) return 0;
  if (hook === 'post-checkout' && rebasing(root.root)) return 0;
  const head = resolveCommit(root.root, 'HEAD');
  // The hooks and the bare command catch the agent up (they move the mark); --since asks.
  const catchUp = since === undefined || hook !== undefined;
  const agent = catchUp ? await ctx.agent() : undefined;
  const rev =
    since !== undefined ? resolveCommit(root.root, since) : defaultSince(root, agent ?? '');
  if (!head) {
    if (quiet) return 0;
    if (since !== undefined) {
      throw new UserError('USAGE', 'HEAD does not name a commit yet; news compares commits');
    }
    // a repository with no commit yet: nothing has arrived from anyone
    if (opts.json) ctx.out('[]');
    else ctx.out('No news yet: nothing is committed here (news starts with the first commit).');
    return 0;
  }
  if (!rev && since === undefined) {
    // Nothing shown before and nothing merged: no news yet; from here on, there will be.
    markShown(ctx, root, agent ?? '', head, quiet);
    if (opts.json) ctx.out('[]');
    else if (!quiet) ctx.out('No news yet: news starts from here (after your next pull).');
    return 0;
  }
  if (!rev) {
    if (quiet) return 0;
    throw new UserError('USAGE', `cannot resolve "${since}" to a commit`);
  }
  const code = await report(ctx, opts, { root, rev, head, hook });
  if (catchUp && agent !== undefined) markShown(ctx, root, agent, head, quiet);
  return code;
}

/** Computes and prints the news between `rev` and the working tree at `head`. */
async function report(
  ctx: Ctx,
  opts: Record<string, unknown>,
  at: { root: Root; rev: string; head: string; hook: string | undefined },
): Promise<number> {
  const { root, rev, head, hook } = at;
  const changed = changedTaskFiles(root, rev, head);
  if (changed.length === 0 && NEWS_SECTIONS.length === 0) {
    // No task file changed (most pulls and checkouts): nothing to load, nothing to say.
    if (opts.json) ctx.out('[]');
    return 0;
  }
  const agent = await ctx.agent();
  const after = await ctx.load();
  const read = changed.length > 0 ? await newsSides(root, rev, changed, after) : undefined;
  const items: NewsItem[] = read ? news(read.before, read.after, agent, after.now) : [];
  const before = read?.before ?? { tasks: after.tasks, problems: after.fileProblems };
  const input: NewsInput = { root, rev, head, hook, changed, before, after, agent };
  const extra: NewsSection[] = [];
  for (const section of NEWS_SECTIONS) extra.push(await section(input));

  if (opts.json) {
    ctx.out(JSON.stringify([...items, ...extra.flatMap((s) => s.items)], null, 2));
    return 0;
  }
  const lines = [
    ...newsText(items, paint(ctx.color), rev.slice(0, 12)),
    ...extra.flatMap((s) => s.lines),
  ];
  if (lines.length > 0) ctx.out(lines.join('\n'));
  return 0;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The text report: a heading per kind of news, one line per item (at most MAX_LINES). */
export function newsText(items: readonly NewsItem[], p: Paint, since: string): string[] {
  const out: string[] = [];
  const group = <K extends NewsItem['kind']>(
    kind: K,
    heading: (n: number) => string,
    line: (item: Extract<NewsItem, { kind: K }>) => string,
  ) => {
    const list = items.filter((i): i is Extract<NewsItem, { kind: K }> => i.kind === kind);
    if (list.length === 0) return;
    out.push(`${p.bold('baton:')} ${heading(list.length)}:`);
    for (const item of list.slice(0, MAX_LINES)) out.push(`  ${line(item)}`);
    if (list.length > MAX_LINES) {
      out.push(`  ... and ${list.length - MAX_LINES} more (baton news --since ${since})`);
    }
  };
  const task = (i: { id: string; title: string }) => `${p.cyan(i.id)}  ${i.title}`;
  group(
    'handoff',
    (n) => `${plural(n, 'task')} handed to you`,
    (i) => {
      const from = i.from ?? i.previous;
      const says = [from ? `from ${from}` : '', i.note ?? ''].filter(Boolean).join(': ');
      const artifacts = i.artifacts?.length ? ` [artifacts: ${i.artifacts.join(', ')}]` : '';
      return `${task(i)}${says ? ` (${says})` : ''}${artifacts}${i.ready ? p.green(' ready') : ''}`;
    },
  );
  group(
    'claimed',
    (n) => `${plural(n, 'task')} you held ${n === 1 ? 'was' : 'were'} taken by someone else`,
    (i) => `${task(i)} (now ${i.by})`,
  );
  group(
    'ready',
    (n) => `${plural(n, 'task')} became ready`,
    (i) => `${task(i)}${i.priority !== 'medium' ? ` (${i.priority})` : ''}`,
  );
  group(
    'discovery',
    (n) => plural(n, 'new discovery', 'new discoveries'),
    (i) => `${task(i)}: ${i.agent}: ${i.message}`,
  );
  group(
    'cycle',
    (n) => p.red(plural(n, 'new dependency cycle')),
    (i) => i.cycle.join(' -> '),
  );
  group(
    'bad-file',
    (n) => p.red(plural(n, 'new bad file')),
    (i) => `${i.path}${i.line ? `:${i.line}` : ''}: [${i.rule}] ${i.message}`,
  );
  return out;
}
