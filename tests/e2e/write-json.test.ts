/**
 * End-to-end: every write command other than the status verbs takes `--json` and prints
 * one JSON object, its result: `{ id, agent, verb, changed, ... }`, the status `from/to` and
 * `now_ready` where a status changes, and `commit` (the new HEAD) with `--commit`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, shareWithBob, taskFile } from '../helpers/git-repo.js';

const repo = () =>
  gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    '.tasks/main/a.md': taskFile({ id: 'a', title: 'First', status: 'todo', priority: 'medium' }),
    '.tasks/main/b.md': taskFile({
      id: 'b',
      title: 'Second',
      status: 'todo',
      depends_on: '[a]',
    }),
    '.tasks/main/r.md': taskFile({
      id: 'r',
      title: 'Reviewed',
      status: 'in_progress',
      reviewers: '[carol]',
    }),
  });

/** Run `baton ...args --agent <agent> --json`; expect exit 0 and return the parsed object. */
function json(dir: string, agent: string, ...args: string[]): Record<string, unknown> {
  const r = runBaton(dir, [...args, '--agent', agent, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const head = (dir: string) => git(dir, 'rev-parse', 'HEAD').trim();

describe('--json on writes', () => {
  it('new: the id, path, namespace and title; plain new still prints only the id', () => {
    const dir = repo();
    const plain = runBaton(dir, ['new', 'Plain one']);
    expect(plain.stdout).toMatch(/^t-[a-z0-9]+\n$/);
    const r = json(dir, 'alice', 'new', 'Write the docs', '--depends-on', 'a');
    expect(r).toMatchObject({
      agent: 'alice',
      verb: 'new',
      changed: true,
      namespace: 'main',
      title: 'Write the docs',
      status: 'todo',
      depends_on: ['a'],
    });
    expect(r.path).toBe(`.tasks/main/${r.id}.md`);
    expect(existsSync(join(dir, r.path as string))).toBe(true);
  });

  it('claim, release, fail: status from/to, what became ready, the commit', () => {
    const dir = repo();
    const claim = json(dir, 'alice', 'claim', 'a');
    expect(claim).toMatchObject({
      id: 'a',
      agent: 'alice',
      verb: 'claim',
      changed: true,
      from: 'todo',
      to: 'in_progress',
      kind: 'claim',
      now_ready: [],
    });
    expect(claim.until).toMatch(/Z$/);
    expect(claim).not.toHaveProperty('commit');

    const release = json(dir, 'alice', 'release', 'a', '--commit');
    expect(release).toMatchObject({
      id: 'a',
      verb: 'release',
      changed: true,
      from: 'in_progress',
      to: 'todo',
      now_ready: [],
    });
    expect(release.commit).toBe(head(dir));
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('baton: release a\n');

    const fail = json(dir, 'alice', 'fail', 'a', '--reason', 'flaky vendor', '--commit');
    expect(fail).toMatchObject({
      id: 'a',
      verb: 'fail',
      changed: true,
      from: 'todo',
      to: 'todo',
      reason: 'flaky vendor',
      attempt: 1,
      final: false,
      now_ready: [],
    });
    expect(fail.not_before).toMatch(/Z$/);
    expect(fail.commit).toBe(head(dir));
  });

  it('handoff, share, discover, sync, ack and note report what they wrote', () => {
    const dir = repo();
    json(dir, 'alice', 'claim', 'a');
    const share = json(dir, 'alice', 'share', 'a', 'schema drafted', '--commit');
    expect(share).toMatchObject({
      id: 'a',
      agent: 'alice',
      verb: 'share',
      changed: true,
      message: 'schema drafted',
    });
    expect(share.commit).toBe(head(dir));
    expect(json(dir, 'alice', 'sync', 'a', 'half way')).toMatchObject({ verb: 'sync' });
    expect(json(dir, 'bob', 'discover', 'a', 'feed drops ticks')).toMatchObject({
      verb: 'discover',
      agent: 'bob',
    });
    expect(json(dir, 'alice', 'ack', 'a')).toMatchObject({ changed: true, acknowledged: 1 });
    expect(json(dir, 'alice', 'ack', 'a')).toMatchObject({ changed: false, acknowledged: 0 });
    const note = json(dir, 'alice', 'note', 'a', 'ask bob');
    expect(note).toMatchObject({ id: 'a', verb: 'note', private: true, message: 'ask bob' });
    expect(readFileSync(join(dir, note.path as string), 'utf8')).toMatch(/ ask bob\n$/);

    const handoff = json(dir, 'alice', 'handoff', 'a', '--to', 'bob', '--note', 'yours');
    expect(handoff).toMatchObject({
      id: 'a',
      verb: 'handoff',
      changed: true,
      assignee: { from: 'alice', to: 'bob' },
      note: 'yours',
      artifacts: [],
      criteria: [],
    });
  });

  it('approve: who approved and who is still awaited', () => {
    const dir = repo();
    expect(json(dir, 'carol', 'approve', 'r', '--note', 'ok')).toMatchObject({
      id: 'r',
      agent: 'carol',
      verb: 'approve',
      changed: true,
      approved: ['carol'],
      pending: [],
      already: false,
    });
    expect(json(dir, 'carol', 'approve', 'r')).toMatchObject({ changed: false, already: true });
  });

  it('update: each field from/to, and the tasks a status change made ready', () => {
    const dir = repo();
    const r = json(dir, 'alice', 'update', 'a', '--set', 'priority=high', '--set', 'status=done');
    expect(r).toMatchObject({
      id: 'a',
      agent: 'alice',
      verb: 'update',
      changed: true,
      fields: { priority: { from: 'medium', to: 'high' }, status: { from: 'todo', to: 'done' } },
      now_ready: ['b'],
    });
    expect(json(dir, 'alice', 'update', 'a', '--set', 'priority=high')).toMatchObject({
      changed: false,
      fields: {},
    });
  });

  it('dep add and rm: what was added or removed, and the list after', () => {
    const dir = repo();
    expect(json(dir, 'alice', 'dep', 'add', 'a', 'r')).toMatchObject({
      id: 'a',
      verb: 'dep add',
      changed: true,
      added: ['r'],
      depends_on: ['r'],
    });
    expect(json(dir, 'alice', 'dep', 'add', 'a', 'r')).toMatchObject({
      changed: false,
      added: [],
    });
    expect(json(dir, 'alice', 'dep', 'rm', 'b', 'a')).toMatchObject({
      id: 'b',
      verb: 'dep rm',
      changed: true,
      removed: ['a'],
      depends_on: [],
    });
  });

  it('claim --push: the claim commit, pushed; a lost race prints no JSON and names the winner', () => {
    const alice = repo();
    const bob = shareWithBob(alice);
    const won = json(alice, 'alice', 'claim', 'a', '--push');
    expect(won).toMatchObject({ id: 'a', verb: 'claim', to: 'in_progress', pushed: true });
    expect(won.commit).toBe(head(alice));
    expect(git(alice, 'rev-parse', 'origin/main').trim()).toBe(won.commit);
    const lost = runBaton(bob, ['claim', 'a', '--push', '--agent', 'bob', '--json']);
    expect(lost.code).toBe(1);
    expect(lost.stdout).toBe('');
    expect(lost.stderr).toContain('alice');
  });
});
