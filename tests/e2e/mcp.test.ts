/**
 * End-to-end: `baton mcp` spawned and driven by the MCP SDK's own client over stdio, in real
 * git repositories. The same steps through MCP and through the CLI leave the same files and
 * the same commits (timestamps aside); the tool list stays inside its size budget; errors
 * carry their stable codes; and claims race fairly between MCP servers and CLI processes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, shareWithBob, taskFile } from '../helpers/git-repo.js';
import { type Mcp, startMcp } from '../helpers/mcp.js';

const servers: Mcp[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
});
async function mcp(dir: string, agent?: string, env: Record<string, string> = {}): Promise<Mcp> {
  const s = await startMcp(dir, agent, env);
  servers.push(s);
  return s;
}

/** A plan: `a` (high) first, `b` waits for `a`, `c` low and free. */
const plan = () =>
  gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    '.tasks/main/a.md': taskFile(
      { id: 'a', title: 'Design the schema', status: 'todo', priority: 'high' },
      '## Acceptance\n\n- [x] tables named\n',
    ),
    '.tasks/main/b.md': taskFile({
      id: 'b',
      title: 'Write the migrations',
      status: 'todo',
      depends_on: '[a]',
    }),
    '.tasks/main/c.md': taskFile({
      id: 'c',
      title: 'Tidy the docs',
      status: 'todo',
      priority: 'low',
    }),
    'db/schema.sql': 'create table users (id int);\n',
  });

const STAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g;
/** Every task file, timestamps replaced. */
function taskFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, '.tasks/main')).sort()) {
    out[name] = readFileSync(join(dir, '.tasks/main', name), 'utf8').replace(STAMP, '<time>');
  }
  return out;
}
/** Subjects, bodies and trailers of every commit, and the files each touched. */
const history = (dir: string) =>
  git(dir, 'log', '--format=%s%n%b', '--name-only').replace(STAMP, '<time>');

describe('baton mcp', () => {
  it('lists ten tools inside the size budget, without output schemas, and names the agent', async () => {
    const dir = plan();
    const s = await mcp(dir, 'ada');
    const list = await s.client.listTools();
    const size = JSON.stringify(list).length;
    expect(size).toBeLessThan(8000);
    expect(list.tools.map((t) => t.name).sort()).toEqual([
      'baton_claim',
      'baton_create',
      'baton_handoff',
      'baton_list',
      'baton_news',
      'baton_post',
      'baton_ready',
      'baton_show',
      'baton_status',
      'baton_update',
    ]);
    for (const tool of list.tools) expect(tool.outputSchema).toBeUndefined();
    expect(s.client.getInstructions()).toContain('"ada"');
  });

  it('claim, share "- ...", hand off with an artifact, done: files and git log as the CLI makes them', async () => {
    const viaMcp = plan();
    const viaCli = plan();
    const s = await mcp(viaMcp, 'ada');

    // MCP
    const claimed = await s.call('baton_claim', {});
    expect(claimed.isError).toBe(false);
    expect(claimed.value).toMatchObject({ id: 'a', agent: 'ada', claim: { kind: 'claim' } });
    const shared = await s.call('baton_post', {
      id: 'a',
      kind: 'share',
      message: '- tables: users, orgs',
    });
    expect(shared.value).toMatchObject({ verb: 'share', message: '- tables: users, orgs' });
    const handed = await s.call('baton_handoff', {
      id: 'a',
      to: 'bob',
      note: 'schema drafted',
      artifacts: ['db/schema.sql'],
      commit: true,
    });
    expect(handed.isError).toBe(false);
    expect(handed.value).toMatchObject({
      id: 'a',
      agent: 'ada',
      verb: 'handoff',
      assignee: { from: 'ada', to: 'bob' },
      artifacts: ['db/schema.sql'],
    });
    expect(handed.value.commit).toBe(git(viaMcp, 'rev-parse', 'HEAD').trim());
    const done = await s.call('baton_status', { id: 'a', to: 'done', commit: true });
    expect(done.value).toMatchObject({
      id: 'a',
      agent: 'ada',
      verb: 'done',
      from: 'in_progress',
      to: 'done',
      now_ready: ['b'],
    });
    const ready = await s.call('baton_ready', {});
    expect((ready.value as unknown as { id: string }[]).map((t) => t.id)).toEqual(['b', 'c']);

    // the CLI, the same steps
    const cli = (...args: string[]) => {
      const r = runBaton(viaCli, [...args, '--agent', 'ada']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    };
    cli('next', '--claim');
    cli('share', 'a', '- tables: users, orgs');
    cli(
      'handoff',
      'a',
      '--to',
      'bob',
      '--note',
      'schema drafted',
      '--artifact',
      'db/schema.sql',
      '--commit',
    );
    cli('done', 'a', '--commit');

    expect(taskFiles(viaMcp)).toEqual(taskFiles(viaCli));
    expect(taskFiles(viaMcp)['a.md']).toContain('share: - tables: users, orgs');
    expect(history(viaMcp)).toBe(history(viaCli));
    expect(s.stderr()).toBe('');
  });

  it('reads fresh on every call: a CLI write between two calls is seen at once', async () => {
    const dir = plan();
    const s = await mcp(dir, 'ada');
    const before = await s.call('baton_show', { id: 'c' });
    expect(before.value).toMatchObject({ id: 'c', priority: 'low' });
    expect(runBaton(dir, ['update', 'c', '--set', 'priority=critical']).code).toBe(0);
    const after = await s.call('baton_show', { id: 'c' });
    expect(after.value).toMatchObject({ id: 'c', priority: 'critical' });
    const next = await s.call('baton_claim', {});
    expect(next.value).toMatchObject({ id: 'c', agent: 'ada' });
  });

  it('tells "wait" from "no open work", and pages a list with a cursor', async () => {
    const dir = plan();
    const s = await mcp(dir, 'ada');
    const page1 = await s.call('baton_list', { limit: 2 });
    expect(page1.value).toMatchObject({ total: 3, more: '2' });
    const page2 = await s.call('baton_list', { limit: 2, cursor: '2' });
    expect(page2.value).toMatchObject({ total: 3 });
    expect(page2.value.more).toBeUndefined();
    expect((page2.value.tasks as { id: string }[]).map((t) => t.id)).toEqual(['c']);
    const found = await s.call('baton_list', { text: 'MIGRATIONS' });
    expect((found.value.tasks as { id: string }[]).map((t) => t.id)).toEqual(['b']);

    expect((await s.call('baton_claim', {})).value).toMatchObject({ id: 'a' });
    // capacity 1: a is held, b waits on it, c is there but ada is full
    const wait = await s.call('baton_claim', {});
    expect(wait.isError).toBe(false);
    expect(wait.value).toMatchObject({ id: null, reason: 'wait' });
    for (const id of ['a', 'c']) {
      await s.call('baton_status', { id, to: 'done' });
    }
    await s.call('baton_claim', { id: 'b' });
    await s.call('baton_status', { id: 'b', to: 'done' });
    expect((await s.call('baton_claim', {})).value).toMatchObject({
      id: null,
      reason: 'no-open-work',
    });
  });

  it('writes: create, update fields and dependencies, fail with a reason, note, ack', async () => {
    const dir = plan();
    const s = await mcp(dir, 'ada');
    const made = await s.call('baton_create', {
      title: 'Load test',
      priority: 'high',
      depends_on: ['b'],
      labels: ['perf'],
      id: 'lt',
    });
    expect(made.value).toMatchObject({ id: 'lt', agent: 'ada', verb: 'new', depends_on: ['b'] });
    const updated = await s.call('baton_update', {
      id: 'lt',
      set: { estimate: '4h' },
      add_deps: ['c'],
      remove_deps: ['b'],
    });
    expect(updated.isError).toBe(false);
    expect(updated.value).toMatchObject({ id: 'lt', agent: 'ada' });
    expect((updated.value.results as unknown[]).length).toBe(3);
    const shown = await s.call('baton_show', { id: 'lt' });
    expect(shown.value).toMatchObject({ estimate: '4h', depends_on: ['c'] });

    await s.call('baton_claim', { id: 'c' });
    const failed = await s.call('baton_status', { id: 'c', to: 'fail', reason: 'flaky API' });
    expect(failed.value).toMatchObject({ id: 'c', verb: 'fail', agent: 'ada' });
    const noted = await s.call('baton_post', { id: 'c', kind: 'note', message: 'ask bob' });
    expect(noted.value).toMatchObject({ verb: 'note', agent: 'ada' });
    await s.call('baton_post', { id: 'c', kind: 'discover', message: 'the API drops ticks' });
    const acked = await s.call('baton_post', { id: 'c', kind: 'ack' });
    expect(acked.value).toMatchObject({ verb: 'ack', agent: 'ada' });
    const told = await s.call('baton_show', { id: 'c', context: true });
    expect(JSON.stringify(told.value.context)).toContain('ask bob');
  });

  it('errors carry stable codes, the facts as data, and a hint', async () => {
    const dir = plan();
    writeFileSync(
      join(dir, '.tasks/main/bad.md'),
      '---\nid: bad\ntitle: [unclosed\nstatus: todo\n---\n',
    );
    for (const id of ['m1', 'm2']) {
      writeFileSync(join(dir, `.tasks/main/${id}.md`), taskFile({ id, title: id, status: 'todo' }));
    }
    const s = await mcp(dir, 'ada');
    const missing = await s.call('baton_show', { id: 'zzz' });
    expect(missing).toMatchObject({ isError: true, value: { error: 'TASK_NOT_FOUND' } });
    expect(missing.value.hint).toBeTruthy();
    const ambiguous = await s.call('baton_claim', { id: 'm' });
    expect(ambiguous.value).toMatchObject({ error: 'AMBIGUOUS_ID', candidates: ['m1', 'm2'] });
    const cycle = await s.call('baton_update', { id: 'a', add_deps: ['b'] });
    expect(cycle.value).toMatchObject({ error: 'CYCLE', cycle: ['a', 'b', 'a'] });
    expect((await s.call('baton_claim', { id: 'm1' })).isError).toBe(false);
    const refused = await (await mcp(dir, 'bob')).call('baton_claim', { id: 'm1' });
    expect(refused.value).toMatchObject({ error: 'REFUSED', holder: 'ada' });
    expect(String(refused.value.message)).toContain('claimed by ada');
    const invalid = await s.call('baton_show', { id: 'bad' });
    expect(invalid.value).toMatchObject({ error: 'TASK_INVALID', file: '.tasks/main/bad.md' });
    expect(invalid.value.line).toEqual(expect.any(Number));
    // a value outside the schema is refused by the SDK before baton runs
    const schema = await s.call('baton_status', { id: 'a', to: 'sideways' });
    expect(schema.isError).toBe(true);
    expect(s.stderr()).toBe('');
  });

  it('claim with push races across clones: the loser in the other clone is told the holder', async () => {
    const alice = plan();
    const bob = shareWithBob(alice);
    const s = await mcp(alice, 'ada');
    const won = await s.call('baton_claim', { id: 'a', push: true });
    expect(won.isError).toBe(false);
    expect(won.value).toMatchObject({ id: 'a', agent: 'ada', pushed: true });
    expect(won.value.commit).toBe(git(alice, 'rev-parse', 'HEAD').trim());
    expect(git(alice, 'rev-parse', 'origin/main').trim()).toBe(won.value.commit);
    const lost = runBaton(bob, ['claim', 'a', '--push', '--agent', 'bo']);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('ada');
    // and the other way round: the CLI wins in bob's clone, the MCP claim loses
    expect(runBaton(bob, ['claim', 'c', '--push', '--agent', 'bo']).code).toBe(0);
    const refused = await s.call('baton_claim', { id: 'c', push: true });
    expect(refused.value).toMatchObject({ error: 'REFUSED', holder: 'bo' });
  });
});
