/** The per-task lock: O_EXCL creation, one holder at a time, stale locks broken safely. */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, isStale, STALE_MS, withTaskLock } from '../../src/store/lock.js';
import { tempDir } from '../helpers/git-repo.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const here = { ms: NOW, host: 'box', alive: (pid: number) => pid === 42 };
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

describe('isStale', () => {
  it('a live holder on this host is not stale until 30 s old', () => {
    expect(isStale({ pid: 42, host: 'box', time: at(1000) }, 0, here)).toBe(false);
    expect(isStale({ pid: 42, host: 'box', time: at(STALE_MS + 1) }, 0, here)).toBe(true);
  });
  it('a dead holder on this host is stale at once', () => {
    expect(isStale({ pid: 7, host: 'box', time: at(10) }, 0, here)).toBe(true);
  });
  it('a holder on another host is judged by age only', () => {
    expect(isStale({ pid: 7, host: 'other', time: at(10) }, 0, here)).toBe(false);
    expect(isStale({ pid: 7, host: 'other', time: at(STALE_MS + 1) }, 0, here)).toBe(true);
  });
  it('an unreadable lock (still being written) is judged by its mtime', () => {
    expect(isStale(undefined, NOW - 100, here)).toBe(false);
    expect(isStale(undefined, NOW - STALE_MS - 1, here)).toBe(true);
    expect(isStale({ time: 'garbage' }, NOW - 100, here)).toBe(false);
  });
});

function lockDir(): string {
  const dir = join(tempDir(), 'locks');
  mkdirSync(dir);
  return dir;
}

describe('acquireLock', () => {
  it('writes pid, host and time, and release removes only its own lock', async () => {
    const path = join(lockDir(), 'a.lock');
    const lock = await acquireLock(path);
    const info = JSON.parse(readFileSync(path, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(info.time)).not.toBeNaN();
    lock.release();
    expect(existsSync(path)).toBe(false);
    // a lock that is no longer ours (broken and retaken) is left alone
    const second = await acquireLock(path);
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'x', time: new Date().toISOString() }));
    second.release();
    expect(existsSync(path)).toBe(true);
  });

  it('waits for a live holder, and gives up with REFUSED after the timeout', async () => {
    const path = join(lockDir(), 'b.lock');
    const held = await acquireLock(path);
    await expect(acquireLock(path, { timeoutMs: 150, what: 'task b' })).rejects.toMatchObject({
      code: 'REFUSED',
      message: expect.stringContaining(`task b is locked by pid ${process.pid}`),
    });
    setTimeout(() => held.release(), 50);
    const next = await acquireLock(path, { timeoutMs: 120_000 });
    next.release();
  });

  it('many contenders, some stale locks on the way: never two holders at once', async () => {
    const dir = lockDir();
    const path = join(dir, 'c.lock');
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('exit', () => resolve(child.pid!));
    });
    writeFileSync(
      path,
      JSON.stringify({ pid: dead, host: hostname(), time: new Date().toISOString() }),
    );
    let inside = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, k) => {
        const lock = await acquireLock(path, { timeoutMs: 120_000 });
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 2));
        inside--;
        done++;
        // every fifth holder "dies": its lock stays behind with a dead pid
        if (k % 5 === 4) {
          writeFileSync(
            path,
            JSON.stringify({ pid: dead, host: hostname(), time: new Date().toISOString() }),
          );
        } else {
          lock.release();
        }
      }),
    );
    expect(done).toBe(20);
    expect(most).toBe(1);
    // breakers leave nothing behind but (possibly) the last dead lock
    expect(readdirSync(dir).filter((f) => f.endsWith('.stale'))).toEqual([]);
  });

  it('an old lock file that never got its content is broken by its mtime', async () => {
    const path = join(lockDir(), 'd.lock');
    writeFileSync(path, '');
    const old = (Date.now() - STALE_MS - 5000) / 1000;
    utimesSync(path, old, old);
    const lock = await acquireLock(path, { timeoutMs: 120_000 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

describe('withTaskLock', () => {
  it('locks under .tasks/.local/locks, ignored by git, and releases on a throw', async () => {
    const root = tempDir();
    mkdirSync(join(root, '.tasks'));
    const r = { root, tasksDir: join(root, '.tasks') };
    await expect(
      withTaskLock(r, 't-1', async () => {
        expect(existsSync(join(root, '.tasks/.local/locks/t-1.lock'))).toBe(true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(join(root, '.tasks/.local/locks/t-1.lock'))).toBe(false);
    expect(readFileSync(join(root, '.tasks/.local/.gitignore'), 'utf8')).toContain('*');
  });

  it('is re-entrant within one call chain; another chain of the process waits its turn', async () => {
    const root = tempDir();
    mkdirSync(join(root, '.tasks'));
    const r = { root, tasksDir: join(root, '.tasks') };
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = withTaskLock(r, 't-1', async () => {
      // taking the same lock again inside runs at once instead of waiting for itself
      await withTaskLock(r, 't-1', async () => order.push('inner'));
      entered();
      await gate;
      order.push('first');
    });
    const second = withTaskLock(r, 't-1', async () => {
      order.push('second');
    });
    await inside;
    // the second chain polls the lock meanwhile; give it a few of its turns
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(['inner']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['inner', 'first', 'second']);
  });
});
