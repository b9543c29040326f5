/** What every command gets: where it runs, how to print, who is acting. */
import { resolve } from 'node:path';
import type { Snapshot } from '../core/types.js';
import { type LoadOptions, loadSnapshot } from '../store/load.js';
import { type Root, requireRoot } from '../store/root.js';
import { noteLoad } from './memo.js';

export interface GlobalOptions {
  C?: string;
  agent?: string;
  color?: boolean;
}

export interface Ctx {
  cwd: string;
  /** Colors on: stdout is a TTY, NO_COLOR is unset and --no-color not given. */
  color: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** The acting agent: --agent, else $BATON_AGENT, else git's user.name, else $USER. */
  agent: () => Promise<string>;
  root: () => Root;
  load: (opts?: LoadOptions) => Promise<Snapshot>;
}

export function makeCtx(global: GlobalOptions): Ctx {
  const cwd = resolve(global.C ?? process.cwd());
  const color =
    global.color !== false &&
    !process.env.NO_COLOR &&
    (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);
  let root: Root | undefined;
  let agent: string | undefined;
  const getRoot = () => {
    root ??= requireRoot(cwd);
    return root;
  };
  return {
    cwd,
    color,
    out: (text) => process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    agent: async () => {
      // Agent names are single tokens in log lines: "Ada Lovelace" acts as "Ada-Lovelace".
      agent ??= (
        global.agent ||
        process.env.BATON_AGENT ||
        (await import('../store/git.js')).gitUserName(cwd) ||
        process.env.USER ||
        'unknown'
      )
        .trim()
        .replace(/\s+/g, '-');
      return agent;
    },
    root: getRoot,
    load: async (opts) => {
      const snapshot = await loadSnapshot(getRoot(), opts);
      noteLoad(snapshot);
      return snapshot;
    },
  };
}
