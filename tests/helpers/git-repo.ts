/**
 * Real git repositories in temp dirs for tests: a fixed identity, signing off, an initial
 * commit, removed after the test. `runBaton` spawns the built CLI (run `npm run build`
 * first; `npm test` does it in `pretest`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BATON_BIN = join(ROOT, 'bin/baton.js');

const cleanups: string[] = [];
afterEach(() => {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function tempDir(prefix = 'baton-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(dir);
  return dir;
}

/** Write a tree of files (path -> content) under `dir`. */
export function writeTree(dir: string, tree: Record<string, string>): void {
  for (const [path, content] of Object.entries(tree)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A new git repo (branch `main`) holding `tree`, committed. */
export function gitRepo(tree: Record<string, string> = {}): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test User');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeTree(dir, { 'README.md': '# test repo\n', ...tree });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn the built CLI in `cwd`. */
export function runBaton(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): RunResult {
  const res = spawnSync(process.execPath, [BATON_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: {
      ...process.env,
      ...GIT_ENV,
      NO_COLOR: '1',
      BATON_AGENT: '',
      EDITOR: 'true',
      ...opts.env,
    },
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Spawn the CLI without waiting (spawnSync would run concurrent claims one after another). */
export function runBatonAsync(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BATON_BIN, ...args], {
      cwd,
      env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A task file's text from front-matter lines and a body. */
export function taskFile(fields: Record<string, string>, body = ''): string {
  const fm = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${fm}\n---\n${body}`;
}

/** Run git as `agent` (BATON_AGENT), with the hooks' output captured (hook output mixes into git's). */
export function gitAs(
  agent: string,
  cwd: string,
  ...args: string[]
): { code: number; out: string } {
  const res = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: agent },
  });
  return { code: res.status ?? -1, out: res.stdout + res.stderr };
}

/** The lines baton printed in a git command's output. */
export const batonLines = (out: string): string[] =>
  out.split('\n').filter((l) => l.startsWith('baton') || l.startsWith('  '));

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

/**
 * Push `alice` (a repo from gitRepo) to a new bare remote and clone it for bob, with
 * `git pull` merging and baton's hooks installed in bob's clone. Returns bob's folder.
 */
export function shareWithBob(alice: string): string {
  const remote = join(tempDir(), 'remote.git');
  git(alice, 'init', '-q', '--bare', '-b', 'main', remote);
  git(alice, 'remote', 'add', 'origin', remote);
  git(alice, 'push', '-q', '-u', 'origin', 'main');
  const bob = join(tempDir(), 'bob');
  git(alice, 'clone', '-q', remote, bob);
  git(bob, 'config', 'user.name', 'Bob');
  git(bob, 'config', 'user.email', 'bob@example.com');
  git(bob, 'config', 'pull.rebase', 'false');
  const install = runBaton(bob, ['hooks', 'install']);
  if (install.code !== 0 || install.stderr !== '') {
    throw new Error(`hooks install failed (exit ${install.code}): ${install.stderr}`);
  }
  return bob;
}
