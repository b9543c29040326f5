/** --all-branches reads every local and remote-tracking branch from git objects. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, taskFile, tempDir } from '../helpers/git-repo.js';

interface Listed {
  id: string;
  status: string;
  branches: string[];
  disagree: boolean;
  versions?: { branch: string; status: string }[];
}

function clone(bare: string, name: string): string {
  const dir = join(tempDir(), name);
  git(tempDir(), 'clone', '-q', bare, dir);
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.com`);
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

describe('list and ready --all-branches', () => {
  it('shows tasks of every branch, where they live, and whether the branches disagree', () => {
    const origin = gitRepo({
      '.tasks/main/shared.md': taskFile({ id: 'shared', title: 'Shared', status: 'todo' }),
      '.tasks/main/base.md': taskFile({ id: 'base', title: 'Base', status: 'todo' }),
    });
    const bare = join(tempDir(), 'remote.git');
    git(tempDir(), 'clone', '-q', '--bare', origin, bare);
    const alice = clone(bare, 'alice');
    const bob = clone(bare, 'bob');

    git(alice, 'checkout', '-q', '-b', 'feature/x');
    writeFileSync(
      join(alice, '.tasks/main/shared.md'),
      taskFile({ id: 'shared', title: 'Shared', status: 'done' }),
    );
    writeFileSync(
      join(alice, '.tasks/main/feat.md'),
      taskFile({ id: 'feat', title: 'Feature work', status: 'todo', depends_on: '[shared]' }),
    );
    git(alice, 'add', '-A');
    git(alice, 'commit', '-q', '-m', 'feature tasks');
    git(alice, 'push', '-q', 'origin', 'feature/x');

    git(bob, 'fetch', '-q');
    const plain = JSON.parse(runBaton(bob, ['list', '--json']).stdout) as { id: string }[];
    expect(plain.map((t) => t.id).sort()).toEqual(['base', 'shared']);

    const res = runBaton(bob, ['list', '--all-branches', '--json']);
    expect(res.stderr).toBe('');
    // The second run answers from the blob parse cache, with the same result.
    expect(existsSync(join(bob, '.tasks/.local/blobs.json'))).toBe(true);
    expect(runBaton(bob, ['list', '--all-branches', '--json']).stdout).toBe(res.stdout);
    const all = JSON.parse(res.stdout) as Listed[];
    const byId = new Map(all.map((t) => [t.id, t]));
    expect([...byId.keys()].sort()).toEqual(['base', 'feat', 'shared']);
    expect(byId.get('feat')!.branches).toEqual(['origin/feature/x']);
    expect(byId.get('base')!).toMatchObject({ disagree: false });
    expect(byId.get('base')!.branches).toEqual(['main', 'origin/feature/x', 'origin/main']);
    const shared = byId.get('shared')!;
    expect(shared.disagree).toBe(true);
    expect(shared.status).toBe('todo'); // the current branch's version wins
    expect(shared.versions!.find((v) => v.branch === 'origin/feature/x')!.status).toBe('done');

    // ready across branches uses the chosen versions: feat waits on shared (todo on main).
    const ready = JSON.parse(
      runBaton(bob, ['ready', '--all-branches', '--json']).stdout,
    ) as Listed[];
    expect(ready.map((t) => t.id).sort()).toEqual(['base', 'shared']);
  });
});
