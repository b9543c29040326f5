/**
 * `npm run bench`: whole-process wall time and peak RSS of the CLI on generated repositories,
 * next to the floor (a process that only reads every task file) and `node -e 0`, with the
 * acceptance targets from the performance issues. Two corpora of the same tasks: front matter
 * as `baton new` writes it (`generate.ts`) and as people write it by hand
 * (`generate-hand.ts`), each with its own floor. Prints a Markdown table per size and corpus
 * and writes it to `.bench/latest.md`. Benchmarks are not tests: nothing here asserts on
 * time, but the exit code is 1 when a command failed (crashed or exited with an unexpected
 * code).
 *
 * Environment: BENCH_SIZES (default 1000,10000,100000), BENCH_RUNS (default 7, at least 5),
 * BENCH_SEED (default 1), BENCH_CORPORA (default generated,hand), BENCH_GIT=0 to leave the
 * generated repos without git, BENCH_STATS=0 to skip `baton stats` on the generated
 * 20,000-commit history, BENCH_COLLAB=0 to skip the collaboration paths and the watcher,
 * BENCH_RUN=0 to skip `baton run` (a pool of worktrees, `run-pool.ts`: its own repositories,
 * whatever BENCH_SIZES says), BENCH_RUN_TASKS (default 40) for the tasks of its `-j 8` plan
 * (`-j 1` runs a fifth of them); it takes BENCH_RUNS as its number of runs but at least 3 and
 * by default 3, since each run takes seconds. BENCH_BOARD=0 skips `baton board` (`board.ts`: at
 * the 1,000 and 10,000 of BENCH_SIZES, first load in a headless browser, skipped with a note
 * when there is none, and hand edit -> event on the stream, median of BENCH_BOARD_EDITS,
 * default 10).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { type BoardBenchResult, benchBoard, boardTable } from './board.js';
import { benchCollab } from './collab.js';
import { GENERATOR_VERSION, generateRepo } from './generate.js';
import { generateHandRepo, HAND_GENERATOR_VERSION } from './generate-hand.js';
import { createMeasurer, type Measurer, median, packageRoot, type Sample } from './measure.js';
import { benchRunPool, runPoolFailed, runPoolSettings, runPoolTable } from './run-pool.js';
import { benchWatch, watchTable } from './watch.js';

/** Front matter as `baton new` writes it, or as people write it by hand. */
type Corpus = 'generated' | 'hand';

const CORPORA: Record<Corpus, { label: string; version: number; prefix: string }> = {
  generated: { label: '', version: GENERATOR_VERSION, prefix: '' },
  hand: { label: ', hand-written', version: HAND_GENERATOR_VERSION, prefix: 'hand-' },
};

interface Settings {
  root: string;
  sizes: number[];
  corpora: Corpus[];
  runs: number;
  seed: number;
  git: boolean;
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`bench: ${name}=${raw} is not an integer`);
  return value;
}

function readSettings(): Settings {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000')
    .split(',')
    .map((s) => s.trim().replace(/_/g, ''))
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`bench: bad size in BENCH_SIZES: ${s}`);
      return n;
    });
  const corpora = (process.env.BENCH_CORPORA ?? 'generated,hand')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      if (s !== 'generated' && s !== 'hand') throw new Error(`bench: bad corpus: ${s}`);
      return s;
    });
  const requested = intEnv('BENCH_RUNS', 7);
  if (requested < 5) log(`BENCH_RUNS=${requested} raised to 5 (a median needs at least 5 runs)`);
  return {
    root: packageRoot(),
    sizes,
    corpora,
    runs: Math.max(5, requested),
    seed: intEnv('BENCH_SEED', 1),
    git: process.env.BENCH_GIT !== '0',
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// ---------------------------------------------------------------- generated repositories

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * `.bench/<n>-<seed>-v<version>/` (`hand-<n>-...` for the hand-written corpus), generated
 * (and committed, as in a real repository) unless a finished one is there. `<name>.done` next
 * to it marks a complete generation, so an interrupted one is redone; other generator
 * versions of the same corpus, n and seed are removed.
 */
function ensureRepo(settings: Settings, n: number, corpus: Corpus = 'generated'): string {
  const benchDir = join(settings.root, '.bench');
  const { prefix, version } = CORPORA[corpus];
  const name = `${prefix}${n}-${settings.seed}-v${version}`;
  const dir = join(benchDir, name);
  const done = join(benchDir, `${name}.done`);
  if (existsSync(done) && existsSync(join(dir, '.tasks'))) return dir;

  mkdirSync(benchDir, { recursive: true });
  const stalePrefix = `${prefix}${n}-${settings.seed}-v`;
  for (const entry of readdirSync(benchDir)) {
    if (entry.startsWith(stalePrefix) && entry !== name && entry !== `${name}.done`) {
      rmSync(join(benchDir, entry), { recursive: true, force: true });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const start = performance.now();
  log(`generating ${n} tasks in ${dir}`);
  (corpus === 'hand' ? generateHandRepo : generateRepo)(dir, n, settings.seed);
  log(`  written in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  if (settings.git) {
    const gitStart = performance.now();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `bench: ${n} ${corpus} tasks, seed ${settings.seed}`);
    log(`  committed in ${((performance.now() - gitStart) / 1000).toFixed(1)} s`);
  }
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return dir;
}

// ---------------------------------------------------------------- what is measured

type RowKey = 'node' | 'floor' | 'version' | 'ready-cold' | 'ready-warm' | 'list' | 'check';

interface RowSpec {
  key: RowKey;
  label: string;
  argv: string[];
  /** Exit codes that count as a successful run. */
  ok: readonly number[];
  /** Delete `.tasks/.local/` (the index cache) before each run. */
  cold?: boolean;
  /** One untimed run of this row's command right before it, to build the cache. */
  prime?: boolean;
  /** Ratio denominator. */
  base?: 'node' | 'floor';
}

function rowSpecs(root: string): RowSpec[] {
  const node = process.execPath;
  const baton = [node, join(root, 'bin', 'baton.js')];
  return [
    { key: 'node', label: '`node -e 0`', argv: [node, '-e', '0'], ok: [0] },
    {
      key: 'floor',
      label: 'floor (readFileSync every task)',
      argv: [node, join(root, 'dist', 'bench-floor.js')],
      ok: [0],
    },
    {
      key: 'version',
      label: '`baton --version`',
      argv: [...baton, '--version'],
      ok: [0],
      base: 'node',
    },
    {
      key: 'ready-cold',
      label: '`baton ready --json` cold',
      argv: [...baton, 'ready', '--json'],
      ok: [0],
      cold: true,
      base: 'floor',
    },
    {
      key: 'ready-warm',
      label: '`baton ready --json` warm',
      argv: [...baton, 'ready', '--json'],
      ok: [0],
      prime: true,
      base: 'floor',
    },
    {
      key: 'list',
      label: '`baton list --json` warm',
      argv: [...baton, 'list', '--json'],
      ok: [0],
      base: 'floor',
    },
    {
      key: 'check',
      label: '`baton check` warm',
      argv: [...baton, 'check'],
      ok: [0, 1],
      base: 'floor',
    },
  ];
}

interface Targets {
  ratio?: number;
  rssMb?: number;
}

/**
 * Acceptance targets from the performance issues, on both corpora. Issue 13 set the cold
 * ones (a stat, read, parse and index write of every file is ~1.7x the floor alone).
 */
function targetsFor(n: number, key: RowKey): Targets {
  const t: Targets = {};
  if (key === 'version') t.ratio = 1.5;
  if (key === 'ready-cold' && n === 1000) t.ratio = 2.0;
  if (key === 'ready-cold' && n === 10000) t.ratio = 3.0;
  if (key === 'ready-warm' && (n === 10000 || n === 100000)) t.ratio = 1.0;
  const loads: RowKey[] = ['ready-cold', 'ready-warm', 'list', 'check'];
  if (n === 100000 && loads.includes(key)) t.rssMb = 500;
  return t;
}

// ---------------------------------------------------------------- running

interface RowResult {
  spec: RowSpec;
  samples: Sample[];
  /** Why the row failed (exit code and first stderr lines, or output that is wrong). */
  failure?: string;
}

function describeFailure(s: Sample): string {
  const how =
    s.status === null ? `killed by ${s.signal ?? 'a signal'}` : `exit ${String(s.status)}`;
  const lines = s.stderr.trim().split('\n').slice(0, 8).join('\n    ');
  return `${how}${s.note ? ` (${s.note})` : ''}${lines ? `; stderr:\n    ${lines}` : ''}`;
}

function failed(spec: RowSpec, s: Sample): boolean {
  return s.status === null || s.note !== undefined || !spec.ok.includes(s.status);
}

interface SizeResult {
  n: number;
  corpus: Corpus;
  rows: RowResult[];
  notes: string[];
  /** How many tasks `ready --json` listed cold. */
  ready?: number;
}

function countJsonArray(buf: Buffer): number | string {
  try {
    const value: unknown = JSON.parse(buf.toString('utf8'));
    return Array.isArray(value) ? value.length : 'not a JSON array';
  } catch (error) {
    return `invalid JSON (${(error as Error).message.slice(0, 80)})`;
  }
}

/**
 * Round-robin over the rows (round 0 untimed, to warm the page cache), so that drift on a
 * shared machine hits every row alike and the ratios stay fair. A row that fails is reported
 * and not run again for this size.
 */
function benchSize(settings: Settings, measurer: Measurer, n: number, corpus: Corpus): SizeResult {
  const repo = ensureRepo(settings, n, corpus);
  const localDir = join(repo, '.tasks', '.local');
  // `node -e 0` and `--version` read no task: once per size is enough
  const specs = rowSpecs(settings.root).filter(
    (spec) => corpus === 'generated' || (spec.key !== 'node' && spec.key !== 'version'),
  );
  const rows: RowResult[] = specs.map((spec) => ({ spec, samples: [] }));
  const notes: string[] = [];
  let coldOut: Buffer | undefined;
  let ready: number | undefined;

  for (let round = 0; round <= settings.runs; round++) {
    const what = round === 0 ? 'warm-up round' : `round ${round}/${settings.runs}`;
    log(`${n} tasks${CORPORA[corpus].label}: ${what}`);
    for (const row of rows) {
      if (row.failure) continue;
      const { spec } = row;
      if (spec.cold) rmSync(localDir, { recursive: true, force: true });
      if (spec.prime) {
        const primed = measurer.run(spec.argv, repo);
        if (failed(spec, primed)) {
          row.failure = describeFailure(primed);
          continue;
        }
      }
      const sample = measurer.run(spec.argv, repo);
      if (failed(spec, sample)) {
        row.failure = describeFailure(sample);
        continue;
      }
      if (round > 0) {
        row.samples.push(sample);
        continue;
      }
      const sanity = checkOutput(n, spec.key, sample, coldOut);
      notes.push(...sanity.notes);
      if (sanity.failure) row.failure = sanity.failure;
      if (spec.key === 'ready-cold') {
        coldOut = sample.stdout;
        const count = countJsonArray(sample.stdout);
        if (typeof count === 'number') ready = count;
      }
    }
  }
  return { n, corpus, rows, notes, ...(ready !== undefined ? { ready } : {}) };
}

/**
 * What the warm-up round's output says about correctness: a fast wrong answer is no win, so
 * `--json` output that is not a JSON array fails the row; smaller surprises are notes.
 */
function checkOutput(
  n: number,
  key: RowKey,
  s: Sample,
  coldOut: Buffer | undefined,
): { notes: string[]; failure?: string } {
  if (key === 'floor') {
    const files = Number(s.stdout.toString('utf8').split(' ')[0]);
    return { notes: files === n ? [] : [`⚠ the floor read ${files} files, expected ${n}`] };
  }
  if (key === 'ready-cold' || key === 'ready-warm' || key === 'list') {
    const count = countJsonArray(s.stdout);
    if (typeof count !== 'number') {
      return { notes: [], failure: `exit ${String(s.status)} but stdout is ${count}` };
    }
    if (key === 'ready-cold') return { notes: [`ready queue: ${count} tasks`] };
    if (key === 'ready-warm' && coldOut && !coldOut.equals(s.stdout)) {
      return { notes: ['⚠ `ready --json` printed different output cold and warm'] };
    }
    if (key === 'list' && count !== n) {
      return { notes: [`⚠ list --json printed ${count} tasks, expected ${n}`] };
    }
  }
  if (key === 'check' && s.status !== 0) {
    // The generated repo has no cycles and no broken references: findings are suspect.
    const first = s.stdout.toString('utf8').trim().split('\n').slice(0, 3).join(' / ');
    return {
      notes: [`⚠ check exited ${String(s.status)} on a clean repo: ${first.slice(0, 300)}`],
    };
  }
  return { notes: [] };
}

// ---------------------------------------------------------------- reporting

interface Verdicts {
  met: number;
  missed: string[];
}

function fmtMs(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}

function renderSize(result: SizeResult, verdicts: Verdicts): string {
  const { n, rows } = result;
  const medianOf = (key: RowKey): number | undefined => {
    const row = rows.find((r) => r.spec.key === key);
    return row && !row.failure && row.samples.length > 0
      ? median(row.samples.map((s) => s.ms))
      : undefined;
  };
  const out: string[] = [];
  out.push(`## ${n.toLocaleString('en-US')} tasks${CORPORA[result.corpus].label}`, '');
  for (const note of result.notes) out.push(`- ${note}`);
  if (result.notes.length > 0) out.push('');
  out.push('| command | median ms | ratio | peak RSS MB |', '|---|---:|---:|---:|');
  const failures: string[] = [];
  for (const row of rows) {
    const { spec } = row;
    const targets = targetsFor(n, spec.key);
    const where = `${n}${CORPORA[result.corpus].label}`;
    if (row.failure) {
      out.push(`| ${spec.label} | FAILED | | |`);
      failures.push(`- ${spec.label} failed: ${row.failure}`);
      if (targets.ratio !== undefined || targets.rssMb !== undefined) {
        verdicts.missed.push(`${where}: ${spec.label} (failed)`);
      }
      continue;
    }
    const ms = median(row.samples.map((s) => s.ms));
    let ratioCell = spec.key === 'node' || spec.key === 'floor' ? 'base' : '';
    const baseMs = spec.base ? medianOf(spec.base) : undefined;
    if (spec.base && baseMs !== undefined) {
      const ratio = ms / baseMs;
      ratioCell = `${ratio.toFixed(2)}x ${spec.base === 'node' ? 'node' : 'floor'}`;
      if (targets.ratio !== undefined) {
        const ok = ratio <= targets.ratio;
        ratioCell += ` (≤ ${targets.ratio.toFixed(1)}x ${ok ? '✓' : '✗'})`;
        if (ok) verdicts.met++;
        else {
          verdicts.missed.push(`${where}: ${spec.label} ${ratio.toFixed(2)}x > ${targets.ratio}x`);
        }
      }
    }
    const rss = row.samples.map((s) => s.rssKb).filter((v): v is number => v !== undefined);
    let rssCell = '-';
    if (rss.length === row.samples.length && rss.length > 0) {
      const mb = median(rss) / 1024;
      rssCell = mb.toFixed(0);
      if (targets.rssMb !== undefined) {
        const ok = mb < targets.rssMb;
        rssCell += ` (< ${targets.rssMb} ${ok ? '✓' : '✗'})`;
        if (ok) verdicts.met++;
        else
          verdicts.missed.push(`${where}: ${spec.label} ${mb.toFixed(0)} MB ≥ ${targets.rssMb} MB`);
      }
    }
    out.push(`| ${spec.label} | ${fmtMs(ms)} | ${ratioCell} | ${rssCell} |`);
  }
  if (failures.length > 0) out.push('', ...failures);
  out.push('');
  return out.join('\n');
}

function gitDescribe(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

const firstHalf = (xs: number[]) => xs.slice(0, Math.max(1, Math.floor(xs.length / 2)));
const secondHalf = (xs: number[]) => xs.slice(Math.floor(xs.length / 2));

/**
 * `baton stats` on a generated history of 2,000 tasks and 20,000 commits, in its own
 * process (dist/bench-stats.js, also runnable alone); ok is undefined when it failed.
 */
function benchStatsSection(root: string): { section: string; ok: boolean | undefined } {
  const res = spawnSync(process.execPath, [join(root, 'dist', 'bench-stats.js')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const table = res.stdout.trim();
  const ok = res.status !== 0 ? undefined : table.includes('✓');
  return { section: `## Stats from git history\n\n${table}\n`, ok };
}

async function main(): Promise<number> {
  const settings = readSettings();
  const floorScript = join(settings.root, 'dist', 'bench-floor.js');
  if (!existsSync(floorScript)) {
    log(`${floorScript} is missing; run \`npm run bench\` (it builds first)`);
    return 2;
  }
  const measurer = createMeasurer({ ...process.env, NO_COLOR: '1' });
  if (!measurer.rss) log('GNU /usr/bin/time not found: peak RSS is reported as -');
  const cpuList = cpus();
  const header =
    `${cpuList.length} cores (${cpuList[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ` +
    `${platform()} ${arch()}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}; ${new Date().toISOString().slice(0, 16)}Z; baton ${gitDescribe(settings.root)}; ` +
    `median of ${settings.runs} runs; generator v${GENERATOR_VERSION}, ` +
    `hand-written v${HAND_GENERATOR_VERSION}, seed ${settings.seed}`;

  const verdicts: Verdicts = { met: 0, missed: [] };
  const sections: string[] = [];
  let anyFailure = false;
  try {
    for (const n of settings.sizes) {
      const results = settings.corpora.map((corpus) => benchSize(settings, measurer, n, corpus));
      // the same tasks in both corpora: the same ready queue, or one corpus is misread
      const counts = new Set(results.map((r) => r.ready));
      if (counts.size > 1) {
        for (const r of results) {
          r.notes.push(`⚠ the corpora's ready queues differ: ${[...counts].join(' vs ')} tasks`);
        }
      }
      for (const result of results) {
        if (result.rows.some((r) => r.failure)) anyFailure = true;
        sections.push(renderSize(result, verdicts));
      }
    }
    const collab = process.env.BENCH_COLLAB !== '0';
    const collabSize = collab && settings.sizes.includes(10_000) ? 10_000 : undefined;
    if (collabSize !== undefined && settings.git) {
      log(`collaboration paths at ${collabSize} tasks`);
      const rows = benchCollab(
        ensureRepo(settings, collabSize),
        join(settings.root, '.bench', `collab-${collabSize}`),
        join(settings.root, 'bin', 'baton.js'),
        settings.runs,
        measurer,
      );
      const lines = [
        `## Collaboration paths, ${collabSize.toLocaleString('en-US')} tasks`,
        '',
        '| measurement | median ms | target |',
        '|---|---:|---|',
      ];
      for (const row of rows) {
        lines.push(`| ${row.label} | ${fmtMs(row.ms)} | ${row.target} ${row.ok ? '✓' : '✗'} |`);
        if (row.ok) verdicts.met++;
        else verdicts.missed.push(`${row.label}: ${fmtMs(row.ms)} ms`);
      }
      sections.push(`${lines.join('\n')}\n`);
      log(`baton watch at ${collabSize} tasks`);
      const w = await benchWatch(ensureRepo(settings, collabSize), Math.max(settings.runs * 3, 15));
      sections.push(`## Watch, ${collabSize.toLocaleString('en-US')} tasks\n\n${watchTable(w)}\n`);
      const checks: [string, boolean][] = [
        [`watch write -> event ${fmtMs(median(w.latencyMs))} ms`, median(w.latencyMs) < 300],
        [`watch recompute ${median(w.recomputeMs).toFixed(2)} ms`, median(w.recomputeMs) < 20],
        // Flat: garbage collection saws RSS up and down by 100 MB; a leak climbs. Compare
        // the middle of the trace's second half with its first half, not two single samples.
        [
          `watch RSS trace median ${median(firstHalf(w.rssTraceMb)).toFixed(0)} -> ${median(secondHalf(w.rssTraceMb)).toFixed(0)} MB`,
          median(secondHalf(w.rssTraceMb)) < median(firstHalf(w.rssTraceMb)) * 1.25,
        ],
      ];
      for (const [what, ok] of checks) {
        if (ok) verdicts.met++;
        else verdicts.missed.push(what);
      }
    }
    const boardSizes = settings.sizes.filter((n) => n === 1000 || n === 10_000);
    if (process.env.BENCH_BOARD !== '0' && boardSizes.length > 0) {
      const edits = Math.max(1, intEnv('BENCH_BOARD_EDITS', 10));
      const results: BoardBenchResult[] = [];
      for (const n of boardSizes) {
        log(`baton board at ${n} tasks: ${edits} hand edits, then a first load in the browser`);
        try {
          results.push(await benchBoard(ensureRepo(settings, n), edits));
        } catch (error) {
          anyFailure = true;
          log(`baton board at ${n} tasks failed: ${(error as Error).message}`);
        }
      }
      if (results.length > 0) {
        sections.push(`## Board (\`baton board\`)\n\n${boardTable(results)}\n`);
        for (const r of results) {
          const what = `board ${r.tasks}: hand edit -> event ${fmtMs(median(r.eventMs))} ms`;
          if (median(r.eventMs) < 1000) verdicts.met++;
          else verdicts.missed.push(what);
        }
      }
    }
    if (process.env.BENCH_RUN !== '0') {
      const runPool = runPoolSettings();
      log(
        `baton run: ${runPool.tasks} tasks at -j 8, ${runPool.serialTasks} at -j 1, a chain of 10; ${runPool.runs} runs`,
      );
      const r = benchRunPool(join(settings.root, 'bin', 'baton.js'), measurer, runPool, log);
      if (runPoolFailed(r)) anyFailure = true;
      sections.push(`## \`baton run\`, median of ${runPool.runs} runs\n\n${runPoolTable(r)}\n`);
    }
    if (settings.git && process.env.BENCH_STATS !== '0') {
      log('baton stats on a generated history (dist/bench-stats.js)');
      const stats = benchStatsSection(settings.root);
      sections.push(stats.section);
      if (stats.ok === undefined) anyFailure = true;
      else if (stats.ok) verdicts.met++;
      else verdicts.missed.push('stats on 2,000 tasks and 20,000 commits');
    }
  } finally {
    measurer.dispose();
  }

  const total = verdicts.met + verdicts.missed.length;
  const summary =
    total === 0
      ? 'No acceptance targets apply to these sizes.'
      : `Targets met: ${verdicts.met}/${total}` +
        (verdicts.missed.length > 0 ? `; missed: ${verdicts.missed.join('; ')}` : '');
  const ratioNote =
    'Ratios: load commands against the floor (a process that only reads every task file), ' +
    '`--version` against `node -e 0`. Wall time is the whole process, files in the page cache. ' +
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (the machine is shared: compare ratios, expect ±20-30% on times).`;
  const report = ['# baton bench', '', header, '', ...sections, ratioNote, '', summary, ''].join(
    '\n',
  );
  process.stdout.write(report);
  mkdirSync(join(settings.root, '.bench'), { recursive: true });
  writeFileSync(join(settings.root, '.bench', 'latest.md'), report);
  log(`written to ${join(settings.root, '.bench', 'latest.md')}`);
  return anyFailure ? 1 : 0;
}

process.exitCode = await main();
