/**
 * End-to-end: the agent loop. `next` tells "nothing fits now, work remains" (exit 1, reason
 * `wait`, with what it waits on) from "no open work is left" (exit 3, `no-open-work`), and
 * `next --wait --claim` blocks until a task fits, so agents can loop until the plan is done.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, runBaton, runBatonAsync, taskFile } from '../helpers/git-repo.js';

const path = (id: string) => `.tasks/main/${id}.md`;

function repo(tasks: Record<string, Record<string, string>>): string {
  const tree: Record<string, string> = { '.tasks/config.yaml': 'prefix: t\n' };
  for (const [id, fields] of Object.entries(tasks)) {
    tree[path(id)] = taskFile({ id, title: `Task ${id}`, status: 'todo', ...fields }, 'Body.\n');
  }
  return gitRepo(tree);
}

describe('next: wait or done', () => {
  it('exit 1 with what it waits on while work remains; exit 3 when none is left', () => {
    const dir = repo({ a: {}, b: { depends_on: '[a]' } });
    expect(runBaton(dir, ['claim', 'a', '--agent', 'bob']).code).toBe(0);
    const wait = runBaton(dir, ['next', '--json', '--agent', 'ann']);
    expect(wait.code).toBe(1);
    expect(JSON.parse(wait.stdout)).toMatchObject({
      id: null,
      reason: 'wait',
      open: 1,
      waiting: [
        { id: 'b', why: 'dependencies', on: [{ id: 'a', status: 'in_progress', held_by: 'bob' }] },
      ],
    });
    const text = runBaton(dir, ['next', '--agent', 'ann']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('b  waits on a (in_progress, held by bob)');

    // --wait with a timeout gives up with the same answer
    const timedOut = runBaton(dir, [
      'next',
      '--wait',
      '--timeout',
      '1s',
      '--json',
      '--agent',
      'ann',
    ]);
    expect(timedOut.code).toBe(1);
    expect(JSON.parse(timedOut.stdout)).toMatchObject({ reason: 'wait' });

    expect(runBaton(dir, ['done', 'a', '--agent', 'bob']).code).toBe(0);
    expect(runBaton(dir, ['done', 'b', '--agent', 'bob']).code).toBe(0);
    const done = runBaton(dir, ['next', '--json', '--agent', 'ann']);
    expect(done.code).toBe(3);
    expect(JSON.parse(done.stdout)).toMatchObject({ id: null, reason: 'no-open-work', open: 0 });
    // --wait does not wait when nothing is left
    expect(runBaton(dir, ['next', '--wait', '--claim', '--agent', 'ann']).code).toBe(3);
  });

  it('refuses --timeout without --wait, or a timeout it cannot read (exit 2)', () => {
    const dir = repo({ a: {} });
    expect(runBaton(dir, ['next', '--timeout', '5m']).code).toBe(2);
    expect(runBaton(dir, ['next', '--wait', '--timeout', 'soon']).code).toBe(2);
  });

  it('four agents looping next --wait --claim / done finish 30 dependent tasks once each', async () => {
    // a layered plan: each task waits on one or two of the three before it
    const tasks: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 30; i++) {
      const deps = [i - 1, i - 3].filter((j) => j >= 0 && (j === i - 1 ? i % 2 === 0 : true));
      const id = `w${String(i).padStart(2, '0')}`;
      tasks[id] = deps.length
        ? { depends_on: `[${deps.map((j) => `w${String(j).padStart(2, '0')}`).join(', ')}]` }
        : {};
    }
    const dir = repo(tasks);
    const agents = ['ann', 'bob', 'cid', 'dot'];
    const loop = async (agent: string) => {
      const done: string[] = [];
      for (;;) {
        const r = await runBatonAsync(dir, [
          'next',
          '--wait',
          '--claim',
          '--json',
          '--agent',
          agent,
        ]);
        if (r.code === 3) return { agent, done, last: JSON.parse(r.stdout).reason as string };
        if (r.code !== 0) throw new Error(`${agent}: next exited ${r.code}: ${r.stderr}`);
        const id = JSON.parse(r.stdout).id as string;
        const d = await runBatonAsync(dir, ['done', id, '--agent', agent]);
        if (d.code !== 0) throw new Error(`${agent}: done ${id} exited ${d.code}: ${d.stderr}`);
        done.push(id);
      }
    };
    const results = await Promise.all(agents.map(loop));
    const all = results.flatMap((r) => r.done).sort();
    expect(all).toEqual(Object.keys(tasks).sort());
    for (const r of results) expect(r.last).toBe('no-open-work');
    for (const id of Object.keys(tasks)) {
      const text = readFileSync(join(dir, path(id)), 'utf8');
      expect(text).toContain('status: done');
      expect(text.match(/Z \S+ claim: /g)).toHaveLength(1);
      expect(text.match(/Z \S+ done\b/g)).toHaveLength(1);
    }
  });
});
