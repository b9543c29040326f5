/**
 * Benchmarks of `baton run` (not tests: nothing here asserts on time), with the built CLI
 * spawned on generated repositories in a temp dir (removed at the end):
 * (a) overhead per task: `baton run -j 8 --cmd true` over N independent tasks
 *     (BENCH_RUN_TASKS, default 40), wall / N, against a floor measured in the same run: what
 *     any pool of worktrees must do per task at the least (`git worktree add --detach`, the
 *     command, `git worktree remove`, one `git commit` of the task file), 20 tasks one after
 *     another; and `-j 1` over N/5 tasks, so what the parallelism buys is visible;
 * (b) latency: on a chain a1 -> a2 -> ... -> a10 (each `depends_on` the one before), the time
 *     from the `merged` event of a_k to the `start` event of a_k+1, from the `time` field
 *     `--json` adds to each event (ISO, ms: the latencies are hundreds of ms).
 * The measurements take turns, round after round (BENCH_RUNS of them, at least 3, default
 * 3), so drift on a shared machine hits them alike. A run that does not end with every task
 * done, the target's worktree clean and no attempt worktree or branch left is a failure.
 *
 * `benchRunPool` is what the bench runner calls. Standalone, after `npm run build`:
 * `node dist/bench-run-pool.js` (same environment variables).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createMeasurer, type Measurer, median, packageRoot } from './measure.js';

/** Tasks of the floor, one after another. */
const FLOOR_TASKS = 20;
/** Length of the dependency chain. */
const CHAIN = 10;
const JOBS = 8;

export interface RunPoolSettings {
  /** Independent tasks of the `-j 8` plan. */
  tasks: number;
  /** Independent tasks of the `-j 1` plan. */
  serialTasks: number;
  runs: number;
}

function intEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`bench: ${name}=${raw} is not a positive integer`);
  }
  return value;
}

/**
 * BENCH_RUN_TASKS (default 40: at ~0.5-1 s a task on a loaded 2-core machine, three rounds
 * stay near three minutes) and BENCH_RUNS (at least 3, default 3: every run is seconds).
 */
export function runPoolSettings(): RunPoolSettings {
  const tasks = intEnv('BENCH_RUN_TASKS') ?? 40;
  return {
    tasks,
    serialTasks: Math.max(1, Math.ceil(tasks / 5)),
    runs: Math.max(3, intEnv('BENCH_RUNS') ?? 3),
  };
}

// ---------------------------------------------------------------- repositories

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

interface TaskSpec {
  id: string;
  deps?: string[];
}

/** A committed repository on `main` with these tasks (`.tasks/.local/` is baton's to make). */
function writePlan(dir: string, tasks: TaskSpec[]): void {
  mkdirSync(join(dir, '.tasks', 'main'), { recursive: true });
  writeFileSync(join(dir, '.tasks', 'config.yaml'), 'prefix: t\n');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  for (const t of tasks) {
    const deps = t.deps ? `depends_on: [${t.deps.join(', ')}]\n` : '';
    writeFileSync(
      join(dir, '.tasks', 'main', `${t.id}.md`),
      `---\nid: ${t.id}\ntitle: Task ${t.id}\nstatus: todo\n${deps}---\n`,
    );
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `bench: ${tasks.length} tasks`);
}

const independent = (n: number): TaskSpec[] =>
  Array.from({ length: n }, (_, k) => ({ id: `t${k + 1}` }));

const chain = (n: number): TaskSpec[] =>
  Array.from({ length: n }, (_, k) => ({
    id: `a${k + 1}`,
    ...(k > 0 ? { deps: [`a${k}`] } : {}),
  }));

// ---------------------------------------------------------------- measuring

/** The floor in a fresh copy of a plan: ms per task, `FLOOR_TASKS` in a row. */
function floorPerTask(dir: string): number {
  const worktrees = join(dir, '.git', 'bench-worktrees');
  mkdirSync(worktrees, { recursive: true });
  const start = performance.now();
  for (let k = 1; k <= FLOOR_TASKS; k++) {
    const id = `t${k}`;
    const wt = join(worktrees, id);
    git(dir, 'worktree', 'add', '--quiet', '--detach', wt, 'HEAD');
    spawnSync('sh', ['-c', 'true'], { cwd: wt, stdio: 'ignore' });
    git(dir, 'worktree', 'remove', '--force', wt);
    const rel = join('.tasks', 'main', `${id}.md`);
    const file = join(dir, rel);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: todo', 'status: done'));
    git(dir, 'commit', '--quiet', '--no-verify', '-m', `done ${id}`, '--', rel);
  }
  return (performance.now() - start) / FLOOR_TASKS;
}

interface RunEventLine {
  type: string;
  id?: string;
  time?: string;
  started?: number;
  done?: number;
  exit?: number;
}

interface RunOutcome {
  ms: number;
  rssKb: number | undefined;
  events: RunEventLine[];
  failure?: string;
}

/** `baton run -j <jobs> --cmd true --json` in `dir`; a failure unless all `expect` got done. */
function runBaton(
  measurer: Measurer,
  baton: string,
  dir: string,
  jobs: number,
  expect: number,
): RunOutcome {
  const argv = [process.execPath, baton, 'run', '-j', String(jobs), '--cmd', 'true', '--json'];
  const s = measurer.run(argv, dir);
  const events: RunEventLine[] = [];
  for (const line of s.stdout.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as RunEventLine);
    } catch {
      events.push({ type: 'not JSON', id: line.slice(0, 80) });
    }
  }
  const out: RunOutcome = { ms: s.ms, rssKb: s.rssKb, events };
  const summary = events.find((e) => e.type === 'summary');
  const lines = s.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '^');
  const stderr = (lines.find((l) => /error/i.test(l)) ?? lines.slice(0, 3).join(' / ')).slice(
    0,
    300,
  );
  const problems = events
    .filter((e) => e.type === 'problem' || e.type === 'failed' || e.type === 'not JSON')
    .slice(0, 3)
    .map((e) => JSON.stringify(e).slice(0, 200));
  if (s.status !== 0 || s.note !== undefined) {
    out.failure = `exit ${s.status ?? s.signal}${s.note ? ` (${s.note})` : ''}`;
  } else if (!summary) out.failure = 'no summary event';
  else if (summary.started !== expect || summary.done !== expect) {
    out.failure = `${summary.started} started and ${summary.done} done of ${expect}`;
  } else {
    const worktrees = git(dir, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree ')).length;
    const branches = git(dir, 'for-each-ref', '--format=%(refname)', 'refs/heads/baton/').trim();
    const status = git(dir, 'status', '--porcelain').trim();
    if (worktrees !== 1) out.failure = `${worktrees - 1} attempt worktree(s) left`;
    else if (branches) out.failure = `attempt branches left: ${branches.split('\n').join(' ')}`;
    else if (status) out.failure = `the target's worktree is not clean: ${status.slice(0, 200)}`;
  }
  if (out.failure) {
    out.failure += `${stderr ? `; stderr: ${stderr}` : ''}${problems.length ? `; ${problems.join(' ')}` : ''}`;
  }
  return out;
}

/**
 * time(start of a_k+1) - time(merged of a_k), for each link of the chain, and
 * time(merged of a_k) - time(start of a_k), for each task (its attempt, commit and merge).
 */
function chainLinks(events: RunEventLine[]): {
  ms: number[];
  attempts: number[];
  failure?: string;
} {
  const at = (type: string, id: string) => {
    const e = events.find((x) => x.type === type && x.id === id);
    return e?.time === undefined ? undefined : Date.parse(e.time);
  };
  const ms: number[] = [];
  const attempts: number[] = [];
  for (let k = 1; k <= CHAIN; k++) {
    const start = at('start', `a${k}`);
    const merged = at('merged', `a${k}`);
    if (start === undefined || merged === undefined || Number.isNaN(start + merged)) {
      return { ms, attempts, failure: `no start or merged event of a${k} with a time` };
    }
    attempts.push(merged - start);
  }
  for (let k = 1; k < CHAIN; k++) {
    const merged = at('merged', `a${k}`);
    const start = at('start', `a${k + 1}`);
    if (merged === undefined || start === undefined || Number.isNaN(merged + start)) {
      return { ms, attempts, failure: `no merged a${k} or start a${k + 1} event with a time` };
    }
    if (start < merged) {
      return {
        ms,
        attempts,
        failure: `a${k + 1} started ${merged - start} ms before a${k} was merged`,
      };
    }
    ms.push(start - merged);
  }
  return { ms, attempts };
}

interface Series {
  ms: number[];
  rssKb: number[];
  failure?: string;
}

export interface RunPoolResult {
  settings: RunPoolSettings;
  /** Floor, ms per task, one per round. */
  floor: Series;
  /** `-j 8` over `tasks`: wall ms per round. */
  wide: Series;
  /** `-j 1` over `serialTasks`: wall ms per round. */
  narrow: Series;
  /** The chain at `-j 8`: wall ms per round. */
  chain: Series;
  /** Every link's merged -> start latency, all rounds. */
  links: number[];
  /** Every chain task's start -> merged time, all rounds. */
  attempts: number[];
}

export function benchRunPool(
  baton: string,
  measurer: Measurer,
  settings: RunPoolSettings = runPoolSettings(),
  log: (message: string) => void = () => {},
): RunPoolResult {
  const work = mkdtempSync(join(tmpdir(), 'baton-bench-run-'));
  const series = (): Series => ({ ms: [], rssKb: [] });
  const result: RunPoolResult = {
    settings,
    floor: series(),
    wide: series(),
    narrow: series(),
    chain: series(),
    links: [],
    attempts: [],
  };
  try {
    const template = (name: string, tasks: TaskSpec[]) => {
      const dir = join(work, `template-${name}`);
      writePlan(dir, tasks);
      return dir;
    };
    const wide = template('wide', independent(settings.tasks));
    const floor =
      settings.tasks >= FLOOR_TASKS ? wide : template('floor', independent(FLOOR_TASKS));
    const narrow = template('narrow', independent(settings.serialTasks));
    const chained = template('chain', chain(CHAIN));
    // A fresh copy of a plan for every run: each run changes its repository.
    let copies = 0;
    const fresh = (from: string) => {
      const dir = join(work, `run-${++copies}`);
      cpSync(from, dir, { recursive: true });
      return dir;
    };
    const timed = (s: Series, from: string, jobs: number, expect: number) => {
      const dir = fresh(from);
      try {
        const r = runBaton(measurer, baton, dir, jobs, expect);
        if (r.failure) s.failure = r.failure;
        else {
          s.ms.push(r.ms);
          if (r.rssKb !== undefined) s.rssKb.push(r.rssKb);
        }
        return r;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    for (let round = 1; round <= settings.runs; round++) {
      log(`baton run: round ${round}/${settings.runs}`);
      if (!result.floor.failure) {
        const dir = fresh(floor);
        try {
          result.floor.ms.push(floorPerTask(dir));
        } catch (error) {
          result.floor.failure = (error as Error).message.split('\n')[0];
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      if (!result.wide.failure) timed(result.wide, wide, JOBS, settings.tasks);
      if (!result.narrow.failure) timed(result.narrow, narrow, 1, settings.serialTasks);
      if (!result.chain.failure) {
        const r = timed(result.chain, chained, JOBS, CHAIN);
        if (!result.chain.failure) {
          const links = chainLinks(r.events);
          if (links.failure) result.chain.failure = links.failure;
          else {
            result.links.push(...links.ms);
            result.attempts.push(...links.attempts);
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- reporting

function fmtMs(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}

const rssCell = (s: Series) =>
  s.rssKb.length > 0 && s.rssKb.length === s.ms.length ? (median(s.rssKb) / 1024).toFixed(0) : '-';

/** Whether any measurement failed. */
export function runPoolFailed(r: RunPoolResult): boolean {
  return [r.floor, r.wide, r.narrow, r.chain].some((s) => s.failure !== undefined);
}

/** The result as a Markdown table, with the failures (if any) listed under it. */
export function runPoolTable(r: RunPoolResult): string {
  const { tasks, serialTasks } = r.settings;
  const out = ['| measurement | median ms | ratio | peak RSS MB |', '|---|---:|---:|---:|'];
  const failures: string[] = [];
  const floor = r.floor.failure ? undefined : median(r.floor.ms);
  const ratio = (ms: number) => (floor === undefined ? '' : `${(ms / floor).toFixed(1)}x floor`);
  const failed = (label: string, s: Series) => {
    out.push(`| ${label} | FAILED | | |`);
    failures.push(`- ${label} failed: ${s.failure}`);
  };
  const floorLabel = `floor: \`git worktree add\` + \`sh -c true\` + \`git worktree remove\` + \`git commit\`, per task (${FLOOR_TASKS} in a row)`;
  if (floor === undefined) failed(floorLabel, r.floor);
  else out.push(`| ${floorLabel} | ${fmtMs(floor)} | base | |`);
  const perTask = (label: string, s: Series, n: number) => {
    if (s.failure) return failed(label, s);
    const wall = median(s.ms);
    out.push(`| ${label}: wall | ${fmtMs(wall)} | | ${rssCell(s)} |`);
    out.push(`| ${label}: per task (wall / ${n}) | ${fmtMs(wall / n)} | ${ratio(wall / n)} | |`);
  };
  perTask(`\`baton run -j ${JOBS} --cmd true\`, ${tasks} independent tasks`, r.wide, tasks);
  perTask(`\`baton run -j 1 --cmd true\`, ${serialTasks} independent tasks`, r.narrow, serialTasks);
  const linkLabel = `merged a_k -> start of a_k+1, chain of ${CHAIN} at -j ${JOBS} (${r.links.length} links)`;
  if (r.chain.failure) failed(linkLabel, r.chain);
  else {
    out.push(`| ${linkLabel}: median | ${fmtMs(median(r.links))} | | |`);
    out.push(`| ${linkLabel}: max | ${fmtMs(Math.max(...r.links))} | | |`);
    out.push(
      `| start a_k -> merged a_k (\`true\`, commit, worktree removal, merge; ${r.attempts.length} tasks): median | ${fmtMs(median(r.attempts))} | | |`,
    );
    out.push(`| chain of ${CHAIN}: wall | ${fmtMs(median(r.chain.ms))} | | ${rssCell(r.chain)} |`);
  }
  const notes: string[] = [];
  if (!r.wide.failure && !r.narrow.failure) {
    const speedup = median(r.narrow.ms) / serialTasks / (median(r.wide.ms) / tasks);
    notes.push(`Per task, -j 1 takes ${speedup.toFixed(1)}x as long as -j ${JOBS}.`);
  }
  return [
    ...out,
    ...(notes.length ? ['', ...notes] : []),
    ...(failures.length ? ['', ...failures] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = runPoolSettings();
  const measurer = createMeasurer({ ...process.env, NO_COLOR: '1' });
  try {
    process.stderr.write(
      `bench-run-pool: ${settings.tasks} tasks at -j ${JOBS}, ${settings.serialTasks} at -j 1, ${settings.runs} runs\n`,
    );
    const result = benchRunPool(join(packageRoot(), 'bin', 'baton.js'), measurer, settings, (m) =>
      process.stderr.write(`bench-run-pool: ${m}\n`),
    );
    process.stdout.write(`${runPoolTable(result)}\n`);
    if (runPoolFailed(result)) process.exitCode = 1;
  } finally {
    measurer.dispose();
  }
}

if (process.argv[1] && basename(process.argv[1]).startsWith('bench-run-pool')) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
