/**
 * Where `baton news` with no argument starts: `.tasks/.local/news-shown.json`, for each agent
 * the commit that the news last shown to them in this working tree was computed up to.
 *
 * Decisions:
 * - Per agent and per working tree: `.tasks/.local/` is never committed, and one clone may
 *   serve several agents (`BATON_AGENT`), each with their own news.
 * - The commit, not a time: news compares snapshots of commits, and a commit stays valid
 *   across branch switches (`baton news` then compares that commit with HEAD, whatever lies
 *   between).
 * - Written by the hooks' news and by `baton news` with no `--since`; an explicit `--since`
 *   leaves it alone (asking about a range is not catching up).
 * - A missing, unreadable or corrupt file means no mark; a mark that no longer names a
 *   commit is ignored by the caller. Writes are atomic; two agents writing at once may lose
 *   one mark, which only means that agent sees that news again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './atomic-write.js';
import { ensureLocalDir } from './index-cache.js';
import { localDir, type Root } from './root.js';

export const NEWS_SHOWN = 'news-shown.json';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

type Marks = Record<string, string>;

function readMarks(root: Root): Marks {
  const marks: Marks = Object.create(null);
  try {
    const data = JSON.parse(readFileSync(join(localDir(root), NEWS_SHOWN), 'utf8')) as unknown;
    const agents = (data as { agents?: unknown } | null)?.agents;
    if (typeof agents !== 'object' || agents === null || Array.isArray(agents)) return marks;
    for (const [agent, commit] of Object.entries(agents)) {
      if (typeof commit === 'string' && SHA.test(commit)) marks[agent] = commit;
    }
  } catch {
    // no mark
  }
  return marks;
}

/** The commit the news last shown to `agent` was computed up to, if recorded. */
export function readNewsShown(root: Root, agent: string): string | undefined {
  return readMarks(root)[agent];
}

/** Records that `agent` has seen the news up to `commit`. Throws on a file system error. */
export function writeNewsShown(root: Root, agent: string, commit: string): void {
  const marks = readMarks(root);
  if (marks[agent] === commit) return;
  marks[agent] = commit;
  const dir = localDir(root);
  ensureLocalDir(dir);
  writeAtomic(join(dir, NEWS_SHOWN), `${JSON.stringify({ version: 1, agents: marks })}\n`);
}
