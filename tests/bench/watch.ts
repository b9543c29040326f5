/**
 * Benchmarks of `baton watch` (not tests: nothing here asserts on time). On a copy of a
 * repository (the input is never modified):
 * (a) latency: the time from writing a file that makes a task ready to the `--json` event
 *     naming that task, with the real `baton watch --json` spawned (target < 300 ms);
 * (b) recompute: in process, parsing the one changed file and applying it to the live model
 *     (target < 20 ms at 10,000 tasks), for status edits and for `depends_on` edits;
 * (c) memory: the watcher's RSS after 10 edits and after 1,000 (flat).
 *
 * `benchWatch(repoDir, runs)` is what the bench runner calls. Standalone, after
 * `npm run build`: `node dist/bench-watch.js [REPO_DIR] [RUNS] [EDITS]` (default: the
 * generated `.bench/10000-1-v1`, or a fresh 10,000-task repo in a temp dir).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildGraph } from '../../src/core/graph.js';
import { computeReadiness } from '../../src/core/readiness.js';
import type { Task } from '../../src/core/types.js';
import { loadSnapshot } from '../../src/store/load.js';
import { parseTaskFileFully } from '../../src/store/parse-file.js';
import { findRoot } from '../../src/store/root.js';
import { LiveState } from '../../src/watch/live-state.js';
import { logLines } from '../../src/watch/read-task.js';
import { generateRepo } from './generate.js';
import { median, packageRoot } from './measure.js';

export interface WatchBenchResult {
  /** Write of a file -> the `ready` event naming the task it unblocked, per run. */
  latencyMs: number[];
  /** Parse + apply of one status edit, in process, per edit. */
  recomputeMs: number[];
  /** Parse + apply of one `depends_on` edit (re-derives cycles), per edit. */
  recomputeEdgeMs: number[];
  /** Spawn -> the `watching` event. */
  startupMs: number;
  rssStartMb: number;
  rssEndMb: number;
  /** RSS after every 100 edits: a leak climbs, garbage collection saws. */
  rssTraceMb: number[];
  tasks: number;
  edits: number;
}

/** A task that waits on exactly one unfinished task: finishing that one makes it ready. */
interface Pair {
  waiter: Task;
  dep: Task;
}

function pairs(tasks: readonly Task[], now: Date, want: number): Pair[] {
  const graph = buildGraph(tasks);
  const states = computeReadiness(graph, now);
  const used = new Set<string>();
  const out: Pair[] = [];
  for (let i = 0; i < graph.tasks.length && out.length < want; i++) {
    const s = states[i]!;
    const waiter = graph.tasks[i]!;
    if (s.state !== 'blocked' || s.cycle || s.manual || s.missing.length > 0) continue;
    if (s.waitingOn.length !== 1 || waiter.data.not_before) continue;
    const depId = s.waitingOn[0]!;
    if (used.has(depId) || used.has(waiter.data.id)) continue;
    const dep = graph.tasks[graph.index.get(depId)!]!;
    used.add(depId);
    used.add(waiter.data.id);
    out.push({ waiter, dep });
  }
  if (out.length === 0) throw new Error('bench-watch: no task waits on exactly one other');
  return out;
}

const withStatus = (text: string, status: string) =>
  text.replace(/^status: .*$/m, `status: ${status}`);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  try {
    return (
      Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024
    );
  } catch {
    return Number.NaN;
  }
}

/** The spawned watcher: waits for events by reading its stdout. */
class Watcher {
  private readonly child: ChildProcess;
  private waiting: { match: (e: Record<string, unknown>) => boolean; done: () => void }[] = [];
  private exit: Promise<number | null>;

  constructor(cwd: string, bin: string) {
    this.child = spawn(process.execPath, [bin, 'watch', '--json'], {
      cwd,
      env: { ...process.env, BATON_AGENT: 'bench', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      const hit = this.waiting.filter((w) => w.match(event));
      this.waiting = this.waiting.filter((w) => !hit.includes(w));
      for (const w of hit) w.done();
    });
    this.exit = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when an event matching arrives (register before causing it). */
  when(type: string, id?: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`bench-watch: no ${type} ${id ?? ''} event`)),
        timeoutMs,
      );
      this.waiting.push({
        match: (e) => e.type === type && (id === undefined || e.id === id),
        done: () => {
          clearTimeout(timer);
          done();
        },
      });
    });
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exit;
  }
}

/** Parse + apply one edited file, in process; the time it took, in ms. */
async function timedApply(model: LiveState, task: Task, text: string): Promise<number> {
  const start = performance.now();
  const parsed = await parseTaskFileFully(task.path, task.namespace, text);
  const log = logLines(text);
  model.apply(
    [{ path: task.path, file: { task: parsed.task, problems: parsed.problems, log } }],
    new Date(),
  );
  return performance.now() - start;
}

export async function benchWatch(
  repoDir: string,
  runs: number,
  options: { edits?: number } = {},
): Promise<WatchBenchResult> {
  const edits = options.edits ?? 1000;
  const bin = join(packageRoot(), 'bin', 'baton.js');
  const work = mkdtempSync(join(tmpdir(), 'baton-bench-watch-'));
  try {
    cpSync(repoDir, work, { recursive: true });
    const root = findRoot(work);
    if (!root) throw new Error(`bench-watch: no .tasks/ in ${repoDir}`);
    // The in-process load also warms the copy's index cache for the spawned watcher.
    const snap = await loadSnapshot(root);
    const chosen = pairs(snap.tasks, snap.now, Math.max(runs, 2));
    const texts = chosen.map((p) => readFileSync(join(work, p.dep.path), 'utf8'));

    // (b) in process: status edits and dependency edits on the live model.
    const model = new LiveState({ agent: 'bench' });
    model.apply(model.changesFrom(snap), snap.now, { quiet: true });
    const recomputeMs: number[] = [];
    const recomputeEdgeMs: number[] = [];
    for (let k = 0; k < Math.max(runs, 5); k++) {
      const p = chosen[k % chosen.length]!;
      const text = texts[k % chosen.length]!;
      recomputeMs.push(await timedApply(model, p.dep, withStatus(text, 'done')));
      if (model.readinessOf(p.waiter.data.id)?.state !== 'ready') {
        throw new Error(`bench-watch: ${p.waiter.data.id} did not become ready in the model`);
      }
      recomputeMs.push(await timedApply(model, p.dep, text));
      const w = readFileSync(join(work, p.waiter.path), 'utf8');
      const other = chosen[(k + 1) % chosen.length]!.waiter.data.id;
      const edged = w.replace(/^depends_on: \[(.*)\]$/m, (_, list: string) =>
        list ? `depends_on: [${list}, ${other}]` : `depends_on: [${other}]`,
      );
      recomputeEdgeMs.push(await timedApply(model, p.waiter, edged));
      recomputeEdgeMs.push(await timedApply(model, p.waiter, w));
    }

    // (a) the real watcher: write -> event.
    const started = performance.now();
    const watcher = new Watcher(work, bin);
    await watcher.when('watching', undefined, 120_000);
    const startupMs = performance.now() - started;
    const latencyMs: number[] = [];
    let done = 0;
    const flip = async (k: number, timed: boolean) => {
      const p = chosen[k % chosen.length]!;
      const file = join(work, p.dep.path);
      const text = texts[k % chosen.length]!;
      const ready = watcher.when('ready', p.waiter.data.id);
      const start = performance.now();
      writeFileSync(file, withStatus(text, 'done'));
      await ready;
      if (timed) latencyMs.push(performance.now() - start);
      const unready = watcher.when('unready', p.waiter.data.id);
      writeFileSync(file, text);
      await unready;
      done += 2;
    };
    for (let k = 0; k < runs; k++) await flip(k, true);
    // (c) memory: RSS after 10 edits and after `edits`.
    let k = runs;
    while (done < 10) await flip(k++, false);
    const rssStartMb = rssMb(watcher.pid);
    const rssTraceMb: number[] = [];
    while (done < edits) {
      await flip(k++, false);
      if (done % 100 === 0) rssTraceMb.push(rssMb(watcher.pid));
    }
    const rssEndMb = rssMb(watcher.pid);
    const code = await watcher.stop();
    if (code !== 0) throw new Error(`bench-watch: the watcher exited with ${code}`);
    return {
      latencyMs,
      recomputeMs,
      recomputeEdgeMs,
      startupMs,
      rssStartMb,
      rssEndMb,
      rssTraceMb,
      tasks: snap.tasks.length,
      edits: done,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

/** The result as Markdown table rows: `| measure | median | p90 | target |`. */
export function watchTable(r: WatchBenchResult): string {
  const p90 = (xs: readonly number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? Number.NaN;
  const rows = [
    '| `baton watch` at ' + `${r.tasks} tasks | median | p90 | target |`,
    '|---|---|---|---|',
    `| write -> \`ready\` event (ms, ${r.latencyMs.length} runs) | ${fmt(median(r.latencyMs))} | ${fmt(p90(r.latencyMs))} | < 300 |`,
    `| recompute, status edit (ms, in process) | ${fmt(median(r.recomputeMs))} | ${fmt(p90(r.recomputeMs))} | < 20 |`,
    `| recompute, depends_on edit (ms, in process) | ${fmt(median(r.recomputeEdgeMs))} | ${fmt(p90(r.recomputeEdgeMs))} | < 20 |`,
    `| start-up to \`watching\` (ms) | ${fmt(r.startupMs)} | | |`,
    `| RSS after 10 / ${r.edits} edits (MB) | ${r.rssStartMb.toFixed(1)} / ${r.rssEndMb.toFixed(1)} | | flat |`,
    `| RSS every 100 edits (MB) | ${r.rssTraceMb.map((x) => x.toFixed(0)).join(' ')} | | |`,
  ];
  return rows.join('\n');
}

async function main(): Promise<void> {
  const [dirArg, runsArg, editsArg] = process.argv.slice(2);
  const runs = Number(runsArg ?? 21);
  const edits = Number(editsArg ?? 1000);
  let dir = dirArg;
  let made: string | undefined;
  if (!dir) {
    const generated = join(packageRoot(), '.bench', '10000-1-v1');
    if (existsSync(join(generated, '.tasks'))) dir = generated;
    else {
      made = mkdtempSync(join(tmpdir(), 'baton-bench-gen-'));
      process.stderr.write(`bench-watch: generating 10000 tasks in ${made}\n`);
      generateRepo(made, 10_000, 1);
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'b@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'b@example.com',
      };
      for (const args of [
        ['init', '-q', '-b', 'main'],
        ['add', '-A'],
        ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'bench'],
      ]) {
        execFileSync('git', args, { cwd: made, env, stdio: 'ignore' });
      }
      dir = made;
    }
  }
  try {
    process.stderr.write(`bench-watch: ${dir}, ${runs} runs, ${edits} edits\n`);
    const result = await benchWatch(dir, runs, { edits });
    process.stdout.write(`${watchTable(result)}\n`);
  } finally {
    if (made) rmSync(made, { recursive: true, force: true });
  }
}

if (process.argv[1] && basename(process.argv[1]).startsWith('bench-watch')) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
