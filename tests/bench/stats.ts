/**
 * Bench of `baton stats --json` on a generated history (history-generate.ts): whole-process
 * wall time, median of the runs, against the target of the stats issue (< 5 s at 2,000 tasks
 * and 20,000 commits). Not a test: nothing asserts on time; the exit code is 1 only when the
 * command failed or printed something that is not the stats JSON.
 *
 * The repository is generated once into `.bench/history-<tasks>x<commits>-<seed>-v<version>/`
 * (a `.done` file next to it marks a finished generation) and reused after that.
 *
 * After `npm run build`: `node dist/bench-stats.js` prints one Markdown table row.
 * Environment: BENCH_STATS_TASKS (2000), BENCH_STATS_COMMITS (20000), BENCH_SEED (1),
 * BENCH_RUNS (5, at least 5).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory, HISTORY_GENERATOR_VERSION } from './history-generate.js';
import { createMeasurer, median, packageRoot } from './measure.js';

const TARGET_MS = 5_000;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench-stats: bad ${name}=${raw}`);
  return value;
}

function log(message: string): void {
  process.stderr.write(`bench-stats: ${message}\n`);
}

/** The generated repository, made unless a finished one is there. */
export function ensureHistoryRepo(root: string, tasks: number, commits: number, seed: number) {
  const benchDir = join(root, '.bench');
  const prefix = `history-${tasks}x${commits}-${seed}-v`;
  const name = `${prefix}${HISTORY_GENERATOR_VERSION}`;
  const dir = join(benchDir, name);
  const done = join(benchDir, `${name}.done`);
  if (existsSync(done) && existsSync(join(dir, '.tasks'))) return { dir, generatedMs: undefined };
  mkdirSync(benchDir, { recursive: true });
  for (const entry of readdirSync(benchDir)) {
    if (entry.startsWith(prefix)) rmSync(join(benchDir, entry), { recursive: true, force: true });
  }
  log(`generating ${tasks} tasks and ${commits} commits in ${dir}`);
  const start = performance.now();
  generateHistory(dir, { tasks, commits, seed });
  const generatedMs = performance.now() - start;
  log(`  generated in ${(generatedMs / 1000).toFixed(1)} s`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return { dir, generatedMs };
}

/** Whole-process timings of `baton stats --json` on the generated history. */
export function benchStats(): { row: string; ok: boolean } {
  const root = packageRoot();
  const tasks = intEnv('BENCH_STATS_TASKS', 2000);
  const commits = intEnv('BENCH_STATS_COMMITS', 20000);
  const runs = Math.max(5, intEnv('BENCH_RUNS', 5));
  const { dir, generatedMs } = ensureHistoryRepo(root, tasks, commits, intEnv('BENCH_SEED', 1));
  const env = { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };
  const measurer = createMeasurer(env);
  const argv = [process.execPath, join(root, 'bin', 'baton.js'), 'stats', '--json'];
  const samples = [];
  try {
    for (let round = 0; round <= runs; round++) {
      const s = measurer.run(argv, dir);
      if (s.status !== 0) {
        log(`stats failed (exit ${s.status}): ${s.stderr.trim().split('\n')[0]}`);
        return { row: `| \`baton stats --json\` | FAILED | | |`, ok: false };
      }
      if (round === 0) {
        const out = JSON.parse(s.stdout.toString('utf8')) as { tasks?: { done?: number } };
        log(`warm-up: ${out.tasks?.done ?? '?'} tasks done in the history`);
      } else samples.push(s);
    }
  } catch (error) {
    log(`stats printed no stats JSON: ${(error as Error).message}`);
    return { row: `| \`baton stats --json\` | FAILED | | |`, ok: false };
  } finally {
    measurer.dispose();
  }
  const ms = median(samples.map((s) => s.ms));
  const rss = samples.map((s) => s.rssKb).filter((v): v is number => v !== undefined);
  const rssCell = rss.length === samples.length ? (median(rss) / 1024).toFixed(0) : '-';
  const verdict = ms < TARGET_MS ? '✓' : '✗';
  const gen =
    generatedMs === undefined ? '' : `; generated in ${(generatedMs / 1000).toFixed(1)} s`;
  const label = `\`baton stats --json\`, ${tasks.toLocaleString('en-US')} tasks, ${commits.toLocaleString('en-US')} commits${gen}`;
  const row = `| ${label} | ${Math.round(ms).toLocaleString('en-US')} | < ${TARGET_MS.toLocaleString('en-US')} ${verdict} | ${rssCell} |`;
  return { row, ok: true };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { row, ok } = benchStats();
  process.stdout.write(`| command | median ms | target ms | peak RSS MB |\n|---|---:|---:|---:|\n`);
  process.stdout.write(`${row}\n`);
  process.exitCode = ok ? 0 : 1;
}
