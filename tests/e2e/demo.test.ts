import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { creationWaves, DEMO_PLAN, STORY } from '../../src/demo/plan.js';
import { withDependency } from '../../src/demo/script.js';
import { PRIORITIES } from '../../src/schema/fields.js';
import { git, runBaton, tempDir } from '../helpers/git-repo.js';

describe('baton demo', () => {
  it('builds a repo, walks through the flows and exits 0', () => {
    const dir = tempDir('baton-demo-test-');
    const res = runBaton(dir, ['demo', '--dir', dir]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('$ baton ready');
    // The ready queue, before and after two tasks are finished.
    expect(res.stdout).toMatch(/^\s+1\s+md-feed-eurex\b/m);
    expect(res.stdout).toContain('px-iv');
    // The refused dep add and the cycle that check reports.
    expect(res.stdout).toContain('(exit 1: dep add refused the cycle, as expected)');
    expect(res.stdout).toContain('(exit 1: check found problems, as expected)');
    expect(res.stdout).toMatch(/risk-\w+ -> risk-\w+ -> risk-\w+ -> risk-\w+/);
    expect(res.stdout).not.toContain('UNEXPECTED');
    // Agents: profiles imported, a task picked, claimed and failed once.
    expect(res.stdout).toContain('$ baton next --agent quant-agent --explain');
    expect(res.stdout).toMatch(/attempt 1 of 3/);
    expect(existsSync(join(dir, '.tasks', 'agents', 'quant-agent.md'))).toBe(true);
    expect(res.stdout).not.toMatch(/\x1b\[/);
    // No line of the walkthrough is wider than an 80-column terminal, but for the paths.
    const wide = res.stdout.split('\n').filter((l) => [...l].length > 80 && !l.includes(dir));
    expect(wide).toEqual([]);

    expect(existsSync(join(dir, '.tasks', 'main', 'px-volsurf.md'))).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const tracked = git(dir, 'ls-files', '.tasks').split('\n').filter(Boolean);
    expect(tracked.filter((p) => p.endsWith('.md') && p.startsWith('.tasks/main/'))).toHaveLength(
      DEMO_PLAN.length,
    );
    expect(git(dir, 'log', '--format=%s').trim().split('\n')).toEqual([
      'Agents at work',
      'Finish md-feed-cme and px-bs',
      'Plan the trading system',
      'Initial commit',
    ]);
    const cme = runBaton(dir, ['show', 'md-feed-cme', '--json']);
    expect(cme.stdout).toContain('"done"');

    // The team story: two clones of one bare remote, through git alone.
    const alice = join(dir, 'team', 'alice');
    const bob = join(dir, 'team', 'bob');
    // The claim race: alice's push wins, bob is told who won and keeps a clean tree.
    const race = /^bob\$ baton claim (\S+) --push\n {2}lost: \1 was claimed by alice$/m.exec(
      res.stdout,
    );
    expect(race, 'the lost claim').not.toBeNull();
    const claimed = race?.[1] ?? '';
    expect(res.stdout).toContain('(exit 1: bob lost the race)');
    // bob's pull: the post-merge hook's news, the hand-off, the discovery, the stale cache.
    const news = res.stdout.slice(res.stdout.indexOf('bob$ git pull'));
    expect(news).toMatch(new RegExp(`baton: 1 task handed to you:\\n\\s+${claimed} `));
    expect(news).toContain('[artifacts: docs/eurex-feed.md]');
    expect(news).toContain('baton: 1 new discovery:');
    expect(news).toMatch(/baton: 1 cache made stale by the incoming commits:\n\s+features /);
    const shown = runBaton(bob, ['show', claimed, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: claimed, assignee: 'bob' });
    // The task both edited, merged by the merge driver: both sides' changes, no markers.
    expect(res.stdout).toContain("Merge made by the 'ort' strategy.");
    const merged = readFileSync(join(bob, '.tasks', 'main', 'md-schema.md'), 'utf8');
    expect(merged).toMatch(/^priority: critical$/m);
    expect(merged).toMatch(/ alice share: widening the order ids to 128 bits$/m);
    expect(merged).toMatch(/ bob ack$/m);
    expect(merged).not.toContain('<<<<<<<');
    expect(git(bob, 'log', '-1', '--format=%p').trim().split(' ')).toHaveLength(2);
    expect(runBaton(bob, ['check']).code).toBe(0);
    // Everything was pushed: the remote, bob and the clean clones agree.
    expect(git(bob, 'status', '--porcelain')).toBe('');
    expect(git(alice, 'status', '--porcelain')).toBe('');
    expect(git(bob, 'rev-parse', 'HEAD')).toBe(git(bob, 'rev-parse', 'origin/main'));
    expect(git(dir, '--git-dir', join(dir, 'team', 'remote.git'), 'rev-parse', 'main')).toBe(
      git(bob, 'rev-parse', 'HEAD'),
    );
  });

  it('refuses a --dir that is not empty', () => {
    const dir = tempDir('baton-demo-test-');
    git(dir, 'init', '-q');
    const res = runBaton(dir, ['demo', '--dir', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('not empty');
  });
});

describe('the demo plan', () => {
  const byId = new Map(DEMO_PLAN.map((t) => [t.id, t]));
  const depth = (id: string): number =>
    1 + Math.max(0, ...(byId.get(id)?.dependsOn ?? []).map(depth));

  it('is a realistic, valid plan', () => {
    expect(DEMO_PLAN.length).toBeGreaterThanOrEqual(25);
    expect(DEMO_PLAN.length).toBeLessThanOrEqual(35);
    expect(byId.size).toBe(DEMO_PLAN.length);
    const seen = new Set<string>();
    for (const task of DEMO_PLAN) {
      for (const dep of task.dependsOn ?? []) expect(seen, `${task.id} -> ${dep}`).toContain(dep);
      seen.add(task.id);
    }
    expect(new Set(DEMO_PLAN.map((t) => t.priority))).toEqual(new Set(PRIORITIES));
    expect(DEMO_PLAN.filter((t) => depth(t.id) >= 5).length).toBeGreaterThanOrEqual(3);
    expect(DEMO_PLAN.some((t) => (t.dependsOn ?? []).length >= 3)).toBe(true);
    expect(creationWaves(DEMO_PLAN).flat()).toHaveLength(DEMO_PLAN.length);
    for (const id of [...STORY.finish, STORY.show, STORY.last, STORY.cycle.task]) {
      expect(byId.has(id), id).toBe(true);
    }
    for (const id of STORY.finish) expect(byId.get(id)?.status).toBe('in_progress');
  });

  it('adds a dependency to front matter by hand', () => {
    const head = '---\nid: a\ntitle: A\n';
    expect(withDependency(`${head}depends_on: []\n---\nbody\n`, 'b')).toBe(
      `${head}depends_on: [b]\n---\nbody\n`,
    );
    expect(withDependency(`${head}depends_on: [c]\n---\n`, 'b')).toBe(
      `${head}depends_on: [c, b]\n---\n`,
    );
    expect(withDependency(`${head}depends_on:\n  - c\n---\n`, 'b')).toBe(
      `${head}depends_on:\n  - b\n  - c\n---\n`,
    );
    expect(withDependency(`${head}---\n`, 'b')).toBe(`${head}depends_on: [b]\n---\n`);
    expect(withDependency('no front matter', 'b')).toBeUndefined();
  });
});
