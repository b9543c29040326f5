/**
 * The answer memo: `ready`, `list` and `blocked` with `--json` replay their last output when
 * nothing they read has changed, without parsing the index or computing anything.
 *
 * A memo is keyed by the command line, the working folder, the environment that can change
 * an answer, and baton's own build (the stat of `dist/cli.js`, which bin/baton.js names);
 * it is valid while
 * - every task file has the same stat key (size, mtime in ns, inode) and the file set, the
 *   scan's problems and `config.yaml`'s stat key are the same: the whole list is stored and
 *   compared, not a hash of it. The scan that checks it is the one the command then loads
 *   from, so a memo always describes exactly the files its output was computed from;
 * - the clock has not reached the snapshot's next time-dependent change (`core/horizon.ts`:
 *   a `not_before`, lease end, due date or aging step), and at most an hour has passed;
 * - no file was modified within RACY_MS of being read (a same-size edit in one timestamp
 *   tick would not show in its stat key), or the memo is not written at all.
 * Only a clean run is stored: one snapshot load, nothing on stderr, exit code 0 or 1. The
 * file carries its length and a CRC-32: a truncated or corrupt memo is a miss, never trusted.
 * At most KEEP memos are kept under `.tasks/.local/memo/`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { buildGraph } from '../core/graph.js';
import { nextChange } from '../core/horizon.js';
import { computeReadiness } from '../core/readiness.js';
import type { Snapshot } from '../core/types.js';
import { writeAtomic } from '../store/atomic-write.js';
import { configKey } from '../store/config-load.js';
import { ensureLocalDir, RACY_MS } from '../store/index-cache.js';
import { findRoot, localDir, type Root } from '../store/root.js';
import { handScan, type Scan, scanTasks } from '../store/scan.js';

const COMMANDS: ReadonlySet<string> = new Set(['ready', 'list', 'blocked']);
const MAGIC = 'baton-memo 1';
const MAX_AGE_MS = 3_600_000;
const KEEP = 16;

interface Pending {
  root: Root;
  file: string;
  id: string;
  state: string;
  scan: Scan;
  out: string[];
  clean: boolean;
  loads: number;
  snapshot?: Snapshot;
}

let pending: Pending | undefined;

/** Whether this command line may be answered from a memo. */
export function memoEligible(argv: readonly string[]): boolean {
  if (!COMMANDS.has(argv[0] ?? '') || !argv.includes('--json')) return false;
  return !argv.some(
    (a) => a === '--all-branches' || a === '-h' || a === '--help' || a.startsWith('-C'),
  );
}

/** What the command line, environment and build are; undefined when baton's build is unknown. */
function identity(argv: readonly string[], cwd: string, cliFile: string): string | undefined {
  let build: string;
  try {
    const st = statSync(cliFile);
    build = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const env = process.env;
  return JSON.stringify([
    argv,
    cwd,
    build,
    env.BATON_AGENT ?? null,
    env.NO_COLOR ?? null,
    env.FORCE_COLOR ?? null,
    process.stdout.isTTY === true,
  ]);
}

/** The state a memo describes: every task file's stat key, the scan's problems, the config. */
function stateOf(root: Root, scan: Scan): string {
  let s = `${configKey(root)}\n${JSON.stringify(scan.problems)}\n`;
  for (const f of scan.files) s += `${f.rel}\t${f.key}\n`;
  return s;
}

/** FNV-1a of the identity: the memo's file name. */
function fileName(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16).padStart(8, '0')}.memo`;
}

interface Memo {
  id: string;
  until: number;
  code: number;
  state: string;
  out: string;
}

function readMemo(file: string): Memo | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  const [magic, version, crc, length] = text.slice(0, nl).split(' ');
  const body = text.slice(nl + 1);
  if (`${magic} ${version}` !== MAGIC || Number(length) !== body.length) return undefined;
  if (crc32(body).toString(16) !== crc) return undefined;
  try {
    const metaEnd = body.indexOf('\n');
    const meta = JSON.parse(body.slice(0, metaEnd)) as Omit<Memo, 'state' | 'out'> & {
      stateLength: number;
    };
    const state = body.slice(metaEnd + 1, metaEnd + 1 + meta.stateLength);
    const out = body.slice(metaEnd + 1 + meta.stateLength);
    return { id: meta.id, until: meta.until, code: meta.code, state, out };
  } catch {
    return undefined;
  }
}

/**
 * Answer from the memo if it is valid: write the output, set the exit code, return true.
 * Otherwise prepare to record this run (the scan is handed to the command's load) and
 * return false.
 */
export function replayMemo(argv: readonly string[], cliFile: string): boolean {
  if (!memoEligible(argv)) return false;
  const cwd = process.cwd();
  const root = findRoot(cwd);
  const id = root && identity(argv, cwd, cliFile);
  if (!root || !id) return false;
  const scan = scanTasks(root);
  const state = stateOf(root, scan);
  const file = join(localDir(root), 'memo', fileName(id));
  const memo = readMemo(file);
  const now = Date.now();
  if (memo && memo.id === id && memo.state === state && now < memo.until) {
    // `baton ready --json | head`: stop quietly when the reader goes, as main.ts does.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(memo.code);
      throw error;
    });
    process.stdout.write(memo.out);
    process.exitCode = memo.code;
    return true;
  }
  handScan(root, scan);
  pending = { root, file, id, state, scan, out: [], clean: true, loads: 0 };
  return false;
}

/** Collect what the command prints while a memo is pending (it is still printed). */
export function captureOutput(): boolean {
  const p = pending;
  if (!p) return false;
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk === 'string') p.out.push(chunk);
    else p.clean = false;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    p.clean = false;
    return writeErr(chunk, ...rest);
  }) as typeof process.stderr.write;
  return true;
}

/** Called by every snapshot load of the command. */
export function noteLoad(snapshot: Snapshot): void {
  if (!pending) return;
  pending.loads++;
  pending.snapshot = snapshot;
}

/** Store the run's output if it can be replayed; never fails the command. */
export function storeMemo(code: number): void {
  const p = pending;
  pending = undefined;
  if (!p?.clean || p.loads !== 1 || !p.snapshot || (code !== 0 && code !== 1)) return;
  const now = p.snapshot.now.getTime();
  const trustedBefore = now - RACY_MS;
  if (p.scan.files.some((f) => f.mtimeMs >= trustedBefore)) return;
  const configMs = Number(configKey(p.root).split(':')[1] ?? 0) / 1e6;
  if (configMs >= trustedBefore) return;
  const graph = buildGraph(p.snapshot.tasks);
  const states = computeReadiness(graph, p.snapshot.now);
  const until = Math.min(nextChange(p.snapshot, graph, states), now + MAX_AGE_MS);
  const out = p.out.join('');
  const meta = JSON.stringify({ id: p.id, until, code, stateLength: p.state.length });
  const body = `${meta}\n${p.state}${out}`;
  try {
    const dir = dirname(p.file);
    ensureLocalDir(localDir(p.root));
    mkdirSync(dir, { recursive: true });
    writeAtomic(p.file, `${MAGIC} ${crc32(body).toString(16)} ${body.length}\n${body}`);
    prune(dir);
  } catch {
    // an optimisation only: a read-only checkout still answers, just not from a memo
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.memo'));
  if (names.length <= KEEP) return;
  const aged = names
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - KEEP)) rmSync(join(dir, n), { force: true });
}
