import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, runBaton, runBatonAsync, taskFile } from '../helpers/git-repo.js';

const FUTURE = "'2999-01-01T00:00:00Z'";

const task = (id: string, fields: Record<string, string> = {}) => ({
  [`.tasks/main/${id}.md`]: taskFile({ id, title: `Task ${id}`, ...fields }, 'Body.\n'),
});

const profile = (fields: Record<string, string>, prompt = 'You are a specialist.\n') =>
  taskFile(fields, prompt);

const TEAM = {
  '.tasks/config.yaml': 'prefix: t\nresources:\n  gpu: { capacity: 1 }\n',
  '.tasks/agents/alice.md': profile({
    name: 'alice',
    description: 'Database specialist',
    tools: 'Read, Grep',
    skills: '[db, sql]',
    capacity: '2',
    backup: 'bob',
  }),
  '.tasks/agents/bob.md': profile({ name: 'bob', skills: '[db, ml]' }),
  ...task('t-rust', { priority: 'critical', skills: '[rust]' }),
  ...task('t-bobs', { priority: 'critical', assignee: 'bob' }),
  ...task('t-eval', { priority: 'high', resources: '[gpu]' }),
  ...task('t-schema', { priority: 'medium', skills: '[db]', due: '2020-01-01' }),
  ...task('t-train', {
    status: 'in_progress',
    assignee: 'carol',
    resources: '[gpu]',
    lease: `{ agent: carol, until: ${FUTURE} }`,
  }),
};

describe('baton next', () => {
  it('picks the best task that fits and says why; --explain names every skip', () => {
    const dir = gitRepo(TEAM);
    const r = runBaton(dir, ['next', '--agent', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('t-schema  Task t-schema');
    expect(lines[1]).toBe('  rank 4 of 4 ready · medium · overdue (due 2020-01-01)');
    expect(lines[2]).toBe('  why: unassigned; alice has db; load 0/2');
    expect(lines[3]).toContain('3 better-ranked ready tasks skipped (--explain says why)');

    const e = runBaton(dir, ['next', '--agent', 'alice', '--explain']);
    expect(e.stdout).toContain('skipped (ranked better):');
    expect(e.stdout).toMatch(/#1 t-bobs {2}assigned to bob/);
    expect(e.stdout).toMatch(/#2 t-rust {2}missing skill rust/);
    expect(e.stdout).toMatch(/#3 t-eval {2}resource gpu full 1\/1/);
  });

  it('--json: the task with rank, why and overdue; exit 1 with a null id when nothing fits', () => {
    const dir = gitRepo(TEAM);
    const r = runBaton(dir, ['next', '--agent', 'alice', '--json', '--explain']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ id: 't-schema', rank: 4, agent: 'alice', overdue: true });
    expect(json.skipped.map((s: { id: string }) => s.id)).toEqual(['t-bobs', 't-rust', 't-eval']);

    const carol = runBaton(dir, ['next', '--agent', 'carol', '--json']);
    expect(carol.code).toBe(1);
    expect(JSON.parse(carol.stdout)).toMatchObject({
      id: null,
      agent: 'carol',
      reason: 'wait',
      message: 'nothing for carol: at capacity 1/1 (in progress: t-train)',
    });
    const text = runBaton(dir, ['next', '--agent', 'carol']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('nothing for carol: at capacity 1/1 (in progress: t-train)');
  });

  it('--claim by two agents at once: each gets its own task, the resource is not overfilled', async () => {
    const dir = gitRepo({
      '.tasks/config.yaml': 'prefix: t\nresources:\n  gpu: { capacity: 1 }\n',
      ...task('t-g1', { priority: 'critical', resources: '[gpu]' }),
      ...task('t-g2', { priority: 'high', resources: '[gpu]' }),
      ...task('t-doc', { priority: 'low' }),
    });
    const [a, b] = await Promise.all([
      runBatonAsync(dir, ['next', '--agent', 'ann', '--claim', '--json']),
      runBatonAsync(dir, ['next', '--agent', 'ben', '--claim', '--json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const got = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(got.map((j) => j.id).sort()).toEqual(['t-doc', 't-g1']);
    for (const j of got) {
      expect(j.status).toBe('in_progress');
      expect(j.assignee).toBe(j.agent);
      expect(j.claim.kind).toBe('claim');
    }
    const g2 = readFileSync(join(dir, '.tasks/main/t-g2.md'), 'utf8');
    expect(g2).not.toContain('in_progress');

    const third = runBaton(dir, ['next', '--agent', 'cy', '--claim', '--explain']);
    expect(third.code).toBe(1);
    expect(third.stdout).toMatch(/t-g2 {2}resource gpu full 1\/1/);
  });

  it('--claim prints the claim and leaves the task claimed on disk', () => {
    const dir = gitRepo(TEAM);
    const r = runBaton(dir, ['next', '--agent', 'alice', '--claim', '--lease', '30m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/claimed t-schema: lease until \S+Z/);
    const text = readFileSync(join(dir, '.tasks/main/t-schema.md'), 'utf8');
    expect(text).toContain('status: in_progress');
    expect(text).toContain('assignee: alice');
    const bad = runBaton(dir, ['next', '--agent', 'alice', '--claim', '--lease', 'soon']);
    expect(bad.code).toBe(2);
  });
});

describe('baton agents', () => {
  it('lists profiles with load, and agents holding work without a profile', () => {
    const dir = gitRepo(TEAM);
    const r = runBaton(dir, ['agents']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'alice  0/2  skills db, sql  backup bob',
      '  Database specialist',
      'bob    0/1  skills db, ml',
      'carol  1/1  no profile (capacity 1, no skills)',
      '  in progress: t-train',
      '',
    ]);
    const json = JSON.parse(runBaton(dir, ['agents', 'list', '--json']).stdout);
    expect(json.problems).toEqual([]);
    expect(json.agents[0]).toMatchObject({
      name: 'alice',
      profile: true,
      path: '.tasks/agents/alice.md',
      tools: ['Read', 'Grep'],
      capacity: 2,
      load: [],
      in_progress: 0,
    });
    expect(json.agents[2]).toMatchObject({ name: 'carol', profile: false, load: ['t-train'] });
  });

  it('a bad profile is named by file and line (exit 1); the good ones are still listed', () => {
    const dir = gitRepo({
      ...TEAM,
      '.tasks/agents/broken.md': profile({ name: 'broken', capacity: 'lots' }),
    });
    const r = runBaton(dir, ['agents']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.tasks/agents/broken.md:3: capacity: expected a whole number');
    expect(r.stdout).toContain('alice  0/2');
    const next = runBaton(dir, ['next', '--agent', 'alice']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('warning: .tasks/agents/broken.md:3:');
  });

  it('imports a .claude/agents folder byte for byte, refusing bad and differing files', () => {
    const reviewer = profile(
      { name: 'reviewer', description: 'Reviews code', tools: 'Read, Grep, Glob', model: 'sonnet' },
      'Review the diff.\r\nBe brief.\n',
    );
    const dir = gitRepo({
      '.tasks/config.yaml': 'prefix: t\n',
      '.claude/agents/reviewer.md': reviewer,
      '.claude/agents/tester.md': profile({ name: 'tester', tools: 'Bash', skills: '[qa]' }),
      '.claude/agents/bad.md': profile({ name: 'bad', tools: 'Read', capacity: '-1' }),
      '.claude/agents/notes.txt': 'not a profile',
    });
    const r = runBaton(dir, ['agents', 'import', '.claude/agents']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.claude/agents/bad.md:4: capacity: expected a whole number');
    expect(r.stdout).toContain(
      'imported .claude/agents/reviewer.md -> .tasks/agents/reviewer.md (agent reviewer)',
    );
    expect(r.stdout).toContain('2 imported, 0 unchanged, 1 not imported');
    expect(readFileSync(join(dir, '.tasks/agents/reviewer.md'), 'utf8')).toBe(reviewer);
    expect(() => readFileSync(join(dir, '.tasks/agents/bad.md'))).toThrow();

    const again = runBaton(dir, ['agents', 'import', '.claude/agents']);
    expect(again.stdout).toContain('0 imported, 2 unchanged, 1 not imported');

    writeFileSync(
      join(dir, '.claude/agents/tester.md'),
      profile({ name: 'tester', tools: 'Read' }),
    );
    const refused = runBaton(dir, ['agents', 'import', '.claude/agents']);
    expect(refused.stderr).toContain(
      '.tasks/agents/tester.md exists and differs (--force overwrites it)',
    );
    const forced = runBaton(dir, ['agents', 'import', '.claude/agents', '--force']);
    expect(forced.stdout).toContain('overwrote .claude/agents/tester.md');
    const list = JSON.parse(runBaton(dir, ['agents', '--json']).stdout);
    expect(list.agents.map((a: { name: string; tools: string[] }) => [a.name, a.tools])).toEqual([
      ['reviewer', ['Read', 'Grep', 'Glob']],
      ['tester', ['Read']],
    ]);
    expect(runBaton(dir, ['agents', 'import', 'nowhere']).code).toBe(2);
  });
});

describe('baton status with resources and profiles', () => {
  it('shows each resource in use / capacity with its holders, and profile capacities', () => {
    const dir = gitRepo(TEAM);
    const r = runBaton(dir, ['status']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Resources  in use / capacity');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('  gpu 1/1 t-train');
    expect(r.stdout).toContain('alice 0/2  bob 0/1  carol 1/1');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const json = JSON.parse(runBaton(dir, ['status', '--json']).stdout);
    expect(json.resources).toEqual([
      { name: 'gpu', capacity: 1, use: 1, holders: ['t-train'], over: false },
    ]);
  });
});
