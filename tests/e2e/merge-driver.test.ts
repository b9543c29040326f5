/**
 * End-to-end: the merge driver under real git. A bare remote, two clones configured with
 * `merge.baton.driver` and `.gitattributes`; clone A pushes, clone B pulls and merges.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/format/log.js';
import { BATON_BIN, GIT_ENV, git, gitRepo, runBaton, tempDir } from '../helpers/git-repo.js';

const FILE = '.tasks/main/t-1.md';

const TASK = `---
id: t-1
title: Design the users table   # keep this comment
status: todo
priority: medium
labels: [db]
owner_notes: { team: core }
updated: 2026-01-01T00:00:00Z
---
Schema for the users table.

- [ ] columns agreed

Open question: soft deletes.

## Log
- 2026-01-01T00:00:00Z ann create
`;

function configure(dir: string): void {
  git(dir, 'config', 'user.name', 'Test User');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'config', 'merge.baton.name', 'baton task merge');
  git(
    dir,
    'config',
    'merge.baton.driver',
    `"${process.execPath}" "${BATON_BIN}" merge-driver %O %A %B %P`,
  );
}

/** A bare remote seeded with the task, and two configured clones. */
function setup(task = TASK): { a: string; b: string } {
  const remote = tempDir('baton-remote-');
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  const seed = gitRepo({ '.gitattributes': '.tasks/**/*.md merge=baton\n', [FILE]: task });
  git(seed, 'remote', 'add', 'origin', remote);
  git(seed, 'push', '-q', 'origin', 'main');
  const clone = () => {
    const dir = join(tempDir('baton-clone-'), 'repo');
    git(remote, 'clone', '-q', remote, dir);
    configure(dir);
    return dir;
  };
  return { a: clone(), b: clone() };
}

function change(dir: string, edit: (text: string) => string, message: string): void {
  const path = join(dir, FILE);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  git(dir, 'commit', '-q', '-am', message);
}

function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  return text.replace(from, to);
}

function pull(dir: string) {
  return spawnSync('git', ['pull', '--no-rebase', '--no-edit', 'origin', 'main'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
  });
}

describe('baton merge-driver under git pull', () => {
  it('merges edits to different fields, both logs and body edits without a conflict', () => {
    const { a, b } = setup();
    change(
      a,
      (t) =>
        replace(t, 'priority: medium', 'priority: high') +
        '- 2026-01-02T09:00:00Z ann note: raised priority\n',
      'A: priority',
    );
    git(a, 'push', '-q', 'origin', 'main');
    change(
      b,
      (t) =>
        replace(
          replace(t, 'labels: [db]', 'labels: [db, api]'),
          'Open question: soft deletes.',
          'Decided: soft deletes with a deleted_at column.',
        ) + '- 2026-01-02T08:00:00Z bob note: labelled api\n',
      'B: labels',
    );
    const res = pull(b);
    expect(res.stderr).not.toContain('CONFLICT');
    expect(res.status).toBe(0);
    const text = readFileSync(join(b, FILE), 'utf8');
    expect(text).toBe(`---
id: t-1
title: Design the users table   # keep this comment
status: todo
priority: high
labels: [db, api]
owner_notes: { team: core }
updated: 2026-01-01T00:00:00Z
---
Schema for the users table.

- [ ] columns agreed

Decided: soft deletes with a deleted_at column.

## Log
- 2026-01-01T00:00:00Z ann create
- 2026-01-02T08:00:00Z bob note: labelled api
- 2026-01-02T09:00:00Z ann note: raised priority
`);
    expect(git(b, 'status', '--porcelain')).toBe('');
    expect(git(b, 'log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
    expect(runBaton(b, ['check']).code).toBe(0);
  });

  it('resolves two claims to the earlier one and records the loser', () => {
    const { a, b } = setup();
    const claim = (agent: string, at: string) => (t: string) =>
      replace(
        replace(t, 'status: todo', `status: in_progress\nassignee: ${agent}`),
        'updated: 2026-01-01T00:00:00Z',
        `lease: { agent: ${agent}, until: 2026-01-03T12:00:00Z, claimed: ${at} }\nupdated: ${at}`,
      ) + `- ${at} ${agent} claim\n`;
    change(a, claim('ann', '2026-01-03T10:00:07Z'), 'A: claim');
    git(a, 'push', '-q', 'origin', 'main');
    change(b, claim('bob', '2026-01-03T10:00:02Z'), 'B: claim');
    const res = pull(b);
    expect(res.status).toBe(0);
    const text = readFileSync(join(b, FILE), 'utf8');
    expect(text).toContain('status: in_progress\nassignee: bob\n');
    expect(text).toContain(
      'lease: { agent: bob, until: 2026-01-03T12:00:00Z, claimed: 2026-01-03T10:00:02Z }',
    );
    expect(text).toContain('updated: 2026-01-03T10:00:07Z');
    const log = readLog(text.slice(text.indexOf('\n---\n') + 5));
    expect(log).toEqual([
      '2026-01-01T00:00:00Z ann create',
      '2026-01-03T10:00:02Z bob claim',
      '2026-01-03T10:00:07Z ann claim',
      '2026-01-03T10:00:07Z bob lost-claim -> ann: claim of ann at 2026-01-03T10:00:07Z lost to bob at 2026-01-03T10:00:02Z',
    ]);
    expect(runBaton(b, ['check']).code).toBe(0);
  });

  describe('a one-sided log removal or correction survives the other side appending', () => {
    const LOG = `## Log
- 2026-01-01T00:00:00Z ann create
- 2026-01-01T01:00:00Z ann share: wrong figure, 30 columns
`;
    const task = TASK.slice(0, TASK.indexOf('## Log\n')) + LOG;
    const wrong = '- 2026-01-01T01:00:00Z ann share: wrong figure, 30 columns\n';
    const fixed = '- 2026-01-01T01:00:00Z ann share: 12 columns\n';
    const append = (t: string) => `${t}- 2026-01-02T09:00:00Z bob note: reviewed\n`;
    const cases = [
      { name: 'removal', edit: (t: string) => replace(t, wrong, ''), kept: [] as string[] },
      { name: 'correction', edit: (t: string) => replace(t, wrong, fixed), kept: [fixed] },
    ];
    for (const { name, edit, kept } of cases) {
      for (const pusher of ['editor', 'appender'] as const) {
        it(`${name}, the ${pusher} pushing first`, () => {
          const { a, b } = setup(task);
          const [first, second] = pusher === 'editor' ? [edit, append] : [append, edit];
          change(a, first, 'A');
          git(a, 'push', '-q', 'origin', 'main');
          change(b, second, 'B');
          const res = pull(b);
          expect(res.stdout + res.stderr).not.toContain('CONFLICT');
          expect(res.status).toBe(0);
          const text = readFileSync(join(b, FILE), 'utf8');
          expect(text.slice(text.indexOf('## Log\n'))).toBe(
            [
              '## Log\n- 2026-01-01T00:00:00Z ann create\n',
              ...kept,
              '- 2026-01-02T09:00:00Z bob note: reviewed\n',
            ].join(''),
          );
          expect(git(b, 'status', '--porcelain')).toBe('');
        });
      }
    }
  });

  it('leaves a same-field conflict for git to report, which check finds', () => {
    const { a, b } = setup();
    change(a, (t) => replace(t, 'priority: medium', 'priority: high'), 'A: high');
    git(a, 'push', '-q', 'origin', 'main');
    change(b, (t) => replace(t, 'priority: medium', 'priority: low'), 'B: low');
    const res = pull(b);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toContain(`CONFLICT (content): Merge conflict in ${FILE}`);
    expect(res.stderr).toContain('conflicting changes to priority');
    expect(git(b, 'status', '--porcelain')).toContain(`UU ${FILE}`);
    const text = readFileSync(join(b, FILE), 'utf8');
    expect(text).toContain(
      '<<<<<<< ours\npriority: low\n=======\npriority: high\n>>>>>>> theirs\n',
    );
    const check = runBaton(b, ['check', '--json']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('"rule": "conflict-markers"');
    const plain = runBaton(b, ['check']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('conflict-markers');
  });
});

describe('baton merge-driver called directly', () => {
  it('writes the merge into the ours file; plain text files merge line by line', () => {
    const dir = tempDir();
    const files = { base: join(dir, 'O'), ours: join(dir, 'A'), theirs: join(dir, 'B') };
    writeFileSync(files.base, 'one\ntwo\nthree\n');
    writeFileSync(files.ours, 'ONE\ntwo\nthree\n');
    writeFileSync(files.theirs, 'one\ntwo\nTHREE\n');
    const args = ['merge-driver', files.base, files.ours, files.theirs, 'notes.md'];
    const clean = runBaton(dir, args);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('notes.md: not a readable task file');
    expect(readFileSync(files.ours, 'utf8')).toBe('ONE\ntwo\nTHREE\n');
    writeFileSync(files.ours, 'ONE\ntwo\nthree\n');
    writeFileSync(files.theirs, 'uno\ntwo\nthree\n');
    expect(runBaton(dir, args).code).toBe(1);
    expect(readFileSync(files.ours, 'utf8')).toContain('<<<<<<< ours\nONE\n=======\nuno\n');
  });

  it('merges files that are not UTF-8 in place with git merge-file', () => {
    const dir = tempDir();
    const files = { base: join(dir, 'O'), ours: join(dir, 'A'), theirs: join(dir, 'B') };
    writeFileSync(files.base, Buffer.from('a\xff\nmid\nb\n', 'latin1'));
    writeFileSync(files.ours, Buffer.from('a\xff\nmid\nB\n', 'latin1'));
    writeFileSync(files.theirs, Buffer.from('A\xff\nmid\nb\n', 'latin1'));
    const res = runBaton(dir, ['merge-driver', files.base, files.ours, files.theirs, 'x.md']);
    expect(res.code).toBe(0);
    expect(readFileSync(files.ours).equals(Buffer.from('A\xff\nmid\nB\n', 'latin1'))).toBe(true);
  });

  it('exits 2 without its three files', () => {
    expect(runBaton(tempDir(), ['merge-driver', 'only-one']).code).toBe(2);
  });
});
