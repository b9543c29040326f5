/**
 * The caches and task results that the commits HEAD moved over made stale, as `watch`
 * events: the `stale-cache` and `stale-result` items of `baton news` for those commits
 * (`staleNews` in cli/commands/cache.ts, the function the post-merge, post-checkout and
 * post-rewrite hooks' news calls), so the hook and `watch` say the same thing.
 *
 * Decisions:
 * - Asked once per HEAD move (a pull, merge, checkout, reset, rebase), never per file event.
 *   `staleNews` costs nothing when no cache is configured and no done task has a recorded
 *   result, and one `git diff` when the commits touched none of their inputs.
 * - A commit of the agent's own (`commit`, `commit (amend)`, `commit (initial)` in HEAD's
 *   reflog) brings nothing from elsewhere, as for the hooks (post-commit prints no news).
 *   The commit concluding a merge (`commit (merge)`) does: it is a pull's second half.
 * - `watch` only reports: caches are never cleared here, whatever `on_stale` says (the hooks
 *   and `baton cache clear --stale` do that). With `on_stale: clear`, a hook that empties a
 *   cache before `watch` looks leaves no stamp to compare: that cache is then not reported.
 */
import type { StaleCacheNews, StaleResultNews } from '../cli/commands/cache.js';
import type { Snapshot } from '../core/types.js';
import type { Root } from '../store/root.js';
import type { WatchEvent } from './events.js';
import { lastHeadMove } from './git-head.js';

const OWN_COMMIT = /^commit(?: \((?:amend|initial)\))?:/;

export async function staleEvents(
  root: Root,
  after: Snapshot,
  agent: string,
  from: string,
  to: string,
): Promise<WatchEvent[]> {
  if (OWN_COMMIT.test(lastHeadMove(root.root) ?? '')) return [];
  const { staleNews } = await import('../cli/commands/cache.js');
  const { items } = await staleNews({ root, rev: from, head: to, agent, after, clear: false });
  const out: WatchEvent[] = [];
  // The section's items are typed `{ kind }`; these two kinds are the ones it makes.
  for (const item of items as (StaleCacheNews | StaleResultNews)[]) {
    if (item.kind === 'stale-cache') {
      const { kind: _, cleared: __, ...rest } = item;
      out.push({ type: 'stale-cache', ...rest });
    } else {
      const { kind: _, ...rest } = item;
      out.push({ type: 'stale-result', ...rest });
    }
  }
  return out;
}
