/**
 * Spawn-and-time helpers for the bench: one whole process per measurement, wall time from
 * `process.hrtime.bigint()` around `spawnSync`, peak RSS from GNU time (`%M`, KB) when
 * `/usr/bin/time` is there. GNU time writes to its own file (`-o`), so the child's stderr
 * stays the child's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TIME_BIN = '/usr/bin/time';
/** `ready --json` at 100k tasks prints tens of MB; never let the pipe cut it short. */
const MAX_BUFFER = 1024 ** 3;

export interface Sample {
  ms: number;
  /** Peak resident set size in KB; undefined without GNU time. */
  rssKb: number | undefined;
  /** Exit code, or null when killed by a signal. */
  status: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: string;
  /** Why the process failed to run or died, when spawnSync or GNU time said so. */
  note: string | undefined;
}

export interface Measurer {
  /** Whether peak RSS is measured (GNU time found and working). */
  readonly rss: boolean;
  run(argv: readonly string[], cwd: string): Sample;
  dispose(): void;
}

/** GNU time's `-f %M -o FILE`, checked once; BSD/busybox `time` or none gives undefined. */
function probeTime(outFile: string): boolean {
  if (!existsSync(TIME_BIN)) return false;
  const res = spawnSync(TIME_BIN, ['-o', outFile, '-f', '%M', process.execPath, '-e', '0'], {
    stdio: 'ignore',
  });
  return res.status === 0 && readTimeFile(outFile).rssKb !== undefined;
}

/**
 * GNU time's output file: the `%M` value on the last line, after lines such as "Command
 * exited with non-zero status 1" or "Command terminated by signal 9".
 */
function readTimeFile(outFile: string): { rssKb: number | undefined; note: string | undefined } {
  let lines: string[];
  try {
    lines = readFileSync(outFile, 'utf8').trim().split('\n');
  } catch {
    return { rssKb: undefined, note: undefined };
  }
  const last = lines[lines.length - 1]?.trim() ?? '';
  const rssKb = /^\d+$/.test(last) ? Number(last) : undefined;
  const notes = lines.filter((l) => /signal|cannot|not found/i.test(l));
  return { rssKb, note: notes.length > 0 ? notes.join('; ') : undefined };
}

export function createMeasurer(env: NodeJS.ProcessEnv): Measurer {
  const tmp = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const outFile = join(tmp, 'time.out');
  const rss = probeTime(outFile);
  return {
    rss,
    run(argv, cwd) {
      const [cmd, ...args] = rss ? [TIME_BIN, '-o', outFile, '-f', '%M', ...argv] : argv;
      if (rss) rmSync(outFile, { force: true });
      const start = process.hrtime.bigint();
      const res = spawnSync(cmd!, args, {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: MAX_BUFFER,
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const time = rss ? readTimeFile(outFile) : { rssKb: undefined, note: undefined };
      return {
        ms,
        rssKb: time.rssKb,
        status: res.status,
        signal: res.signal,
        stdout: res.stdout ?? Buffer.alloc(0),
        stderr: res.stderr ? res.stderr.toString('utf8') : '',
        note: res.error ? res.error.message : time.note,
      };
    },
    dispose() {
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The package root: the nearest ancestor of the running script with baton's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'baton.js'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find the baton package root');
    dir = parent;
  }
}
