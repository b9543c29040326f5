/**
 * End-to-end: `baton stats` spawned as the built CLI on a small repository whose history is
 * replayed commit by commit at fixed dates; the numbers are worked out by hand below.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GIT_ENV,
  git,
  gitRepo,
  runBaton,
  taskFile,
  tempDir,
  writeTree,
} from '../helpers/git-repo.js';

interface Step {
  at: string;
  id: string;
  /** A status verb or `handoff` (logged), `edit` (a hand edit, no log line), `new`. */
  verb: string;
  agent?: string;
  status?: string;
  target?: string;
}

const TASKS: Record<string, { due?: string; assignee?: string }> = {
  a: { due: '2026-10-06' },
  b: { due: '2026-10-10' },
  c: { assignee: 'dd' },
  d: {},
  e: {},
};
const STATUS: Record<string, string> = {
  start: 'in_progress',
  claim: 'in_progress',
  block: 'blocked',
  done: 'done',
  reopen: 'todo',
};

// Worked out by hand (h = hours):
// a: start 10-05 10:00, done 10-06 10:00             cycle 24h, lead 25h, on time (due 10-06)
// b: claim 10-07 09:00, blocked 12:00 -> 10-08 12:00 (24h), done by cy 10-12 09:00
//                                                    cycle 120h, lead 168h, late (due 10-10)
// c: created 10-06 09:00, set done by hand, committed 10-13 15:20 (the commit's time):
//                                                    no cycle, lead 174h20m, by dd
// d: still in progress; e: done 10-06 12:00, reopened, done again 10-09 18:00
//                                                    cycle 102h, lead 105h
const STEPS: Step[] = [
  { at: '2026-10-05T09:00:00Z', id: 'a', verb: 'new' },
  { at: '2026-10-05T09:00:00Z', id: 'b', verb: 'new' },
  { at: '2026-10-05T09:00:00Z', id: 'e', verb: 'new' },
  { at: '2026-10-05T10:00:00Z', id: 'a', verb: 'start', agent: 'ann' },
  { at: '2026-10-05T12:00:00Z', id: 'e', verb: 'start', agent: 'ann' },
  { at: '2026-10-06T09:00:00Z', id: 'c', verb: 'new' },
  { at: '2026-10-06T09:00:00Z', id: 'd', verb: 'new' },
  { at: '2026-10-06T10:00:00Z', id: 'a', verb: 'done', agent: 'ann' },
  { at: '2026-10-06T12:00:00Z', id: 'e', verb: 'done', agent: 'ann' },
  { at: '2026-10-07T09:00:00Z', id: 'b', verb: 'claim', agent: 'bo' },
  { at: '2026-10-07T12:00:00Z', id: 'b', verb: 'block', agent: 'bo' },
  { at: '2026-10-07T13:00:00Z', id: 'd', verb: 'start', agent: 'bo' },
  { at: '2026-10-08T12:00:00Z', id: 'b', verb: 'start', agent: 'bo' },
  { at: '2026-10-08T12:00:00Z', id: 'e', verb: 'reopen', agent: 'cy' },
  { at: '2026-10-09T09:00:00Z', id: 'b', verb: 'handoff', agent: 'bo', target: 'cy' },
  { at: '2026-10-09T12:00:00Z', id: 'e', verb: 'start', agent: 'ann' },
  { at: '2026-10-09T18:00:00Z', id: 'e', verb: 'done', agent: 'ann' },
  { at: '2026-10-12T09:00:00Z', id: 'b', verb: 'done', agent: 'cy' },
  { at: '2026-10-13T15:00:00Z', id: 'c', verb: 'edit', status: 'done' },
];

/** Each step: the task file rewritten, committed 20 minutes later at a fixed date. */
function replay(): string {
  const dir = gitRepo({
    '.tasks/config.yaml': 'default_namespace: main\n',
    '.tasks/agents/ann.md': taskFile({ name: 'ann', skills: '[db]' }),
  });
  const state: Record<string, { status: string; log: string[]; created: string }> = {};
  for (const s of STEPS) {
    state[s.id] ??= { status: 'todo', log: [], created: s.at };
    const t = state[s.id]!;
    if (s.verb === 'edit') t.status = s.status!;
    else if (s.verb !== 'new') {
      t.status = STATUS[s.verb] ?? t.status;
      t.log.push(`- ${s.at} ${s.agent} ${s.verb}${s.target ? ` -> ${s.target}` : ''}`);
    }
    const fields: Record<string, string> = { id: s.id, title: `Task ${s.id}`, status: t.status };
    const extra = TASKS[s.id]!;
    if (extra.assignee) fields.assignee = extra.assignee;
    if (extra.due) fields.due = extra.due;
    fields.created = t.created;
    const body = t.log.length > 0 ? `\n## Log\n${t.log.join('\n')}\n` : '';
    writeTree(dir, { [`.tasks/main/${s.id}.md`]: taskFile(fields, body) });
    const when = new Date(Date.parse(s.at) + 20 * 60_000).toISOString();
    const env = { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
    execFileSync('git', ['add', '-A'], { cwd: dir, env });
    execFileSync('git', ['commit', '-q', '--no-verify', '-m', `${s.verb} ${s.id}`], {
      cwd: dir,
      env,
    });
  }
  return dir;
}

function stats(dir: string, ...args: string[]) {
  const res = runBaton(dir, ['stats', '--json', ...args]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
}

describe('baton stats', () => {
  it('computes every metric from the history of .tasks/', () => {
    const dir = replay();
    const s = stats(dir);
    expect(s.history).toEqual({
      commits: STEPS.length,
      first: '2026-10-05T09:20:00Z',
      last: '2026-10-13T15:20:00Z',
      shallow: false,
    });
    expect(s.tasks).toEqual({ seen: 5, created: 5, done: 4 });
    // cycle [24, 102, 120]: median 102, p90 at rank 1.8 = 102 + 0.8 * 18
    expect(s.cycleTime).toEqual({ count: 3, medianHours: 102, p90Hours: 116.4 });
    // lead [25, 105, 168, 174.333]: median (105 + 168) / 2, p90 at rank 2.7 = 168 + 0.7 * 6.333
    expect(s.leadTime).toEqual({ count: 4, medianHours: 136.5, p90Hours: 172.433 });
    expect(s.blocked).toEqual({ count: 1, medianHours: 24, p90Hours: 24, totalHours: 24 });
    expect(s.reopen).toEqual({ reopened: 1, done: 4, rate: 0.25 });
    expect(s.onTime).toEqual({ onTime: 1, withDue: 2, rate: 0.5 });
    expect(s.handoffs).toEqual({ total: 1, perTask: 0.25, max: 1 });
    expect(s.agents).toEqual([
      { agent: 'ann', done: 2 },
      { agent: 'cy', done: 1 },
      { agent: 'dd', done: 1 },
    ]);
    expect(s.throughput.weeks.slice(0, 2)).toEqual([
      { week: '2026-W41', start: '2026-10-05', done: 2 },
      { week: '2026-W42', start: '2026-10-12', done: 2 },
    ]);
    expect(s.notes).toEqual(['done tasks that never went to in_progress (no cycle time): 1']);

    const text = runBaton(dir, ['stats']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^baton stats: 4 tasks done in all \(19 commits, 2026-10-05 \.\. 2026-10-13\)/,
    );
    expect(text.stdout).toMatch(/Cycle time \(start -> done\) +median 4d +p90 5d +\(3 tasks\)/);
    expect(text.stdout).toMatch(/Reopened +25\.0% +\(1 of 4\)/);
    expect(text.stdout).toMatch(/On time +50\.0% +\(1 of 2 with a due date\)/);
    expect(text.stdout).toMatch(/\n {2}ann +2\n/);
  });

  it('--since keeps the tasks done from that date, with their whole history', () => {
    const s = stats(replay(), '--since', '2026-10-10');
    expect(s.since).toBe('2026-10-10T00:00:00Z');
    expect(s.tasks.done).toBe(2); // b and c
    expect(s.cycleTime).toEqual({ count: 1, medianHours: 120, p90Hours: 120 });
    expect(s.leadTime.medianHours).toBe(171.167); // (168 + 174.333) / 2
    expect(s.throughput.weeks[0]).toEqual({ week: '2026-W41', start: '2026-10-05', done: 0 });
  });

  it('says what a shallow clone is missing', () => {
    const full = replay();
    const clone = join(tempDir(), 'clone');
    git(full, 'clone', '-q', '--depth', '3', `file://${full}`, clone);
    const s = stats(clone);
    expect(s.history).toMatchObject({ commits: 3, shallow: true });
    expect(s.notes).toEqual([
      'done tasks that never went to in_progress (no cycle time): 1',
      'shallow clone: the history starts at 2026-10-09 (3 commits); for the 5 tasks already there, what came before is known only from their ## Log lines',
      '`git fetch --unshallow` reads the whole history',
    ]);
    // The logs and `created` fields still tell the whole story of these tasks.
    const whole = stats(full);
    for (const key of ['tasks', 'cycleTime', 'leadTime', 'blocked', 'reopen', 'onTime', 'agents']) {
      expect(s[key]).toEqual(whole[key]);
    }
    const text = runBaton(clone, ['stats']);
    expect(text.stdout).toMatch(/\n {2}- shallow clone: the history starts at 2026-10-09/);
  });

  it('refuses a folder outside git and a date it cannot read (exit 2)', () => {
    const plain = tempDir();
    writeTree(plain, { '.tasks/main/a.md': taskFile({ id: 'a', title: 'A', status: 'todo' }) });
    const outside = runBaton(plain, ['stats']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not in a git repository/);
    const bad = runBaton(gitRepo({ '.tasks/main/.keep': '' }), ['stats', '--since', 'whenever']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since whenever: not a date/);
  });
});
