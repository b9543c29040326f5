/**
 * End-to-end: `baton status`, the one-screen dashboard, spawned as the built CLI with
 * NO_COLOR=1 (so not a terminal: 80 columns), at 10 hand-written tasks and at 10,000
 * generated ones: every line fits 80 columns, the board fits one screen, `--json` parses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRepo } from '../bench/generate.js';
import { gitRepo, runBaton, taskFile, tempDir } from '../helpers/git-repo.js';

const LONG_TITLE =
  'Write the onboarding guide for new developers joining the platform team this quarter';

function task(fields: Record<string, string>, log: string[] = []): string {
  const body = log.length > 0 ? `\n## Log\n${log.map((l) => `- ${l}\n`).join('')}` : '';
  return taskFile({ title: `Task ${fields.id}`, ...fields }, body);
}

const TEN: Record<string, string> = {
  '.tasks/main/t-a1.md': task({ id: 't-a1', status: 'done', estimate: '4h' }),
  '.tasks/main/t-b2.md': task({
    id: 't-b2',
    title: 'Write the migration',
    status: 'in_progress',
    assignee: 'alice',
    depends_on: '[t-a1]',
    estimate: '3h',
    lease: "{ agent: alice, until: '2999-01-01T00:00:00Z' }",
  }),
  '.tasks/main/t-c3.md': task({ id: 't-c3', depends_on: '[t-b2]', estimate: '2h' }),
  '.tasks/main/t-d4.md': task({
    id: 't-d4',
    priority: 'high',
    depends_on: '[t-c3]',
    estimate: '1d',
  }),
  '.tasks/main/t-e5.md': task({
    id: 't-e5',
    title: LONG_TITLE,
    priority: 'high',
    assignee: 'bob',
    due: '2020-01-01',
  }),
  '.tasks/main/t-f6.md': task({
    id: 't-f6',
    status: 'in_progress',
    assignee: 'carol',
    lease: "{ agent: carol, until: '2020-01-01T00:00:00Z' }",
  }),
  '.tasks/main/t-g7.md': task({ id: 't-g7', status: 'blocked' }, [
    '2026-11-20T10:00:00Z dave discover: the vendor feed drops ticks on reconnect',
  ]),
  '.tasks/main/t-h8.md': task({ id: 't-h8', status: 'review', assignee: 'alice' }, [
    '2026-11-20T10:00:00Z erin discover: index missing on email',
    '2026-11-20T11:00:00Z alice ack',
  ]),
  '.tasks/main/t-i9.md': task({ id: 't-i9', depends_on: '[t-zz]' }),
  '.tasks/main/t-j0.md': task({ id: 't-j0', status: 'cancelled' }),
};

function expectOneScreen(stdout: string): string[] {
  const lines = stdout.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(45);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  expect(stdout).not.toContain('\u001b[');
  return lines;
}

describe('baton status', () => {
  it('at 10 tasks: counts, load, ready, blocked, critical path and alerts', () => {
    const dir = gitRepo(TEN);
    const r = runBaton(dir, ['status']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = expectOneScreen(r.stdout);
    const text = r.stdout;
    expect(lines[0]).toMatch(/^baton status {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(text).toContain('! 1 task with a missing dependency: run baton check');
    expect(text).toContain('Status  10 tasks, 20% done or cancelled');
    expect(text).toMatch(/^ {2}todo +4 █+/m);
    expect(text).toMatch(/^ {2}in_progress +2 █+ +cancelled +1 █+/m);
    expect(text).toContain('  alice 1/1');
    expect(text).not.toContain('carol 1/1'); // her lease expired: not load
    expect(text).toContain('Ready  2 (1 with an expired lease)');
    expect(text).toMatch(/^ {2}t-e5 +high +bob +Write the onboarding guide.*…$/m);
    expect(text).toMatch(/^ {2}t-f6 +medium +carol +lease expired: Task t-f6$/m);
    expect(text).toContain('Blocked  4 tasks, held by 3 root causes:');
    expect(text).toMatch(/^ {2}t-b2 +in progress +holds 2: t-d4, t-c3$/m);
    expect(text).toMatch(/^ {2}t-zz +no such task +holds 1: t-i9$/m);
    expect(text).toMatch(/^ {2}t-g7 +blocked by hand +Task t-g7$/m);
    expect(text).toContain('Critical path  13h of work, 3 tasks\n  t-b2 → t-c3 → t-d4');
    expect(text).toContain('Open discoveries  1\n');
    expect(text).toMatch(/^ {2}t-g7 +dave +\S+ ago +the vendor feed drops ticks on reconnect$/m);
    expect(text).not.toContain('index missing on email'); // acknowledged
    expect(text).toMatch(/^Overdue {2}1\n {2}t-e5 +\S+ late +todo +Write the onboarding/m);
    expect(text).toMatch(/^Expired leases {2}1\n {2}t-f6 +carol +expired \S+ ago +Task t-f6$/m);
    expect(text).not.toContain('more');
  });

  it('--json prints the dashboard object', () => {
    const dir = gitRepo(TEN);
    const r = runBaton(dir, ['status', '--json']);
    expect(r.code).toBe(0);
    const board = JSON.parse(r.stdout);
    expect(board.total).toBe(10);
    expect(board.counts).toMatchObject({ todo: 4, in_progress: 2, blocked: 1, review: 1 });
    expect(board.agents).toEqual([
      { agent: 'alice', in_progress: 1, review: 1, capacity: 1, over: false },
    ]);
    expect(board.ready.items.map((t: { id: string }) => t.id)).toEqual(['t-e5', 't-f6']);
    expect(board.blocked.items[0]).toEqual({
      id: 't-b2',
      why: 'active',
      title: 'Write the migration',
      holds: 2,
      blocked: ['t-d4', 't-c3'],
    });
    expect(board.critical_path).toEqual({ ids: ['t-b2', 't-c3', 't-d4'], hours: 13 });
    expect(board.discoveries.items).toEqual([
      {
        id: 't-g7',
        title: 'Task t-g7',
        time: '2026-11-20T10:00:00Z',
        agent: 'dave',
        message: 'the vendor feed drops ticks on reconnect',
      },
    ]);
    expect(board.expired_leases.items.map((t: { id: string }) => t.id)).toEqual(['t-f6']);
    expect(board.overdue.items.map((t: { id: string }) => t.id)).toEqual(['t-e5']);
    expect(board.problems).toEqual({
      bad_files: 0,
      file_errors: 0,
      cycles: 0,
      missing: 1,
      duplicates: 0,
    });
    expect(board).not.toHaveProperty('stale');
  });

  it('at 10,000 tasks: one screen of 80 columns, every section capped', () => {
    const dir = tempDir('baton-status-10k-');
    generateRepo(dir, 10_000, 1);
    const r = runBaton(dir, ['status']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = expectOneScreen(r.stdout);
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const head of [
      'Status  10000 tasks',
      'Agents',
      'Ready  ',
      'Blocked  ',
      'Critical path  ',
      'Open discoveries  ',
      'Overdue  ',
    ]) {
      expect(
        lines.some((l) => l.startsWith(head)),
        head,
      ).toBe(true);
    }
    expect(lines.filter((l) => /^ {2}\+\d+ more$/.test(l)).length).toBeGreaterThanOrEqual(3);
    const json = runBaton(dir, ['status', '--json']);
    expect(json.code).toBe(0);
    const board = JSON.parse(json.stdout);
    expect(board.total).toBe(10_000);
    expect(board.ready.items.length).toBeLessThanOrEqual(10);
    expect(board.discoveries.total).toBeGreaterThan(1000);
  });

  it('shows stale caches and stale results, inherited ones marked', () => {
    const dir = gitRepo({
      'src/data.py': 'x = 1\n',
      '.gitignore': 'cache/\n',
      '.tasks/config.yaml':
        'caches:\n  features:\n    inputs: [src/**]\n    dir: cache/{namespace}/{name}\n',
      '.tasks/main/bt.md': taskFile({ id: 'bt', title: 'Backtest', inputs: '[src/data.py]' }),
      '.tasks/main/rep.md': taskFile({ id: 'rep', title: 'Report', depends_on: '[bt]' }),
    });
    for (const args of [
      ['cache', 'stamp', 'features'],
      ['done', 'bt'],
      ['done', 'rep'],
    ]) {
      expect(runBaton(dir, args).code).toBe(0);
    }
    writeFileSync(join(dir, 'src/data.py'), 'x = 2\n');
    const board = JSON.parse(runBaton(dir, ['status', '--json']).stdout) as {
      stale: {
        caches: { name: string; changed: string[] }[];
        results: { id: string; inherited: boolean }[];
      };
    };
    expect(board.stale.caches).toMatchObject([{ name: 'features', changed: ['src/data.py'] }]);
    expect(board.stale.results).toEqual([
      { id: 'bt', inherited: false },
      { id: 'rep', inherited: true },
    ]);
    expect(runBaton(dir, ['status']).stdout).toContain('result rep (inherited)');
  });
});
