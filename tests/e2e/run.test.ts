/**
 * End-to-end: `baton run` on real repositories with a fake agent (tests/fixtures/run/
 * agent.mjs) that edits files, fails, sleeps or waits for another task as its task's
 * `act:` says. Concurrency is proven by what the agents record (start/end lines in order),
 * never by timing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BATON_BIN,
  GIT_ENV,
  git,
  gitRepo,
  ROOT,
  runBaton,
  taskFile,
  tempDir,
} from '../helpers/git-repo.js';

const AGENT = `node ${join(ROOT, 'tests/fixtures/run/agent.mjs')}`;

interface Spec {
  id: string;
  act: string;
  deps?: string[];
  extra?: Record<string, string>;
}

function plan(specs: Spec[], config = ''): { dir: string; log: string; pids: string } {
  const tree: Record<string, string> = {
    '.tasks/config.yaml': `prefix: t\nretry: { base: 0.01m, cap: 0.02m }\n${config}`,
    'shared.txt': 'one\ntwo\nthree\n',
  };
  for (const s of specs) {
    tree[`.tasks/main/${s.id}.md`] = taskFile({
      id: s.id,
      title: `Task ${s.id}`,
      status: 'todo',
      ...(s.deps ? { depends_on: `[${s.deps.join(', ')}]` } : {}),
      act: JSON.stringify(s.act),
      ...s.extra,
    });
  }
  const dir = gitRepo(tree);
  const aux = tempDir();
  return { dir, log: join(aux, 'agent.log'), pids: join(aux, 'pids') };
}

function run(
  p: { dir: string; log: string; pids: string },
  args: string[] = [],
  env: Record<string, string> = {},
) {
  writeFileSync(p.log, '', { flag: 'a' });
  return runBaton(p.dir, ['run', '--cmd', AGENT, ...args], {
    env: { AGENT_LOG: p.log, AGENT_PIDS: p.pids, ...env },
  });
}

const status = (dir: string, id: string) =>
  /^status: (\S+)$/m.exec(readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8'))?.[1];
const worktrees = (dir: string) =>
  git(dir, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '));
const branches = (dir: string) =>
  git(dir, 'branch', '--list', 'baton/*', '--format=%(refname:short)').split('\n').filter(Boolean);
/** Most agents running at once, from the start/end lines in the order they were written. */
function maxOverlap(log: string, ids?: readonly string[]): number {
  let now = 0;
  let max = 0;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const [what, id] = line.split(' ');
    if (ids && !ids.includes(id!)) continue;
    if (what === 'start') max = Math.max(max, ++now);
    if (what === 'end') now--;
  }
  return max;
}
const starts = (log: string) =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('start '))
    .map((l) => l.split(' ')[1]!);

describe('baton run', () => {
  it('A -> B and C at -j 2: A and C at once, B after A is merged and sees its file; clean at the end', () => {
    const p = plan([
      { id: 'a', act: 'await c; write a.txt from a' },
      { id: 'b', act: 'read a.txt; write b.txt from b', deps: ['a'] },
      { id: 'c', act: 'await a; write c.txt from c' },
    ]);
    const r = run(p, ['-j', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(maxOverlap(p.log, ['a', 'c'])).toBe(2);
    const order = starts(p.log);
    expect(order.indexOf('b')).toBeGreaterThan(order.indexOf('a'));
    for (const id of ['a', 'b', 'c']) expect(status(p.dir, id)).toBe('done');
    for (const f of ['a.txt', 'b.txt', 'c.txt']) expect(existsSync(join(p.dir, f))).toBe(true);
    expect(worktrees(p.dir)).toHaveLength(1);
    expect(branches(p.dir)).toEqual([]);
    expect(git(p.dir, 'status', '--porcelain')).toBe('');
    const merge = git(p.dir, 'log', '-1', '--format=%(trailers)', '--grep', 'done b');
    expect(merge).toContain('Baton-Task: b');
    expect(merge).toContain('Baton-Attempt: 1');
    expect(r.stdout).toMatch(/finished: 3 started, 3 done, 0 failed/);
  });

  it('fail, then succeed after the backoff; the first attempt is kept on its branch', () => {
    const p = plan([{ id: 'x', act: 'fail-before 2; write x.txt done' }]);
    const r = run(p);
    expect(r.code).toBe(0);
    expect(status(p.dir, 'x')).toBe('done');
    expect(starts(p.log)).toEqual(['x', 'x']);
    expect(branches(p.dir)).toEqual(['baton/x/1']);
    expect(git(p.dir, 'show', 'baton/x/1:partial-1.txt')).toBe('half done\n');
    const text = readFileSync(join(p.dir, '.tasks/main/x.md'), 'utf8');
    const retry = /fail: exit 1: attempt 1: not yet \(attempt 1 of 3; retry after (\S+)\)/.exec(
      text,
    );
    expect(retry).not.toBeNull();
    const second = JSON.parse(readFileSync(join(p.dir, '.tasks/.local/runs/x/2.json'), 'utf8'));
    expect(Date.parse(second.started)).toBeGreaterThanOrEqual(Date.parse(retry![1]!));
    expect(runBaton(p.dir, ['run', 'log', 'x', '--attempt', '1']).stdout).toContain(
      'attempt 1: not yet',
    );
  });

  it('past max_attempts: failed, dependents stay blocked, exit 1', () => {
    const p = plan([
      { id: 'f', act: 'fail', extra: { max_attempts: '2' } },
      { id: 'g', act: 'write g.txt g', deps: ['f'] },
    ]);
    const r = run(p);
    expect(r.code).toBe(1);
    expect(status(p.dir, 'f')).toBe('failed');
    expect(status(p.dir, 'g')).toBe('todo');
    expect(starts(p.log)).toEqual(['f', 'f']);
    expect(r.stdout).toMatch(/left open: g/);
  });

  it('a timeout stops the agent and the child it started; the task fails with reason timeout', () => {
    const p = plan([{ id: 's', act: 'spawn-sleep 60', extra: { max_attempts: '1' } }]);
    // 4 s: long enough for the agent to start its child even on a loaded machine
    const r = run(p, ['--timeout', '4s', '--grace', '1s']);
    expect(r.code).toBe(1);
    expect(status(p.dir, 's')).toBe('failed');
    expect(readFileSync(join(p.dir, '.tasks/main/s.md'), 'utf8')).toMatch(
      / fail: timeout after 4s/,
    );
    for (const pid of readFileSync(p.pids, 'utf8').split('\n').filter(Boolean)) {
      expect(alive(Number(pid))).toBe(false);
    }
  });

  it('two results on the same line: one merges, the other is a conflict naming it', () => {
    const p = plan([
      { id: 'p', act: 'await q; write shared.txt from p' },
      { id: 'q', act: 'await p; write shared.txt from q' },
    ]);
    const r = run(p, ['-j', '2']);
    expect(r.code).toBe(1);
    const states = [status(p.dir, 'p'), status(p.dir, 'q')].sort();
    expect(states).toEqual(['blocked', 'done']);
    const winner = status(p.dir, 'p') === 'done' ? 'p' : 'q';
    const loser = winner === 'p' ? 'q' : 'p';
    expect(readFileSync(join(p.dir, 'shared.txt'), 'utf8')).toBe(`from ${winner}\n`);
    const text = readFileSync(join(p.dir, `.tasks/main/${loser}.md`), 'utf8');
    expect(text).toContain(`conflict: conflict in shared.txt (changed by ${winner})`);
    expect(branches(p.dir)).toEqual([`baton/${loser}/1`]);
  });

  it('six tasks at -j 2: never more than two at once; a resource of capacity 1 never held twice', () => {
    const specs: Spec[] = ['t1', 't2', 't3', 't4', 't5', 't6'].map((id, k) => ({
      id,
      act: `sleep 0.3; write ${id}.txt ${id}`,
      ...(k < 3 ? { extra: { resources: '[api]' } } : {}),
    }));
    const p = plan(specs, 'resources: { api: { capacity: 1 } }\n');
    const r = run(p, ['-j', '2']);
    expect(r.code).toBe(0);
    expect(maxOverlap(p.log)).toBeLessThanOrEqual(2);
    expect(maxOverlap(p.log, ['t1', 't2', 't3'])).toBe(1);
    expect(starts(p.log).sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
  });

  it("the user's uncommitted edits survive a run that merges into the checked-out branch", () => {
    const p = plan([{ id: 'w', act: 'write w.txt from w' }]);
    writeFileSync(join(p.dir, 'README.md'), '# my unsaved edit\n');
    writeFileSync(join(p.dir, 'scratch.txt'), 'untracked\n');
    git(p.dir, 'add', 'README.md');
    writeFileSync(join(p.dir, 'shared.txt'), 'one\ntwo\nthree\nfour (unstaged)\n');
    const r = run(p);
    expect(r.code).toBe(0);
    expect(readFileSync(join(p.dir, 'README.md'), 'utf8')).toBe('# my unsaved edit\n');
    expect(readFileSync(join(p.dir, 'scratch.txt'), 'utf8')).toBe('untracked\n');
    expect(readFileSync(join(p.dir, 'shared.txt'), 'utf8')).toContain('four (unstaged)');
    expect(readFileSync(join(p.dir, 'w.txt'), 'utf8')).toBe('from w\n');
    expect(git(p.dir, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ' M shared.txt',
      '?? scratch.txt',
      'M  README.md',
    ]);
  });

  it('a result that would overwrite an uncommitted edit is not merged; the run does not wait', () => {
    const p = plan([{ id: 'v', act: 'write shared.txt from v' }]);
    writeFileSync(join(p.dir, 'shared.txt'), 'my own edit\n');
    const r = run(p);
    expect(r.code).toBe(1);
    expect(readFileSync(join(p.dir, 'shared.txt'), 'utf8')).toBe('my own edit\n');
    expect(status(p.dir, 'v')).toBe('blocked');
    expect(readFileSync(join(p.dir, '.tasks/main/v.md'), 'utf8')).toContain(
      'not merged: uncommitted changes in the checkout in shared.txt; work kept on baton/v/1',
    );
    expect(git(p.dir, 'show', 'baton/v/1:shared.txt')).toBe('from v\n');
  });

  it('--dry-run says what would start, in order, and runs nothing', () => {
    const p = plan([
      { id: 'a', act: '' },
      { id: 'b', act: '', deps: ['a'] },
      { id: 'c', act: '' },
    ]);
    const r = runBaton(p.dir, ['run', '--dry-run', '-j', '2', '--cmd', 'true', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { starts: { id: string; wave: number }[] };
    expect(out.starts.map((s) => [s.id, s.wave])).toEqual([
      ['a', 1],
      ['c', 1],
      ['b', 2],
    ]);
    expect(git(p.dir, 'log', '--oneline').trim().split('\n')).toHaveLength(1);
  });

  it('two runners at once on 20 tasks: each task runs exactly once', async () => {
    const ids = Array.from({ length: 20 }, (_, k) => `n${String(k).padStart(2, '0')}`);
    const p = plan(ids.map((id) => ({ id, act: `write ${id}.txt ${id}` })));
    writeFileSync(p.log, '');
    const env = { AGENT_LOG: p.log, AGENT_PIDS: p.pids };
    const [one, two] = await Promise.all([
      spawnRun(p.dir, ['-j', '3'], env).done,
      spawnRun(p.dir, ['-j', '3'], env).done,
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(starts(p.log).sort()).toEqual(ids);
    for (const id of ids) expect(status(p.dir, id)).toBe('done');
    expect(worktrees(p.dir)).toHaveLength(1);
  });

  it('Ctrl-C twice: exit 130, work kept on branches, tasks back in the queue; a second run finishes', async () => {
    const p = plan([
      { id: 'i1', act: 'write i1.txt early; sleep 60' },
      { id: 'i2', act: 'write i2.txt early; sleep 60' },
    ]);
    writeFileSync(p.log, '');
    const runner = spawnRun(p.dir, ['-j', '2'], { AGENT_LOG: p.log, AGENT_PIDS: p.pids });
    await until(() => starts(p.log).length === 2);
    runner.child.kill('SIGINT');
    await until(() => runner.stdout().includes('finishing'));
    runner.child.kill('SIGINT');
    const end = await runner.done;
    expect(end.code).toBe(130);
    expect(worktrees(p.dir)).toHaveLength(1);
    expect(branches(p.dir).sort()).toEqual(['baton/i1/1', 'baton/i2/1']);
    expect(git(p.dir, 'show', 'baton/i1/1:i1.txt')).toBe('early\n');
    expect([status(p.dir, 'i1'), status(p.dir, 'i2')]).toEqual(['todo', 'todo']);
    const again = run(p, ['-j', '2'], { AGENT_FAST: '1' });
    expect(again.code).toBe(0);
    expect([status(p.dir, 'i1'), status(p.dir, 'i2')]).toEqual(['done', 'done']);
  });

  it('kill -9 of the runner, then a second run: the same tree as a run never interrupted', async () => {
    const specs: Spec[] = [
      { id: 'k1', act: 'write k1.txt k1; sleep 60' },
      { id: 'k2', act: 'write k2.txt k2', deps: ['k1'] },
      { id: 'k3', act: 'write k3.txt k3' },
    ];
    const p = plan(specs);
    writeFileSync(p.log, '');
    const runner = spawnRun(p.dir, ['-j', '2'], { AGENT_LOG: p.log, AGENT_PIDS: p.pids });
    await until(() => starts(p.log).includes('k1'));
    runner.child.kill('SIGKILL');
    await runner.done;
    const again = run(p, ['-j', '2'], { AGENT_FAST: '1' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('recovered k1 attempt 1');
    expect(worktrees(p.dir)).toHaveLength(1);
    for (const s of specs) expect(status(p.dir, s.id)).toBe('done');

    const clean = plan(specs);
    expect(run(clean, ['-j', '2'], { AGENT_FAST: '1' }).code).toBe(0);
    expect(workTree(p.dir)).toEqual(workTree(clean.dir));
  });
});

/** Every file at HEAD but the task files (whose logs differ in times and attempts). */
function workTree(dir: string): string {
  return git(dir, 'ls-tree', '-r', 'HEAD')
    .split('\n')
    .filter((l) => l && !l.includes('\t.tasks/'))
    .join('\n');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function spawnRun(dir: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BATON_BIN, 'run', '--cmd', AGENT, ...args], {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err })),
  );
  return { child, done, stdout: () => out };
}

async function until(test: () => boolean): Promise<void> {
  for (let k = 0; k < 1200; k++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
}
