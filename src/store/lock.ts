/**
 * Per-task lock files under `.tasks/.local/locks/<id>.lock`, so that concurrent commands on
 * one machine change a task one at a time. Taking the lock is one `open(path, 'wx')`
 * (O_CREAT|O_EXCL): the file system picks exactly one winner. The file holds the holder's
 * pid, host and time.
 *
 * Decisions:
 * - A lock is stale when its holder is a process on this host that no longer runs, or when
 *   it is older than `staleMs` (30 s; baton holds a lock for milliseconds). A lock file still
 *   empty (its creator is between open and write) counts by its mtime.
 * - Breaking a stale lock is rename-then-remove: the lock is renamed to a name unique to the
 *   breaker, so of two breakers only one rename succeeds. The breaker then checks that what
 *   it renamed is the lock it judged stale; if a fresh lock was taken meanwhile, it puts that
 *   back (a hard link, which fails rather than replace a newer one).
 * - Release removes the file only if it still holds this holder's token.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { ensureLocalDir } from './index-cache.js';
import { localDir, type Root } from './root.js';

export const STALE_MS = 30_000;

export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  time: string;
  /** Random, so a holder recognises its own lock. */
  token: string;
}

export interface HeldLock {
  path: string;
  info: LockInfo;
  release: () => void;
}

export interface LockOptions {
  staleMs?: number;
  /** Give up waiting after this long (default: a little over `staleMs`). */
  timeoutMs?: number;
  /** Displayed in the timeout error, e.g. the task id. */
  what?: string;
}

/** `.tasks/.local/locks/<id>.lock` */
export function taskLockPath(root: Root, id: string): string {
  return join(localDir(root), 'locks', `${id}.lock`);
}

/** Whether a lock (its parsed content, or undefined if unreadable) is stale. Pure. */
export function isStale(
  info: Partial<LockInfo> | undefined,
  mtimeMs: number,
  now: { ms: number; host: string; alive: (pid: number) => boolean },
  staleMs = STALE_MS,
): boolean {
  const taken = info?.time ? Date.parse(info.time) : Number.NaN;
  const age = now.ms - (Number.isNaN(taken) ? mtimeMs : taken);
  if (age > staleMs) return true;
  if (info?.host === now.host && typeof info.pid === 'number' && info.pid > 0) {
    return !now.alive(info.pid);
  }
  return false;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface SeenLock {
  text: string;
  info?: Partial<LockInfo>;
  mtimeMs: number;
  ino: number;
}

function readLock(path: string): SeenLock {
  const { mtimeMs, ino } = statSync(path);
  const text = readFileSync(path, 'utf8');
  try {
    return { text, info: JSON.parse(text) as Partial<LockInfo>, mtimeMs, ino };
  } catch {
    return { text, mtimeMs, ino };
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

/** Break the lock at `path` if it is still the stale one we read (`seen`). */
function breakStale(path: string, seen: SeenLock): void {
  const aside = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another breaker won
    throw error;
  }
  let same = false;
  try {
    same = statSync(aside).ino === seen.ino && readFileSync(aside, 'utf8') === seen.text;
  } catch {}
  if (!same) {
    // We took a fresh lock that replaced the stale one: give it back, never over a newer one.
    try {
      linkSync(aside, path);
    } catch {}
  }
  rmSync(aside, { force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(path: string, opts: LockOptions = {}): Promise<HeldLock> {
  const staleMs = opts.staleMs ?? STALE_MS;
  const deadline = Date.now() + (opts.timeoutMs ?? staleMs + 15_000);
  const host = hostname();
  const info: LockInfo = {
    pid: process.pid,
    host,
    time: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  let wait = 5;
  for (;;) {
    info.time = new Date().toISOString();
    if (tryCreate(path, info)) break;
    let seen: SeenLock;
    try {
      seen = readLock(path);
    } catch (error) {
      // released between our open and our read: try again at once
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (isStale(seen.info, seen.mtimeMs, { ms: Date.now(), host, alive: processAlive }, staleMs)) {
      breakStale(path, seen);
      continue;
    }
    if (Date.now() > deadline) {
      const holder = seen.info
        ? `pid ${seen.info.pid} on ${seen.info.host} since ${seen.info.time}`
        : 'another process';
      throw new UserError(
        'REFUSED',
        `${opts.what ?? path} is locked by ${holder}; try again (the lock is ${path})`,
      );
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 100);
  }
  const mine = JSON.stringify(info);
  return {
    path,
    info: { ...info },
    release: () => {
      try {
        if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true });
      } catch {}
    },
  };
}

/** The task locks the current async call chain holds, so a holder may take one again. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Run `fn` holding the lock of task `id`; the lock is released however `fn` ends. Within
 * `fn` (and what it awaits) the same lock is already held, so taking it again runs at once:
 * `mutateTask` locks by itself and commands that decide under the lock first still work.
 * Another call chain of the same process waits like any other process.
 */
export async function withTaskLock<T>(
  root: Root,
  id: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const mine = held.getStore();
  if (mine?.has(id)) return fn();
  ensureLocalDir(localDir(root), 'locks');
  const lock = await acquireLock(taskLockPath(root, id), { what: `task ${id}`, ...opts });
  try {
    return await held.run(new Set(mine).add(id), fn);
  } finally {
    lock.release();
  }
}
