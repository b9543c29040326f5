/**
 * One attempt of `baton run`: a shell command in its own process group, its output in a log
 * file, stopped on a timeout or on request, and nothing of it left running afterwards.
 *
 * Decisions:
 * - The command runs as `/bin/sh -c <command>`, detached, so it leads a new process group
 *   whose id is its pid; signals go to the whole group (`process.kill(-pid, sig)`), which
 *   reaches the grandchildren an agent starts. A process that leaves the group (`setsid`)
 *   is out of reach, as it means to be.
 * - Stopping is SIGTERM to the group, then SIGKILL after `graceMs` if anything in it is still
 *   alive. A normal exit that leaves members behind (`server &`) is stopped the same way, and
 *   reported as `leftovers`: nothing outlives its attempt.
 * - "The group is alive" means it has a member that is not a zombie. `kill(-pgid, 0)` alone
 *   also counts zombies, and where PID 1 does not reap orphans (some containers) they stay
 *   forever; on Linux `/proc` tells them apart, elsewhere `kill` has the last word.
 * - The leader's exit is an event; the rest of the group has none, so after the leader exits
 *   with members left the group is polled, with a delay doubling from 10 ms to 500 ms, and
 *   only until it is gone or a little while after SIGKILL. Otherwise an attempt holds one
 *   timer (its timeout, or the grace period once stopping), so 64 at once cost nothing.
 * - stdout and stderr share one append-mode descriptor of the log file, so their lines stay
 *   in arrival order. stdin is written and closed; a child that does not read it (EPIPE) is
 *   not an error.
 * - A command that cannot be started (its cwd is missing) does not throw: `done` resolves
 *   with `error` set, and the reason is appended to the log.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface AttemptSpec {
  /** A shell command line, run as `sh -c <command>`. */
  command: string;
  cwd: string;
  /** Added to process.env (values override). */
  env: Record<string, string>;
  /** Written to the child's stdin, then stdin is closed; a child that does not read it is fine. */
  stdin: string;
  /** Where stdout and stderr both go, appended, in arrival order. Parent folders are created. */
  logFile: string;
  /** Undefined: no limit. */
  timeoutMs?: number;
  /** After SIGTERM to the process group, SIGKILL to it after this long (default 5000). */
  graceMs?: number;
}

export interface AttemptEnd {
  /** Exit code, or null when killed by a signal (or never started). */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Stopped through stop() (not a timeout). */
  stopped: boolean;
  /** The command exited but left processes running in its group, which were then stopped. */
  leftovers: boolean;
  /** Something in the group outlived the grace period and was sent SIGKILL. */
  killed: boolean;
  /** Why the command could not be started (then code and signal are null), else null. */
  error: string | null;
  /** The last ~40 lines (at most 4 KiB) of the log file. */
  tail: string;
  durationMs: number;
}

export interface RunningAttempt {
  /** The process (and process group) id; 0 when the command could not be started. */
  pid: number;
  /** Resolves when the command has exited AND its process group is gone or was SIGKILLed. */
  done: Promise<AttemptEnd>;
  /** SIGTERM to the process group now, SIGKILL after graceMs if it is still alive. Idempotent. */
  stop(): void;
}

export const DEFAULT_GRACE_MS = 5000;
/** How long after SIGKILL to wait for the group to vanish before `done` resolves anyway. */
const KILL_WAIT_MS = 2000;
const POLL_MIN_MS = 10;
const POLL_MAX_MS = 500;
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Cause = 'timeout' | 'stop' | 'leftovers';

export function startAttempt(spec: AttemptSpec): RunningAttempt {
  const graceMs = Math.max(0, spec.graceMs ?? DEFAULT_GRACE_MS);
  const started = performance.now();
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', spec.command], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['pipe', fd, fd],
    });
  } finally {
    closeSync(fd); // the child has its own copies
  }
  child.stdin?.on('error', () => {}); // EPIPE: the child did not read its input
  child.stdin?.end(spec.stdin);

  let resolveDone!: (end: AttemptEnd) => void;
  const done = new Promise<AttemptEnd>((resolve) => {
    resolveDone = resolve;
  });
  let finished = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let cause: Cause | undefined;
  let graceOver = false;
  let killedAt: number | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let pollDelay = POLL_MIN_MS;

  const finish = (error: string | null = null) => {
    if (finished) return;
    finished = true;
    clearTimeout(timeoutTimer);
    clearTimeout(graceTimer);
    clearTimeout(pollTimer);
    child.stdin?.destroy(); // a grandchild may hold the pipe without reading it
    let tail = '';
    try {
      tail = logTail(spec.logFile);
    } catch {}
    resolveDone({
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      timedOut: cause === 'timeout',
      stopped: cause === 'stop',
      leftovers: cause === 'leftovers',
      killed: killedAt !== undefined,
      error,
      tail,
      durationMs: Math.round(performance.now() - started),
    });
  };

  const pid = child.pid;
  if (pid === undefined) {
    // Node reports a failed spawn (ENOENT for a missing cwd) as an 'error' event, next tick.
    child.once('error', (err) => {
      try {
        appendFileSync(spec.logFile, `baton: could not start the command: ${err.message}\n`);
      } catch {}
      finish(err.message);
    });
    return { pid: 0, done, stop() {} };
  }
  child.on('error', () => {}); // only spawn failures are reported this way, handled above

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {} // ESRCH: already gone
  };
  const sendKill = () => {
    signalGroup('SIGKILL');
    killedAt = performance.now();
    pollDelay = POLL_MIN_MS;
  };

  // After the leader's exit: wait for the rest of the group, SIGKILL it once the grace is over.
  const poll = () => {
    clearTimeout(pollTimer);
    if (finished) return;
    if (!groupAlive(pid)) return finish();
    if (graceOver) {
      if (killedAt === undefined) sendKill();
      else if (performance.now() - killedAt >= KILL_WAIT_MS) return finish();
    }
    pollTimer = setTimeout(poll, pollDelay);
    pollDelay = Math.min(pollDelay * 2, POLL_MAX_MS);
  };

  const terminate = (why: Cause) => {
    if (finished || cause) return;
    cause = why;
    clearTimeout(timeoutTimer);
    signalGroup('SIGTERM');
    graceTimer = setTimeout(
      () => {
        graceOver = true;
        if (groupAlive(pid)) sendKill();
        if (exit) poll(); // before the leader's exit, its 'exit' event starts the polling
      },
      Math.min(graceMs, MAX_TIMER_MS),
    );
  };

  child.once('exit', (code, signal) => {
    exit = { code, signal };
    clearTimeout(timeoutTimer);
    if (!cause && groupAlive(pid)) terminate('leftovers');
    poll();
  });

  if (spec.timeoutMs !== undefined) {
    timeoutTimer = setTimeout(
      () => terminate('timeout'),
      Math.max(0, Math.min(spec.timeoutMs, MAX_TIMER_MS)),
    );
  }

  return { pid, done, stop: () => terminate('stop') };
}

/**
 * True when a process with this pid exists (EPERM counts as alive). A zombie, exited but not
 * yet reaped, counts as gone.
 */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // 0 and negatives name process groups
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(String(pid));
  return stat === undefined || !isDead(stat.state);
}

/**
 * The last lines of a log file, as in `AttemptEnd.tail`: a suffix of the file of at most
 * `maxLines` lines and `maxBytes` bytes, starting at a line start unless the last line alone
 * is longer. '' when the file is absent.
 */
export function logTail(file: string, maxLines = 40, maxBytes = 4096): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  let chunk: Buffer;
  let start: number;
  try {
    const size = fstatSync(fd).size;
    start = Math.max(0, size - maxBytes);
    chunk = Buffer.alloc(size - start);
    chunk = chunk.subarray(0, readSync(fd, chunk, 0, chunk.length, start));
  } finally {
    closeSync(fd);
  }
  if (start > 0) {
    const newline = chunk.indexOf(10);
    if (newline !== -1 && newline < chunk.length - 1) chunk = chunk.subarray(newline + 1);
    else {
      let i = 0; // inside one long line: at least start on a character
      while (i < chunk.length && ((chunk[i] ?? 0) & 0xc0) === 0x80) i++;
      chunk = chunk.subarray(i);
    }
  }
  const text = chunk.toString('utf8');
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start another.
  const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
  return count > maxLines ? lines.slice(count - maxLines).join('\n') : text;
}

/** Whether the process group has a member that is not a zombie. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true; // no /proc: trust kill(2)
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = procStat(name);
    if (stat && stat.pgrp === pgid && !isDead(stat.state)) return true;
  }
  return false;
}

const isDead = (state: string) => state === 'Z' || state === 'X';

/** State and process group from /proc/<pid>/stat; undefined when unreadable. */
function procStat(pid: string): { state: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
}
