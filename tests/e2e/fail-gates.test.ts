/** End-to-end: retries and the dead-letter list, review gates, and overdue flags. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, taskFile } from '../helpers/git-repo.js';

const MIN = 60_000;
const as = (agent: string) => ({ env: { BATON_AGENT: agent } });
const read = (dir: string, id: string) => readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8');
const field = (text: string, key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(text)?.[1];
const json = <T>(dir: string, args: string[]): T => JSON.parse(runBaton(dir, args).stdout) as T;

describe('baton fail and failed', () => {
  it('retries with a growing backoff, then fails for good at max_attempts', () => {
    const dir = gitRepo({
      '.tasks/main/imp.md': taskFile({ id: 'imp', title: 'Import the feed' }, 'Body.\n'),
    });
    expect(runBaton(dir, ['claim', 'imp'], as('alice')).code).toBe(0);
    const first = runBaton(dir, ['fail', 'imp', '--reason', 'vendor API 503'], as('alice'));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imp: attempt 1 of 3 failed; back to todo, retry after \S+Z\n$/);
    let text = read(dir, 'imp');
    expect(field(text, 'status')).toBe('todo');
    expect(field(text, 'attempts')).toBe('1');
    expect(text).not.toMatch(/^(lease|assignee):/m);
    const wait1 = Date.parse(field(text, 'not_before')!) - Date.parse(field(text, 'updated')!);
    expect(wait1).toBeGreaterThanOrEqual(10 * MIN);
    expect(wait1).toBeLessThanOrEqual(10 * MIN + 1000);
    expect(text).toMatch(/alice fail: vendor API 503 \(attempt 1 of 3; retry after \S+Z\)$/m);

    // scheduled, so not ready, and marked in list
    expect(json<unknown[]>(dir, ['ready', '--json'])).toEqual([]);
    expect(runBaton(dir, ['list']).stdout).toMatch(
      /imp\s+scheduled .*not before \S+Z attempts 1\/3/,
    );

    expect(runBaton(dir, ['fail', 'imp', '--reason', 'timeout'], as('bob')).code).toBe(0);
    text = read(dir, 'imp');
    const wait2 = Date.parse(field(text, 'not_before')!) - Date.parse(field(text, 'updated')!);
    expect(wait2).toBeGreaterThanOrEqual(20 * MIN);
    expect(wait2).toBeLessThanOrEqual(20 * MIN + 1000);

    const last = runBaton(dir, ['fail', 'imp', '--reason', 'bad data', '--commit'], as('bob'));
    expect(last.code).toBe(0);
    expect(last.stdout).toContain('attempt 3 of 3 failed; no retries left: status failed');
    text = read(dir, 'imp');
    expect(field(text, 'status')).toBe('failed');
    expect(field(text, 'attempts')).toBe('3');
    expect(text).not.toMatch(/^not_before:/m);
    expect(text).toMatch(/bob fail: bad data \(attempt 3 of 3; final failure\)$/m);
    expect(git(dir, 'log', '-1', '--format=%B')).toContain('baton: fail imp\n\nBaton-Task: imp');

    const again = runBaton(dir, ['fail', 'imp', '--reason', 'x']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('imp has failed already; reopen it to try again');
  });

  it('names the backup to escalate a dead letter to, from the failing agent’s profile', () => {
    const dir = gitRepo({
      '.tasks/main/a.md': taskFile({ id: 'a', title: 'A', max_attempts: '1' }),
      '.tasks/agents/quant.md': '---\nname: quant\nbackup: alice\n---\n',
    });
    expect(runBaton(dir, ['fail', 'a', '--reason', 'diverged'], as('quant')).code).toBe(0);
    expect(runBaton(dir, ['failed']).stdout).toContain('escalate to alice');
    const [dead] = json<{ escalate_to: string | null }[]>(dir, ['failed', '--json']);
    expect(dead!.escalate_to).toBe('alice');
  });

  it('keeps a hand-set assignee, honours the task’s max_attempts, refuses closed tasks', () => {
    const dir = gitRepo({
      '.tasks/main/a.md': taskFile({ id: 'a', title: 'A', assignee: 'carol', max_attempts: '1' }),
      '.tasks/main/d.md': taskFile({ id: 'd', title: 'D', status: 'done' }),
    });
    expect(runBaton(dir, ['fail', 'a', '--reason', 'no luck']).code).toBe(0);
    const text = read(dir, 'a');
    expect(field(text, 'status')).toBe('failed');
    expect(field(text, 'assignee')).toBe('carol');
    const done = runBaton(dir, ['fail', 'd', '--reason', 'x']);
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('d is done; reopen it before recording a failure');
    expect(runBaton(dir, ['fail', 'a']).code).toBe(2);
  });

  it('failed lists every failure reason in order; reopen gives a fresh set of attempts', () => {
    const dir = gitRepo({
      '.tasks/main/x.md': taskFile({ id: 'x', title: 'Flaky job', max_attempts: '2' }),
      '.tasks/main/y.md': taskFile({ id: 'y', title: 'Fine' }),
    });
    expect(runBaton(dir, ['failed']).stdout).toBe('No failed tasks.\n');
    runBaton(dir, ['fail', 'x', '--reason', 'disk full'], as('alice'));
    runBaton(dir, ['fail', 'x', '--reason', 'oom (again)'], as('bob'));
    const list = json<{ id: string; failures: { agent: string; reason: string }[] }[]>(dir, [
      'failed',
      '--json',
    ]);
    expect(list.map((t) => t.id)).toEqual(['x']);
    expect(list[0]!.failures.map((f) => [f.agent, f.reason])).toEqual([
      ['alice', 'disk full'],
      ['bob', 'oom (again)'],
    ]);
    const text = runBaton(dir, ['failed']).stdout;
    expect(text).toMatch(/^x {2}Flaky job {2}\(2 of 2 attempts\)$/m);
    expect(text).toMatch(/^ {2}\S+Z {2}alice {2}disk full$/m);
    expect(text.indexOf('disk full')).toBeLessThan(text.indexOf('oom (again)'));

    const reopen = runBaton(dir, ['reopen', 'x']);
    expect(reopen.stdout).toContain('x: failed -> todo (attempts reset)');
    const file = read(dir, 'x');
    expect(field(file, 'status')).toBe('todo');
    expect(field(file, 'attempts')).toBe('0');
    expect(file).not.toMatch(/^not_before:/m);
    expect(json<{ id: string }[]>(dir, ['ready', '--json']).map((t) => t.id)).toContain('x');
    expect(runBaton(dir, ['failed']).stdout).toBe('No failed tasks.\n');
  });
});

describe('review gates', () => {
  const body = [
    'Ship the importer.',
    '',
    '## Acceptance criteria',
    '- [ ] handles gaps in the feed',
    '- [x] logs every reconnect',
    '- [ ] ',
    '```',
    '- [ ] an example in a code block',
    '```',
    '',
  ].join('\n');
  const repo = () =>
    gitRepo({
      '.tasks/main/g.md': taskFile(
        { id: 'g', title: 'Gated', status: 'in_progress', reviewers: '[carol, dave]' },
        body,
      ),
    });

  it('review waits for the boxes, done for the approvals too; only reviewers approve', () => {
    const dir = repo();
    const review = runBaton(dir, ['review', 'g']);
    expect(review.code).toBe(1);
    expect(review.stderr).toContain('g cannot go to review yet:');
    expect(review.stderr).toContain('unticked (line 10): handles gaps in the feed');
    expect(review.stderr).not.toContain('code block');
    expect(review.stderr).toContain('tick the boxes (or remove the ones that no longer apply), or');
    expect(field(read(dir, 'g'), 'status')).toBe('in_progress');

    writeFileSync(
      join(dir, '.tasks/main/g.md'),
      read(dir, 'g').replace('- [ ] handles', '- [x] handles'),
    );
    expect(runBaton(dir, ['review', 'g']).code).toBe(0);

    const done = runBaton(dir, ['done', 'g']);
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('awaiting approval from carol, dave');

    const mallory = runBaton(dir, ['approve', 'g'], as('mallory'));
    expect(mallory.code).toBe(1);
    expect(mallory.stderr).toContain(
      'mallory is not a reviewer of g; its reviewers are carol, dave',
    );

    const carol = runBaton(dir, ['approve', 'g', '--note', 'looks good'], as('carol'));
    expect(carol.stdout).toBe('g: approved by carol (1 of 2 reviewers; awaiting dave)\n');
    expect(read(dir, 'g')).toMatch(/ carol approve: looks good$/m);
    expect(runBaton(dir, ['done', 'g']).stderr).toContain('awaiting approval from dave');

    expect(runBaton(dir, ['approve', 'g', '--commit'], as('dave')).code).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%B')).toContain('Baton-Task: g');
    const ok = runBaton(dir, ['done', 'g']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('g: review -> done\n');
  });

  it('approvals made before a reopen no longer count', () => {
    const dir = repo();
    const ticked = read(dir, 'g').replace('- [ ] handles', '- [x] handles');
    writeFileSync(join(dir, '.tasks/main/g.md'), ticked);
    runBaton(dir, ['approve', 'g'], as('carol'));
    runBaton(dir, ['approve', 'g'], as('dave'));
    runBaton(dir, ['reopen', 'g']);
    runBaton(dir, ['start', 'g']);
    const done = runBaton(dir, ['done', 'g']);
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('awaiting approval from carol, dave');
  });

  it('--force passes the gates and logs what was forced', () => {
    const dir = repo();
    const done = runBaton(dir, ['done', 'g', '--force', '--reason', 'hotfix'], as('alice'));
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(
      'g: in_progress -> done (forced: 1 unticked box, awaiting carol, dave)',
    );
    expect(read(dir, 'g')).toMatch(
      / alice done: hotfix \(forced: 1 unticked box, awaiting carol, dave\)$/m,
    );
  });
});

describe('overdue', () => {
  const repo = () =>
    gitRepo({
      '.tasks/main/late.md': taskFile({ id: 'late', title: 'Late one', due: '2020-01-01' }),
      '.tasks/main/soon.md': taskFile({ id: 'soon', title: 'Not yet', due: '2999-01-01' }),
      '.tasks/main/shut.md': taskFile({
        id: 'shut',
        title: 'Closed',
        due: '2020-01-01',
        status: 'done',
      }),
      '.tasks/main/wait.md': taskFile({
        id: 'wait',
        title: 'Waits',
        due: '2020-06-01T12:00:00Z',
        depends_on: '[soon]',
      }),
    });

  it('is flagged in list, ready, blocked and show, as JSON and as text', () => {
    const dir = repo();
    const flags = (args: string[]) =>
      Object.fromEntries(
        json<{ id: string; overdue: boolean }[]>(dir, args).map((t) => [t.id, t.overdue]),
      );
    expect(flags(['list', '--json'])).toEqual({ late: true, shut: false, soon: false, wait: true });
    expect(flags(['ready', '--json'])).toEqual({ late: true, soon: false });
    expect(flags(['blocked', '--json'])).toEqual({ wait: true });
    expect(json<{ overdue: boolean }>(dir, ['show', 'late', '--json']).overdue).toBe(true);

    const list = runBaton(dir, ['list']).stdout;
    expect(list).toMatch(/^late .* overdue Late one$/m);
    expect(list).toMatch(/^soon .* Not yet$/m);
    expect(list).not.toMatch(/^(soon|shut) .*overdue/m);
    expect(runBaton(dir, ['ready']).stdout).toMatch(/late .* overdue Late one$/m);
    expect(runBaton(dir, ['blocked']).stdout).toMatch(/^wait {2}overdue Waits$/m);
    expect(runBaton(dir, ['show', 'late']).stdout).toMatch(/^due +2020-01-01 {2}overdue$/m);
  });
});
