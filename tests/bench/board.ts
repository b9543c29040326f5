/**
 * Benchmarks of `baton board` (not tests: nothing here asserts on time), on a copy of a
 * repository (the input is never modified), with the real server spawned through the CLI:
 * (a) first load in a headless browser: `page.goto(url)` -> the first card visible, and ->
 *     the connection shown live (skipped with a note when there is no browser);
 * (b) event latency: a hand edit of a task file -> the `task` delta naming it on a plain HTTP
 *     client reading /events with the session cookie (target: well within 1 s).
 *
 * `benchBoard(repoDir, edits)` is what the bench runner calls (section "Board", BENCH_BOARD=0
 * skips it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { browserPath, launchBrowser } from '../helpers/browser.js';
import { median, packageRoot } from './measure.js';

export interface BoardBenchResult {
  tasks: number;
  /** Spawn -> the printed URL. */
  startupMs: number;
  /** goto -> first card visible; undefined without a browser. */
  firstCardMs?: number;
  /** goto -> connection live. */
  liveMs?: number;
  /** Why the browser part did not run. */
  browserNote?: string;
  /** Hand edit -> `task` delta on the event stream, per edit. */
  eventMs: number[];
}

interface Row {
  id: string;
  title: string;
  status: string;
}

interface Stream {
  close: () => void;
  /** Resolves with the next event whose name and data pass `pred`. */
  next: (pred: (event: string, data: string) => boolean, timeoutMs?: number) => Promise<string>;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

async function openStream(port: number, cookie: string): Promise<Stream> {
  const res = await get(port, '/events', { Cookie: cookie, Accept: 'text/event-stream' });
  if (res.statusCode !== 200) throw new Error(`bench-board: /events answered ${res.statusCode}`);
  const waiters: { pred: (e: string, d: string) => boolean; resolve: (d: string) => void }[] = [];
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      for (let i = 0; i < waiters.length; i++) {
        if (waiters[i]!.pred(event, data)) {
          waiters[i]!.resolve(data);
          waiters.splice(i--, 1);
        }
      }
    }
  });
  return {
    close: () => res.destroy(),
    next: (pred, timeoutMs = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('bench-board: no matching event in time')),
          timeoutMs,
        );
        waiters.push({
          pred,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      }),
  };
}

async function startBoard(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(packageRoot(), 'bin', 'baton.js');
  const child = spawn(process.execPath, [bin, 'board', '--no-open', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', BATON_AGENT: 'bench' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench-board: no URL in 120 s')), 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^baton board: (http:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`bench-board: board exited ${code}: ${stderr}`)));
  });
  return { child, url };
}

async function browserLoad(
  url: string,
): Promise<{ firstCardMs: number; liveMs: number } | { note: string }> {
  if (!browserPath()) {
    return { note: 'no browser (install chromium-headless-shell or set BATON_CHROMIUM)' };
  }
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const start = performance.now();
    await page.goto(url);
    await page.waitForSelector('[data-testid^="card-"]', { timeout: 120_000 });
    const firstCardMs = performance.now() - start;
    await page.waitForSelector('[data-testid="connection"][data-state="live"]', {
      timeout: 120_000,
    });
    return { firstCardMs, liveMs: performance.now() - start };
  } finally {
    await browser.close();
  }
}

export async function benchBoard(repoDir: string, edits = 10): Promise<BoardBenchResult> {
  const work = mkdtempSync(join(tmpdir(), 'baton-bench-board-'));
  let child: ChildProcess | undefined;
  try {
    cpSync(repoDir, work, { recursive: true });
    const started = performance.now();
    const board = await startBoard(work);
    child = board.child;
    const startupMs = performance.now() - started;
    const port = Number(new URL(board.url).port);
    const ex = await get(port, new URL(board.url).pathname + new URL(board.url).search, {});
    ex.resume();
    const cookie = String(ex.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    if (!cookie.startsWith('baton_board=')) throw new Error('bench-board: no session cookie');

    // (b) first, on a fresh server; the browser's load does not disturb it.
    const stream = await openStream(port, cookie);
    const snapshot = JSON.parse(await stream.next((e) => e === 'snapshot')) as {
      tasks: (Row & { file?: string })[];
    };
    const todo = snapshot.tasks.filter((t) => t.status === 'todo').slice(0, edits);
    if (todo.length === 0) throw new Error('bench-board: no todo task to edit');
    const files = new Map<string, string>();
    for (const t of todo) {
      const detail = await get(port, `/api/tasks/${t.id}`, { Cookie: cookie });
      let text = '';
      detail.setEncoding('utf8');
      for await (const chunk of detail) text += chunk;
      files.set(t.id, (JSON.parse(text) as { file: string }).file);
    }
    const eventMs: number[] = [];
    for (let k = 0; k < edits; k++) {
      const t = todo[k % todo.length]!;
      const path = join(work, files.get(t.id)!);
      const text = readFileSync(path, 'utf8');
      const title = `${t.title} (edit ${k})`;
      const edited = text.replace(/^title: .*$/m, `title: ${JSON.stringify(title)}`);
      const arrived = stream.next((e, d) => {
        if (e !== 'task') return false;
        const row = JSON.parse(d) as Row;
        return row.id === t.id && row.title === title;
      });
      const start = performance.now();
      writeFileSync(path, edited);
      await arrived;
      eventMs.push(performance.now() - start);
      t.title = title;
    }
    stream.close();

    // (a)
    const load = await browserLoad(board.url);
    return {
      tasks: snapshot.tasks.length,
      startupMs,
      eventMs,
      ...('note' in load ? { browserNote: load.note } : load),
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (ms: number | undefined) =>
  ms === undefined ? '-' : ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');

/** The results (one per size) as a Markdown table. */
export function boardTable(results: readonly BoardBenchResult[]): string {
  const lines = [
    '| tasks | server start ms | goto -> first card ms | goto -> live ms | hand edit -> `task` event ms (median, p90 of n) | target |',
    '|---:|---:|---:|---:|---:|---|',
  ];
  const notes: string[] = [];
  for (const r of results) {
    const sorted = [...r.eventMs].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(sorted.length * 0.9)];
    const med = median(r.eventMs);
    lines.push(
      `| ${r.tasks.toLocaleString('en-US')} | ${fmt(r.startupMs)} | ${fmt(r.firstCardMs)} | ${fmt(r.liveMs)} | ${fmt(med)}, ${fmt(p90)} of ${r.eventMs.length} | < 1,000 ${med < 1000 ? '✓' : '✗'} |`,
    );
    if (r.browserNote) notes.push(`- ${r.tasks} tasks: browser load skipped: ${r.browserNote}`);
  }
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
