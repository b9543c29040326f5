/**
 * End-to-end: a task file that cannot be read never vanishes without a word. Every command
 * that lists tasks (`list`, `ready`, `blocked`, `next`, `status`) names the unreadable files
 * in one line on stderr, and keeps stdout what it was (parseable with `--json`), on every
 * path: the full CLI, the read bundle cold and on a warm index, and a memo replay. `show`
 * of an id such a file holds names the file and its problem; `status` counts bad files and
 * their errors apart. A file with only warnings (a file name that does not match its id)
 * is read, and is not named.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, runBaton, taskFile } from '../helpers/git-repo.js';
import { doctor, memoFiles } from '../helpers/memo.js';

const OLD = new Date(Date.now() - 3_600_000);

const task = (id: string, extra: Record<string, string> = {}) =>
  taskFile({ id, title: `Task ${id}`, status: 'todo', ...extra }, 'Body.\n');

const FILES: Record<string, string> = {
  '.tasks/main/a.md': task('a'),
  '.tasks/main/b.md': task('b', { depends_on: '[a]' }),
  // a merge left its conflict in the front matter: nothing can be read
  '.tasks/main/cm.md':
    '---\nid: cm\ntitle: Conflicted\n<<<<<<< HEAD\nstatus: done\n=======\nstatus: todo\n>>>>>>> other\n---\n',
  // parses, but two fields are invalid: two errors in one file
  '.tasks/main/inv.md': task('inv', { status: 'someday', priority: 'urgent' }),
  // warnings only: read and listed
  '.tasks/main/other-name.md': task('w'),
};

/** A repo holding FILES, all older than the racy window so answers can be memoised. */
function repo(): string {
  const dir = gitRepo(FILES);
  for (const p of [...Object.keys(FILES)]) utimesSync(join(dir, p), OLD, OLD);
  return dir;
}

const LINE =
  /^warning: 2 task files could not be read: \.tasks\/main\/cm\.md:\d+ unresolved git conflict markers, \.tasks\/main\/inv\.md:\d+ [^\n]*status[^\n]*; see baton check\n$/;

const ids = (stdout: string) => (JSON.parse(stdout) as { id: string }[]).map((t) => t.id).sort();

describe('unreadable task files', () => {
  it('are named on stderr by list, ready and blocked --json: cold, warm index, memo replay', () => {
    const dir = repo();
    const expected: Record<string, string[]> = {
      ready: ['a', 'w'],
      list: ['a', 'b', 'w'],
      blocked: ['b'],
    };
    for (const command of ['ready', 'list', 'blocked']) {
      rmSync(join(dir, '.tasks/.local'), { recursive: true, force: true });
      // cold: no memo folder, so bin/baton.js runs dist/read.cjs, which records a memo
      const cold = runBaton(dir, [command, '--json']);
      // with a memo: replayed
      const replay = runBaton(dir, [command, '--json']);
      expect(memoFiles(dir)).toHaveLength(1);
      // warm index, memo gone: dist/read.cjs again, from the index
      rmSync(join(dir, '.tasks/.local/memo'), { recursive: true, force: true });
      const warm = runBaton(dir, [command, '--json']);
      // not an exact call (memo lookup, then the full CLI)
      const full = runBaton(dir, [command, '--json', '--no-color']);
      for (const [how, res] of Object.entries({ cold, replay, warm, full })) {
        expect(res.code, `${command} ${how}`).toBe(0);
        expect(res.stderr, `${command} ${how}`).toMatch(LINE);
        expect(ids(res.stdout), `${command} ${how}`).toEqual(expected[command]);
      }
      expect(replay.stdout).toBe(cold.stdout);
      expect(warm.stdout).toBe(cold.stdout);
    }
  });

  it('are named by a memo replay, which is a replay', () => {
    const dir = repo();
    const first = runBaton(dir, ['ready', '--json']);
    expect(first.stderr).toMatch(LINE);
    doctor(dir, '["from the memo"]\n');
    const replay = runBaton(dir, ['ready', '--json']);
    expect(replay).toEqual({ code: 0, stdout: '["from the memo"]\n', stderr: first.stderr });
    // the file fixed: a new answer, and no line
    writeFileSync(join(dir, '.tasks/main/cm.md'), task('cm'));
    writeFileSync(join(dir, '.tasks/main/inv.md'), task('inv'));
    const fixed = runBaton(dir, ['ready', '--json']);
    expect(fixed.stderr).toBe('');
    expect(ids(fixed.stdout)).toEqual(['a', 'cm', 'inv', 'w']);
  });

  it('are named on stderr by the text forms, next and status; stdout stays the same', () => {
    const dir = repo();
    for (const args of [
      ['list'],
      ['ready'],
      ['blocked'],
      ['next'],
      ['next', '--json'],
      ['status'],
      ['status', '--json'],
    ]) {
      const res = runBaton(dir, args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stderr, args.join(' ')).toMatch(LINE);
      expect(res.stdout, args.join(' ')).not.toContain('could not be read');
      if (args.includes('--json')) expect(() => JSON.parse(res.stdout)).not.toThrow();
    }
    expect(runBaton(dir, ['list']).stdout).toContain('w ');
    // reads the tasks again after its claim, and says it once
    const claimed = runBaton(dir, ['next', '--claim', '--agent', 'ann']);
    expect(claimed.code).toBe(0);
    expect(claimed.stderr).toMatch(LINE);
  });

  it('leave no line when every file reads (warnings are not "could not be read")', () => {
    const dir = gitRepo({ '.tasks/main/a.md': task('a'), '.tasks/main/other-name.md': task('w') });
    for (const args of [['list'], ['ready', '--json'], ['blocked'], ['next'], ['status']]) {
      const res = runBaton(dir, args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stderr, args.join(' ')).toBe('');
    }
  });

  it('show ID names the file that holds the id and why it cannot be read (exit 1)', () => {
    const dir = repo();
    // found by its file name: nothing in it can be read
    const conflicted = runBaton(dir, ['show', 'cm']);
    expect(conflicted.code).toBe(1);
    expect(conflicted.stdout).toBe('');
    expect(conflicted.stderr).toContain('.tasks/main/cm.md');
    expect(conflicted.stderr).toContain('conflict markers');
    expect(conflicted.stderr).not.toContain('no task with id');
    // found by the id it holds, --json alike
    const invalid = runBaton(dir, ['show', 'inv', '--json']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('.tasks/main/inv.md');
    expect(invalid.stderr).toContain('status');
    expect(invalid.stderr).toContain('priority');
    // an id no file holds is still unknown (exit 2); a good task still shows
    const unknown = runBaton(dir, ['show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no task with id "nope"');
    expect(runBaton(dir, ['show', 'a']).code).toBe(0);
  });

  it('status counts bad files and their errors apart', () => {
    const dir = repo();
    const json = runBaton(dir, ['status', '--json']);
    const board = JSON.parse(json.stdout) as { problems: Record<string, number> };
    expect(board.problems).toMatchObject({ bad_files: 2, file_errors: 3 });
    expect(runBaton(dir, ['status']).stdout).toContain('2 bad files (3 errors)');
  });
});
