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
 * Only a clean run is stored: one snapshot load, exit code 0 or 1, nothing on stderr but the
 * line naming the task files that could not be read (`noteWarning`), which depends on the
 * files alone and is stored and replayed with the output. A memo is two files under
 * `.tasks/.local/memo/`: `<name>.out`, the output streamed there as it is printed (never
 * held in memory: `list --json` at 100,000 tasks prints ~45 MB), and `<name>.memo`, the
 * meta and state, with its own length and CRC-32 and the output's. A truncated, corrupt or
 * mismatched pair is a miss, never trusted. At most KEEP are kept.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Graph } from '../core/graph.js';
import type { Readiness } from '../core/readiness.js';
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
  /** The memo's files, without extension: `<base>.memo` (state) and `<base>.out` (output). */
  base: string;
  id: string;
  state: string;
  scan: Scan;
  /** The output as it is printed, streamed to a temp file (never held in memory). */
  out?: { fd: number; tmp: string; bytes: number; crc: number };
  clean: boolean;
  /** The one stderr text a clean run may print (`noteWarning`), and whether it did. */
  warning?: string;
  warned?: boolean;
  loads: number;
  snapshot?: Snapshot;
  /** The command's own graph and readiness of that snapshot, for the horizon. */
  graph?: Graph;
  states?: readonly Readiness[];
}

/**
 * bin/baton.js loads dist/memo.cjs, a self-contained bundle of this module (one file: module
 * loading was most of a replayed answer's time), before the CLI, whose own copy of this
 * module then takes over a miss. The two copies share the pending record through this slot.
 */
const SLOT = Symbol.for('baton.memo.pending');
const shared = globalThis as unknown as { [SLOT]?: Pending };

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
  const parts = [`${configKey(root)}\n${JSON.stringify(scan.problems)}\n`];
  const files = scan.files;
  for (let i = 0; i < files.length; i++) parts.push(files[i]!.rel, '\t', files[i]!.key, '\n');
  return parts.join('');
}

/** FNV-1a of the identity: the memo's file name. */
function baseName(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

interface Meta {
  id: string;
  until: number;
  code: number;
  /** Byte length and CRC-32 of the `.out` file. */
  outBytes: number;
  outCrc: number;
  stateLength: number;
  /** What the run printed on stderr: the unreadable files' line, if any. */
  err?: string;
}

/** The memo's meta and state, if its file is whole. */
function readMeta(file: string): { meta: Meta; state: string } | undefined {
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
    const meta = JSON.parse(body.slice(0, metaEnd)) as Meta;
    return { meta, state: body.slice(metaEnd + 1, metaEnd + 1 + meta.stateLength) };
  } catch {
    return undefined;
  }
}

/** The stored output, if it is whole and the one the meta describes. */
function readOut(file: string, meta: Meta): Buffer | undefined {
  try {
    const out = readFileSync(file);
    return out.length === meta.outBytes && crc32(out) === meta.outCrc ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answer from the memo if it is valid: write the output, set the exit code, return true.
 * Otherwise prepare to record this run (the scan is handed to the command's load) and
 * return false. With `lookup` false, only prepare: bin/baton.js skips the lookup (and this
 * bundle) when there is no memo folder, and dist/read.cjs then prepares with its own copy.
 */
export function replayMemo(argv: readonly string[], cliFile: string, lookup = true): boolean {
  if (!memoEligible(argv)) return false;
  const cwd = process.cwd();
  const root = findRoot(cwd);
  const id = root && identity(argv, cwd, cliFile);
  if (!root || !id) return false;
  const scan = scanTasks(root);
  const state = stateOf(root, scan);
  const base = join(localDir(root), 'memo', baseName(id));
  const found = lookup ? readMeta(`${base}.memo`) : undefined;
  const meta = found?.meta;
  const ok = meta && meta.id === id && found.state === state && Date.now() < meta.until;
  const out = ok ? readOut(`${base}.out`, meta) : undefined;
  if (meta && out) {
    // `baton ready --json | head`: stop quietly when the reader goes, as main.ts does.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(meta.code);
      throw error;
    });
    // the unreadable files' line comes first, as the command prints it
    if (meta.err !== undefined) process.stderr.write(meta.err);
    process.stdout.write(out);
    process.exitCode = meta.code;
    return true;
  }
  handScan(root, scan);
  shared[SLOT] = { root, base, id, state, scan, clean: true, loads: 0 };
  return false;
}

/** Whether a memo lookup has prepared this run's recording (or answered it). */
export function memoPending(): boolean {
  return shared[SLOT] !== undefined;
}

/** Stream what the command prints to the memo's temp file while a memo is pending. */
export function captureOutput(): boolean {
  const p = shared[SLOT];
  if (!p) return false;
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (p.clean) record(p, chunk);
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (chunk === p.warning && !p.warned) p.warned = true;
    else p.clean = false;
    return writeErr(chunk, ...rest);
  }) as typeof process.stderr.write;
  return true;
}

function record(p: Pending, chunk: string | Uint8Array): void {
  try {
    if (!p.out) {
      mkdirSync(dirname(p.base), { recursive: true });
      ensureLocalDir(localDir(p.root));
      const tmp = `${p.base}.${process.pid}.tmp`;
      p.out = { fd: openSync(tmp, 'w'), tmp, bytes: 0, crc: 0 };
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    writeSync(p.out.fd, bytes);
    p.out.bytes += bytes.length;
    p.out.crc = crc32(bytes, p.out.crc);
  } catch {
    p.clean = false;
  }
}

/**
 * The command is about to print `text` on stderr, the line naming the task files that could
 * not be read: a run that prints it (once, and nothing else there) is still clean, and the
 * memo replays it.
 */
export function noteWarning(text: string): void {
  const p = shared[SLOT];
  if (p) p.warning = text;
}

/** Called by every snapshot load of the command. */
export function noteLoad(snapshot: Snapshot): void {
  const p = shared[SLOT];
  if (!p) return;
  p.loads++;
  p.snapshot = snapshot;
}

/** Called by `analyze` with the graph and readiness it computed from the loaded snapshot. */
export function noteAnalysis(graph: Graph, states: readonly Readiness[]): void {
  const p = shared[SLOT];
  if (!p) return;
  p.graph = graph;
  p.states = states;
}

/** Store the run's output if it can be replayed; never fails the command. */
export async function storeMemo(code: number): Promise<void> {
  const p = shared[SLOT];
  shared[SLOT] = undefined;
  if (!p?.out) return;
  const out = p.out;
  try {
    closeSync(out.fd);
    const until = p.clean && p.loads === 1 && (code === 0 || code === 1) && (await horizon(p));
    if (!until) return;
    const meta: Meta = {
      id: p.id,
      until,
      code,
      outBytes: out.bytes,
      outCrc: out.crc,
      stateLength: p.state.length,
    };
    if (p.warned) meta.err = p.warning;
    const body = `${JSON.stringify(meta)}\n${p.state}`;
    renameSync(out.tmp, `${p.base}.out`);
    writeAtomic(`${p.base}.memo`, `${MAGIC} ${crc32(body).toString(16)} ${body.length}\n${body}`);
    prune(dirname(p.base));
  } catch {
    // an optimisation only: a read-only checkout still answers, just not from a memo
  } finally {
    rmSync(out.tmp, { force: true });
  }
}

/** Until when the answer holds, or undefined when it must not be stored (racy files). */
async function horizon(p: Pending): Promise<number | undefined> {
  const snapshot = p.snapshot!;
  const now = snapshot.now.getTime();
  const trustedBefore = now - RACY_MS;
  if (p.scan.files.some((f) => f.mtimeMs >= trustedBefore)) return undefined;
  const configMs = Number(configKey(p.root).split(':')[1] ?? 0) / 1e6;
  if (configMs >= trustedBefore) return undefined;
  if (!p.graph || !p.states) return undefined;
  // Loaded by the command already: no cost on the path that replays.
  const { nextChange } = await import('../core/horizon.js');
  return Math.min(nextChange(snapshot, p.graph, p.states), now + MAX_AGE_MS);
}

function prune(dir: string): void {
  const all = readdirSync(dir);
  // temp files of runs that died before storing
  for (const n of all.filter((x) => x.endsWith('.tmp'))) {
    const path = join(dir, n);
    if (Date.now() - statSync(path).mtimeMs > MAX_AGE_MS) rmSync(path, { force: true });
  }
  const names = all.filter((n) => n.endsWith('.memo'));
  if (names.length <= KEEP) return;
  const aged = names
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - KEEP)) {
    rmSync(join(dir, n), { force: true });
    rmSync(join(dir, n.replace(/\.memo$/, '.out')), { force: true });
  }
}
