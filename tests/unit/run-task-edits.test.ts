/**
 * The task-file edits of `baton run` (run/task-edits.ts) on hand-written files: comments,
 * keys baton does not know and a body that already has a `## Log`. Every result is parsed
 * back with the project's own parser, and every edit keeps what it does not own.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { parseEntry } from '../../src/core/log-entry.js';
import { computeReadiness, type Readiness } from '../../src/core/readiness.js';
import type { Task } from '../../src/core/types.js';
import { readLog } from '../../src/format/log.js';
import { splitFile } from '../../src/format/split.js';
import {
  claimText,
  conflictText,
  doneText,
  failText,
  releaseText,
} from '../../src/run/task-edits.js';
import { DEFAULT_CONFIG } from '../../src/schema/config-defaults.js';
import type { TaskData } from '../../src/schema/task.js';
import { parseTaskFileFully } from '../../src/store/parse-file.js';

const NOW = new Date('2026-06-15T12:00:00.400Z');
const STAMP = '2026-06-15T12:00:00Z';
const HOUR = 3_600_000;
const PATH = '.tasks/main/t-run1.md';

const COMMENT_TOP = '# owned by the platform team';
const COMMENT_STATUS = '# todo | in_progress | done';
const UNKNOWN = ['custom:', '  reviewers_note: "check the indexes"', '  links:', '    - a.md'];

/** A hand-written task file; `fields` are extra front-matter lines, `body` replaces the default. */
function file(fields: string[] = [], body?: string): string {
  return [
    '---',
    COMMENT_TOP,
    'id: t-run1                 # required',
    'title: Build the thing',
    `status: todo   ${COMMENT_STATUS}`,
    'priority: high',
    ...UNKNOWN,
    'my_key: 42   # a key baton does not know',
    ...fields,
    '---',
    body ??
      [
        'Some free Markdown.',
        '',
        '## Acceptance',
        '- [x] it builds',
        '',
        '## Log',
        '- 2026-06-01T09:00:00Z alice note: written by hand',
        '',
        '## After the log',
        'More text.',
        '',
      ].join('\n'),
  ].join('\n');
}

async function parse(text: string, path = PATH): Promise<Task> {
  const r = await parseTaskFileFully(path, 'main', text);
  expect(r.problems).toEqual([]);
  expect(r.task).toBeDefined();
  return r.task!;
}

const data = async (text: string): Promise<TaskData> => (await parse(text)).data;

/** The readiness of the task (with `others` in the graph too, for dependencies). */
async function readinessOf(text: string, others: Task[] = []): Promise<Readiness> {
  const task = await parse(text);
  const graph = buildGraph([task, ...others]);
  return computeReadiness(graph, NOW)[0]!;
}

function logOf(text: string) {
  const split = splitFile(text);
  if (!split.ok) throw new Error(split.message);
  return readLog(split.body).map(parseEntry);
}

/** What every edit must keep: comments, unknown keys, the body around the log. */
async function expectKept(before: string, after: string) {
  expect(after).toContain(COMMENT_TOP);
  expect(after).toContain('id: t-run1                 # required');
  expect(after).toContain(COMMENT_STATUS);
  expect(after).toContain('my_key: 42   # a key baton does not know');
  for (const line of UNKNOWN) expect(after).toContain(line);
  const d = (await data(after)) as Record<string, unknown>;
  expect(d.custom).toEqual({ reviewers_note: 'check the indexes', links: ['a.md'] });
  expect(d.my_key).toBe(42);
  // the old log lines stay, first and in order, and the text after the log section is kept
  const old = logOf(before);
  expect(logOf(after).slice(0, old.length)).toEqual(old);
  if (before.includes('## After the log'))
    expect(after).toMatch(/## After the log\nMore text\.\n$/);
}

const ctx = { agent: 'robo', now: NOW, attempt: 2 };

describe('claimText', () => {
  it('claims a ready task: in_progress, assignee, lease, updated and a claim line', async () => {
    const text = file();
    const r = claimText(text, await data(text), await readinessOf(text), {
      ...ctx,
      leaseMs: 2 * HOUR,
      branch: 'baton/t-run1/2',
    });
    if ('refused' in r) throw new Error(r.refused);
    const d = await data(r.text);
    expect(d.status).toBe('in_progress');
    expect(d.assignee).toBe('robo');
    expect(d.lease).toEqual({ agent: 'robo', until: '2026-06-15T14:00:00Z', claimed: STAMP });
    expect(d.updated).toBe(STAMP);
    const last = logOf(r.text).at(-1)!;
    expect(last).toMatchObject({ time: STAMP, agent: 'robo', verb: 'claim' });
    expect(last.message).toBe(
      'lease until 2026-06-15T14:00:00Z (baton run, attempt 2 on baton/t-run1/2)',
    );
    await expectKept(text, r.text);
    // the claim line goes at the end of the existing log section, not after the body
    expect(r.text.indexOf('claim: lease until')).toBeLessThan(r.text.indexOf('## After the log'));
  });

  it('refuses a task held under a live lease by the same agent name (another runner)', async () => {
    const text = file([
      'assignee: robo',
      'lease: { agent: robo, until: 2026-06-15T13:00:00Z }',
    ]).replace('status: todo', 'status: in_progress');
    const r = claimText(text, await data(text), await readinessOf(text), {
      ...ctx,
      leaseMs: HOUR,
      branch: 'baton/t-run1/2',
    });
    expect(r).toEqual({ refused: 't-run1 is already being worked on (in_progress)' });
  });

  it('refuses a task held under a live lease by another agent, naming it', async () => {
    const text = file([
      'assignee: ann',
      'lease: { agent: ann, until: 2026-06-15T13:00:00Z }',
    ]).replace('status: todo', 'status: in_progress');
    const r = claimText(text, await data(text), await readinessOf(text), {
      ...ctx,
      leaseMs: HOUR,
      branch: 'baton/t-run1/2',
    });
    expect(r).toEqual({ refused: 't-run1 is claimed by ann (lease until 2026-06-15T13:00:00Z)' });
  });

  it('takes over a claim whose lease has expired (another agent)', async () => {
    const text = file([
      'assignee: ann',
      'lease: { agent: ann, until: 2026-06-15T11:00:00Z }',
    ]).replace('status: todo', 'status: in_progress');
    const readiness = await readinessOf(text);
    expect(readiness).toEqual({ state: 'ready', leaseExpired: true });
    const r = claimText(text, await data(text), readiness, {
      ...ctx,
      leaseMs: HOUR,
      branch: 'baton/t-run1/2',
    });
    if ('refused' in r) throw new Error(r.refused);
    expect((await data(r.text)).lease).toMatchObject({ agent: 'robo' });
    expect((await data(r.text)).assignee).toBe('robo');
  });

  // An expired lease of the runner's own agent name (a runner that crashed in another clone,
  // say) is not live: `ready` lists the task (lease expired), and the claim takes it over.
  it('takes over a claim whose lease has expired (same agent name)', async () => {
    const text = file([
      'assignee: robo',
      'lease: { agent: robo, until: 2026-06-15T11:00:00Z }',
    ]).replace('status: todo', 'status: in_progress');
    const readiness = await readinessOf(text);
    expect(readiness).toEqual({ state: 'ready', leaseExpired: true });
    const r = claimText(text, await data(text), readiness, {
      ...ctx,
      leaseMs: HOUR,
      branch: 'baton/t-run1/2',
    });
    if ('refused' in r) throw new Error(r.refused);
    expect((await data(r.text)).lease).toMatchObject({ agent: 'robo' });
  });

  it('refuses a task that is not ready (a dependency not done), saying what it waits on', async () => {
    const text = file(['depends_on: [t-dep]']);
    const dep = await parse(file().replace('id: t-run1', 'id: t-dep'), '.tasks/main/t-dep.md');
    const readiness = await readinessOf(text, [dep]);
    expect(readiness.state).toBe('blocked');
    const r = claimText(text, await data(text), readiness, {
      ...ctx,
      leaseMs: HOUR,
      branch: 'baton/t-run1/2',
    });
    expect(r).toEqual({ refused: 't-run1 is not ready: waiting on t-dep' });
  });

  it('refuses a task scheduled for later, and one that is done, failed or in review', async () => {
    const later = file(['not_before: 2026-06-16T00:00:00Z']);
    const r = claimText(later, await data(later), await readinessOf(later), {
      ...ctx,
      leaseMs: HOUR,
      branch: 'b',
    });
    expect(r).toEqual({ refused: 't-run1 is scheduled: not before 2026-06-16T00:00:00Z' });
    for (const status of ['done', 'failed', 'review', 'cancelled', 'blocked']) {
      const text = file().replace('status: todo', `status: ${status}`);
      const c = claimText(text, await data(text), await readinessOf(text), {
        ...ctx,
        leaseMs: HOUR,
        branch: 'b',
      });
      expect('refused' in c, status).toBe(true);
    }
  });
});

describe('doneText', () => {
  const claimed = (body?: string) =>
    file(['assignee: robo', 'lease: { agent: robo, until: 2026-06-15T13:00:00Z }'], body).replace(
      'status: todo',
      'status: in_progress',
    );

  it('done when every acceptance box is ticked: lease removed, done line, assignee kept', async () => {
    const text = claimed();
    const r = doneText(text, await data(text), ctx);
    expect(r.status).toBe('done');
    const d = await data(r.text);
    expect(d.status).toBe('done');
    expect(d.lease).toBeUndefined();
    expect(r.text).not.toMatch(/^lease:/m);
    expect(d.assignee).toBe('robo');
    expect(d.updated).toBe(STAMP);
    expect(logOf(r.text).at(-1)).toMatchObject({
      time: STAMP,
      agent: 'robo',
      verb: 'done',
      message: 'baton run, attempt 2',
    });
    await expectKept(text, r.text);
  });

  it('review, not done, when the body has unticked boxes; the log says which gates are open', async () => {
    const body = [
      'Intro.',
      '',
      '- [x] it builds',
      '- [ ] it has tests',
      '- [ ] it is documented',
      '- [ ]',
      '',
      '```',
      '- [ ] inside a fence: not a box',
      '```',
      '',
      '## Log',
      '- 2026-06-01T09:00:00Z alice note: - [ ] in the log: not a box',
      '',
    ].join('\n');
    const text = claimed(body);
    const r = doneText(text, await data(text), ctx);
    expect(r.status).toBe('review');
    const d = await data(r.text);
    expect(d.status).toBe('review');
    expect(d.lease).toBeUndefined();
    expect(logOf(r.text).at(-1)).toMatchObject({
      verb: 'review',
      message: 'baton run, attempt 2 (gates open: 2 unticked boxes)',
    });
    await expectKept(text, r.text);
  });

  it('review when a reviewer has not approved yet', async () => {
    const text = claimed().replace('priority: high', 'priority: high\nreviewers: [carol]');
    const r = doneText(text, await data(text), ctx);
    expect(r.status).toBe('review');
    expect(logOf(r.text).at(-1)?.message).toBe('baton run, attempt 2 (gates open: awaiting carol)');
  });

  it('only boxes with text count: a body of ticked boxes and a placeholder is done', async () => {
    const text = claimed('- [x] one\n- [X] two\n- [ ]\n');
    expect(doneText(text, await data(text), ctx).status).toBe('done');
  });
});

describe('failText', () => {
  const config = { max_attempts: 2, retry: DEFAULT_CONFIG.retry };
  const claimed = file([
    'assignee: robo',
    'lease: { agent: robo, until: 2026-06-15T13:00:00Z }',
  ]).replace('status: todo', 'status: in_progress');

  it('under max_attempts: back to todo with not_before after the backoff; then failed at the limit', async () => {
    const first = failText(claimed, await data(claimed), config, { ...ctx, reason: 'exit 1: no' });
    if ('refused' in first) throw new Error(first.refused);
    expect(first.final).toBe(false);
    expect(first.notBefore).toBe('2026-06-15T12:10:01Z');
    const d1 = await data(first.text);
    expect(d1.status).toBe('todo');
    expect(d1.attempts).toBe(1);
    expect(d1.not_before).toBe('2026-06-15T12:10:01Z');
    expect(d1.lease).toBeUndefined();
    // the assignee came with the claim, so it goes with it: any agent may take the retry
    expect(d1.assignee).toBeUndefined();
    expect(d1.updated).toBe(STAMP);
    expect(logOf(first.text).at(-1)).toMatchObject({
      verb: 'fail',
      agent: 'robo',
      message: 'exit 1: no (attempt 1 of 2; retry after 2026-06-15T12:10:01Z)',
    });
    await expectKept(claimed, first.text);

    const second = failText(first.text, d1, config, {
      ...ctx,
      now: new Date(NOW.getTime() + HOUR),
      reason: 'timeout after 5s',
    });
    if ('refused' in second) throw new Error(second.refused);
    expect(second.final).toBe(true);
    expect(second.notBefore).toBeUndefined();
    const d2 = await data(second.text);
    expect(d2.status).toBe('failed');
    expect(d2.attempts).toBe(2);
    expect(d2.not_before).toBeUndefined();
    expect(second.text).not.toMatch(/^not_before:/m);
    expect(logOf(second.text).at(-1)?.message).toBe(
      'timeout after 5s (attempt 2 of 2; final failure)',
    );
    await expectKept(claimed, second.text);
  });

  it("the task's own max_attempts wins over the config's", async () => {
    const text = claimed.replace('priority: high', 'priority: high\nmax_attempts: 1');
    const r = failText(text, await data(text), config, { ...ctx, reason: 'x' });
    if ('refused' in r) throw new Error(r.refused);
    expect(r.final).toBe(true);
    expect((await data(r.text)).status).toBe('failed');
  });

  it('refuses a task that is done or failed already', async () => {
    for (const status of ['done', 'failed']) {
      const text = file().replace('status: todo', `status: ${status}`);
      expect('refused' in failText(text, await data(text), config, { ...ctx, reason: 'x' })).toBe(
        true,
      );
    }
  });
});

describe('releaseText and conflictText', () => {
  const claimed = file([
    'assignee: robo',
    'lease: { agent: robo, until: 2026-06-15T13:00:00Z, claimed: 2026-06-15T11:00:00Z }',
    'attempts: 1',
  ]).replace('status: todo', 'status: in_progress');

  it('release: back to todo, no assignee, no lease, not counted as an attempt; the why is logged', async () => {
    const out = releaseText(claimed, { ...ctx, why: 'run interrupted; attempt 2 kept on b/2' });
    const d = await data(out);
    expect(d.status).toBe('todo');
    expect(d.assignee).toBeUndefined();
    expect(d.lease).toBeUndefined();
    expect(out).not.toMatch(/^(assignee|lease):/m);
    expect(d.attempts).toBe(1);
    expect(d.updated).toBe(STAMP);
    expect(logOf(out).at(-1)).toMatchObject({
      time: STAMP,
      agent: 'robo',
      verb: 'release',
      message: 'run interrupted; attempt 2 kept on b/2',
    });
    await expectKept(claimed, out);
    // ready again at once
    expect(await readinessOf(out)).toEqual({ state: 'ready' });
  });

  it('conflict: blocked, lease removed, conflict { branch, files, with }, and a line naming them', async () => {
    const out = conflictText(claimed, {
      ...ctx,
      files: ['src/a.ts', 'README.md'],
      with: 't-other',
      branch: 'baton/t-run1/2',
    });
    const d = (await data(out)) as TaskData & { conflict?: unknown };
    expect(d.status).toBe('blocked');
    expect(d.lease).toBeUndefined();
    expect(d.updated).toBe(STAMP);
    expect(d.conflict).toEqual({
      branch: 'baton/t-run1/2',
      files: ['src/a.ts', 'README.md'],
      with: 't-other',
    });
    expect(logOf(out).at(-1)).toMatchObject({
      verb: 'conflict',
      agent: 'robo',
      message: 'conflict in src/a.ts, README.md (changed by t-other); work kept on baton/t-run1/2',
    });
    await expectKept(claimed, out);
    const r = await readinessOf(out);
    expect(r).toMatchObject({ state: 'blocked', manual: true });
  });

  it('conflict without a task to blame leaves `with` out', async () => {
    const out = conflictText(claimed, { ...ctx, files: ['x'], branch: 'baton/t-run1/2' });
    const d = (await data(out)) as TaskData & { conflict?: unknown };
    expect(d.conflict).toEqual({ branch: 'baton/t-run1/2', files: ['x'] });
    expect(logOf(out).at(-1)?.message).toBe('conflict in x; work kept on baton/t-run1/2');
  });
});

describe('a whole attempt, edit after edit', () => {
  it('claim -> fail -> claim -> done keeps every log line, in order, and the unknown keys', async () => {
    const config = { max_attempts: 3, retry: DEFAULT_CONFIG.retry };
    let text = file();
    const step = async (f: (t: string, d: TaskData) => Promise<string> | string) => {
      text = await f(text, await data(text));
    };
    await step(async (t, d) => {
      const r = claimText(t, d, await readinessOf(t), {
        ...ctx,
        attempt: 1,
        leaseMs: HOUR,
        branch: 'b/1',
      });
      if ('refused' in r) throw new Error(r.refused);
      return r.text;
    });
    await step((t, d) => {
      const r = failText(t, d, config, { ...ctx, attempt: 1, reason: 'nope' });
      if ('refused' in r) throw new Error(r.refused);
      return r.text;
    });
    const later = new Date(NOW.getTime() + HOUR);
    await step(async (t, d) => {
      const readiness = computeReadiness(buildGraph([await parse(t)]), later)[0]!;
      const r = claimText(t, d, readiness, {
        ...ctx,
        now: later,
        attempt: 2,
        leaseMs: HOUR,
        branch: 'b/2',
      });
      if ('refused' in r) throw new Error(r.refused);
      return r.text;
    });
    await step((t, d) => doneText(t, d, { ...ctx, now: later, attempt: 2 }).text);
    expect(logOf(text).map((e) => e.verb)).toEqual(['note', 'claim', 'fail', 'claim', 'done']);
    const d = await data(text);
    expect(d.status).toBe('done');
    expect(d.attempts).toBe(1);
    expect(d.not_before).toBe('2026-06-15T12:10:01Z');
    await expectKept(file(), text);
  });
});
