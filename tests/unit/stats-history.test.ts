/** Reading the history of `.tasks/` from real git repositories (store/history.ts). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/core/stats-timeline.js';
import { readHistory, resolveSince } from '../../src/store/history.js';
import { GIT_ENV, git, gitRepo, taskFile, tempDir, writeTree } from '../helpers/git-repo.js';

function commitAt(dir: string, when: string, message = `at ${when}`): void {
  const env = { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '--no-verify', '-m', message], { cwd: dir, env });
}

const fm = (status: string, extra: Record<string, string> = {}) =>
  taskFile({ id: 't-1', title: 'One', status, created: '2026-03-01T08:00:00Z', ...extra });
const BODY = 'Notes.\nstatus: done\n';
const log = (...lines: string[]) => `\n## Log\n${lines.map((l) => `- ${l}\n`).join('')}`;
const ms = (s: string) => Date.parse(s);

describe('readHistory', () => {
  it('reads front-matter changes and added log lines, commit by commit', async () => {
    const dir = gitRepo();
    writeTree(dir, { '.tasks/main/t-1.md': fm('todo', { due: '2026-03-09' }) + BODY });
    commitAt(dir, '2026-03-01T09:00:00Z');
    const started = '2026-03-02T10:00:00Z ann start';
    writeTree(dir, {
      '.tasks/main/t-1.md':
        fm('in_progress', { assignee: 'ann', due: '2026-03-10' }) + BODY + log(started),
    });
    commitAt(dir, '2026-03-02T10:05:00Z');
    // a body line that looks like a field is not one
    writeTree(dir, {
      '.tasks/main/t-1.md':
        fm('in_progress', { assignee: 'ann', due: '2026-03-10' }) +
        `${BODY}status: cancelled\n` +
        log(started),
    });
    commitAt(dir, '2026-03-02T11:00:00Z');
    const done = '2026-03-03T15:00:00Z ann handoff -> bo: over to you';
    writeTree(dir, {
      '.tasks/main/t-1.md':
        fm('"done"  # finished', { assignee: 'bo', due: '2026-03-10' }) +
        `${BODY}status: cancelled\n` +
        log(started, done, '2026-03-03T16:00:00Z bo done'),
    });
    commitAt(dir, '2026-03-03T16:30:00Z');
    const h = await readHistory(dir);
    expect(h).toMatchObject({ commits: 4, shallow: false });
    expect(h.first).toBe(ms('2026-03-01T09:00:00Z'));
    expect(h.last).toBe(ms('2026-03-03T16:30:00Z'));
    expect(h.tasks).toHaveLength(1);
    const t = h.tasks[0]!;
    expect(t).toMatchObject({ id: 't-1', created: '2026-03-01T08:00:00Z', due: '2026-03-10' });
    expect(t.touches).toEqual([
      { time: ms('2026-03-01T09:00:00Z'), status: 'todo', log: [], assignee: undefined },
      {
        time: ms('2026-03-02T10:05:00Z'),
        status: 'in_progress',
        assignee: 'ann',
        log: [{ time: '2026-03-02T10:00:00Z', agent: 'ann', verb: 'start' }],
      },
      {
        time: ms('2026-03-03T16:30:00Z'),
        status: 'done',
        assignee: 'bo',
        log: [
          { time: '2026-03-03T15:00:00Z', agent: 'ann', verb: 'handoff', target: 'bo' },
          { time: '2026-03-03T16:00:00Z', agent: 'bo', verb: 'done' },
        ],
      },
    ]);
  });

  it('follows the front matter as it grows, and reads CRLF files', async () => {
    const dir = gitRepo();
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    writeTree(dir, { '.tasks/main/t-1.md': crlf(fm('todo') + BODY) });
    commitAt(dir, '2026-03-01T09:00:00Z');
    const grown = fm('todo', { labels: '[a, b]', estimate: '2h', priority: 'high' });
    writeTree(dir, { '.tasks/main/t-1.md': crlf(`${grown}${BODY}`) });
    commitAt(dir, '2026-03-01T10:00:00Z');
    writeTree(dir, {
      '.tasks/main/t-1.md': crlf(`${grown.replace('todo', 'blocked')}${BODY}status: done\n`),
    });
    commitAt(dir, '2026-03-01T11:00:00Z');
    const t = (await readHistory(dir)).tasks[0]!;
    expect(t.touches.map((x) => x.status)).toEqual(['todo', 'blocked']);
  });

  it('skips agents, config and hidden folders, and counts a moved file once', async () => {
    const dir = gitRepo();
    writeTree(dir, {
      '.tasks/config.yaml': 'default_namespace: main\n',
      '.tasks/agents/ann.md': taskFile({ id: 'ann', status: 'done' }),
      '.tasks/.templates/task.md': taskFile({ id: 'tpl', status: 'todo' }),
      '.tasks/main/t-1.md': fm('in_progress') + log('2026-03-02T10:00:00Z ann handoff -> bo'),
    });
    commitAt(dir, '2026-03-02T11:00:00Z');
    mkdirSync(join(dir, '.tasks/feature-x'));
    renameSync(join(dir, '.tasks/main/t-1.md'), join(dir, '.tasks/feature-x/t-1.md'));
    commitAt(dir, '2026-03-03T11:00:00Z');
    const h = await readHistory(dir);
    expect(h.tasks.map((t) => t.id)).toEqual(['t-1']);
    expect(h.commits).toBe(2);
    expect(buildTimeline(h.tasks[0]!).handoffs).toBe(1);
  });

  it('reads the commits of a merged branch', async () => {
    const dir = gitRepo();
    writeTree(dir, { '.tasks/main/t-1.md': fm('todo') });
    commitAt(dir, '2026-03-01T09:00:00Z');
    git(dir, 'checkout', '-q', '-b', 'side');
    writeTree(dir, { '.tasks/side/t-2.md': fm('done').replace('t-1', 't-2') });
    commitAt(dir, '2026-03-02T09:00:00Z');
    git(dir, 'checkout', '-q', 'main');
    writeTree(dir, { '.tasks/main/t-1.md': fm('in_progress') });
    commitAt(dir, '2026-03-03T09:00:00Z');
    const env = { ...process.env, ...GIT_ENV, GIT_COMMITTER_DATE: '2026-03-04T09:00:00Z' };
    execFileSync('git', ['merge', '-q', '--no-edit', 'side'], { cwd: dir, env });
    const h = await readHistory(dir);
    expect(h.tasks.map((t) => [t.id, t.touches.map((x) => x.status)])).toEqual([
      ['t-1', ['todo', 'in_progress']],
      ['t-2', ['done']],
    ]);
  });

  it('marks the oldest commit of a shallow clone', async () => {
    const dir = gitRepo();
    for (const [i, status] of ['todo', 'in_progress', 'review', 'done'].entries()) {
      writeTree(dir, { '.tasks/main/t-1.md': fm(status) });
      commitAt(dir, `2026-03-0${i + 1}T09:00:00Z`);
    }
    const clone = join(tempDir(), 'clone');
    git(dir, 'clone', '-q', '--depth', '2', `file://${dir}`, clone);
    const h = await readHistory(clone);
    expect(h.shallow).toBe(true);
    expect(h.commits).toBe(2);
    expect(h.tasks[0]!.touches).toEqual([
      { time: ms('2026-03-03T09:00:00Z'), status: 'review', log: [], boundary: true },
      { time: ms('2026-03-04T09:00:00Z'), status: 'done', log: [] },
    ]);
  });

  it('reads nothing from a repository without commits, and refuses a folder outside git', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    writeTree(dir, { '.tasks/main/t-1.md': fm('todo') });
    expect(await readHistory(dir)).toEqual({
      tasks: [],
      commits: 0,
      first: undefined,
      last: undefined,
      shallow: false,
    });
    rmSync(join(dir, '.git'), { recursive: true });
    await expect(readHistory(dir)).rejects.toMatchObject({ code: 'NOT_A_GIT_REPOSITORY' });
  });
});

describe('resolveSince', () => {
  it('reads ISO dates itself and asks git for the rest', () => {
    const dir = gitRepo();
    const now = Date.now();
    expect(resolveSince(dir, '2026-10-01', now)).toBe(ms('2026-10-01T00:00:00Z'));
    expect(resolveSince(dir, '2026-10-01T12:30:00+02:00', now)).toBe(ms('2026-10-01T10:30:00Z'));
    const fourWeeks = resolveSince(dir, '4.weeks', now);
    expect(Math.abs(now - 28 * 86_400_000 - fourWeeks)).toBeLessThan(60_000);
    expect(() => resolveSince(dir, 'whenever', now)).toThrow(/not a date/);
  });
});
