import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AttemptSpec,
  isAlive,
  logTail,
  type RunningAttempt,
  startAttempt,
} from '../../src/run/supervise.js';
import { tempDir } from '../helpers/git-repo.js';

const running: RunningAttempt[] = [];
afterEach(async () => {
  // A failed test must not leave its sleeps behind.
  const left = running.splice(0);
  for (const attempt of left) attempt.stop();
  await Promise.all(left.map((a) => a.done));
});

function start(command: string, more: Partial<AttemptSpec> = {}) {
  const dir = tempDir('baton-sup-');
  const spec: AttemptSpec = {
    command,
    cwd: dir,
    env: {},
    stdin: '',
    logFile: join(dir, 'logs', 'attempt.log'),
    ...more,
  };
  const attempt = startAttempt(spec);
  running.push(attempt);
  return { attempt, dir, log: () => readFileSync(spec.logFile, 'utf8') };
}

async function waitFor(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The pid a command wrote to `file`, once it is there. */
async function pidIn(file: string): Promise<number> {
  await waitFor(file, () => /^\d+\n/.test(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  return Number(readFileSync(file, 'utf8'));
}

describe('startAttempt', () => {
  it('passes the exit code, env and cwd through, and logs stdout and stderr in order', async () => {
    const { attempt, dir, log } = start(
      'echo "one $BATON_TEST_VAR"; echo two >&2; pwd; echo four; exit 3',
      { env: { BATON_TEST_VAR: 'from-env' } },
    );
    expect(attempt.pid).toBeGreaterThan(0);
    const end = await attempt.done;
    expect(end).toMatchObject({
      code: 3,
      signal: null,
      timedOut: false,
      stopped: false,
      leftovers: false,
      killed: false,
      error: null,
    });
    expect(log()).toBe(`one from-env\ntwo\n${realpathSync(dir)}\nfour\n`);
    expect(end.tail).toBe(log());
    expect(end.durationMs).toBeGreaterThanOrEqual(0);
    expect(isAlive(attempt.pid)).toBe(false);
  });

  it('appends to an existing log', async () => {
    const dir = tempDir('baton-sup-');
    const logFile = join(dir, 'a.log');
    writeFileSync(logFile, 'before\n');
    const attempt = startAttempt({ command: 'echo after', cwd: dir, env: {}, stdin: '', logFile });
    expect((await attempt.done).code).toBe(0);
    expect(readFileSync(logFile, 'utf8')).toBe('before\nafter\n');
  });

  it('overrides inherited env values', async () => {
    const { attempt, log } = start('echo "$HOME"', { env: { HOME: '/nowhere' } });
    await attempt.done;
    expect(log()).toBe('/nowhere\n');
  });

  it('feeds 1 MB of stdin to a child that reads it', async () => {
    const { attempt, log } = start('wc -c', { stdin: 'x'.repeat(1024 * 1024) });
    expect((await attempt.done).code).toBe(0);
    expect(log().trim()).toBe(String(1024 * 1024));
  });

  it('does not mind a child that never reads its stdin', async () => {
    const { attempt } = start('exit 0', { stdin: 'y'.repeat(1024 * 1024) });
    expect(await attempt.done).toMatchObject({ code: 0, error: null });
  });

  it('times out: SIGTERM to the group, grandchildren included', async () => {
    const { attempt, dir } = start('sleep 60 & echo $! > bg.pid; sleep 60; wait', {
      timeoutMs: 5000, // time for the shell to start its background child, even on a loaded machine
      graceMs: 30_000,
    });
    const end = await attempt.done;
    expect(end).toMatchObject({ code: null, timedOut: true, stopped: false, killed: false });
    expect(end.signal).toBe('SIGTERM');
    const grandchild = Number(readFileSync(join(dir, 'bg.pid'), 'utf8'));
    expect(isAlive(grandchild)).toBe(false);
    expect(isAlive(attempt.pid)).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM once the grace is over', async () => {
    const { attempt, dir } = start('trap "" TERM; sleep 60 & echo $! > bg.pid; wait; wait', {
      timeoutMs: 5000, // time for the shell to set its trap, even on a loaded machine
      graceMs: 300,
    });
    const end = await attempt.done;
    expect(end).toMatchObject({ timedOut: true, killed: true, code: null, signal: 'SIGKILL' });
    expect(isAlive(Number(readFileSync(join(dir, 'bg.pid'), 'utf8')))).toBe(false);
    expect(isAlive(attempt.pid)).toBe(false);
  });

  it('stop() ends the group, is idempotent, and is harmless after the end', async () => {
    const { attempt, dir } = start('sleep 60 & echo $! > bg.pid; wait', { graceMs: 30_000 });
    const grandchild = await pidIn(join(dir, 'bg.pid'));
    expect(isAlive(grandchild)).toBe(true);
    attempt.stop();
    attempt.stop();
    const end = await attempt.done;
    expect(end).toMatchObject({ stopped: true, timedOut: false, leftovers: false, killed: false });
    expect(end.signal).toBe('SIGTERM');
    expect(isAlive(grandchild)).toBe(false);
    attempt.stop();
  });

  it('stop() escalates to SIGKILL for a child that traps SIGTERM', async () => {
    const { attempt, dir } = start('trap "" TERM; echo $$ > sh.pid; sleep 60', { graceMs: 300 });
    await pidIn(join(dir, 'sh.pid'));
    attempt.stop();
    expect(await attempt.done).toMatchObject({ stopped: true, killed: true, signal: 'SIGKILL' });
  });

  it('stops what a normal exit leaves running, and says so', async () => {
    const { attempt, dir } = start('sleep 60 & echo $! > bg.pid; exit 0', { graceMs: 30_000 });
    const end = await attempt.done;
    expect(end).toMatchObject({ code: 0, leftovers: true, timedOut: false, stopped: false });
    expect(isAlive(Number(readFileSync(join(dir, 'bg.pid'), 'utf8')))).toBe(false);
  });

  it('SIGKILLs leftovers that ignore SIGTERM', async () => {
    // The exit waits for the trap to be set: a SIGTERM before it would end the subshell.
    const { attempt, dir } = start(
      '(trap "" TERM; : > trapped; sleep 60) & echo $! > bg.pid; ' +
        'while [ ! -e trapped ]; do sleep 0.05; done; exit 0',
      { graceMs: 300 },
    );
    const end = await attempt.done;
    expect(end).toMatchObject({ code: 0, leftovers: true, killed: true });
    expect(isAlive(Number(readFileSync(join(dir, 'bg.pid'), 'utf8')))).toBe(false);
  });

  it('does not count background work that finished before the exit as leftovers', async () => {
    const { attempt } = start('sleep 0.1 & wait; echo done');
    expect(await attempt.done).toMatchObject({ code: 0, leftovers: false, killed: false });
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const dir = tempDir('baton-sup-');
    const logFile = join(dir, 'x.log');
    const attempt = startAttempt({
      command: 'echo hi',
      cwd: join(dir, 'missing'),
      env: {},
      stdin: 'ignored',
      logFile,
    });
    attempt.stop();
    const end = await attempt.done;
    expect(end.error).toMatch(/ENOENT/);
    expect(end).toMatchObject({ code: null, signal: null });
    expect(end.tail).toMatch(/could not start/);
  });

  it('runs many attempts at once', async () => {
    const attempts = Array.from({ length: 24 }, (_, i) =>
      start(`echo start ${i}; sleep 0.2; echo end ${i} >&2; exit ${i % 4}`),
    );
    const ends = await Promise.all(attempts.map((a) => a.attempt.done));
    ends.forEach((end, i) => {
      expect(end.code).toBe(i % 4);
      expect(end.tail).toBe(`start ${i}\nend ${i}\n`);
    });
  });
});

describe('isAlive', () => {
  it('knows the living, the gone and non-pids', async () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(0)).toBe(false);
    expect(isAlive(-1)).toBe(false);
    expect(isAlive(1.5)).toBe(false);
    const { attempt } = start('exit 0');
    await attempt.done;
    expect(isAlive(attempt.pid)).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self/stat'))('counts a zombie as gone', async () => {
    // The shell becomes a `sleep 60` that never reaps the `sleep 1` it started before.
    const child = spawn('/bin/sh', ['-c', 'sleep 1 & echo $!; exec sleep 60'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const zombie = await new Promise<number>((resolve) => {
        child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString())));
      });
      const state = () => {
        const stat = existsSync(`/proc/${zombie}/stat`);
        return stat ? readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0] : '';
      };
      await waitFor('the zombie', () => state() === 'Z');
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(zombie)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('logTail', () => {
  it('is empty for an absent file', () => {
    expect(logTail(join(tempDir(), 'none.log'))).toBe('');
  });

  it('keeps the last lines', () => {
    const file = join(tempDir(), 'a.log');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    writeFileSync(file, lines.join('\n') + '\n');
    expect(logTail(file)).toBe(lines.slice(60).join('\n') + '\n');
    expect(logTail(file, 3)).toBe('line 97\nline 98\nline 99\n');
    writeFileSync(file, lines.join('\n'));
    expect(logTail(file, 2)).toBe('line 98\nline 99');
    writeFileSync(file, 'short\n');
    expect(logTail(file)).toBe('short\n');
  });

  it('keeps at most maxBytes, starting at a line when it can', () => {
    const file = join(tempDir(), 'b.log');
    writeFileSync(file, `${'a'.repeat(50)}\n${'b'.repeat(50)}\nccc\n`);
    expect(logTail(file, 40, 60)).toBe(`${'b'.repeat(50)}\nccc\n`);
    // The last line alone is too long: its end, cut on a character boundary.
    writeFileSync(file, `start\n${'é'.repeat(100)}`);
    const tail = logTail(file, 40, 51);
    expect(tail).toBe('é'.repeat(25));
  });
});
