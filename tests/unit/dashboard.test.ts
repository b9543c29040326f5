/** The pure dashboard of `baton status` (core/dashboard.ts) and its text (report/dashboard-text.ts). */
import { describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardFacts } from '../../src/core/dashboard.js';
import { buildGraph } from '../../src/core/graph.js';
import { type LogEntry, parseEntry } from '../../src/core/log-entry.js';
import { computeReadiness } from '../../src/core/readiness.js';
import type { Snapshot, Task } from '../../src/core/types.js';
import { renderDashboard } from '../../src/report/dashboard-text.js';
import { clip, visibleWidth } from '../../src/report/text-fit.js';
import { makeConfig, makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const FUTURE = '2026-06-15T14:00:00Z';
const PAST = '2026-06-15T10:00:00Z';

function board(tasks: Task[], facts: DashboardFacts = {}) {
  const snapshot: Snapshot = { tasks, fileProblems: [], config: makeConfig(), now: NOW };
  const graph = buildGraph(tasks);
  return buildDashboard(snapshot, graph, computeReadiness(graph, NOW), facts);
}

const log = (...lines: string[]): LogEntry[] => lines.map(parseEntry);

describe('buildDashboard', () => {
  it('counts tasks by status and by derived state', () => {
    const b = board([
      makeTask({ id: 'a', status: 'done' }),
      makeTask({ id: 'b', depends_on: ['a'] }),
      makeTask({ id: 'c', depends_on: ['b'] }),
      makeTask({ id: 'd', status: 'review' }),
      makeTask({ id: 'e', status: 'cancelled' }),
      makeTask({ id: 'f', not_before: '2026-07-01' }),
    ]);
    expect(b.total).toBe(6);
    expect(b.counts).toEqual({
      todo: 3,
      in_progress: 0,
      blocked: 0,
      review: 1,
      done: 1,
      cancelled: 1,
      failed: 0,
    });
    expect(b.states).toEqual({
      ready: 1,
      blocked: 1,
      scheduled: 1,
      active: 1,
      closed: 2,
      failed: 0,
    });
    expect(b.now).toBe(NOW.toISOString());
  });

  it('counts problems: duplicates, missing dependencies, cycles', () => {
    const b = board([
      makeTask({ id: 'a', depends_on: ['ghost'] }),
      makeTask({ id: 'a' }),
      makeTask({ id: 'x', depends_on: ['y'] }),
      makeTask({ id: 'y', depends_on: ['x'] }),
      makeTask({ id: 'self', depends_on: ['self'] }),
    ]);
    expect(b.total).toBe(4);
    expect(b.problems).toEqual({
      bad_files: 0,
      file_errors: 0,
      cycles: 2,
      missing: 1,
      duplicates: 1,
    });
  });

  it('counts bad files and their errors apart', () => {
    const tasks = [makeTask({ id: 'a' })];
    const snapshot: Snapshot = {
      tasks,
      fileProblems: [
        { rule: 'conflict-markers', severity: 'error', path: 'x.md', line: 4, message: 'm' },
        { rule: 'schema', severity: 'error', path: 'y.md', line: 2, message: 'status' },
        { rule: 'schema', severity: 'error', path: 'y.md', line: 3, message: 'priority' },
        { rule: 'schema', severity: 'error', path: 'y.md', line: 5, message: 'labels' },
        { rule: 'file-name', severity: 'warning', path: 'z.md', message: 'name' },
      ],
      config: makeConfig(),
      now: NOW,
    };
    const graph = buildGraph(tasks);
    const b = buildDashboard(snapshot, graph, computeReadiness(graph, NOW));
    expect(b.problems).toMatchObject({ bad_files: 2, file_errors: 4 });
    expect(renderDashboard(b, { width: 80, color: false })).toContain(
      '! 2 bad files (4 errors): run baton check',
    );
  });

  it('per-agent load: live in-progress tasks against capacity (default 1)', () => {
    const b = board(
      [
        makeTask({ id: 'a', status: 'in_progress', assignee: 'alice' }),
        makeTask({ id: 'b', status: 'in_progress', assignee: 'alice' }),
        makeTask({ id: 'c', status: 'in_progress', lease: { agent: 'bob', until: FUTURE } }),
        makeTask({ id: 'd', status: 'review', assignee: 'bob' }),
        makeTask({ id: 'e', status: 'in_progress' }),
        // expired lease: not load, listed under expired_leases
        makeTask({
          id: 'f',
          status: 'in_progress',
          assignee: 'carol',
          lease: { agent: 'carol', until: PAST },
        }),
      ],
      { capacities: new Map([['zed', 3]]) },
    );
    expect(b.agents).toEqual([
      { agent: 'alice', in_progress: 2, review: 0, capacity: 1, over: true },
      { agent: 'bob', in_progress: 1, review: 1, capacity: 1, over: false },
      { agent: 'zed', in_progress: 0, review: 0, capacity: 3, over: false },
    ]);
    expect(b.unassigned).toBe(1);
    const roomy = board([makeTask({ id: 'a', status: 'in_progress', assignee: 'al' })], {
      defaultCapacity: 2,
    });
    expect(roomy.agents).toEqual([
      { agent: 'al', in_progress: 1, review: 0, capacity: 2, over: false },
    ]);
  });

  it('the head of the ready queue, in queue order, with its total', () => {
    const b = board(
      [
        makeTask({ id: 'low', priority: 'low' }),
        makeTask({ id: 'crit', priority: 'critical', assignee: 'al', estimate: '2h' }),
        makeTask({ id: 'mid' }),
        makeTask({ id: 'lease', status: 'in_progress', lease: { agent: 'bo', until: PAST } }),
      ],
      { limit: 2 },
    );
    expect(b.ready.total).toBe(4);
    expect(b.ready.lease_expired).toBe(1);
    expect(b.ready.items).toEqual([
      {
        id: 'crit',
        title: 'Task crit',
        rank: 1,
        priority: 'critical',
        assignee: 'al',
        estimate: '2h',
        lease_expired: false,
      },
      {
        id: 'lease',
        title: 'Task lease',
        rank: 2,
        priority: 'medium',
        assignee: null,
        estimate: null,
        lease_expired: true,
      },
    ]);
  });

  it('blocked: root causes, most held first, with the tasks they hold', () => {
    const b = board([
      makeTask({ id: 'ship', depends_on: ['api', 'docs'], priority: 'high' }),
      makeTask({ id: 'api', depends_on: ['schema'] }),
      makeTask({ id: 'schema' }), // ready
      makeTask({ id: 'docs', depends_on: ['vendor', 'ghost'] }),
      makeTask({ id: 'vendor', status: 'blocked' }),
      makeTask({ id: 'tests', depends_on: ['api'], priority: 'critical' }),
    ]);
    expect(b.blocked.tasks).toBe(5); // ship, api, docs, vendor, tests
    expect(b.blocked.total).toBe(3);
    expect(b.blocked.items).toEqual([
      {
        id: 'schema',
        why: 'ready',
        title: 'Task schema',
        holds: 3,
        blocked: ['tests', 'ship', 'api'],
      },
      { id: 'ghost', why: 'missing', title: null, holds: 2, blocked: ['ship', 'docs'] },
      { id: 'vendor', why: 'blocked', title: 'Task vendor', holds: 2, blocked: ['ship', 'docs'] },
    ]);
  });

  it('blocked: a task blocked by hand or depending on itself is its own root', () => {
    const b = board([
      makeTask({ id: 'hand', status: 'blocked' }),
      makeTask({ id: 'me', depends_on: ['me'] }),
    ]);
    expect(b.blocked.items).toEqual([
      { id: 'hand', why: 'blocked', title: 'Task hand', holds: 0, blocked: [] },
      { id: 'me', why: 'cycle', title: 'Task me', holds: 0, blocked: [] },
    ]);
  });

  it('the critical path by estimate, default 1h', () => {
    const b = board([
      makeTask({ id: 'a', estimate: '4h' }),
      makeTask({ id: 'b', depends_on: ['a'] }),
      makeTask({ id: 'c', depends_on: ['b'], estimate: '1d' }),
      makeTask({ id: 'd', estimate: '2h' }),
      makeTask({ id: 'x', status: 'done', estimate: '1w' }),
    ]);
    expect(b.critical_path).toEqual({ ids: ['a', 'b', 'c'], hours: 13 });
    expect(board([makeTask({ id: 'a', status: 'done' })]).critical_path).toEqual({
      ids: [],
      hours: 0,
    });
  });

  it('open discoveries: after the last ack, newest first; acknowledged ones are gone', () => {
    const logs = new Map([
      [
        'a',
        log(
          '2026-06-10T10:00:00Z bob discover: acknowledged',
          '2026-06-11T10:00:00Z al ack',
          '2026-06-12T10:00:00Z bob discover: still open',
        ),
      ],
      [
        'b',
        log('2026-06-13T10:00:00Z cy discover: newest', '2026-06-01T09:00:00Z cy discover: old'),
      ],
      ['c', log('2026-06-10T10:00:00Z bob discover: seen', '2026-06-10T10:00:00Z al ack')],
      ['ghost', log('2026-06-10T10:00:00Z bob discover: on no task')],
    ]);
    const b = board(
      [
        makeTask({ id: 'a' }),
        makeTask({ id: 'b', status: 'done' }),
        makeTask({ id: 'c' }),
        makeTask({ id: 'd' }),
      ],
      { logs },
    );
    expect(b.discoveries.total).toBe(3);
    expect(b.discoveries.tasks).toBe(2);
    expect(b.discoveries.items.map((x) => [x.id, x.agent, x.message])).toEqual([
      ['b', 'cy', 'newest'],
      ['a', 'bob', 'still open'],
      ['b', 'cy', 'old'],
    ]);
    expect(b.discoveries.items[0]).toEqual({
      id: 'b',
      title: 'Task b',
      time: '2026-06-13T10:00:00Z',
      agent: 'cy',
      message: 'newest',
    });
    expect(board([makeTask({ id: 'a' })]).discoveries).toEqual({ total: 0, tasks: 0, items: [] });
  });

  it('expired leases: in progress with lease.until in the past, oldest first', () => {
    const b = board([
      makeTask({ id: 'a', status: 'in_progress', lease: { agent: 'al', until: PAST } }),
      makeTask({
        id: 'b',
        status: 'in_progress',
        lease: { agent: 'bo', until: '2026-06-01T00:00:00Z' },
      }),
      makeTask({ id: 'c', status: 'in_progress', lease: { agent: 'cy', until: FUTURE } }),
      makeTask({ id: 'd', status: 'todo', lease: { agent: 'dd', until: PAST } }),
    ]);
    expect(b.expired_leases).toEqual({
      total: 2,
      items: [
        { id: 'b', title: 'Task b', agent: 'bo', until: '2026-06-01T00:00:00Z' },
        { id: 'a', title: 'Task a', agent: 'al', until: PAST },
      ],
    });
  });

  it('overdue: due in the past and not done; a bare date lasts its whole day', () => {
    const b = board([
      makeTask({ id: 'late', due: '2026-06-01', assignee: 'al' }),
      makeTask({ id: 'today', due: '2026-06-15' }),
      makeTask({ id: 'hour', due: PAST, status: 'in_progress' }),
      makeTask({ id: 'yesterday', due: '2026-06-14', status: 'failed' }),
      makeTask({ id: 'done', due: '2026-06-01', status: 'done' }),
      makeTask({ id: 'gone', due: '2026-06-01', status: 'cancelled' }),
      makeTask({ id: 'later', due: '2026-07-01' }),
    ]);
    expect(b.overdue.total).toBe(3);
    expect(b.overdue.items).toEqual([
      { id: 'late', title: 'Task late', status: 'todo', assignee: 'al', due: '2026-06-01' },
      {
        id: 'yesterday',
        title: 'Task yesterday',
        status: 'failed',
        assignee: null,
        due: '2026-06-14',
      },
      { id: 'hour', title: 'Task hour', status: 'in_progress', assignee: null, due: PAST },
    ]);
  });

  it('keeps at most `limit` items per list, and the stale facts as given', () => {
    const tasks = Array.from({ length: 30 }, (_, k) =>
      makeTask({ id: `t${String(k).padStart(2, '0')}`, due: '2026-01-01' }),
    );
    const stale = {
      caches: [{ name: 'features', namespace: 'main', changed: ['src/a.ts'] }],
      results: [{ id: 't00', inherited: false }],
    };
    const b = board(tasks, { limit: 5, stale });
    expect(b.ready.total).toBe(30);
    expect(b.ready.items).toHaveLength(5);
    expect(b.overdue.total).toBe(30);
    expect(b.overdue.items).toHaveLength(5);
    expect(b.stale).toEqual(stale);
    expect('stale' in board(tasks)).toBe(false);
  });
});

describe('renderDashboard', () => {
  const many = Array.from({ length: 400 }, (_, k) => {
    const id = `task-${String(k).padStart(4, '0')}`;
    return makeTask({
      id,
      title: `A rather long title for task number ${k} that will not fit on one line at all`,
      status: k % 5 === 0 ? 'in_progress' : k % 7 === 0 ? 'done' : 'todo',
      assignee: `agent-${k % 13}`,
      depends_on: k > 10 && k % 3 === 0 ? [`task-${String(k - 7).padStart(4, '0')}`] : [],
      due: k % 4 === 0 ? '2026-01-01' : null,
      lease: k % 10 === 0 ? { agent: `agent-${k % 13}`, until: PAST } : null,
    });
  });
  const logs = new Map(
    many.map((t) => [t.data.id, log(`2026-06-14T10:00:00Z bob discover: ${'x'.repeat(200)}`)]),
  );
  const stale = {
    caches: [{ name: 'features', namespace: 'main', changed: ['a.ts', 'b.ts', 'c.ts'] }],
    results: [
      { id: 'task-0001', inherited: true },
      { id: 'task-0002', inherited: false },
    ],
  };
  const big = board(many, { logs, stale });

  it('fits the width and the height, whatever the size', () => {
    for (const width of [40, 60, 80, 120, 200]) {
      const text = renderDashboard(big, { width, color: false });
      const lines = text.split('\n');
      expect(lines.length).toBeLessThanOrEqual(40);
      for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
      for (const head of ['Status', 'Agents', 'Ready', 'Blocked', 'Critical path']) {
        expect(text).toContain(head);
      }
      for (const head of ['Open discoveries', 'Overdue', 'Expired leases', 'Stale']) {
        expect(text).toContain(head);
      }
      expect(text).toMatch(/\+\d+ more/);
    }
  });

  it('colors only when asked, and still fits', () => {
    const plain = renderDashboard(big, { width: 80, color: false });
    expect(plain).not.toContain('\u001b[');
    const colored = renderDashboard(big, { width: 80, color: true });
    expect(colored).toContain('\u001b[');
    for (const line of colored.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('a small board shows everything, and says when there is nothing to worry about', () => {
    const text = renderDashboard(
      board([makeTask({ id: 'a', status: 'done' }), makeTask({ id: 'b' })]),
      { width: 80, color: false },
    );
    expect(text).toContain('  b  medium');
    expect(text).toContain('Blocked  nothing is blocked');
    expect(text).toContain('Alerts  none');
    expect(text).not.toContain('more');
  });

  it('cuts text by visible width: escapes take none, wide characters two', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
    expect(visibleWidth('\u001b[1mab\u001b[22m')).toBe(2);
    expect(visibleWidth('漢字')).toBe(4);
    expect(clip('漢字漢字', 5)).toBe('漢字…');
    expect(clip('\u001b[1mabcdef\u001b[22m', 4)).toBe('\u001b[1mabc…\u001b[0m');
  });

  it('control characters in titles never reach the terminal', () => {
    const b = board([makeTask({ id: 'a', title: 'evil \u001b[2J title\ttab' })]);
    const text = renderDashboard(b, { width: 80, color: false });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('evil  [2J title tab');
  });
});

describe('resources on the dashboard', () => {
  function withResources(tasks: Task[], resources: Record<string, { capacity: number }>) {
    const config = makeConfig({ resources });
    const snapshot: Snapshot = { tasks, fileProblems: [], config, now: NOW };
    const graph = buildGraph(tasks);
    return buildDashboard(snapshot, graph, computeReadiness(graph, NOW));
  }
  const holding = (id: string, resources: string[], until = FUTURE) =>
    makeTask({
      id,
      status: 'in_progress',
      assignee: 'ann',
      resources,
      lease: { agent: 'ann', until },
    });

  it('each configured resource by name with its live holders; unconfigured ones in use after', () => {
    const b = withResources(
      [
        holding('a', ['gpu', 'gpu']),
        holding('b', ['gpu', 'tpu']),
        holding('c', ['api'], PAST),
        makeTask({ id: 'd', resources: ['api'] }),
      ],
      { gpu: { capacity: 1 }, api: { capacity: 2 } },
    );
    expect(b.resources).toEqual([
      { name: 'api', capacity: 2, use: 0, holders: [], over: false },
      { name: 'gpu', capacity: 1, use: 2, holders: ['a', 'b'], over: true },
      { name: 'tpu', capacity: null, use: 1, holders: ['b'], over: true },
    ]);
    const text = renderDashboard(b, { width: 80, color: false });
    expect(text).toContain('Resources  in use / capacity\n  api 0/2  gpu 2/1! a,b  tpu 1/? b');
  });

  it('no resource configured or in use: no resource lines', () => {
    const b = withResources([makeTask({ id: 'a' })], {});
    expect(b.resources).toEqual([]);
    expect(renderDashboard(b, { width: 80, color: false })).not.toContain('Resources');
  });

  it('many resources still fit the width and the screen', () => {
    const resources = Object.fromEntries(
      Array.from({ length: 60 }, (_, k) => [`resource-${k}`, { capacity: k % 3 }]),
    );
    const tasks = Array.from({ length: 60 }, (_, k) =>
      holding(`t-${k}`, [`resource-${k % 20}`, `resource-${(k * 7) % 60}`]),
    );
    const text = renderDashboard(withResources(tasks, resources), { width: 80, color: false });
    const lines = text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    const at = lines.indexOf('Resources  in use / capacity');
    expect(lines[at + 2]).toMatch(/\+\d+ more$/);
  });
});
