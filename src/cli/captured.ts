/**
 * Running a command's own function as the CLI would with `--json`, its output captured
 * instead of printed: how the MCP server and the board act, so that every action has one
 * implementation (the same checks, locks, log lines and result objects as the CLI). A fresh
 * context per call: nothing is cached between calls.
 */
import { type Ctx, type GlobalOptions, makeCtx } from './context.js';

type Opts = Record<string, unknown>;
export type Runner = (ctx: Ctx, args: string[], opts: Opts) => Promise<number>;

/** What one command printed, and its exit code or the error it threw. */
export interface CapturedRun {
  code: number;
  out: string;
  err: string[];
  error?: unknown;
}

export async function runCaptured(
  global: GlobalOptions,
  load: () => Promise<Runner>,
  args: string[],
  opts: Opts,
): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: Ctx = {
    ...makeCtx({ ...global, color: false }),
    out: (text) => out.push(text),
    err: (text) => err.push(text.replace(/\n$/, '')),
  };
  try {
    const code = await (await load())(ctx, args, { ...opts, json: true });
    return { code, out: out.join(''), err };
  } catch (error) {
    return { code: -1, out: out.join(''), err, error };
  }
}

export type StatusVerb = 'start' | 'review' | 'done' | 'block' | 'cancel' | 'reopen';

/** The command functions those callers run, each loaded when first used. */
export const commands = {
  ready: async () => (await import('./commands/ready.js')).runReady,
  list: async () => (await import('./commands/list.js')).runList,
  show: async () => (await import('./commands/show.js')).runShow,
  context: async () => (await import('./commands/note.js')).runContext,
  news: async () => (await import('./commands/news.js')).runNews,
  next: async () => (await import('./commands/next.js')).runNext,
  claim: async () => (await import('./commands/claim.js')).runClaim,
  release: async () => (await import('./commands/claim.js')).runRelease,
  fail: async () => (await import('./commands/fail.js')).runFail,
  status: (verb: StatusVerb) => async () =>
    (await import('./commands/status.js')).statusRunner(verb),
  handoff: async () => (await import('./commands/handoff.js')).runHandoff,
  channel: (verb: 'share' | 'discover' | 'sync') => async () =>
    (await import('./commands/channel.js')).channelRunner(verb),
  ack: async () => (await import('./commands/channel.js')).runAck,
  note: async () => (await import('./commands/note.js')).runNote,
  create: async () => (await import('./commands/new.js')).runNew,
  update: async () => (await import('./commands/update.js')).runUpdate,
  dep: async () => (await import('./commands/dep.js')).runDep,
  statusBoard: async () => (await import('./commands/status-board.js')).runStatusBoard,
  check: async () => (await import('./commands/check.js')).runCheck,
} satisfies Record<string, (() => Promise<Runner>) | ((verb: never) => () => Promise<Runner>)>;
