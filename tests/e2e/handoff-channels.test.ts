/**
 * End-to-end: hand-offs (trailers, artifacts), the team channel (share, discover, ack,
 * sync), private notes, `context`, and `--commit` on the status verbs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, taskFile, writeTree } from '../helpers/git-repo.js';

const TASK = '.tasks/main/t-1.md';
const repo = (extra: Record<string, string> = {}, body = 'Body.\n') =>
  gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    [TASK]: taskFile({ id: 't-1', title: 'Users table', status: 'todo', ...extra }, body),
  });
const read = (dir: string) => readFileSync(join(dir, TASK), 'utf8');
const as = (agent: string) => ({ env: { BATON_AGENT: agent } });

describe('handoff', () => {
  it('sets the assignee, clears the lease, logs it, and commits with both trailers', () => {
    const dir = repo();
    expect(runBaton(dir, ['claim', 't-1'], as('alice')).code).toBe(0);
    writeTree(dir, { 'db/schema.sql': 'create table users ();\n', 'notes.txt': 'mine\n' });
    git(dir, 'add', 'notes.txt'); // staged by the user: stays out of baton's commit
    const r = runBaton(
      dir,
      [
        'handoff',
        't-1',
        '--to',
        'bob',
        '--note',
        'schema ready',
        '--artifact',
        'db/schema.sql',
        '--artifact',
        'README.md',
        '--criteria',
        'migrations apply cleanly',
        '--criteria',
        'p99 under 10 ms',
        '--commit',
      ],
      as('alice'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('handed t-1 to bob');
    const text = read(dir);
    expect(text).toContain('assignee: bob');
    expect(text).not.toMatch(/^lease:/m);
    expect(text).toMatch(
      /^- \S+Z alice handoff -> bob: schema ready \[artifacts: db\/schema\.sql, README\.md\] \[criteria: migrations apply cleanly; p99 under 10 ms\]$/m,
    );
    expect(git(dir, 'log', '-1', '--format=%B')).toBe(
      'baton: handoff t-1 to bob\n\nBaton-Task: t-1\nBaton-Handoff: alice -> bob\n\n',
    );
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Baton-Handoff,valueonly)').trim()).toBe(
      'alice -> bob',
    );
    // the untracked artifact is committed; the unchanged one is not; the user's staging stays
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      [TASK, 'db/schema.sql'].sort(),
    );
    expect(git(dir, 'status', '--porcelain')).toBe('A  notes.txt\n');
    // bob may now claim it: assigned to him, no lease
    expect(runBaton(dir, ['claim', 't-1'], as('bob')).code).toBe(0);
  });

  it('refuses missing artifacts and a task someone else holds, writing nothing', () => {
    const dir = repo();
    const before = read(dir);
    const missing = runBaton(dir, ['handoff', 't-1', '--to', 'bob', '--artifact', 'nope.sql']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('artifact nope.sql does not exist');
    const outside = runBaton(dir, ['handoff', 't-1', '--to', 'bob', '--artifact', '../x']);
    expect(outside.code).toBe(1);
    const folder = runBaton(dir, ['handoff', 't-1', '--to', 'bob', '--artifact', '.tasks']);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('not a file');
    expect(read(dir)).toBe(before);
    expect(runBaton(dir, ['claim', 't-1'], as('carol')).code).toBe(0);
    const held = runBaton(dir, ['handoff', 't-1', '--to', 'bob'], as('alice'));
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('t-1 is claimed by carol');
    expect(read(dir)).toContain('assignee: carol');
  });
});

describe('share, discover, ack, sync', () => {
  it('append log lines; a discovery stays open until ack; --commit commits the task', () => {
    const dir = repo();
    expect(runBaton(dir, ['share', 't-1', 'draft is up'], as('alice')).code).toBe(0);
    const d = runBaton(dir, ['discover', 't-1', 'the feed drops ticks', '--commit'], as('bob'));
    expect(d.code).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%B')).toBe('baton: discover t-1\n\nBaton-Task: t-1\n\n');
    const ctx = JSON.parse(runBaton(dir, ['context', 't-1', '--json'], as('alice')).stdout);
    expect(ctx.find((x: { verb: string }) => x.verb === 'discover').open).toBe(true);
    const text = runBaton(dir, ['context', 't-1'], as('alice')).stdout;
    expect(text).toContain('bob discover: the feed drops ticks  [open]');
    expect(text).toContain('1 open discovery');

    const ack = runBaton(dir, ['ack', 't-1'], as('alice'));
    expect(ack.stdout).toContain('acknowledged 1 discovery on t-1');
    const again = runBaton(dir, ['ack', 't-1'], as('alice'));
    expect(again.stdout).toContain('no open discoveries');
    expect(runBaton(dir, ['sync', 't-1', 'half the tables done'], as('alice')).code).toBe(0);
    const log = read(dir)
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.replace(/^- \S+ /, ''));
    expect(log).toEqual([
      'alice share: draft is up',
      'bob discover: the feed drops ticks',
      'alice ack',
      'alice sync: half the tables done',
    ]);
    const after = JSON.parse(runBaton(dir, ['context', 't-1', '--json']).stdout);
    expect(after.find((x: { verb: string }) => x.verb === 'discover').open).toBe(false);
    expect(runBaton(dir, ['share', 't-1', '   ']).code).toBe(2);
  });

  it('take a message that starts with a dash literally; baton options still count', () => {
    const dir = repo();
    expect(runBaton(dir, ['share', 't-1', '- fixed the flaky test'], as('alice')).code).toBe(0);
    const sync = runBaton(dir, ['sync', 't-1', '--- wip', '--json'], as('bob'));
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ verb: 'sync', message: '--- wip' });
    expect(runBaton(dir, ['note', 't-1', '-x marks the spot'], as('alice')).code).toBe(0);
    const log = read(dir)
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.replace(/^- \S+ /, ''));
    expect(log).toEqual(['alice share: - fixed the flaky test', 'bob sync: --- wip']);
    expect(runBaton(dir, ['context', 't-1'], as('alice')).stdout).toContain('-x marks the spot');
  });
});

describe('note and context', () => {
  it('a note stays untracked; context merges log and notes by time', () => {
    const body = [
      'Body.',
      '',
      '## Log',
      '- 2026-01-01T10:00:00Z alice claim: lease until 2026-01-01T12:00:00Z',
      '- 2026-01-01T11:00:00Z alice handoff -> bob: tables done [artifacts: db/schema.sql] [criteria: fast]',
      '- 2026-01-01T13:00:00Z bob discover: ids overflow',
      '',
    ].join('\n');
    const dir = repo({}, body);
    const n = runBaton(dir, ['note', 't-1', 'ask bob about retries'], as('bob'));
    expect(n.code).toBe(0);
    const notes = join(dir, '.tasks/.local/notes/bob/t-1.md');
    expect(readFileSync(notes, 'utf8')).toMatch(/^\S+Z ask bob about retries\n$/);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git(dir, 'check-ignore', '.tasks/.local/notes/bob/t-1.md').trim()).toBe(
      '.tasks/.local/notes/bob/t-1.md',
    );
    // an older note, written by hand, sorts between the log lines
    writeFileSync(
      notes,
      `2026-01-01T10:30:00Z check the index sizes\n${readFileSync(notes, 'utf8')}`,
    );
    const json = JSON.parse(runBaton(dir, ['context', 't-1', '--json'], as('bob')).stdout);
    expect(json.map((x: { kind: string; verb: string }) => `${x.kind}:${x.verb}`)).toEqual([
      'log:claim',
      'note:note',
      'log:handoff',
      'log:discover',
      'note:note',
    ]);
    expect(json[1]).toEqual({
      time: '2026-01-01T10:30:00Z',
      agent: 'bob',
      kind: 'note',
      verb: 'note',
      message: 'check the index sizes',
    });
    expect(json[2]).toMatchObject({
      agent: 'alice',
      target: 'bob',
      message: 'tables done',
      artifacts: ['db/schema.sql'],
      criteria: ['fast'],
    });
    const text = runBaton(dir, ['context', 't-1'], as('bob')).stdout;
    expect(text).toContain('(private note) check the index sizes');
    expect(text).toContain('artifacts: db/schema.sql');
    expect(text.indexOf('claim')).toBeLessThan(text.indexOf('check the index sizes'));
    // alice does not see bob's notes
    const alice = JSON.parse(runBaton(dir, ['context', 't-1', '--json'], as('alice')).stdout);
    expect(alice.filter((x: { kind: string }) => x.kind === 'note')).toEqual([]);
  });
});

describe('--commit on status verbs', () => {
  it('commits only the task file with a Baton-Task trailer', () => {
    const dir = repo();
    writeFileSync(join(dir, 'README.md'), 'staged by the user\n');
    git(dir, 'add', 'README.md');
    const r = runBaton(dir, ['start', 't-1', '--commit'], as('alice'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/committed [0-9a-f]{7} baton: start t-1/);
    expect(git(dir, 'log', '-1', '--format=%B')).toBe('baton: start t-1\n\nBaton-Task: t-1\n\n');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(TASK);
    expect(git(dir, 'status', '--porcelain')).toBe('M  README.md\n');
    const done = runBaton(dir, ['done', 't-1', '--commit', '--reason', 'shipped'], as('alice'));
    expect(done.code).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('baton: done t-1\n');
  });

  it('a failed commit leaves the working tree as it was', () => {
    const dir = repo();
    const before = read(dir);
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho no >&2\nexit 1\n', {
      mode: 0o755,
    });
    const r = runBaton(dir, ['share', 't-1', 'hello', '--commit'], as('alice'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git commit failed');
    expect(read(dir)).toBe(before);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
