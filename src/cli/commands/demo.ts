/**
 * `baton demo`: build a throw-away git repository, then walk through the main flows by
 * running the real CLI (this same script, `-C <repo>`) for every step, printing each command
 * and its output so a newcomer can re-run them. The story is `src/demo/script.ts`, the plan
 * `src/demo/plan.ts`; this file owns the repository, the child processes and the terminal.
 * Exit 0 only when every step behaved as expected; an unexpected exit code is reported with
 * its stderr and makes the demo exit 1.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Clone,
  quoteArgs as quote,
  type RunResult,
  runScript,
  type Shell,
  type ShowOptions,
} from '../../demo/script.js';
import { UserError } from '../../errors.js';
import type { Ctx } from '../context.js';

const WIDTH = 80;
const OUT_INDENT = '  ';
const CMD_INDENT = '';
const CHILD_TIMEOUT_MS = 30_000;

export async function runDemo(ctx: Ctx, _args: string[], opts: Record<string, unknown>) {
  const bin = process.argv[1];
  if (!bin) throw new UserError('USAGE', 'cannot tell which baton script is running');
  const dir = prepareDir(ctx, typeof opts.dir === 'string' ? opts.dir : undefined);
  const started = Date.now();
  initRepo(dir);
  const shell = new TerminalShell(ctx, dir, resolve(bin));
  await runScript(shell, new Date());
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  shell.step('Next');
  if (shell.failed) {
    shell.say(
      `The demo took ${seconds} s, and ${shell.failures} step(s) did not behave as expected ` +
        '(see UNEXPECTED above). Please report it with this output. The repository is here:',
    );
    ctx.out(`${OUT_INDENT}${dir}`);
    return 1;
  }
  shell.say(`That took ${seconds} s. The repository is yours to explore (delete it after):`);
  ctx.out(`${OUT_INDENT}${dir}`);
  shell.say('Three commands to try next, from here (-C runs baton in the demo repo):');
  shell.echo(`npx baton -C ${dir} ready`);
  shell.echo(`npx baton -C ${dir} dep tree deploy-prod`);
  shell.echo(`npx baton -C ${dir} graph --format mermaid --critical-path > plan.mmd`);
  shell.say('(After `npm link`, `baton` works anywhere: cd there and run `baton ready`.)');
  return 0;
}

/** The demo folder: `--dir` (created if needed, must be empty) or a new temp dir. */
function prepareDir(ctx: Ctx, dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), 'baton-demo-'));
  const abs = resolve(ctx.cwd, dir);
  if (existsSync(abs) && readdirSync(abs).length > 0) {
    throw new UserError('USAGE', `${abs} is not empty; give baton demo --dir an empty folder`);
  }
  mkdirSync(abs, { recursive: true });
  return abs;
}

/** `git init -b main` with a fixed identity, signing off, and a first commit. */
function initRepo(dir: string): void {
  const git = (...args: string[]) => runGit(dir, args);
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'alice');
  git('config', 'user.email', 'alice@example.com');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(
    join(dir, 'README.md'),
    '# baton demo\n\nA throw-away repository made by `baton demo`. Delete it when done.\n',
  );
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'Initial commit');
}

function runGit(dir: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim() : String(error);
    throw new UserError('GIT_FAILED', `git ${args.join(' ')} failed in ${dir}: ${detail}`);
  }
}

/** The caller's environment without what would redirect git or change who acts. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GIT_TERMINAL_PROMPT: '0' };
  for (const key of [
    'BATON_AGENT',
    'FORCE_COLOR',
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_COMMON_DIR',
  ]) {
    delete env[key];
  }
  return env;
}

class TerminalShell implements Shell {
  failures = 0;
  /** The last thing printed was a command's output: narration after it gets a blank line. */
  private afterOutput = false;

  constructor(
    private readonly ctx: Ctx,
    readonly dir: string,
    private readonly bin: string,
  ) {}

  get failed(): boolean {
    return this.failures > 0;
  }

  step(title: string): void {
    this.ctx.out('\n');
    this.ctx.out(this.bold(title));
    this.afterOutput = false;
  }

  say(text: string): void {
    if (this.afterOutput) this.ctx.out('\n');
    this.afterOutput = false;
    for (const line of wrap(text, WIDTH - 1, '')) this.ctx.out(line);
  }

  echo(command: string, as?: Clone): void {
    const prompt = `${as?.who ?? ''}$ `;
    const [first = '', ...rest] = wrapCommand(command, WIDTH - CMD_INDENT.length - prompt.length);
    this.ctx.out(this.bold(`${CMD_INDENT}${prompt}${first}`));
    for (const line of rest) this.ctx.out(this.bold(`${CMD_INDENT}    ${line}`));
    this.afterOutput = false;
  }

  async show(args: string[], opts: ShowOptions = {}): Promise<RunResult> {
    const expect = opts.expect ?? 0;
    this.echo(`baton ${quote(args)}`, opts.as);
    const res = await this.spawn(args, opts.as?.dir);
    this.print(`${res.stdout}${res.stderr}`, opts);
    if (res.code === expect) {
      if (res.code !== 0)
        this.ctx.out(this.dim(`${OUT_INDENT}(exit ${res.code}: ${opts.why ?? 'as expected'})`));
    } else {
      this.unexpected(args, res, expect, false);
    }
    return res;
  }

  /** A command's output, indented, wrapped (or cut) to the terminal. */
  private print(output: string, opts: ShowOptions): void {
    const lines = output.replace(/\n+$/, '').split('\n');
    const shown = opts.maxLines !== undefined ? lines.slice(0, opts.maxLines) : lines;
    const width = WIDTH - OUT_INDENT.length;
    this.afterOutput = lines.some((l) => l !== '');
    for (const line of shown) {
      if (line === '') this.ctx.out('\n');
      else if (opts.cut) this.ctx.out(OUT_INDENT + cut(line, width));
      else for (const part of wrap(line, width)) this.ctx.out(OUT_INDENT + part);
    }
    if (shown.length < lines.length) {
      this.ctx.out(this.dim(`${OUT_INDENT}... (${lines.length - shown.length} more lines)`));
    }
  }

  async quiet(args: string[], expect = 0, as?: Clone): Promise<RunResult> {
    const res = await this.spawn(args, as?.dir);
    if (res.code !== expect) this.unexpected(args, res, expect, true);
    return res;
  }

  git(args: string[], as?: Clone): void {
    this.echo(`git ${quote(args)}`, as);
    try {
      runGit(as?.dir ?? this.dir, args);
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  gitShow(args: string[], as: Clone): RunResult {
    this.echo(`git ${quote(args)}`, as);
    // One stream, as a terminal shows it: git's output and its hooks' in the order written.
    const res = spawnSync('sh', ['-c', 'exec "$@" 2>&1', 'sh', 'git', ...args], {
      cwd: as.dir,
      encoding: 'utf8',
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    const result = { code: res.status ?? -1, stdout: res.stdout ?? '', stderr: '' };
    // Where the objects came from: temp paths and hashes, noise here.
    const shown = result.stdout
      .split('\n')
      .filter((l) => !/^From |^ +[0-9a-f]+\.\.[0-9a-f]+ /.test(l))
      .join('\n');
    if (shown.trim() !== '') this.print(shown, {});
    if (result.code !== 0) this.fail(`exit ${result.code}: git ${quote(args)}`);
    return result;
  }

  fail(message: string): void {
    this.failures++;
    this.ctx.out(this.bold(`${OUT_INDENT}UNEXPECTED: ${message}`));
  }

  private unexpected(args: string[], res: RunResult, expect: number, quiet: boolean): void {
    const what = quiet ? `: baton ${quote(args)}` : '';
    this.fail(cut(`exit ${res.code}, expected ${expect}${what}`, WIDTH - 16));
    if (quiet) {
      for (const line of res.stderr.trimEnd().split('\n').slice(0, 20)) {
        this.ctx.out(`${OUT_INDENT}${line}`);
      }
    }
  }

  private spawn(args: string[], dir = this.dir): Promise<RunResult> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [this.bin, '-C', dir, ...args], {
        cwd: dir,
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: CHILD_TIMEOUT_MS,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
      });
      child.on('error', (error) =>
        done({ code: -1, stdout, stderr: `${stderr}${error.message}\n` }),
      );
      child.on('close', (code, signal) => {
        const killed = signal ? `killed by ${signal}\n` : '';
        done({ code: code ?? -1, stdout, stderr: `${stderr}${killed}` });
      });
    });
  }

  private bold(text: string): string {
    return this.ctx.color ? `\x1b[1m${text}\x1b[22m` : text;
  }

  private dim(text: string): string {
    return this.ctx.color ? `\x1b[2m${text}\x1b[22m` : text;
  }
}

/**
 * Words to lines of at most `width` (a longer word gets a line of its own); lines after the
 * first keep the text's indentation plus `hang`, so a wrapped row reads as one.
 */
function wrap(text: string, width: number, hang = '  '): string[] {
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = '';
  let indent = lead;
  for (const word of text.slice(lead.length).split(/ +/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      indent = lead + hang;
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(indent + line);
  return lines;
}

/** A table row cut to `width`, ending in an ellipsis when something was cut. */
function cut(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}

/** A long command split before its options, each line but the last ending in ` \`. */
function wrapCommand(command: string, width: number): string[] {
  if (command.length <= width) return [command];
  const pieces = command.split(/ (?=--?[a-z])/);
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line && line.length + 1 + piece.length > width - 2) {
      lines.push(`${line} \\`);
      line = piece;
    } else {
      line = line ? `${line} ${piece}` : piece;
    }
  }
  lines.push(line);
  return lines;
}
