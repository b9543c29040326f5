/**
 * The team channel on a task: `share`, `discover` and `sync` append `<time> <agent> <verb>:
 * <message>` to the task's `## Log`; `ack` acknowledges the open discoveries (a discovery
 * is open until a later `ack`; see `core/task-talk.ts`). With `--commit` the task file is
 * committed (`baton: <verb> <id>`, trailer `Baton-Task: <id>`), so a push shares it.
 * `ack` with nothing open writes nothing. These lines leave `updated` alone: they are talk
 * about the task, not changes to it, and two clones talking on one task then merge without
 * a conflicting `updated`.
 */
import { formatEntry, parseEntry } from '../../core/log-entry.js';
import { openDiscoveries } from '../../core/task-talk.js';
import { UserError } from '../../errors.js';
import { appendLog, readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import type { Ctx } from '../context.js';
import { changeResult, changeTask } from '../task-change.js';
import { reportWrite } from '../write-result.js';

export type ChannelVerb = 'share' | 'discover' | 'sync';

const DONE: Record<ChannelVerb, string> = {
  share: 'shared on',
  discover: 'discovery raised on',
  sync: 'checkpoint recorded on',
};

export function channelRunner(verb: ChannelVerb) {
  return async (ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> => {
    const message = args.slice(1).join(' ').replace(/\s+/g, ' ').trim();
    if (!message) throw new UserError('USAGE', `${verb} needs a message`);
    const agent = await ctx.agent();
    const r = await changeTask(ctx, {
      query: args[0] ?? '',
      verb,
      commit: opts.commit === true,
      change: ({ text, time }) => appendLog(text, formatEntry({ time, agent, verb, message })),
    });
    const result = changeResult(r, agent, verb, { message });
    return reportWrite(ctx, opts, result, [`${DONE[verb]} ${r.id}`, r.committed]);
  };
}

/** The log entries of a task file's text. */
export function logEntriesOf(text: string) {
  const split = splitFile(text);
  return split.ok ? readLog(split.body).map(parseEntry) : [];
}

export async function runAck(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const agent = await ctx.agent();
  let count = 0;
  const r = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'ack',
    commit: opts.commit === true,
    change: ({ text, time }) => {
      count = openDiscoveries(logEntriesOf(text)).length;
      if (count === 0) return text;
      return appendLog(text, formatEntry({ time, agent, verb: 'ack' }));
    },
  });
  const result = changeResult(r, agent, 'ack', { acknowledged: count });
  const lines =
    count === 0
      ? [`no open discoveries on ${r.id}; nothing changed`]
      : [`acknowledged ${count} discover${count === 1 ? 'y' : 'ies'} on ${r.id}`, r.committed];
  return reportWrite(ctx, opts, result, lines);
}
