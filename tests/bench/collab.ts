/**
 * Benchmarks of the collaboration paths at one repo size (10,000 tasks by default), on a copy
 * of the generated repo so the size tables' repo stays untouched:
 * - the time the pre-commit hook adds to `git commit` with one staged task file (median of
 *   commits with the hook minus median of `--no-verify` commits, alternated);
 * - `baton list --all-branches --json` with the tasks on 5 branches.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Measurer, median } from './measure.js';

export interface CollabRow {
  label: string;
  ms: number;
  target: string;
  ok: boolean;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function benchCollab(
  repo: string,
  work: string,
  baton: string,
  runs: number,
  measurer: Measurer,
): CollabRow[] {
  rmSync(work, { recursive: true, force: true });
  cpSync(repo, work, { recursive: true });
  rmSync(join(work, '.tasks', '.local'), { recursive: true, force: true });
  git(work, 'config', 'user.name', 'bench');
  git(work, 'config', 'user.email', 'bench@example.com');
  git(work, 'config', 'commit.gpgsign', 'false');
  const node = process.execPath;
  execFileSync(node, [baton, 'hooks', 'install'], { cwd: work, stdio: 'ignore' });
  execFileSync(node, [baton, 'ready', '--json'], {
    cwd: work,
    stdio: 'ignore',
    maxBuffer: 1 << 30,
  });
  const file = join('.tasks', 'main', readdirSync(join(work, '.tasks', 'main')).sort()[0]!);

  const withHook: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < runs * 2; i++) {
    appendFileSync(join(work, file), `\n- bench edit ${i}\n`);
    git(work, 'add', file);
    const args = [
      'git',
      'commit',
      '-q',
      '-m',
      `bench ${i}`,
      ...(i % 2 === 0 ? [] : ['--no-verify']),
    ];
    const s = measurer.run(args, work);
    if (s.status !== 0) throw new Error(`git commit failed: ${s.stderr.trim().split('\n')[0]}`);
    (i % 2 === 0 ? withHook : without).push(s.ms);
  }
  const added = median(withHook) - median(without);

  // Five branches, each with a few hundred tasks changed, the rest shared.
  const base = git(work, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
  const files = readdirSync(join(work, '.tasks', 'main')).sort();
  for (let b = 1; b <= 4; b++) {
    git(work, 'checkout', '-q', '-b', `bench-branch-${b}`, base);
    for (const f of files.slice(b * 100, b * 100 + 100))
      appendFileSync(join(work, '.tasks', 'main', f), `\n- branch ${b}\n`);
    git(work, 'commit', '-q', '--no-verify', '-am', `branch ${b}`);
  }
  git(work, 'checkout', '-q', base);
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = measurer.run([node, baton, 'list', '--all-branches', '--json'], work);
    if (s.status !== 0)
      throw new Error(`list --all-branches failed: ${s.stderr.trim().split('\n')[0]}`);
    all.push(s.ms);
  }
  rmSync(work, { recursive: true, force: true });
  const allMs = median(all);
  return [
    {
      label: 'pre-commit hook, added to `git commit` (1 staged task file)',
      ms: added,
      target: '< 300 ms',
      ok: added < 300,
    },
    {
      label: '`baton list --all-branches --json`, 5 branches',
      ms: allMs,
      target: '< 2000 ms',
      ok: allMs < 2000,
    },
  ];
}
