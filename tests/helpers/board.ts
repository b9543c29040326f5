/**
 * The board's end-to-end tests: a small plan (five tasks, a2 waits for a1) and a real
 * `baton board --no-open --port 0` spawned through the built CLI, stopped after each test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, expect } from 'vitest';
import { BATON_BIN, GIT_ENV, gitRepo, runBaton, taskFile, writeTree } from './git-repo.js';

export const AGENT = 'ada';
export const ENV = { BATON_AGENT: AGENT };

export const TASKS: Record<string, string> = {
  '.tasks/main/a1.md': taskFile(
    { id: 'a1', title: 'First', status: 'todo', priority: 'high' },
    'Do the first thing.\n',
  ),
  '.tasks/main/a2.md': taskFile(
    { id: 'a2', title: 'Second', status: 'todo', priority: 'medium', depends_on: '[a1]' },
    'Then this.\n',
  ),
  '.tasks/main/a3.md': taskFile({ id: 'a3', title: 'Third', status: 'todo', priority: 'low' }),
  '.tasks/main/a4.md': taskFile({ id: 'a4', title: 'Fourth', status: 'todo', priority: 'low' }),
  '.tasks/main/a5.md': taskFile({ id: 'a5', title: 'Fifth', status: 'todo', priority: 'low' }),
};

/** A repository with baton initialised and the five tasks (written, not committed). */
export function boardRepo(): string {
  const dir = gitRepo();
  expect(runBaton(dir, ['init'], { env: ENV }).code).toBe(0);
  writeTree(dir, TASKS);
  return dir;
}

export interface SpawnedBoard {
  child: ChildProcess;
  /** The printed URL, with its token. */
  url: string;
  exit: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

/** `baton board --no-open --port 0` in `dir`; resolves once it printed its URL. */
export async function spawnBoard(dir: string): Promise<SpawnedBoard> {
  const child = spawn(process.execPath, [BATON_BIN, 'board', '--no-open', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', ...ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^baton board: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})$/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`board exited ${code}: ${stderr}`)));
  });
  return { child, url, exit };
}
