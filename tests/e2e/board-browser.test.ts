/**
 * `baton board` in a real browser (headless Chromium driven by playwright-core), against the
 * real server spawned through the built CLI in temp git repositories: cards follow hand edits
 * and the CLI, the task panel writes what the CLI writes, two tabs stay in step and a stale
 * edit is refused, 10,000 tasks load, the graph and team views render, and the README
 * screenshot is taken here. Latencies are measured and printed, never asserted tightly: the
 * machine may be busy, so the bounds are generous waits.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../bench/generate.js';
import { AGENT, boardRepo, ENV, spawnBoard } from '../helpers/board.js';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { git, ROOT, runBaton, runBatonAsync, tempDir } from '../helpers/git-repo.js';

const LONG = 120_000;
/** The failure bound for anything the board should show "at once". */
const WAIT = 15_000;
const IDS = ['a1', 'a2', 'a3', 'a4', 'a5'];
const repo = boardRepo;

const mask = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>');
const fileOf = (dir: string, id: string) =>
  mask(readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8'));

interface Board {
  child: ChildProcess;
  url: string;
  origin: string;
}

/** `baton board --no-open --port 0` in `dir`; resolves with the printed URL. */
async function startBoard(dir: string): Promise<Board> {
  const { child, url } = await spawnBoard(dir);
  return { child, url, origin: new URL(url).origin };
}

/** Page errors and console errors, but for the browser's own log of a refused fetch. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/Failed to load resource: .*status of 4\d\d/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  return errors;
}

const card = (id: string, status: string) =>
  `[data-testid="column-${status}"] [data-testid="card-${id}"][data-status="${status}"]`;

async function live(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: WAIT });
}

/** The milliseconds from `start` until `selector` shows on `page`. */
async function msUntil(page: Page, selector: string, start: number): Promise<number> {
  await page.waitForSelector(selector, { timeout: WAIT });
  return Math.round(performance.now() - start);
}

/** The task panel for `id` with the task's details loaded (the body may be empty). */
async function opened(page: Page, id: string): Promise<void> {
  await page.waitForSelector(
    `[data-testid="task-view"][data-id="${id}"] [data-testid="task-body"]`,
    {
      state: 'attached',
      timeout: WAIT,
    },
  );
}

/**
 * Click an action in the open task panel and wait for its `ok` notice and for the panel's
 * reload of the task (the next action must send the new fingerprint).
 */
async function apply(page: Page, id: string, button: string, action: string): Promise<void> {
  const reloaded = page.waitForResponse(
    (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/tasks/${id}`,
    { timeout: WAIT },
  );
  await page.click(`[data-testid="${button}"]`);
  await page.waitForSelector(`[data-testid="ok"]:has-text("${action}: done")`, { timeout: WAIT });
  await reloaded;
}

const available = browserAvailable();

describe.skipIf(!available)('baton board in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, LONG);
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'moves a card when its file is edited by hand and when `baton done` runs in a terminal',
    async () => {
      const dir = repo();
      const b = await startBoard(dir);
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(b.url);
      await live(page);
      await page.waitForSelector(card('a3', 'todo'), { timeout: WAIT });

      const path = join(dir, '.tasks/main/a3.md');
      const text = readFileSync(path, 'utf8');
      expect(text).toContain('status: todo');
      let start = performance.now();
      writeFileSync(path, text.replace('status: todo', 'status: in_progress'));
      const handMs = await msUntil(page, card('a3', 'in_progress'), start);
      console.log(`board: hand edit -> card moved in ${handMs} ms`);

      await page.click('[data-testid="toggle-done"]');
      start = performance.now();
      const done = runBatonAsync(dir, ['done', 'a3', '--force'], ENV);
      const cliMs = await msUntil(page, card('a3', 'done'), start);
      const res = await done;
      expect(res.code, res.stderr).toBe(0);
      console.log(
        `board: \`baton done\` -> card moved in ${cliMs} ms (from spawning the CLI, its run included)`,
      );
      expect(
        await page.locator('[data-testid="column-in_progress"] [data-testid="card-a3"]').count(),
      ).toBe(0);
      expect(errors).toEqual([]);
    },
    LONG,
  );

  it(
    'writes from the task panel what the CLI writes (claim, share, review)',
    async () => {
      const web = repo();
      const cli = repo();
      const b = await startBoard(web);
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(b.url);
      await live(page);
      await page.goto(`${b.origin}/#/task/a3`);
      await opened(page, 'a3');

      await apply(page, 'a3', 'claim', 'claim');
      await page.waitForSelector(`[data-testid="task-assignee"]:has-text("${AGENT}")`, {
        timeout: WAIT,
      });
      await page.selectOption('[data-testid="post-kind"]', 'share');
      await page.fill('[data-testid="share-text"]', 'the API is at /v2');
      await apply(page, 'a3', 'share-apply', 'post');
      await page.selectOption('[data-testid="status-select"]', 'review');
      await apply(page, 'a3', 'status-apply', 'status');
      await page.waitForSelector('[data-testid="task-status"]:has-text("review")', {
        timeout: WAIT,
      });
      await page.waitForSelector(card('a3', 'review'), { timeout: WAIT });
      await page.waitForSelector('[data-testid="task-log"]:has-text("the API is at /v2")', {
        timeout: WAIT,
      });

      for (const args of [
        ['claim', 'a3'],
        ['share', 'a3', 'the API is at /v2'],
        ['review', 'a3'],
      ]) {
        const r = runBaton(cli, args, { env: ENV });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      for (const id of IDS) expect(fileOf(web, id), id).toBe(fileOf(cli, id));
      expect(fileOf(web, 'a3')).toContain('the API is at /v2');
      expect(fileOf(web, 'a3')).toContain(`assignee: ${AGENT}`);
      expect(errors).toEqual([]);
    },
    LONG,
  );

  it(
    'keeps two tabs in step, and refuses an edit made on a stale view',
    async () => {
      const dir = repo();
      const b = await startBoard(dir);
      const context = await browser.newContext();
      const a = await context.newPage();
      const bTab = await context.newPage();
      const errorsA = watchErrors(a);
      const errorsB = watchErrors(bTab);
      await a.goto(b.url); // trades the token for the cookie both tabs share
      await bTab.goto(`${b.origin}/#/task/a1`);
      await live(a);
      await live(bTab);
      await bTab.waitForSelector('[data-testid="task-status"]:has-text("todo")', { timeout: WAIT });

      await a.goto(`${b.origin}/#/task/a1`);
      await opened(a, 'a1');
      await a.selectOption('[data-testid="status-select"]', 'start');
      const start = performance.now();
      await a.click('[data-testid="status-apply"]');
      const cardMs = await msUntil(bTab, card('a1', 'in_progress'), start);
      const panelMs = await msUntil(
        bTab,
        '[data-testid="task-view"][data-id="a1"] [data-testid="task-status"]:has-text("in_progress")',
        start,
      );
      console.log(`board: tab A start -> card moved in tab B in ${cardMs} ms`);
      console.log(`board: tab A start -> task panel updated in tab B in ${panelMs} ms`);

      // a third tab that hears nothing: its view of a4 goes stale
      const stale = await context.newPage();
      const errorsC = watchErrors(stale);
      await stale.route('**/events', (r) => r.abort());
      await stale.goto(`${b.origin}/#/task/a4`);
      await stale.waitForSelector(
        '[data-testid="task-view"][data-id="a4"] [data-testid="task-status"]:has-text("todo")',
        { timeout: WAIT },
      );
      await opened(stale, 'a4');

      await a.goto(`${b.origin}/#/task/a4`);
      await opened(a, 'a4');
      await a.selectOption('[data-testid="status-select"]', 'start');
      await apply(a, 'a4', 'status-apply', 'status');
      const path = join(dir, '.tasks/main/a4.md');
      expect(readFileSync(path, 'utf8')).toContain('status: in_progress');

      await stale.selectOption('[data-testid="status-select"]', 'cancel');
      await stale.fill('[data-testid="status-reason"]', 'not needed');
      await stale.click('[data-testid="status-apply"]');
      await stale.waitForSelector('[data-testid="conflict"]', { timeout: WAIT });
      const after = readFileSync(path, 'utf8');
      expect(after).toContain('status: in_progress');
      expect(after).not.toContain('cancelled');
      expect(after).not.toContain('not needed');
      // the refusal brought the current version into the stale tab
      await stale.waitForSelector('[data-testid="task-status"]:has-text("in_progress")', {
        timeout: WAIT,
      });
      expect([...errorsA, ...errorsB]).toEqual([]);
      // the stale tab logs its refused stream and the 409; nothing else
      expect(errorsC.filter((e) => !/events|409|Conflict|ERR_FAILED/i.test(e))).toEqual([]);
      await context.close();
    },
    LONG,
  );

  it(
    'loads 10,000 tasks',
    async () => {
      const dir = tempDir('baton-board-10k-');
      generateRepo(dir, 10_000, 1);
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', '10,000 tasks');
      const started = performance.now();
      const b = await startBoard(dir);
      console.log(
        `board: 10,000 tasks: server printed its URL after ${Math.round(performance.now() - started)} ms`,
      );
      const page = await browser.newPage();
      const errors = watchErrors(page);
      const t0 = performance.now();
      await page.goto(b.url);
      await page.waitForSelector('[data-testid^="card-"]', { timeout: 60_000 });
      const firstCard = Math.round(performance.now() - t0);
      await page.waitForSelector('[data-testid="connection"][data-state="live"]', {
        timeout: 60_000,
      });
      const liveMs = Math.round(performance.now() - t0);
      console.log(`board: 10,000 tasks: goto -> first card ${firstCard} ms, -> live ${liveMs} ms`);
      const shown = await page.textContent('[data-testid="shown-count"]');
      expect(shown).toMatch(/of 10,?000 tasks/);
      expect(errors).toEqual([]);
    },
    LONG * 2,
  );

  it(
    'renders the graph and the team views without errors',
    async () => {
      const dir = repo();
      expect(runBaton(dir, ['claim', 'a3'], { env: ENV }).code).toBe(0);
      const b = await startBoard(dir);
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(b.url);
      await live(page);
      await page.click('[data-testid="nav-graph"]');
      await page.waitForSelector('[data-testid="graph-view"] [data-testid="graph-svg"]', {
        timeout: WAIT,
      });
      await page.waitForSelector('[data-testid="node-a2"]', { timeout: WAIT });
      await page.click('[data-testid="nav-team"]');
      await page.waitForSelector('[data-testid="team-view"] [data-testid="team-agents"]', {
        timeout: WAIT,
      });
      await page.waitForSelector(`[data-testid="agent-${AGENT}"]`, { timeout: WAIT });
      await page.waitForSelector('[data-testid="team-activity"]', { timeout: WAIT });
      await page.click('[data-testid="nav-board"]');
      await page.waitForSelector('[data-testid="board-view"]', { timeout: WAIT });
      expect(errors).toEqual([]);
    },
    LONG,
  );

  it(
    "takes the README's screenshot of the board on the demo repository",
    async () => {
      const dir = join(tempDir('baton-board-demo-'), 'demo');
      const demo = runBaton(ROOT, ['demo', '--dir', dir], { env: ENV });
      expect(demo.code, demo.stderr).toBe(0);
      const b = await startBoard(dir);
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(b.url);
      await live(page);
      await page.waitForSelector('[data-testid^="card-"]', { timeout: WAIT });
      await page.click('[data-testid="toggle-done"]');
      await page.waitForSelector('[data-testid="column-done"] [data-testid^="card-"]', {
        timeout: WAIT,
      });
      // The README's picture: rewritten only when asked (UPDATE_SCREENSHOTS=1) or missing, so
      // a test run leaves the checkout clean (its bytes change with every run: ages, times).
      const committed = join(ROOT, 'tests/screenshots/board.png');
      const update = process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(committed);
      const out = update ? committed : join(tempDir('baton-shot-'), 'board.png');
      mkdirSync(dirname(out), { recursive: true });
      await page.screenshot({ path: out, animations: 'disabled', caret: 'hide' });
      const size = statSync(out).size;
      console.log(
        `board: screenshot ${update ? 'tests/screenshots/board.png' : out}, ${Math.round(size / 1024)} KB`,
      );
      expect(size).toBeGreaterThan(10_000);
      expect(size).toBeLessThan(400_000);
      expect(errors).toEqual([]);
      await context.close();
    },
    LONG,
  );
});
