/**
 * The demo walkthrough: what to run and what to say, step by step. It talks to the terminal
 * and to the real CLI only through `Shell`, so the story reads top to bottom here and the
 * spawning, printing and bookkeeping live in the command (`src/cli/commands/demo.ts`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { agentsAtWork } from './agents-step.js';
import { creationWaves, DEMO_PLAN, type DemoTask, newTaskArgs, STORY } from './plan.js';
import { teamWork } from './team-step.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ShowOptions {
  /** The exit code this step should have (default 0); any other is a failure. */
  expect?: number;
  /** Printed after a non-zero exit that was expected: `(exit 1: <why>)`. */
  why?: string;
  /** Print at most this many lines of output, then say how many more there were. */
  maxLines?: number;
  /** A table: cut long rows at the terminal's edge instead of wrapping them. */
  cut?: boolean;
  /** Run in this clone instead of the demo repository, the prompt naming who types it. */
  as?: Clone;
}

/** A clone of the demo's remote and the person working in it (`alice$ ...`). */
export interface Clone {
  who: string;
  dir: string;
}

export interface Shell {
  /** The demo repository. */
  dir: string;
  step(title: string): void;
  /** A sentence or two of narration, wrapped to the terminal. */
  say(text: string): void;
  /** Print a command line as the user would type it (`$ ...`), without running it. */
  echo(command: string, as?: Clone): void;
  /** Run baton in the demo repo, printing `$ baton ...` and its output, indented. */
  show(args: string[], opts?: ShowOptions): Promise<RunResult>;
  /** Run baton without printing anything unless the exit code is not `expect` (default 0). */
  quiet(args: string[], expect?: number, as?: Clone): Promise<RunResult>;
  /** Run git in the demo repo (printed as `$ git ...`); a failure is reported. */
  git(args: string[], as?: Clone): void;
  /** Run git as `git(args, as)` and print its output and its hooks' (`From` lines left out). */
  gitShow(args: string[], as: Clone): RunResult;
  /** Record an unexpected result; the demo will exit 1. */
  fail(message: string): void;
  readonly failed: boolean;
}

/** The fields of a `--json` task the demo reads. */
interface TaskItem {
  id: string;
  depends_on?: string[];
  path?: unknown;
}

/** Child processes at a time while building the plan: start-up is mostly CPU. */
const CREATE_CONCURRENCY = Math.min(8, Math.max(4, availableParallelism()));

export async function runScript(sh: Shell, today: Date): Promise<void> {
  const tasks = await buildPlan(sh, today);
  if (sh.failed) {
    sh.say('Stopping here: the plan could not be built (see the errors above).');
    return;
  }
  const readyBefore = await readyIds(sh);
  await readyQueue(sh);
  await blocked(sh);
  await planAndGraph(sh);
  await cycle(sh, tasks);
  await finishWork(sh, readyBefore);
  sh.step('7. One task up close');
  sh.say(
    `${STORY.show} waits on both pricing and market data, and the risk work waits on it. ` +
      'show lists its dependencies, its dependents and whether it is ready:',
  );
  await sh.show(['show', STORY.show]);
  await agentsAtWork(sh);
  if (!sh.failed) await teamWork(sh);
}

/** Creates the plan and returns `baton list --json` of it (empty after a failure). */
async function buildPlan(sh: Shell, today: Date): Promise<TaskItem[]> {
  sh.step('1. A repository and a plan');
  sh.say(
    `The demo repository is ${sh.dir}: a fresh git repository with one commit. ` +
      'Every command below runs there; cd there to run them yourself.',
  );
  await sh.show(['init', '--no-hooks']);
  if (sh.failed) return [];
  const waves = creationWaves(DEMO_PLAN);
  sh.say(
    `Now the team's plan: ${DEMO_PLAN.length} tasks for a small options-trading system, ` +
      `each made with one baton new, dependencies first. One of them:`,
  );
  const example = DEMO_PLAN.find((t) => t.id === STORY.show);
  if (example) sh.echo(`baton ${quoteArgs(newTaskArgs(example, today).slice(0, -2))} --body '...'`);
  // Work already under way is marked as soon as its task exists; a wave starts only when the
  // one before it is done, so nothing is started before its dependencies are finished.
  const verb = { done: 'done', in_progress: 'start' } as const;
  const create = async (task: DemoTask) => {
    const res = await sh.quiet(newTaskArgs(task, today));
    if (res.code === 0 && task.status) {
      await sh.quiet(['--agent', task.assignee ?? 'alice', verb[task.status], task.id]);
    }
  };
  for (const wave of waves) {
    await inPool(wave, CREATE_CONCURRENCY, create);
    if (sh.failed) return [];
  }
  const byStatus = (s: DemoTask['status']) => DEMO_PLAN.filter((t) => t.status === s);
  const listed = await listJson(sh, ['list', '--json']);
  const ids = new Set(listed.map((t) => t.id));
  const missing = DEMO_PLAN.filter((t) => !ids.has(t.id)).map((t) => t.id);
  if (missing.length > 0) sh.fail(`baton list does not show ${missing.join(', ')}`);
  sh.say(
    `Created ${DEMO_PLAN.length} tasks in ${waves.length} waves, then marked ` +
      `${names(byStatus('done'))} done (baton done) and ${names(byStatus('in_progress'))} ` +
      'in progress (baton start). Task files are plain Markdown, so a commit shares them:',
  );
  sh.git(['add', '-A']);
  sh.git(['commit', '-q', '--no-verify', '-m', 'Plan the trading system']);
  return listed;
}

async function readyQueue(sh: Shell): Promise<void> {
  sh.step('2. What can be done now');
  sh.say(
    `baton list shows all ${DEMO_PLAN.length} tasks and filters them; here is the pricing ` +
      'work, grouped by status:',
  );
  await sh.show(['list', '--label', 'pricing', '--group-by', 'status'], { cut: true });
  sh.say(
    'The ready queue: todo tasks whose dependencies are all done. It is ordered by ' +
      'priority, then by how much work waits on each task, then due date, age and id.',
  );
  await sh.show(['ready'], { cut: true });
}

async function blocked(sh: Shell): Promise<void> {
  sh.step('3. What is blocked, and why');
  sh.say(
    `Most of the plan waits on something: ${STORY.last} sits at the end of a chain nine ` +
      'tasks deep. blocked follows each chain down to what can be done now:',
  );
  await sh.show(['blocked'], { maxLines: 18 });
}

async function planAndGraph(sh: Shell): Promise<void> {
  sh.step('4. The critical path and waves of parallel work');
  sh.say('The longest chain of remaining work by estimate, and what could run side by side:');
  await sh.show(['plan'], { maxLines: 26 });
  sh.say(
    'The same graph as Mermaid, critical path highlighted (paste it into any Mermaid viewer):',
  );
  await sh.show(['graph', '--format', 'mermaid', '--critical-path'], { maxLines: 15 });
}

async function cycle(sh: Shell, tasks: TaskItem[]): Promise<void> {
  const { task, addDep } = STORY.cycle;
  sh.step('5. A dependency cycle, refused and then caught');
  sh.say(
    `Say someone wants ${task} to wait for ${addDep}. But ${addDep} already waits, ` +
      `through risk-limits, on ${task}: a loop. dep add refuses it:`,
  );
  await sh.show(['dep', 'add', task, addDep], {
    expect: 1,
    why: 'dep add refused the cycle, as expected',
  });
  const found = tasks.find((t) => t.id === task);
  const path = typeof found?.path === 'string' ? join(sh.dir, found.path) : undefined;
  if (!path || !found) {
    sh.fail(`baton list --json gave no path for ${task}`);
    return;
  }
  const original = readFileSync(path, 'utf8');
  const edited = withDependency(original, addDep);
  if (edited === undefined) {
    sh.fail(`${found.path} has no front matter to edit`);
    return;
  }
  sh.say(
    `A hand edit is not checked as it is typed. Add it in an editor, as a hurried edit would:`,
  );
  sh.echo(`$EDITOR ${found.path}     # depends_on: [${addDep}]`);
  writeFileSync(path, edited);
  sh.say('check (also run by the pre-commit hook and in CI) catches it and names the loop:');
  const res = await sh.show(['check'], { expect: 1, why: 'check found problems, as expected' });
  if (res.code === 1 && !`${res.stdout}${res.stderr}`.includes('->')) {
    sh.fail('check did not print the cycle as a -> b -> ... -> a');
  }
  sh.say('Undo the edit, and the plan is clean again:');
  sh.git(['checkout', '--', String(found.path)]);
  if (readFileSync(path, 'utf8') !== original) writeFileSync(path, original);
  await sh.show(['check']);
}

async function finishWork(sh: Shell, readyBefore: Set<string>): Promise<void> {
  sh.step('6. Finishing work makes more work ready');
  const [first, second] = STORY.finish;
  sh.say(
    `alice finishes ${first}; bob (acting through --agent) finishes ${second}. ` +
      'Each change is logged in the task file:',
  );
  await sh.show(['done', first]);
  await sh.show(['--agent', 'bob', 'done', second]);
  const after = await listJson(sh, ['ready', '--json']);
  const fresh = after.filter((t) => !readyBefore.has(t.id));
  const parts = STORY.finish.map((done) => {
    const unlocked = fresh.filter((t) => (t.depends_on ?? []).includes(done)).map((t) => t.id);
    return unlocked.length > 0
      ? `${done} unblocked ${list(unlocked)}`
      : `${done} unblocked nothing`;
  });
  sh.say(
    fresh.length > 0
      ? `${fresh.length} new ${fresh.length === 1 ? 'task is' : 'tasks are'} ready: ` +
          `${parts.join('; ')}. The queue now:`
      : 'No new task became ready. The queue now:',
  );
  await sh.show(['ready'], { cut: true });
  sh.git(['commit', '-q', '--no-verify', '-am', `Finish ${STORY.finish.join(' and ')}`]);
}

/** The task text with `dep` added to `depends_on`, or undefined if it has no front matter. */
export function withDependency(text: string, dep: string): string | undefined {
  const lines = text.split('\n');
  const end = lines.indexOf('---', 1);
  if (lines[0] !== '---' || end < 0) return undefined;
  const at = lines.findIndex((l, i) => i < end && /^depends_on:/.test(l));
  if (at < 0) {
    lines.splice(end, 0, `depends_on: [${dep}]`);
    return lines.join('\n');
  }
  const flow = /^depends_on:\s*\[(.*)\]\s*$/.exec(lines[at] ?? '');
  if (flow) {
    const items = (flow[1] ?? '').split(',').map((s) => s.trim());
    lines[at] = `depends_on: [${[...items.filter(Boolean), dep].join(', ')}]`;
  } else {
    lines.splice(at + 1, 0, `  - ${dep}`);
  }
  return lines.join('\n');
}

async function readyIds(sh: Shell): Promise<Set<string>> {
  return new Set((await listJson(sh, ['ready', '--json'])).map((t) => t.id));
}

export async function listJson(sh: Shell, args: string[]): Promise<TaskItem[]> {
  const res = await sh.quiet(args);
  if (res.code !== 0) return [];
  try {
    const data: unknown = JSON.parse(res.stdout);
    const items = Array.isArray(data) ? data : [data];
    return items.filter((t): t is TaskItem => typeof t?.id === 'string');
  } catch {
    sh.fail(`baton ${args.join(' ')} did not print JSON`);
    return [];
  }
}

/** Run `fn` over `items`, at most `limit` at a time. */
async function inPool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function names(tasks: DemoTask[]): string {
  return list(tasks.map((t) => t.id));
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Arguments as a shell would need them typed. */
export function quoteArgs(args: string[]): string {
  return args
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
