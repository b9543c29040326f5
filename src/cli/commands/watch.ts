/**
 * `baton watch [--json]`: the live ready queue. Prints the starting state, then one line per
 * change as it happens (a task became ready or stopped being ready, changed status, was
 * claimed, released or handed to you, a discovery, a cycle, a bad or invalid file, a lease
 * that ran out, HEAD moved and the caches and results that made stale), until SIGINT or
 * SIGTERM (exit 0). `--json`: exactly one JSON object per line with a `type` field, written
 * at once, for agents to consume. The model is src/watch/live-state.ts, the file and git
 * watching src/watch/watcher.ts, the event shapes src/watch/events.ts and their printing
 * src/watch/event-format.ts, the stale caches and results src/watch/stale-watch.ts.
 */
import { paint } from '../../report/color.js';
import { eventJson, eventText } from '../../watch/event-format.js';
import type { WatchEvent } from '../../watch/events.js';
import { startWatch, type WatchHandle } from '../../watch/watcher.js';
import type { Ctx } from '../context.js';
import { stopSignal } from '../stop-signal.js';

export async function runWatch(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const root = ctx.root();
  const agent = await ctx.agent();
  const p = paint(ctx.color);
  const emit = (event: WatchEvent) => {
    const now = new Date();
    ctx.out(opts.json ? eventJson(event, now) : eventText(event, now, p));
  };

  const signal = stopSignal();
  let handle: WatchHandle | undefined;
  try {
    handle = await startWatch({ root, agent, emit });
    await signal.stopped;
  } finally {
    await handle?.close();
    signal.dispose();
  }
  return 0;
}
