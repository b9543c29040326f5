/**
 * How the runner spawns git: asynchronously (several worktrees are handled while agents run),
 * never with our stdin (a prompt would hang the pool), with hooks off and no terminal prompts.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Text fed to git's stdin; without it stdin is closed. */
  input?: string;
  /** Extra environment (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
}

/**
 * Options every call gets: no hooks (commit, merge and worktree add would run them), no
 * optional locks (a status in the user's worktree must not take its index.lock to refresh),
 * and paths taken as they are written, never as glob patterns.
 */
const GLOBAL = ['--no-optional-locks', '--literal-pathspecs', '-c', 'core.hooksPath=/dev/null'];

/**
 * Variables that would point git at another repository or index than the folder it runs in,
 * set when baton itself runs inside a git hook.
 */
const LOCATION_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
];

function environment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  for (const name of LOCATION_VARS) delete env[name];
  return { ...env, ...extra };
}

/** Run git in `cwd` and report how it ended; throws only when git cannot be started. */
export function runGit(cwd: string, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GLOBAL, ...args], {
      cwd,
      env: environment(opts.env),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new UserError('GIT_FAILED', 'git is not installed or not on PATH')
          : new UserError('GIT_FAILED', `git ${args[0]} failed: ${error.message}`),
      );
    });
    child.on('close', (code) => {
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (child.stdin) {
      // git may exit before reading all of its input (e.g. a bad argument): not our error.
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
  });
}

/** The error for a git call that ended in a way the caller did not expect. */
export function gitFailure(args: string[], result: GitResult): UserError {
  const detail = result.stderr.trim().split('\n')[0] ?? '';
  return new UserError('GIT_FAILED', `git ${args[0]} failed${detail ? `: ${detail}` : ''}`);
}

/** git's stdout, or GIT_FAILED when it exits non-zero. */
export async function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, opts);
  if (result.code !== 0) throw gitFailure(args, result);
  return result.stdout;
}

/** NUL-separated fields of `-z` output, without the empty ones. */
export function fields(out: string): string[] {
  return out.split('\0').filter((f) => f !== '');
}
