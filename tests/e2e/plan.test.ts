/**
 * End-to-end: `baton plan` spawned as the built CLI in real git repositories: the schedule
 * over identical agents and over agent profiles, and `--assign --write` on real files.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAssignees } from '../../src/cli/plan-assign.js';
import { buildGraph } from '../../src/core/graph.js';
import { loadSnapshot } from '../../src/store/load.js';
import { requireRoot } from '../../src/store/root.js';
import { git, gitRepo, runBaton, taskFile } from '../helpers/git-repo.js';

interface PlanJson {
  agents_from: string;
  finish: { hours: number; date: string };
  agents: { name: string; capacity: number; hours: number; tasks: number; utilization: number }[];
  load: { variance: number; stddev: number };
  critical_path: { ids: string[]; hours: number };
  waves: string[][];
  schedule: { id: string; agent: string; start: number; end: number; hours: number }[];
  unschedulable: { id: string; reason: string; message: string }[];
  failed: string[];
  proposals?: { id: string; agent: string }[];
  written?: string[];
  skipped?: string[];
}

const task = (fields: Record<string, string>) =>
  taskFile({ title: `Task ${fields.id}`, created: '2026-01-01T00:00:00Z', ...fields });

/** A chain of four 2h tasks and six independent 1h tasks. */
function chainAndFiller(): Record<string, string> {
  const tree: Record<string, string> = {};
  for (let k = 1; k <= 4; k++) {
    const deps: Record<string, string> = k > 1 ? { depends_on: `[c${k - 1}]` } : {};
    tree[`.tasks/main/c${k}.md`] = task({ id: `c${k}`, estimate: '2h', ...deps });
  }
  for (let k = 1; k <= 6; k++) tree[`.tasks/main/i${k}.md`] = task({ id: `i${k}`, estimate: '1h' });
  return tree;
}

const PROFILES = {
  '.tasks/agents/alice.md': '---\nname: alice\nskills: [frontend]\ncapacity: 2\n---\nUI work.\n',
  '.tasks/agents/bob.md': '---\nname: bob\nskills: [backend, db]\n---\nServer work.\n',
};

function planJson(dir: string, args: string[]): PlanJson {
  const res = runBaton(dir, ['plan', ...args, '--json']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as PlanJson;
}

describe('baton plan', () => {
  it('--agents 2 schedules a chain and filler work in the optimal 8h', () => {
    const dir = gitRepo(chainAndFiller());
    const plan = planJson(dir, ['--agents', '2']);
    expect(plan.finish.hours).toBe(8);
    expect(plan.finish.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(plan.critical_path).toEqual({ ids: ['c1', 'c2', 'c3', 'c4'], hours: 8 });
    expect(plan.agents.map((a) => a.name)).toEqual(['agent-1', 'agent-2']);
    expect(plan.load).toEqual({ variance: 1, stddev: 1 });
    expect(plan.schedule).toHaveLength(10);
    expect(plan.waves[0]).toHaveLength(7);

    const text = runBaton(dir, ['plan', '--agents', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Estimated finish: 8h of working time from now');
    expect(text.stdout).toContain('c1 -> c2 -> c3 -> c4');
    expect(text.stdout).toMatch(/load variance 1\.00 h²/);
    for (const line of text.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('--agent-profiles runs parallel slots and keeps to skills', () => {
    const dir = gitRepo({
      ...PROFILES,
      '.tasks/main/ui1.md': task({ id: 'ui1', estimate: '3h', skills: '[frontend]' }),
      '.tasks/main/ui2.md': task({ id: 'ui2', estimate: '3h', skills: '[frontend]' }),
      '.tasks/main/api.md': task({ id: 'api', estimate: '2h', skills: '[backend]' }),
      '.tasks/main/db.md': task({ id: 'db', estimate: '2h', skills: '[db]', depends_on: '[api]' }),
      '.tasks/main/ml.md': task({ id: 'ml', skills: '[ml]' }),
      '.tasks/main/after-ml.md': task({ id: 'after-ml', depends_on: '[ml]' }),
    });
    const plan = planJson(dir, ['--agent-profiles']);
    expect(plan.agents_from).toBe('profiles in .tasks/agents/');
    const slot = new Map(plan.schedule.map((t) => [t.id, t]));
    expect(slot.get('ui1')).toMatchObject({ agent: 'alice', start: 0, end: 3 });
    expect(slot.get('ui2')).toMatchObject({ agent: 'alice', start: 0, end: 3 });
    expect(slot.get('api')).toMatchObject({ agent: 'bob', start: 0 });
    expect(slot.get('db')).toMatchObject({ agent: 'bob', start: 2, end: 4 });
    expect(plan.finish.hours).toBe(4);
    expect(plan.unschedulable.map((u) => [u.id, u.reason])).toEqual([
      ['after-ml', 'waits'],
      ['ml', 'no-agent'],
    ]);
    expect(plan.agents).toMatchObject([
      { name: 'alice', capacity: 2, hours: 6, tasks: 2, utilization: 0.75 },
      { name: 'bob', capacity: 1, hours: 4, tasks: 2, utilization: 1 },
    ]);
    // With profiles present, they are the default.
    expect(planJson(dir, []).agents.map((a) => a.name)).toEqual(['alice', 'bob']);
  });

  it('--assign --write sets assignees, logs them, and keeps comments and other tasks', () => {
    const commented =
      '---\nid: ui1 # the first screen\ntitle: Login screen\n# sizing agreed on Monday\n' +
      'estimate: 3h\nskills: [frontend]\nsprint: 12\n---\nBody text.\n';
    const assigned = task({ id: 'api', estimate: '2h', skills: '[backend]', assignee: 'carol' });
    const dir = gitRepo({
      ...PROFILES,
      '.tasks/main/ui1.md': commented,
      '.tasks/main/api.md': assigned,
      '.tasks/main/db.md': task({ id: 'db', estimate: '2h', skills: '[db]' }),
    });
    const proposed = planJson(dir, ['--assign']);
    expect(proposed.proposals).toEqual([
      { id: 'ui1', agent: 'alice' },
      { id: 'db', agent: 'bob' },
    ]);
    expect(git(dir, 'status', '--porcelain')).toBe('');

    const res = runBaton(dir, ['plan', '--assign', '--write'], { env: { BATON_AGENT: 'lead' } });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Wrote the assignee of 2 tasks.');
    const ui1 = readFileSync(join(dir, '.tasks/main/ui1.md'), 'utf8');
    expect(ui1).toContain('id: ui1 # the first screen\n');
    expect(ui1).toContain('# sizing agreed on Monday\n');
    expect(ui1).toContain('sprint: 12\n');
    expect(ui1).toMatch(/\nassignee: alice\n/);
    expect(ui1).toMatch(/\nupdated: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n/);
    expect(ui1).toMatch(
      /Body text\.\n\n## Log\n- \S+ lead assign -> alice: proposed by baton plan\n$/,
    );
    expect(readFileSync(join(dir, '.tasks/main/db.md'), 'utf8')).toMatch(/\nassignee: bob\n/);
    expect(readFileSync(join(dir, '.tasks/main/api.md'), 'utf8')).toBe(assigned);
    expect(runBaton(dir, ['check']).code).toBe(0);

    const again = planJson(dir, ['--assign', '--write']);
    expect(again.proposals).toEqual([]);
    expect(again.written).toEqual([]);
  });

  it('refuses unusable option combinations with exit 2', () => {
    const dir = gitRepo(chainAndFiller());
    for (const args of [
      ['--write'],
      ['--agents', '2', '--assign', '--write'],
      ['--agents', '0'],
      ['--agents', 'two'],
      ['--agent-profiles'],
      ['--agents', '2', '--agent-profiles'],
    ]) {
      const res = runBaton(dir, ['plan', ...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
    }
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('writing proposed assignees', () => {
  it('puts back every file already written when a later one cannot be written', async () => {
    const dir = gitRepo({
      '.tasks/main/a.md': task({ id: 'a' }),
      '.tasks/main/b.md': task({ id: 'b' }),
    });
    const root = requireRoot(dir);
    const graph = buildGraph((await loadSnapshot(root, { index: false })).tasks);
    rmSync(join(dir, '.tasks/main/b.md'));
    const proposals = [
      { id: 'a', agent: 'alice' },
      { id: 'b', agent: 'bob' },
    ];
    await expect(writeAssignees(root, graph, proposals, 'lead', new Date())).rejects.toThrow();
    expect(readFileSync(join(dir, '.tasks/main/a.md'), 'utf8')).toBe(task({ id: 'a' }));
  });
});
