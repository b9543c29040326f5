/**
 * End-to-end: claims with leases on one machine (eight processes at once, stale locks) and
 * across clones (`claim --push` races through a bare remote), and release.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BATON_BIN,
  git,
  gitRepo,
  runBaton,
  runBatonAsync,
  taskFile,
  tempDir,
} from '../helpers/git-repo.js';

const TASK = '.tasks/main/t-1.md';
const task = (extra: Record<string, string> = {}, body = 'Body.\n') =>
  taskFile({ id: 't-1', title: 'Claim me', status: 'todo', ...extra }, body);

const read = (dir: string, path = TASK) => readFileSync(join(dir, path), 'utf8');
const logLines = (text: string, verb: string) =>
  text.split('\n').filter((l) => new RegExp(`^- \\S+ \\S+ ${verb}\\b`).test(l));

describe('claim on one machine', () => {
  it('eight concurrent claims: exactly one wins, the others name the winner', async () => {
    const dir = gitRepo({ '.tasks/config.yaml': 'prefix: t\n', [TASK]: task() });
    const agents = Array.from({ length: 8 }, (_, k) => `agent${k}`);
    const results = await Promise.all(
      agents.map((a) => runBatonAsync(dir, ['claim', 't-1', '--agent', a])),
    );
    const winners = results.filter((r) => r.code === 0);
    expect(winners).toHaveLength(1);
    const text = read(dir);
    const winner = /^assignee: (\S+)$/m.exec(text)?.[1];
    expect(winner).toBeDefined();
    expect(winners[0]!.stdout).toContain('claimed t-1');
    for (const r of results.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`claimed by ${winner}`);
    }
    expect(text).toContain('status: in_progress');
    expect(text).toMatch(
      new RegExp(`^lease: \\{ agent: ${winner}, until: "[^"]+Z", claimed: `, 'm'),
    );
    expect(logLines(text, 'claim')).toHaveLength(1);
    expect(text).toMatch(new RegExp(`- \\S+Z ${winner} claim: lease until \\S+Z`));
  });

  it('breaks a stale lock: a dead holder on this host, or one older than 30 s', async () => {
    const dir = gitRepo({ '.tasks/config.yaml': 'prefix: t\n', [TASK]: task() });
    const locks = join(dir, '.tasks/.local/locks');
    mkdirSync(locks, { recursive: true });
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('exit', () => resolve(child.pid!));
    });
    const lock = join(locks, 't-1.lock');
    const info = { pid: dead, host: hostname(), time: new Date().toISOString(), token: 'x' };
    writeFileSync(lock, JSON.stringify(info));
    const first = runBaton(dir, ['claim', 't-1', '--agent', 'alice']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // a live process elsewhere, but its lock is a minute old
    const old = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', time: old, token: 'y' }));
    const again = runBaton(dir, ['claim', 't-1', '--agent', 'alice', '--lease', '3h']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('extended the claim on t-1');
    expect(git(dir, 'status', '--porcelain', '--', '.tasks/.local')).toBe('');
  });

  it('refuses tasks that are not claimable, and says why', () => {
    const dir = gitRepo({
      '.tasks/config.yaml': 'prefix: t\n',
      '.tasks/main/dep.md': taskFile({ id: 'dep', title: 'First', status: 'todo' }),
      '.tasks/main/waits.md': taskFile({ id: 'waits', title: 'Second', depends_on: '[dep]' }),
      '.tasks/main/closed.md': taskFile({ id: 'closed', title: 'Done', status: 'done' }),
      '.tasks/main/later.md': taskFile({ id: 'later', title: 'Later', not_before: '2999-01-01' }),
    });
    const waits = runBaton(dir, ['claim', 'waits', '--agent', 'alice']);
    expect(waits.code).toBe(1);
    expect(waits.stderr).toContain('waits is not ready: waiting on dep');
    const closed = runBaton(dir, ['claim', 'closed', '--agent', 'alice']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('closed is done; not claimable');
    const later = runBaton(dir, ['claim', 'later', '--agent', 'alice']);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('not before 2999-01-01');
    const bad = runBaton(dir, ['claim', 'dep', '--agent', 'alice', '--lease', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lease takes a duration');
    expect(read(dir, '.tasks/main/dep.md')).not.toContain('lease');
  });

  it('takes over an expired lease (logged) and extends your own', () => {
    const expired = '{ agent: bob, until: "2020-01-01T00:00:00Z" }';
    const dir = gitRepo({
      '.tasks/config.yaml': 'prefix: t\n',
      [TASK]: task({ status: 'in_progress', assignee: 'bob', lease: expired }),
    });
    const r = runBaton(dir, ['claim', 't-1', '--agent', 'alice', '--lease', '30m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('took over (expired lease of bob)');
    const text = read(dir);
    expect(text).toContain('assignee: alice');
    expect(text).toMatch(/alice claim: lease until \S+Z \(took over the expired lease of bob\)/);
    const until1 = /until: "([^"]+)"/.exec(text)![1]!;
    const bob = runBaton(dir, ['claim', 't-1', '--agent', 'bob']);
    expect(bob.code).toBe(1);
    expect(bob.stderr).toContain('t-1 is claimed by alice');
    const ext = runBaton(dir, ['claim', 't-1', '--agent', 'alice', '--lease', '2h']);
    expect(ext.code).toBe(0);
    const until2 = /until: "([^"]+)"/.exec(read(dir))![1]!;
    expect(Date.parse(until2)).toBeGreaterThan(Date.parse(until1));
    expect(read(dir)).toMatch(/alice claim: lease until \S+ \(extended\)/);
  });
});

describe('release', () => {
  it('gives the task back: only the holder, or anyone once the lease expired', () => {
    const dir = gitRepo({ '.tasks/config.yaml': 'prefix: t\n', [TASK]: task() });
    expect(runBaton(dir, ['claim', 't-1', '--agent', 'alice']).code).toBe(0);
    const bob = runBaton(dir, ['release', 't-1', '--agent', 'bob']);
    expect(bob.code).toBe(1);
    expect(bob.stderr).toContain('claimed by alice');
    // something the user staged stays staged and out of baton's commit
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    git(dir, 'add', 'README.md');
    const r = runBaton(dir, ['release', 't-1', '--agent', 'alice', '--commit']);
    expect(r.code).toBe(0);
    const text = read(dir);
    expect(text).toContain('status: todo');
    expect(text).not.toMatch(/^(assignee|lease):/m);
    expect(logLines(text, 'release')).toHaveLength(1);
    expect(git(dir, 'log', '-1', '--format=%B')).toBe('baton: release t-1\n\nBaton-Task: t-1\n\n');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(TASK);
    expect(git(dir, 'status', '--porcelain')).toBe('M  README.md\n');
    const again = runBaton(dir, ['release', 't-1', '--agent', 'alice']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('t-1 is not claimed');

    writeFileSync(
      join(dir, TASK),
      task({ status: 'in_progress', assignee: 'bob', lease: '{ agent: bob, until: 2020-01-01 }' }),
    );
    const expired = runBaton(dir, ['release', 't-1', '--agent', 'carol']);
    expect(expired.code).toBe(0);
    expect(read(dir)).toMatch(/carol release$/m);
  });
});

/** A bare remote and `n` clones of it, each with its own identity and baton's merge driver. */
function remoteWithClones(
  n: number,
  tree: Record<string, string>,
): { bare: string; clones: string[] } {
  const seed = gitRepo(tree);
  const bare = join(tempDir(), 'remote.git');
  git(seed, 'init', '-q', '--bare', '-b', 'main', bare);
  git(seed, 'remote', 'add', 'origin', bare);
  git(seed, 'push', '-q', '-u', 'origin', 'main');
  const clones: string[] = [];
  for (let k = 0; k < n; k++) {
    const dir = join(tempDir(), `clone${k}`);
    git(seed, 'clone', '-q', bare, dir);
    git(dir, 'config', 'user.name', `agent${k}`);
    git(dir, 'config', 'user.email', `agent${k}@example.com`);
    git(dir, 'config', 'commit.gpgsign', 'false');
    git(dir, 'config', 'merge.baton.driver', `node ${BATON_BIN} merge-driver %O %A %B %P`);
    writeFileSync(join(dir, '.git/info/attributes'), '.tasks/**/*.md merge=baton\n');
    clones.push(dir);
  }
  return { bare, clones };
}

const tree = { '.tasks/config.yaml': 'prefix: t\n', [TASK]: task() };
const pushEnv = (k: number) => ({
  BATON_AGENT: `agent${k}`,
  GIT_AUTHOR_NAME: `agent${k}`,
  GIT_COMMITTER_NAME: `agent${k}`,
});

describe('claim --push across clones', () => {
  it('two clones claim at the same moment, five rounds: one winner each, the loser clean', async () => {
    const { clones } = remoteWithClones(2, tree);
    const [a, b] = clones as [string, string];
    const wins = { agent0: 0, agent1: 0 };
    const history: string[] = [];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        runBatonAsync(a, ['claim', 't-1', '--push'], pushEnv(0)),
        runBatonAsync(b, ['claim', 't-1', '--push'], pushEnv(1)),
      ]);
      const won = results.findIndex((r) => r.code === 0);
      expect(results.map((r) => r.code).sort(), JSON.stringify(results)).toEqual([0, 1]);
      const winner = `agent${won}`;
      const loser = results[1 - won]!;
      const [wDir, lDir] = won === 0 ? [a, b] : [b, a];
      wins[winner as keyof typeof wins]++;
      expect(loser.stderr).toContain(`lost: t-1 was claimed by ${winner}`);
      expect(git(lDir, 'status', '--porcelain')).toBe('');
      expect(git(lDir, 'rev-parse', 'HEAD')).toBe(git(lDir, 'rev-parse', 'origin/main'));
      expect(read(lDir)).toContain(`assignee: ${winner}`);
      expect(git(wDir, 'log', '-1', '--format=%B', 'origin/main')).toBe(
        'baton: claim t-1\n\nBaton-Task: t-1\n\n',
      );
      const upstream = git(wDir, 'show', `origin/main:${TASK}`);
      expect(upstream).toContain(`lease: { agent: ${winner},`);
      // one claim line per round, each by that round's winner: no loser's claim got in
      history.push(winner);
      expect(logLines(upstream, 'claim').map((l) => l.split(' ')[2])).toEqual(history);
      // reset the task for the next round: the winner releases and pushes, both pull
      const rel = runBaton(wDir, ['release', 't-1', '--commit'], { env: pushEnv(won) });
      expect(rel.code).toBe(0);
      git(wDir, 'push', '-q');
      git(a, 'pull', '-q', '--ff-only');
      git(b, 'pull', '-q', '--ff-only');
      expect(read(a)).toContain('status: todo');
    }
    expect(wins.agent0 + wins.agent1).toBe(5);
  });

  it('merges an unrelated upstream change and pushes again', () => {
    const { clones } = remoteWithClones(2, {
      ...tree,
      '.tasks/main/t-2.md': taskFile({ id: 't-2', title: 'Other', status: 'todo' }),
    });
    const [a, b] = clones as [string, string];
    expect(runBaton(a, ['share', 't-2', 'an unrelated note', '--commit']).code).toBe(0);
    git(a, 'push', '-q');
    const r = runBaton(b, ['claim', 't-1', '--push'], { env: pushEnv(1) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(pushed)');
    git(a, 'pull', '-q', '--ff-only');
    expect(read(a)).toContain('assignee: agent1');
    expect(read(a, '.tasks/main/t-2.md')).toContain('share: an unrelated note');
    expect(git(b, 'status', '--porcelain')).toBe('');
  });

  it("with baton's merge driver, an upstream edit to the same task merges and the claim wins", () => {
    const { clones } = remoteWithClones(2, tree);
    const [a, b] = clones as [string, string];
    expect(runBaton(a, ['update', 't-1', '--set', 'owner_note=x']).code).toBe(0);
    git(a, 'commit', '-q', '-am', 'edit t-1');
    git(a, 'push', '-q');
    const r = runBaton(b, ['claim', 't-1', '--push'], { env: pushEnv(1) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(git(b, 'status', '--porcelain')).toBe('');
    const upstream = git(b, 'show', `origin/main:${TASK}`);
    expect(upstream).toContain('owner_note: x');
    expect(upstream).toContain('lease: { agent: agent1,');
  });

  it('a conflicting upstream change to the task: the claim is undone, the tree clean', () => {
    const { clones } = remoteWithClones(2, tree);
    const [a, b] = clones as [string, string];
    git(b, 'config', '--unset', 'merge.baton.driver'); // force a plain text merge
    writeFileSync(join(b, '.git/info/attributes'), '');
    expect(runBaton(a, ['update', 't-1', '--set', 'owner_note=x']).code).toBe(0);
    git(a, 'commit', '-q', '-am', 'edit t-1');
    git(a, 'push', '-q');
    const r = runBaton(b, ['claim', 't-1', '--push'], { env: pushEnv(1) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('lost: t-1: the upstream');
    expect(git(b, 'status', '--porcelain')).toBe('');
    expect(git(b, 'rev-parse', 'HEAD')).toBe(git(b, 'rev-parse', 'origin/main'));
    expect(read(b)).not.toContain('lease');
  });

  it('refuses without an upstream (exit 2) or with unpushed commits (exit 1)', () => {
    const dir = gitRepo(tree);
    const none = runBaton(dir, ['claim', 't-1', '--push', '--agent', 'alice']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no upstream');
    const { clones } = remoteWithClones(1, tree);
    const c = clones[0]!;
    writeFileSync(join(c, 'x.txt'), 'x\n');
    git(c, 'add', 'x.txt');
    git(c, 'commit', '-q', '-m', 'local work');
    const ahead = runBaton(c, ['claim', 't-1', '--push', '--agent', 'alice']);
    expect(ahead.code).toBe(1);
    expect(ahead.stderr).toContain('push them first');
    expect(read(c)).not.toContain('lease');
  });

  it('a push that fails for good (the remote is gone) takes the claim back', () => {
    const { bare, clones } = remoteWithClones(1, tree);
    const c = clones[0]!;
    const head = git(c, 'rev-parse', 'HEAD');
    rmSync(bare, { recursive: true, force: true });
    const r = runBaton(c, ['claim', 't-1', '--push', '--agent', 'alice']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the claim of t-1 was undone');
    expect(git(c, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(c, 'status', '--porcelain')).toBe('');
  });
});
