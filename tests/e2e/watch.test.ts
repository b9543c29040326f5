/**
 * End-to-end: the built `baton watch --json` in real git repositories with real files and
 * real chokidar. Every wait reads events from stdout (with generous time limits); nothing
 * sleeps a fixed time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BATON_BIN,
  batonLines,
  commitAll,
  GIT_ENV,
  git,
  gitAs,
  gitRepo,
  runBaton,
  shareWithBob,
  taskFile,
  tempDir,
  writeTree,
} from '../helpers/git-repo.js';

type Event = { type: string; [key: string]: unknown };

const WAIT_MS = 120_000;
/** Tests that spawn baton and git many times: time for a loaded 2-core machine. */
const SPAWNS_MS = 300_000;

function task(id: string, fields: Record<string, string> = {}, body = ''): string {
  return taskFile({ id, title: `Task ${id}`, status: 'todo', depends_on: '[]', ...fields }, body);
}

const running: WatchProcess[] = [];
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop('SIGKILL');
});

/** A running `baton watch --json`, its events as they arrive. */
class WatchProcess {
  readonly events: Event[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private listeners: (() => void)[] = [];
  /** Events before this index were already waited for. */
  private cursor = 0;

  constructor(cwd: string, args: string[] = ['--json']) {
    this.child = spawn(process.execPath, [BATON_BIN, 'watch', ...args], {
      cwd,
      env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: 'me' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.events.push(
        args.includes('--json') ? (JSON.parse(line) as Event) : { type: 'text', line },
      );
      for (const l of this.listeners) l();
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((done) =>
      this.child.on('exit', (code, signal) => done({ code, signal })),
    );
    running.push(this);
  }

  /** The next event (after the last one waited for) that matches. */
  next(match: (e: Event) => boolean, what = 'event'): Promise<Event> {
    return new Promise((done, fail) => {
      const check = () => {
        for (let i = this.cursor; i < this.events.length; i++) {
          if (match(this.events[i]!)) {
            this.cursor = i + 1;
            cleanup();
            done(this.events[i]!);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(
          new Error(
            `no ${what} within ${WAIT_MS} ms; events:\n${this.events.map((e) => JSON.stringify(e)).join('\n')}\nstderr:\n${this.stderr.join('\n')}`,
          ),
        );
      }, WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  nextOfType(type: string, fields: Record<string, unknown> = {}): Promise<Event> {
    return this.next(
      (e) => e.type === type && Object.entries(fields).every(([k, v]) => e[k] === v),
      `${type} ${JSON.stringify(fields)}`,
    );
  }

  async started(): Promise<Event> {
    const state = await this.nextOfType('ready-state');
    await this.nextOfType('watching');
    return state;
  }

  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** A repo where t2 waits on t1 (in progress) and t3 is independent. */
function smallRepo(): string {
  return gitRepo({
    '.tasks/main/t1.md': task('t1', { status: 'in_progress' }),
    '.tasks/main/t2.md': task('t2', { depends_on: '[t1]' }, '\n## Log\n'),
    '.tasks/main/t3.md': task('t3', { status: 'done' }),
  });
}

describe('baton watch --json', () => {
  it('reports the starting state, then a task that became ready', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir);
    const state = await w.started();
    expect(state).toMatchObject({ tasks: 3, ready: [], branch: 'main' });

    writeFileSync(join(dir, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
    expect(await w.nextOfType('ready', { id: 't2' })).toMatchObject({
      path: '.tasks/main/t2.md',
      title: 'Task t2',
    });
    // A hand-off to the acting agent and a discovery, from the log.
    writeFileSync(
      join(dir, '.tasks/main/t2.md'),
      task(
        't2',
        { depends_on: '[t1]', assignee: 'me' },
        '\n## Log\n- 2026-01-01T00:00:00Z alice handoff -> me: over to you\n- 2026-01-01T00:00:01Z alice discover: the API is rate limited\n',
      ),
    );
    expect(await w.nextOfType('handoff', { id: 't2' })).toMatchObject({
      from: 'alice',
      note: 'over to you',
      ready: true,
    });
    expect(await w.nextOfType('discovery', { id: 't2' })).toMatchObject({ agent: 'alice' });
    expect(await w.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('follows editors: rename-over saves, backup and swap files, the vim probe file', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir);
    await w.started();
    const ns = join(dir, '.tasks/main');
    writeFileSync(join(ns, '4913'), '');
    unlinkSync(join(ns, '4913'));
    writeFileSync(join(ns, '.t1.md.swp'), 'binary swap');
    writeFileSync(join(ns, 't1.md~'), task('t1', { status: 'in_progress' }));
    writeFileSync(join(ns, 't1.md.tmp123'), task('t1', { status: 'done' }));
    renameSync(join(ns, 't1.md.tmp123'), join(ns, 't1.md'));
    await w.nextOfType('ready', { id: 't2' });
    // Again, the other way, to see the replaced file is still watched.
    writeFileSync(join(ns, '.t1.md.new'), task('t1', { status: 'in_progress' }));
    renameSync(join(ns, '.t1.md.new'), join(ns, 't1.md'));
    await w.nextOfType('unready', { id: 't2' });
    const noise = w.events.filter((e) => /4913|~|\.swp|tmp|\.new/.test(String(e.path ?? '')));
    expect(noise).toEqual([]);
    expect(w.events.filter((e) => e.type === 'bad-file')).toEqual([]);
  });

  it('reports a bad file, keeps running, and reports it fixed', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir);
    await w.started();
    writeFileSync(join(dir, '.tasks/main/t1.md'), '---\nid: t1\ntitle: [unclosed\n---\n');
    const badFile = await w.nextOfType('bad-file', { path: '.tasks/main/t1.md' });
    expect(badFile).toMatchObject({ rule: 'schema' });
    expect(typeof badFile.message).toBe('string');
    // t2 now waits on a task that does not exist; still not ready, still watching.
    writeFileSync(join(dir, '.tasks/main/t4.md'), task('t4'));
    await w.nextOfType('ready', { id: 't4' });
    writeFileSync(join(dir, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
    await w.nextOfType('file-fixed', { path: '.tasks/main/t1.md' });
    await w.nextOfType('ready', { id: 't2' });
  });

  it('coalesces a checkout of a branch changing many task files into one reload', async () => {
    const n = 300;
    const tree: Record<string, string> = {
      '.tasks/main/gate.md': task('gate', { status: 'in_progress' }),
    };
    for (let i = 0; i < n; i++)
      tree[`.tasks/main/w${i}.md`] = task(`w${i}`, { depends_on: '[gate]' });
    const dir = gitRepo(tree);
    git(dir, 'checkout', '-q', '-b', 'other');
    const changed: Record<string, string> = {
      '.tasks/main/gate.md': task('gate', { status: 'done' }),
    };
    for (let i = 0; i < n; i++) {
      changed[`.tasks/main/w${i}.md`] = task(`w${i}`, { depends_on: '[gate]', priority: 'high' });
    }
    writeTree(dir, changed);
    git(dir, 'commit', '-q', '-am', 'gate done');
    git(dir, 'checkout', '-q', 'main');

    const w = new WatchProcess(dir);
    await w.started();
    git(dir, 'checkout', '-q', 'other');
    const head = await w.nextOfType('head', { branch: 'other' });
    expect(head.changed).toBe(n + 1);
    // A later edit still works, and nothing was reported twice.
    writeFileSync(join(dir, '.tasks/main/extra.md'), task('extra'));
    await w.nextOfType('ready', { id: 'extra' });
    expect(w.events.filter((e) => e.type === 'head')).toHaveLength(1);
    expect(w.events.filter((e) => e.type === 'reload')).toHaveLength(0);
    const ready = w.events.filter((e) => e.type === 'ready').map((e) => String(e.id));
    const expected = [...Array.from({ length: n }, (_, i) => `w${i}`), 'extra'];
    expect(ready.sort()).toEqual(expected.sort());
  });

  it('waits for a deleted .tasks/ to come back', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir);
    await w.started();
    rmSync(join(dir, '.tasks'), { recursive: true, force: true });
    await w.nextOfType('tasks-dir', { state: 'missing' });
    git(dir, 'checkout', '--', '.tasks');
    await w.nextOfType('tasks-dir', { state: 'restored' });
    // The model was kept: nothing was removed or re-announced.
    expect(w.events.filter((e) => e.type === 'removed' || e.type === 'ready')).toEqual([]);
    writeFileSync(join(dir, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
    await w.nextOfType('ready', { id: 't2' });
    // A new namespace folder is picked up too.
    mkdirSync(join(dir, '.tasks/feature-x'));
    writeFileSync(join(dir, '.tasks/feature-x/f1.md'), task('f1'));
    await w.nextOfType('ready', { id: 'f1', path: '.tasks/feature-x/f1.md' });
    expect(await w.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('reports a lease that runs out, with no file changing', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir);
    await w.started();
    const until = new Date(Date.now() + 1500).toISOString();
    writeFileSync(
      join(dir, '.tasks/main/t1.md'),
      taskFile({
        id: 't1',
        title: 'Task t1',
        status: 'in_progress',
        depends_on: '[]',
        lease: `{ agent: bob, until: "${until}" }`,
      }),
    );
    expect(await w.nextOfType('lease-expired', { id: 't1' })).toMatchObject({
      agent: 'bob',
      until,
    });
    expect(await w.nextOfType('ready', { id: 't1' })).toMatchObject({ leaseExpired: true });
  });

  it('follows HEAD in a linked worktree', async () => {
    const dir = smallRepo();
    const wt = join(tempDir(), 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'side', wt);
    const w = new WatchProcess(wt);
    expect(await w.started()).toMatchObject({ branch: 'side' });
    writeFileSync(join(wt, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
    await w.nextOfType('ready', { id: 't2' });
    git(wt, 'commit', '-q', '-am', 't1 done');
    const head = await w.nextOfType('head');
    expect(head).toMatchObject({ branch: 'side', changed: 0 });
    expect(head.to).toBe(git(wt, 'rev-parse', 'HEAD').trim());
  });

  it(
    'reports status changes by the status verbs, with who made them',
    async () => {
      const dir = smallRepo();
      writeTree(dir, { '.tasks/main/t4.md': task('t4', {}, '\n## Log\n') });
      const w = new WatchProcess(dir);
      await w.started();
      const as = (agent: string, ...args: string[]) =>
        expect(runBaton(dir, args, { env: { BATON_AGENT: agent } }).code).toBe(0);
      const ref = { id: 't4', path: '.tasks/main/t4.md', title: 'Task t4' };

      as('alice', 'start', 't4');
      expect(await w.nextOfType('status', { id: 't4' })).toMatchObject({
        ...ref,
        from: 'todo',
        to: 'in_progress',
        by: 'alice',
      });
      as('alice', 'review', 't4');
      expect(await w.nextOfType('status', { id: 't4' })).toMatchObject({
        from: 'in_progress',
        to: 'review',
        by: 'alice',
      });
      as('bob', 'done', 't4');
      expect(await w.nextOfType('status', { id: 't4' })).toMatchObject({
        from: 'review',
        to: 'done',
        by: 'bob',
      });
      // By hand, with no log line and nobody holding the task: nobody to name.
      writeFileSync(join(dir, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
      const byHand = await w.nextOfType('status', { id: 't1' });
      expect(byHand).toMatchObject({ from: 'in_progress', to: 'done' });
      expect(byHand).not.toHaveProperty('by');
    },
    SPAWNS_MS,
  );

  it(
    "reports claims (the acting agent's own too) and releases",
    async () => {
      const dir = smallRepo();
      writeTree(dir, { '.tasks/main/t4.md': task('t4', {}, '\n## Log\n') });
      const w = new WatchProcess(dir);
      await w.started();
      const as = (agent: string, ...args: string[]) =>
        expect(runBaton(dir, args, { env: { BATON_AGENT: agent } }).code).toBe(0);

      as('carol', 'claim', 't4');
      expect(await w.nextOfType('claimed', { id: 't4' })).toMatchObject({ by: 'carol' });
      expect(await w.nextOfType('status', { id: 't4' })).toMatchObject({
        from: 'todo',
        to: 'in_progress',
        by: 'carol',
      });
      as('carol', 'release', 't4');
      expect(await w.nextOfType('released', { id: 't4' })).toMatchObject({
        previous: 'carol',
        by: 'carol',
      });
      expect(await w.nextOfType('status', { id: 't4' })).toMatchObject({
        from: 'in_progress',
        to: 'todo',
        by: 'carol',
      });
      await w.nextOfType('ready', { id: 't4' });
      as('me', 'claim', 't4');
      expect(await w.nextOfType('claimed', { id: 't4' })).toMatchObject({ by: 'me' });
    },
    SPAWNS_MS,
  );

  it('reports a file that stops parsing as invalid, not removed', async () => {
    const dir = smallRepo();
    writeTree(dir, { '.tasks/main/t4.md': task('t4') });
    const w = new WatchProcess(dir);
    expect(await w.started()).toMatchObject({ ready: ['t4'] });
    const path = '.tasks/main/t4.md';
    writeFileSync(
      join(dir, path),
      '---\nid: t4\ntitle: Task t4\n<<<<<<< HEAD\nstatus: todo\n=======\nstatus: done\n>>>>>>> other\ndepends_on: []\n---\n',
    );
    const invalid = await w.nextOfType('invalid', { path });
    expect(invalid).toMatchObject({ id: 't4', title: 'Task t4', rule: 'conflict-markers' });
    expect(invalid.line).toEqual(expect.any(Number));
    expect(invalid.message).toEqual(expect.any(String));
    expect(await w.nextOfType('unready', { id: 't4' })).toMatchObject({ state: 'invalid' });
    writeFileSync(join(dir, path), task('t4'));
    await w.nextOfType('file-fixed', { path });
    await w.nextOfType('ready', { id: 't4' });
    expect(w.events.filter((e) => e.type === 'removed')).toEqual([]);
    expect(w.events.filter((e) => e.type === 'bad-file')).toMatchObject([
      { path, rule: 'conflict-markers' },
    ]);
  });

  it(
    'reports the caches and results a pull or a checkout made stale, as the hook does',
    async () => {
      const T = '2026-11-22T10:00:00Z';
      const withLog = (id: string, fields: Record<string, string>) =>
        taskFile({ id, title: `Task ${id}`, status: 'todo', created: T, ...fields }, '\n## Log\n');
      const alice = gitRepo({
        '.tasks/config.yaml':
          'prefix: t\ndefault_namespace: main\ncaches:\n  features:\n    inputs: ["data/**"]\n',
        '.tasks/main/feat.md': withLog('feat', { depends_on: '[]', inputs: '["data/**"]' }),
        '.tasks/main/train.md': withLog('train', { depends_on: '[feat]' }),
        '.gitignore': 'cache/\n',
        'data/a.csv': 'a\n',
      });
      for (const id of ['feat', 'train']) expect(runBaton(alice, ['done', id]).code).toBe(0);
      commitAll(alice, 'done');
      const bob = shareWithBob(alice);
      expect(runBaton(bob, ['cache', 'stamp', 'features']).code).toBe(0);
      const base = git(bob, 'rev-parse', 'HEAD').trim();

      const w = new WatchProcess(bob);
      await w.started();
      writeTree(alice, { 'data/a.csv': 'new prices\n' });
      commitAll(alice, 'Update the prices');
      git(alice, 'push', '-q');
      const commit = git(alice, 'rev-parse', '--short', 'HEAD').trim();
      const pull = gitAs('bob', bob, 'pull', '-q');
      expect(pull.code).toBe(0);
      // The hook printed both...
      const printed = batonLines(pull.out).join('\n');
      expect(printed).toContain('1 cache made stale');
      expect(printed).toContain('2 task results made stale');
      // ...and so does watch, item for item what `baton news` says.
      const head = await w.nextOfType('head');
      expect(head.to).toBe(git(bob, 'rev-parse', 'HEAD').trim());
      const cache = await w.nextOfType('stale-cache', { name: 'features' });
      const feat = await w.nextOfType('stale-result', { id: 'feat' });
      const train = await w.nextOfType('stale-result', { id: 'train' });
      const news = runBaton(bob, ['news', '--since', base, '--json'], {
        env: { BATON_AGENT: 'me' },
      });
      const items = (JSON.parse(news.stdout) as { kind: string }[]).filter((i) =>
        i.kind.startsWith('stale-'),
      );
      const asNews = (e: Event) => {
        const { type, time: _time, ...rest } = e;
        return { kind: type, ...rest };
      };
      expect(items).toEqual([{ ...asNews(cache), cleared: false }, asNews(feat), asNews(train)]);
      expect(cache).toMatchObject({
        dir: 'cache/main/features',
        inputs: ['data/a.csv'],
        commits: [{ commit, subject: 'Update the prices' }],
      });
      expect(feat).toMatchObject({ inherited: false, inputs: ['data/a.csv'] });
      expect(train).toMatchObject({ inherited: true, via: 'feat' });

      // A checkout: the cache stamped on the new data is stale on the old one; the results,
      // recorded on the old data, are fresh again.
      expect(runBaton(bob, ['cache', 'stamp', 'features']).code).toBe(0);
      git(bob, 'checkout', '-q', base);
      await w.nextOfType('head', { to: base });
      expect(await w.nextOfType('stale-cache', { name: 'features' })).toMatchObject({
        inputs: ['data/a.csv'],
      });
      // Nothing else was stale: a later edit's event comes with no stale event before it.
      writeFileSync(join(bob, '.tasks/main/extra.md'), task('extra'));
      await w.nextOfType('ready', { id: 'extra' });
      expect(w.events.filter((e) => e.type === 'stale-result')).toHaveLength(2);
      expect(w.events.filter((e) => e.type === 'stale-cache')).toHaveLength(2);

      // One's own commit brings nothing from elsewhere (no hook prints news for it either),
      // even though it changes an input.
      writeTree(bob, { 'data/a.csv': 'edited here\n' });
      commitAll(bob, 'Edit the prices here');
      await w.nextOfType('head', { to: git(bob, 'rev-parse', 'HEAD').trim() });
      writeFileSync(join(bob, '.tasks/main/extra2.md'), task('extra2'));
      await w.nextOfType('ready', { id: 'extra2' });
      expect(w.events.filter((e) => e.type.startsWith('stale-'))).toHaveLength(4);
    },
    SPAWNS_MS * 2,
  );

  it('prints text lines with a time stamp without --json', async () => {
    const dir = smallRepo();
    const w = new WatchProcess(dir, []);
    await w.next((e) => /watching/.test(String(e.line)), 'watching line');
    writeFileSync(join(dir, '.tasks/main/t1.md'), task('t1', { status: 'done' }));
    const line = await w.next((e) => /ready/.test(String(e.line)), 'ready line');
    expect(line.line).toMatch(/^\d\d:\d\d:\d\d ready +t2 {2}Task t2$/);
    expect(await w.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
