/**
 * End-to-end: more of `baton run` on real repositories, with the fake agent
 * tests/fixtures/run/agent.mjs (its task's `act:` says what it does; it records its starts,
 * and with `env` what it saw): `run gc`, `run log`, `--check`, `--max-tasks`, `--json`, a
 * task's own `run:` command, agent profiles, and the agent's environment. Nothing here
 * depends on timing: what ran is read from what the agents recorded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BATON_BIN,
  GIT_ENV,
  git,
  gitRepo,
  ROOT,
  type RunResult,
  taskFile,
  tempDir,
} from '../helpers/git-repo.js';

const AGENT = `node ${join(ROOT, 'tests/fixtures/run/agent.mjs')}`;
const NAME = 'robo';

interface Spec {
  id: string;
  act?: string;
  deps?: string[];
  extra?: Record<string, string>;
}

interface Plan {
  dir: string;
  log: string;
  envDir: string;
}

function plan(specs: Spec[], more: Record<string, string> = {}): Plan {
  const tree: Record<string, string> = {
    '.tasks/config.yaml': 'prefix: t\nretry: { base: 0.01m, cap: 0.02m }\n',
    'shared.txt': 'one\ntwo\nthree\n',
    ...more,
  };
  for (const s of specs) {
    tree[`.tasks/main/${s.id}.md`] = taskFile({
      id: s.id,
      title: `Task ${s.id}`,
      status: 'todo',
      ...(s.deps ? { depends_on: `[${s.deps.join(', ')}]` } : {}),
      ...(s.act !== undefined ? { act: JSON.stringify(s.act) } : {}),
      ...s.extra,
    });
  }
  const dir = gitRepo(tree);
  const aux = tempDir();
  const envDir = join(aux, 'env');
  mkdirSync(envDir);
  const log = join(aux, 'agent.log');
  writeFileSync(log, '');
  return { dir, log, envDir };
}

/**
 * The built CLI in `dir`, acting as NAME. A run that never ends fails the test (spawnSync's
 * timeout) instead of blocking the worker: a hang is a finding, not something to wait out.
 */
function baton(p: Plan, args: string[], env: Record<string, string> = {}): RunResult {
  const res = spawnSync(process.execPath, [BATON_BIN, ...args], {
    cwd: p.dir,
    encoding: 'utf8',
    input: '',
    timeout: 240_000,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      ...GIT_ENV,
      NO_COLOR: '1',
      BATON_AGENT: NAME,
      AGENT_LOG: p.log,
      AGENT_ENV_DIR: p.envDir,
      ...env,
    },
  });
  if (res.error) throw res.error;
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

const run = (p: Plan, args: string[] = [], env: Record<string, string> = {}) =>
  baton(p, ['run', '--cmd', AGENT, ...args], env);

const taskText = (dir: string, id: string) =>
  readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8');
const status = (dir: string, id: string) => /^status: (\S+)$/m.exec(taskText(dir, id))?.[1];
const branches = (dir: string) =>
  git(dir, 'branch', '--list', 'baton/*', '--format=%(refname:short)').split('\n').filter(Boolean);
const worktrees = (dir: string) =>
  git(dir, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '));
/** "start ID ATTEMPT AGENT" lines of the agent log, as [id, attempt, agent]. */
const starts = (log: string) =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('start '))
    .map((l) => l.split(' ').slice(1));
const runs = (dir: string, ...rest: string[]) => join(dir, '.tasks/.local/runs', ...rest);

describe('baton run gc', () => {
  it('removes the branches and run logs of done tasks and keeps those of a failed task', () => {
    const p = plan([
      { id: 'ok', act: 'write ok.txt ok' },
      { id: 'retry', act: 'fail-before 2; write retry.txt done' },
      { id: 'bad', act: 'write bad.txt partial; fail', extra: { max_attempts: '1' } },
    ]);
    const r = run(p, ['-j', '2']);
    expect(r.code).toBe(1);
    expect([status(p.dir, 'ok'), status(p.dir, 'retry'), status(p.dir, 'bad')]).toEqual([
      'done',
      'done',
      'failed',
    ]);
    // before: the failed first attempt of `retry` and the attempt of `bad` kept their branches
    expect(branches(p.dir).sort()).toEqual(['baton/bad/1', 'baton/retry/1']);
    for (const f of ['ok/1.log', 'retry/1.log', 'retry/2.log', 'bad/1.log', 'bad/1.json']) {
      expect(existsSync(runs(p.dir, f)), f).toBe(true);
    }

    const gc = baton(p, ['run', 'gc', '--json']);
    expect(gc.stderr).toBe('');
    expect(gc.code).toBe(0);
    const out = JSON.parse(gc.stdout) as { branches: string[]; logs: string[] };
    expect(out.branches).toEqual(['baton/retry/1']);
    expect(out.logs.sort()).toEqual(['ok', 'retry']);
    expect(branches(p.dir)).toEqual(['baton/bad/1']);
    expect(git(p.dir, 'show', 'baton/bad/1:bad.txt')).toBe('partial\n');
    expect(existsSync(runs(p.dir, 'ok'))).toBe(false);
    expect(existsSync(runs(p.dir, 'retry'))).toBe(false);
    expect(existsSync(runs(p.dir, 'bad', '1.log'))).toBe(true);
    expect(existsSync(runs(p.dir, 'bad', '1.json'))).toBe(true);
    expect(worktrees(p.dir)).toHaveLength(1);
    expect(git(p.dir, 'status', '--porcelain')).toBe('');

    // a second gc finds nothing more, and says so in words without --json
    const again = baton(p, ['run', 'gc']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/removed 0 attempt branch\(es\) and the run logs of 0 task\(s\)/);
    expect(branches(p.dir)).toEqual(['baton/bad/1']);
  });
});

describe('baton run log', () => {
  it('prints the last attempt by default, --attempt N a given one, and refuses unknown ones', () => {
    const p = plan([{ id: 'x', act: 'say hello from attempt {attempt}; fail-before 2' }]);
    expect(run(p).code).toBe(0);
    expect(status(p.dir, 'x')).toBe('done');

    const last = baton(p, ['run', 'log', 'x']);
    expect(last.code).toBe(0);
    expect(last.stdout).toContain('hello from attempt 2');
    expect(last.stdout).not.toContain('attempt 1');

    const first = baton(p, ['run', 'log', 'x', '--attempt', '1']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('hello from attempt 1');
    expect(first.stdout).toContain('attempt 1: not yet');
    expect(first.stdout).not.toContain('attempt 2');

    const unknown = baton(p, ['run', 'log', 'nope']);
    expect([1, 2]).toContain(unknown.code);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('no run log for nope');

    const noSuchAttempt = baton(p, ['run', 'log', 'x', '--attempt', '7']);
    expect([1, 2]).toContain(noSuchAttempt.code);
    expect(noSuchAttempt.stderr).toContain('x has run logs for attempts 1, 2, not 7');

    const noId = baton(p, ['run', 'log']);
    expect([1, 2]).toContain(noId.code);
    expect(noId.stderr).toContain('baton run log needs a task id');
  });
});

describe('baton run --check', () => {
  it('a failing check fails the attempt with "check failed (exit N)" and keeps the work on its branch', () => {
    const p = plan([
      { id: 'good', act: 'write ok.txt fine', extra: { max_attempts: '1' } },
      { id: 'bad', act: 'write wrong.txt oops', extra: { max_attempts: '1' } },
    ]);
    // exit 3 unless the attempt wrote ok.txt: the check runs in the attempt's worktree
    const r = run(p, ['--check', 'test -f ok.txt || exit 3']);
    expect(r.code).toBe(1);
    expect(status(p.dir, 'good')).toBe('done');
    expect(status(p.dir, 'bad')).toBe('failed');
    expect(taskText(p.dir, 'bad')).toMatch(
      / fail: check failed \(exit 3\) \(attempt 1 of 1; final failure\)/,
    );
    expect(r.stdout).toMatch(
      /failed {3}bad \(attempt 1\): check failed \(exit 3\); no retries left/,
    );
    // the work stays on the branch and never reaches main
    expect(branches(p.dir)).toEqual(['baton/bad/1']);
    expect(git(p.dir, 'show', 'baton/bad/1:wrong.txt')).toBe('oops\n');
    expect(existsSync(join(p.dir, 'wrong.txt'))).toBe(false);
    expect(readFileSync(join(p.dir, 'ok.txt'), 'utf8')).toBe('fine\n');
    const record = JSON.parse(readFileSync(runs(p.dir, 'bad', '1.json'), 'utf8'));
    expect(record).toMatchObject({ state: 'failed', reason: 'check failed (exit 3)' });
  });
});

describe('baton run --max-tasks', () => {
  it('--max-tasks 2 on four ready tasks starts exactly two', () => {
    const ids = ['m1', 'm2', 'm3', 'm4'];
    const p = plan(ids.map((id) => ({ id, act: `write ${id}.txt ${id}` })));
    const r = run(p, ['-j', '4', '--max-tasks', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(starts(p.log)).toHaveLength(2);
    const ran = starts(p.log).map((s) => s[0]!);
    expect(new Set(ran).size).toBe(2);
    for (const id of ids) expect(status(p.dir, id)).toBe(ran.includes(id) ? 'done' : 'todo');
    expect(r.stdout).toMatch(/finished: 2 started, 2 done, 0 failed/);
    expect(branches(p.dir)).toEqual([]);
  });
});

describe('baton run --json', () => {
  it('every stdout line is a JSON object with a type; the last one is the summary', () => {
    const p = plan([
      { id: 'j1', act: 'write j1.txt j1' },
      { id: 'j2', act: 'fail', extra: { max_attempts: '1' } },
      { id: 'j3', act: 'write j3.txt j3', deps: ['j2'] },
    ]);
    const r = run(p, ['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(r.stdout.endsWith('\n')).toBe(true);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events) {
      expect(typeof e).toBe('object');
      expect(Array.isArray(e)).toBe(false);
      expect(typeof e.type).toBe('string');
      expect(typeof e.time).toBe('string');
    }
    expect(events.filter((e) => e.type === 'summary')).toHaveLength(1);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({
      type: 'summary',
      target: 'main',
      started: 2,
      done: 1,
      failed: 1,
      conflicts: 0,
      left: ['j3'],
      interrupted: false,
      exit: 1,
    });
    const types = events.map((e) => `${e.type} ${e.id ?? ''}`.trim());
    expect(types).toContain('start j1');
    expect(types).toContain('merged j1');
    expect(types).toContain('start j2');
    expect(types).toContain('failed j2');
    expect(events.find((e) => e.type === 'failed')).toMatchObject({
      id: 'j2',
      attempt: 1,
      final: true,
      branch: 'baton/j2/1',
    });
  });
});

describe("a task's own run: command", () => {
  it('runs `run:` without --cmd; a task with neither is skipped, left todo, and the run ends', () => {
    const p = plan([
      { id: 'own', extra: { run: JSON.stringify('echo from-own-run > own.txt') } },
      { id: 'none' },
      { id: 'after', deps: ['none'], extra: { run: JSON.stringify('true') } },
    ]);
    const r = baton(p, ['run', '--json']);
    expect(r.stderr).toBe('');
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'start' && e.id === 'own')).toMatchObject({
      command: 'echo from-own-run > own.txt',
    });
    const skipped = events.filter((e) => e.type === 'skipped');
    expect(skipped.map((e) => e.id)).toEqual(['none']);
    expect(String(skipped[0]!.reason)).toContain('no command');
    expect(status(p.dir, 'own')).toBe('done');
    expect(readFileSync(join(p.dir, 'own.txt'), 'utf8')).toBe('from-own-run\n');
    expect(status(p.dir, 'none')).toBe('todo');
    expect(status(p.dir, 'after')).toBe('todo');
    expect(taskText(p.dir, 'none')).not.toContain('## Log');
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', started: 1, done: 1 });
    expect((summary.left as string[]).sort()).toEqual(['after', 'none']);
    // nothing failed: the run ends with 0, the skipped task listed as left open
    expect(r.code).toBe(0);
  });
});

describe('baton run --agent-profiles', () => {
  it("each task is run by the profile that has its skill, with that profile's command", () => {
    const profile = (name: string, skill: string) =>
      `---\nname: ${name}\nskills: [${skill}]\ncapacity: 1\ncommand: ${JSON.stringify(`${AGENT} --as-${name}`)}\n---\nThe ${skill} agent.\n`;
    const p = plan(
      [
        { id: 'ui', act: 'write ui.txt ui', extra: { skills: '[frontend]' } },
        { id: 'api', act: 'write api.txt api', extra: { skills: '[backend]' } },
        { id: 'css', act: 'write css.txt css', extra: { skills: '[frontend]' } },
      ],
      {
        '.tasks/agents/fe.md': profile('fe', 'frontend'),
        '.tasks/agents/be.md': profile('be', 'backend'),
      },
    );
    const r = baton(p, ['run', '--agent-profiles', '-j', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ranBy = Object.fromEntries(starts(p.log).map(([id, , agent]) => [id, agent]));
    expect(ranBy).toEqual({ ui: 'fe', css: 'fe', api: 'be' });
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events.filter((e) => e.type === 'start')) {
      expect(e.command).toBe(`${AGENT} --as-${e.agent}`);
    }
    for (const [id, agent] of Object.entries(ranBy)) {
      expect(status(p.dir, id)).toBe('done');
      expect(taskText(p.dir, id)).toMatch(new RegExp(`^assignee: ${agent}$`, 'm'));
      expect(taskText(p.dir, id)).toMatch(new RegExp(` ${agent} done: baton run, attempt 1`));
      const merge = git(p.dir, 'log', '-1', '--format=%(trailers)', '--grep', `done ${id} `);
      expect(merge).toContain(`Baton-Agent: ${agent}`);
    }
  });
});

describe("the agent's environment", () => {
  it('BATON_* variables, the task file inside its worktree, and a cwd outside the working tree', () => {
    const p = plan([{ id: 'e1', act: 'env; write e1.txt e1' }]);
    const before = Date.now();
    const r = run(p, ['--timeout', '5m']);
    const after = Date.now();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const seen = JSON.parse(readFileSync(join(p.envDir, 'e1-1.json'), 'utf8'));
    const env = seen.env as Record<string, string>;
    expect(env.BATON_TASK_ID).toBe('e1');
    expect(env.BATON_ATTEMPT).toBe('1');
    expect(env.BATON_AGENT).toBe(NAME);
    expect(env.BATON_BRANCH).toBe('baton/e1/1');

    // the worktree: its own top level, on the attempt's branch, at the claim commit
    const cwd = seen.cwd as string;
    expect(seen.toplevel).toBe(cwd);
    expect(seen.branch).toBe('baton/e1/1');
    expect(seen.head).toBe(env.BATON_BASE);
    expect(seen.worktrees).toContain(cwd);
    expect(git(p.dir, 'log', '-1', '--format=%s', env.BATON_BASE!).trim()).toBe('baton: claim e1');
    expect(git(p.dir, 'merge-base', '--is-ancestor', env.BATON_BASE!, 'main')).toBe('');

    // outside the repository's working tree (git's own folder is not part of it)
    const rel = relative(p.dir, cwd);
    expect(rel.startsWith('..') || isAbsolute(rel) || rel.startsWith('.git/')).toBe(true);
    expect(existsSync(cwd)).toBe(false); // removed after the attempt
    expect(worktrees(p.dir)).toHaveLength(1);

    // the task file: inside the worktree, there while the agent ran, as it was claimed
    expect(env.BATON_TASK_FILE).toBe(join(cwd, '.tasks/main/e1.md'));
    expect(seen.taskFileExists).toBe(true);
    // stdin: the task file as claimed, then the context of the attempt
    expect(seen.stdin.startsWith(seen.taskFileText)).toBe(true);
    expect(seen.stdin).toContain('\n## Context\n\nThis is attempt 1, on branch baton/e1/1.');
    expect(seen.stdin).toMatch(/^status: in_progress$/m);
    expect(seen.stdin).toMatch(new RegExp(`^assignee: ${NAME}$`, 'm'));

    // --timeout 5m: the deadline is five minutes after a start between `before` and `after`
    const deadline = Date.parse(env.BATON_DEADLINE!);
    expect(Number.isNaN(deadline)).toBe(false);
    expect(deadline).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1000);
    expect(deadline).toBeLessThanOrEqual(after + 5 * 60_000);
    expect(readFileSync(join(p.dir, 'e1.txt'), 'utf8')).toBe('e1\n');
  });

  it('without --timeout BATON_DEADLINE is empty', () => {
    const p = plan([{ id: 'e2', act: 'env' }]);
    expect(run(p).code).toBe(0);
    const seen = JSON.parse(readFileSync(join(p.envDir, 'e2-1.json'), 'utf8'));
    expect(seen.env.BATON_DEADLINE).toBe('');
  });
});

describe('a claim whose lease ran out (its runner is gone, in another clone)', () => {
  /** In progress under an expired lease of `robo`, as a runner's claim leaves it (or not assigned). */
  const stale = (assigned = true): Plan =>
    plan([
      {
        id: 'old',
        act: 'write old.txt old',
        extra: {
          status: 'in_progress',
          ...(assigned ? { assignee: NAME } : {}),
          lease: `{ agent: ${NAME}, until: 2026-01-01T00:00:00Z }`,
        },
      },
    ]);

  it('is ready again, and a runner under another name takes over an unassigned one', () => {
    const p = stale(false);
    expect(baton(p, ['ready']).stdout).toContain('old');
    const r = run(p, [], { BATON_AGENT: 'other' });
    expect(r.code).toBe(0);
    expect(starts(p.log)).toEqual([['old', '1', 'other']]);
    expect(status(p.dir, 'old')).toBe('done');
  });

  // The claim a crashed runner left under this agent's own name, its lease run out: the
  // next runner under that name takes it over (runners under other names skip it: it is
  // assigned to robo).
  it('is taken over by a runner under the same agent name', () => {
    const p = stale();
    expect(baton(p, ['ready']).stdout).toContain('old');
    const r = run(p);
    expect(r.code).toBe(0);
    expect(starts(p.log)).toEqual([['old', '1', NAME]]);
    expect(status(p.dir, 'old')).toBe('done');
  });
});
