/**
 * `baton board` end to end: the real server, spawned through the built CLI in a temp git
 * repository, talked to over HTTP. Security (token, cookie, Host, Origin, content type, ids,
 * headers), the reads, the writes (each compared with the same change made by the CLI in a
 * twin repository), the event stream (snapshot, deltas from hand edits and from the CLI,
 * resuming with Last-Event-ID), the CPU an idle board uses, and a clean stop on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT, boardRepo, ENV, spawnBoard, TASKS } from '../helpers/board.js';
import { runBaton } from '../helpers/git-repo.js';

const LONG = 60_000;
const repo = boardRepo;

// biome-ignore lint/suspicious/noExplicitAny: the server's JSON, read field by field in assertions
type Json = any;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => Json;
}

interface Board {
  child: ChildProcess;
  url: string;
  port: number;
  host: string;
  origin: string;
  cookie: string;
  dir: string;
  exit: Promise<number | null>;
}

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function startBoard(dir: string): Promise<Board> {
  const { child, url, exit } = await spawnBoard(dir);
  const port = Number(new URL(url).port);
  const host = `127.0.0.1:${port}`;
  const exchange = await send(port, 'GET', new URL(url).pathname + new URL(url).search);
  expect(exchange.status).toBe(303);
  const cookie = String(exchange.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  return { child, url, port, host, origin: `http://${host}`, cookie, dir, exit };
}

const get = (b: Board, path: string, headers: Record<string, string> = {}) =>
  send(b.port, 'GET', path, { Cookie: b.cookie, ...headers });

function post(b: Board, path: string, body: unknown, headers: Record<string, string> = {}) {
  return send(
    b.port,
    'POST',
    path,
    {
      Cookie: b.cookie,
      Origin: b.origin,
      'Content-Type': 'application/json',
      'X-Baton-Board': '1',
      ...headers,
    },
    JSON.stringify(body),
  );
}

async function fingerprint(b: Board, id: string): Promise<string> {
  const r = await get(b, `/api/tasks/${id}`);
  expect(r.status).toBe(200);
  return r.json().fingerprint as string;
}

/** A POST with If-Match set to the task's current fingerprint. */
async function act(b: Board, id: string, action: string, body: unknown) {
  return post(b, `/api/tasks/${id}/${action}`, body, {
    'If-Match': `"${await fingerprint(b, id)}"`,
  });
}

const mask = (text: string) =>
  text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?/g, '<time>');

const fileOf = (dir: string, id: string) =>
  mask(readFileSync(join(dir, `.tasks/main/${id}.md`), 'utf8'));

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** An open event stream: every event so far, and a way to wait for one. */
function openEvents(b: Board, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let status = 0;
  let close = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: b.port,
        path: '/events',
        headers: { Host: b.host, Cookie: b.cookie, Accept: 'text/event-stream', ...headers },
      },
      (res) => {
        status = res.statusCode ?? 0;
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            const e: SseEvent = { event: 'message', data: '' };
            let has = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const [k, ...rest] = line.split(': ');
              const v = rest.join(': ');
              if (k === 'id') e.id = v;
              else if (k === 'event') e.event = v;
              else if (k === 'data') e.data = v;
              has = true;
            }
            if (has) events.push(e);
          }
          for (const w of waiters.splice(0)) w();
        });
        resolve();
      },
    );
    req.on('error', reject);
    req.end();
    close = () => req.destroy();
  });
  const waitFor = async (pred: (e: SseEvent) => boolean, what: string): Promise<SseEvent> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no ${what}; got ${JSON.stringify(events.map((e) => e.event))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 1000);
      });
    }
  };
  return { events, opened, waitFor, close: () => close(), status: () => status };
}

describe('baton board: security', () => {
  it(
    'trades the token for a strict cookie and refuses everything else',
    async () => {
      const b = await startBoard(repo());
      const u = new URL(b.url);
      const ex = await send(b.port, 'GET', u.pathname + u.search);
      expect(ex.status).toBe(303);
      expect(ex.headers.location).toBe('/');
      const setCookie = String(ex.headers['set-cookie']);
      expect(setCookie).toMatch(/^baton_board=[0-9a-f]+;/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect(setCookie).not.toContain(u.searchParams.get('token')!);

      // no token, wrong token, wrong cookie
      const none = await send(b.port, 'GET', '/');
      expect(none.status).toBe(401);
      expect(none.headers['content-type']).toMatch(/^text\/plain/);
      const wrong = await send(b.port, 'GET', `/?token=${'0'.repeat(32)}`);
      expect(wrong.status).toBe(401);
      const api = await send(b.port, 'GET', '/api/board');
      expect(api.status).toBe(401);
      expect(api.json().error).toBe('TOKEN');
      const badCookie = await send(b.port, 'GET', '/api/board', { Cookie: 'baton_board=nope' });
      expect(badCookie.status).toBe(401);
      const events = await send(b.port, 'GET', '/events');
      expect(events.status).toBe(401);

      // with the cookie: the page (placeholder or the built UI) and the API
      const page = await get(b, '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect((await get(b, '/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
      expect((await get(b, '/app.css')).headers['content-type']).toMatch(/^text\/css/);

      // forged Host (DNS rebinding), even with the right cookie
      for (const host of [`evil.example:${b.port}`, `127.0.0.1:${b.port + 1}`, 'localhost']) {
        const r = await send(b.port, 'GET', '/api/board', { Cookie: b.cookie, Host: host });
        expect(r.status).toBe(403);
        expect(r.json().error).toBe('HOST');
      }
      const viaLocalhost = await send(b.port, 'GET', '/api/board', {
        Cookie: b.cookie,
        Host: `localhost:${b.port}`,
      });
      expect(viaLocalhost.status).toBe(200);

      const fp = `"${await fingerprint(b, 'a1')}"`;
      const write = (headers: Record<string, string>, body = '{"to":"start"}') =>
        send(
          b.port,
          'POST',
          '/api/tasks/a1/status',
          {
            Cookie: b.cookie,
            Origin: b.origin,
            'Content-Type': 'application/json',
            'X-Baton-Board': '1',
            'If-Match': fp,
            ...headers,
          },
          body,
        );
      const foreign = await write({ Origin: 'http://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.json().error).toBe('ORIGIN');
      const noOrigin = await send(
        b.port,
        'POST',
        '/api/tasks/a1/status',
        { Cookie: b.cookie, 'Content-Type': 'application/json', 'X-Baton-Board': '1' },
        '{"to":"start"}',
      );
      expect(noOrigin.status).toBe(403);
      expect(noOrigin.json().error).toBe('ORIGIN');
      const form = await write({ 'Content-Type': 'text/plain' }, 'to=start');
      expect(form.status).toBe(415);
      const urlencoded = await write({ 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(urlencoded.status).toBe(415);
      const noHeader = await send(
        b.port,
        'POST',
        '/api/tasks/a1/status',
        { Cookie: b.cookie, Origin: b.origin, 'Content-Type': 'application/json', 'If-Match': fp },
        '{"to":"start"}',
      );
      expect(noHeader.status).toBe(403);
      // none of these touched the file
      expect(readFileSync(join(b.dir, '.tasks/main/a1.md'), 'utf8')).toBe(
        TASKS['.tasks/main/a1.md'],
      );

      // the event stream: a foreign page or a cross-site fetch is refused
      expect((await get(b, '/events', { Origin: 'http://evil.example' })).status).toBe(403);
      expect((await get(b, '/events', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);

      // path-like ids: refused, never read outside the task files
      for (const path of [
        '/api/tasks/..%2F..%2Fetc%2Fpasswd',
        '/api/tasks/a%2Fb',
        '/api/tasks/..',
        '/api/tasks/a/b',
        '/api/tasks/%2E%2E',
        '/api/tasks/.hidden',
        '/api/tasks/nope',
      ]) {
        const r = await get(b, path);
        expect([400, 404], path).toContain(r.status);
        expect(r.text).not.toContain('root:');
        const w = await post(b, `${path}/status`, { to: 'start' });
        expect([400, 404], path).toContain(w.status);
      }
      expect((await get(b, '/api/tasks/..%2F..%2Fetc%2Fpasswd')).json().error).toBe('BAD_ID');
      expect((await get(b, '/api/tasks/nope')).json().error).toBe('TASK_NOT_FOUND');

      // headers on every response, no CORS anywhere
      const replies = [ex, none, api, page, foreign, form, noHeader, await get(b, '/api/board')];
      replies.push(await send(b.port, 'OPTIONS', '/api/tasks/a1/status', { Origin: 'http://x' }));
      for (const r of replies) {
        expect(r.headers['content-security-policy']).toContain("default-src 'none'");
        expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
        for (const k of Object.keys(r.headers)) expect(k).not.toMatch(/^access-control-/);
      }
      expect((await get(b, '/api/board')).headers['cache-control']).toBe('no-store');
    },
    LONG,
  );
});

describe('baton board: reads', () => {
  it(
    'serves the board, one task, the graph and the team',
    async () => {
      const b = await startBoard(repo());
      const board = (await get(b, '/api/board')).json();
      expect(board.agent).toBe(AGENT);
      expect(board.repo.branch).toBe('main');
      expect(board.config).toEqual({ resources: {} });
      const ids = board.tasks.map((t: { id: string }) => t.id).sort();
      expect(ids).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
      const a2 = board.tasks.find((t: { id: string }) => t.id === 'a2');
      expect(a2).toMatchObject({
        id: 'a2',
        title: 'Second',
        status: 'todo',
        state: 'blocked',
        priority: 'medium',
        assignee: null,
        estimate: null,
        labels: [],
        namespace: 'main',
        depends_on: ['a1'],
        due: null,
        overdue: false,
        lease_expired: false,
        attempts: 0,
        open_discoveries: 0,
      });
      expect(a2.fingerprint).toMatch(/^[0-9a-f]{16}$/);

      const one = (await get(b, '/api/tasks/a2')).json();
      expect(one.fingerprint).toBe(a2.fingerprint);
      expect(one.body).toContain('Then this.');
      expect(one.file).toBe('.tasks/main/a2.md');
      expect(one.dependencies).toEqual([
        { id: 'a1', title: 'First', status: 'todo', state: 'ready' },
      ]);
      expect(one.blocked_by.length).toBeGreaterThan(0);
      expect(one.log).toEqual([]);
      expect(Array.isArray(one.context)).toBe(true);
      expect((await get(b, '/api/tasks/a1')).json().dependents[0].id).toBe('a2');

      const graph = (await get(b, '/api/graph')).json();
      expect(graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(ids);
      expect(graph.edges).toEqual([['a1', 'a2']]);
      expect(graph.critical).toEqual(['a1', 'a2']);
      expect(graph.waves[0]).toContain('a1');
      expect(graph.waves[1]).toEqual(['a2']);

      const team = (await get(b, '/api/team')).json();
      const cli = JSON.parse(runBaton(b.dir, ['status', '--json'], { env: ENV }).stdout);
      expect(Object.keys(team).sort()).toEqual([...Object.keys(cli), 'activity'].sort());
      expect(team.counts).toEqual(cli.counts);
      expect(Array.isArray(team.activity)).toBe(true);
    },
    LONG,
  );
});

describe('baton board: writes', () => {
  it(
    'makes the change the CLI makes, checks If-Match, reports refusals',
    async () => {
      const web = repo();
      const cli = repo();
      const b = await startBoard(web);
      const both = async (
        id: string,
        action: string,
        body: unknown,
        args: string[],
      ): Promise<Json> => {
        const r = await act(b, id, action, body);
        expect(r.status, r.text).toBe(200);
        const c = runBaton(cli, args, { env: ENV });
        expect(c.code, c.stderr).toBe(0);
        for (const t of ['a1', 'a2', 'a3', 'a4', 'a5']) {
          expect(fileOf(web, t), `${action} ${t}`).toBe(fileOf(cli, t));
        }
        return r.json();
      };

      const started = await both('a1', 'status', { to: 'start' }, ['start', 'a1']);
      expect(started.task).toMatchObject({ id: 'a1', status: 'in_progress', state: 'active' });
      expect(started.result.id).toBe('a1');
      await both('a1', 'status', { to: 'done' }, ['done', 'a1']);
      const claimed = await both('a3', 'claim', {}, ['claim', 'a3']);
      expect(claimed.task).toMatchObject({ assignee: AGENT, status: 'in_progress' });
      await both('a4', 'post', { kind: 'share', message: 'the API is at /v2' }, [
        'share',
        'a4',
        'the API is at /v2',
      ]);
      await both('a4', 'update', { set: { priority: 'high', estimate: '2h' } }, [
        'update',
        'a4',
        '--set',
        'priority=high',
        '--set',
        'estimate=2h',
      ]);
      await both('a5', 'dep', { add: ['a4'] }, ['dep', 'add', 'a5', 'a4']);
      await both('a5', 'dep', { remove: ['a4'] }, ['dep', 'rm', 'a5', 'a4']);
      const handed = await both('a4', 'handoff', { to: 'bob', note: 'yours now' }, [
        'handoff',
        'a4',
        '--to',
        'bob',
        '--note',
        'yours now',
      ]);
      expect(handed.task.assignee).toBe('bob');

      // a stale fingerprint: 409 with the task as it is now, and nothing written
      const before = readFileSync(join(web, '.tasks/main/a2.md'), 'utf8');
      const stale = await post(
        b,
        '/api/tasks/a2/status',
        { to: 'start' },
        {
          'If-Match': '"0123456789abcdef"',
        },
      );
      expect(stale.status).toBe(409);
      expect(stale.json().error).toBe('FILE_CHANGED');
      expect(stale.json().task).toMatchObject({ id: 'a2', status: 'todo' });
      expect(stale.json().task.fingerprint).toBe(await fingerprint(b, 'a2'));
      expect(readFileSync(join(web, '.tasks/main/a2.md'), 'utf8')).toBe(before);
      // If-Match is required but for claim
      expect((await post(b, '/api/tasks/a2/status', { to: 'start' })).status).toBe(428);

      // refused by baton: another agent holds a5
      const other = runBaton(web, ['claim', 'a5'], { env: { BATON_AGENT: 'bob' } });
      expect(other.code, other.stderr).toBe(0);
      const refused = await post(b, '/api/tasks/a5/claim', {});
      expect(refused.status).toBe(409);
      expect(refused.json().error).toBe('REFUSED');
      // a cycle
      const cycle = await act(b, 'a1', 'dep', { add: ['a2'] });
      expect(cycle.status).toBe(422);
      expect(cycle.json().error).toBe('CYCLE');
      // a bad body
      expect((await act(b, 'a2', 'status', { to: 'explode' })).status).toBe(400);
      expect((await act(b, 'a2', 'nothing', {})).status).toBe(404);
    },
    LONG * 2,
  );
});

describe('baton board: live', () => {
  it(
    'streams a snapshot, then deltas from hand edits and the CLI; resumes with Last-Event-ID',
    async () => {
      const b = await startBoard(repo());
      const s = openEvents(b);
      await s.opened;
      expect(s.status()).toBe(200);
      const snap = await s.waitFor((e) => e.event === 'snapshot', 'snapshot');
      expect(s.events[0]!.event).toBe('snapshot');
      const board = JSON.parse(snap.data);
      expect(board.tasks).toHaveLength(5);
      expect(snap.id).toBe(String(board.seq));

      // a hand edit of a task file
      const path = join(b.dir, '.tasks/main/a3.md');
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace('title: Third', 'title: Third, edited'),
      );
      const edited = await s.waitFor(
        (e) => e.event === 'task' && JSON.parse(e.data).title === 'Third, edited',
        'task delta for the hand edit',
      );
      expect(JSON.parse(edited.data).id).toBe('a3');

      // the CLI in a terminal
      expect(runBaton(b.dir, ['done', 'a1', '--force'], { env: ENV }).code).toBe(0);
      const done = await s.waitFor(
        (e) =>
          e.event === 'task' &&
          JSON.parse(e.data).id === 'a1' &&
          JSON.parse(e.data).status === 'done',
        'task delta for done',
      );
      // its dependent became ready
      await s.waitFor(
        (e) =>
          e.event === 'task' &&
          JSON.parse(e.data).id === 'a2' &&
          JSON.parse(e.data).state === 'ready',
        'a2 ready',
      );
      const activity = JSON.parse(
        (await s.waitFor((e) => e.event === 'activity', 'activity')).data,
      );
      expect(activity.type).toEqual(expect.any(String));
      expect(activity.text).not.toMatch(/^\d\d:\d\d/);
      expect(Date.parse(activity.time)).not.toBeNaN();
      await s.waitFor((e) => e.event === 'team', 'team');
      const team = (await get(b, '/api/team')).json();
      expect(team.activity.length).toBeGreaterThan(0);
      const seen = Number(done.id);
      s.close();

      // while away: a task is removed
      const { rmSync } = await import('node:fs');
      rmSync(join(b.dir, '.tasks/main/a5.md'));
      // a second stream sees the removal (so it has happened) before the first one resumes
      const witness = openEvents(b);
      await witness.waitFor(
        (e) => e.event === 'remove' && JSON.parse(e.data).id === 'a5',
        'remove',
      );
      witness.close();

      const again = openEvents(b, { 'Last-Event-ID': String(seen) });
      await again.waitFor((e) => e.event === 'remove', 'replayed remove');
      expect(again.events.some((e) => e.event === 'snapshot')).toBe(false);
      const ids = again.events.map((e) => Number(e.id));
      expect(ids.every((id) => id > seen)).toBe(true);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      again.close();

      // an id the server never gave: a snapshot again
      const fresh = openEvents(b, { 'Last-Event-ID': '999999' });
      await fresh.waitFor((e) => e.event === 'snapshot', 'snapshot for an unknown id');
      fresh.close();
    },
    LONG,
  );

  it(
    'uses (almost) no CPU while nothing changes, and stops cleanly on SIGTERM',
    async () => {
      const b = await startBoard(repo());
      const stream = openEvents(b);
      await stream.waitFor((e) => e.event === 'snapshot', 'snapshot');
      const stat = `/proc/${b.child.pid}/stat`;
      if (existsSync(stat)) {
        const ticks = () => {
          // the fields after the command name (which may hold spaces): utime and stime are 14 and 15
          const rest = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
          return Number(rest[11]) + Number(rest[12]);
        };
        // let start-up work (the initial scan, log baselines) finish first
        await new Promise((r) => setTimeout(r, 1500));
        const before = ticks();
        await new Promise((r) => setTimeout(r, 3000));
        const used = ticks() - before;
        expect(used).toBeLessThanOrEqual(5);
      }
      // a browser still connected does not hold the process up
      b.child.kill('SIGTERM');
      expect(await b.exit).toBe(0);
      stream.close();
    },
    LONG,
  );
});
