/**
 * `baton board`'s HTTP server: the page and its two assets from memory, the JSON reads, the
 * writes, and the event stream, on 127.0.0.1 only. Security checks are in security.ts, the
 * live rows and deltas in state.ts, the command runs in actions.ts.
 *
 * Decisions:
 * - The UI files (dist/board/) are read once at start; when they are not built, a small
 *   page says so, and the API works all the same.
 * - Ids in URLs are checked against a plain id pattern and looked up among the loaded
 *   tasks; a path is never built from a URL.
 * - The event stream sends the snapshot first unless `Last-Event-ID` names a delta still
 *   kept, then replays what was missed, then every delta as it comes; a comment every 25 s
 *   keeps proxies and the browser from timing out (a timer, not a poll).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { analyze } from '../cli/analysis.js';
import { makeCtx } from '../cli/context.js';
import { criticalPath, waves } from '../core/plan.js';
import { isSatisfied } from '../core/readiness.js';
import { nodeHours } from '../core/ready-queue.js';
import { loadConfig } from '../store/config-load.js';
import { packageRoot } from '../store/package-files.js';
import type { Root } from '../store/root.js';
import { type Answer, BoardActions, errorAnswer, fail } from './actions.js';
import {
  BASE_HEADERS,
  checkEvents,
  checkWrite,
  hasSession,
  hostAllowed,
  makeSecrets,
  type Secrets,
  safeEqual,
  sessionCookie,
  validId,
} from './security.js';
import { BoardState, type Delta, repoName } from './state.js';

export interface BoardOptions {
  cwd: string;
  root: Root;
  agent: string;
  port: number;
  /** Test hook: the folder holding index.html, app.js, app.css (default dist/board). */
  assetsDir?: string;
}

export interface BoardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: Buffer;
}

const PLACEHOLDER = `<!doctype html>
<html><head><meta charset="utf-8"><title>baton board</title></head>
<body><p>The board's UI is not built: run <code>npm run build</code>, then start <code>baton board</code> again.</p>
<p>The API under /api/ works without it.</p></body></html>
`;

function loadAssets(dir: string): Map<string, Asset> {
  const read = (name: string, type: string, fallback: string): Asset => {
    const path = join(dir, name);
    return {
      type,
      body: existsSync(path) ? readFileSync(path) : Buffer.from(fallback),
    };
  };
  return new Map([
    ['/', read('index.html', 'text/html; charset=utf-8', PLACEHOLDER)],
    ['/app.js', read('app.js', 'text/javascript; charset=utf-8', '')],
    ['/app.css', read('app.css', 'text/css; charset=utf-8', '')],
  ]);
}

const MAX_BODY = 256 * 1024;
const PING_MS = 25_000;

export async function startBoard(options: BoardOptions): Promise<BoardServer> {
  const { root, agent, cwd } = options;
  const secrets: Secrets = makeSecrets();
  const assets = loadAssets(options.assetsDir ?? join(packageRoot(), 'dist', 'board'));
  const state = new BoardState({ root, agent });
  await state.start();
  const actions = new BoardActions(cwd, root, agent);
  let resources: unknown = (await loadConfig(root)).config.resources ?? {};
  const streams = new Set<ServerResponse>();
  let port = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...BASE_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };
  const answer = (res: ServerResponse, a: Answer) => send(res, a.status, a.body);

  const boardJson = () => {
    const tasks = state.rowList();
    const agents = new Set<string>([agent]);
    for (const t of tasks) if (t.assignee) agents.add(t.assignee);
    return {
      seq: state.seq,
      repo: { root: root.root, name: repoName(root), branch: state.branch },
      agent,
      tasks,
      agents: [...agents].sort(),
      config: { resources },
    };
  };

  const graphJson = async () => {
    const { snapshot, graph } = await analyze(makeCtx({ C: cwd, agent, color: false }));
    const hours = nodeHours(graph, snapshot.config);
    const open = (i: number) => !isSatisfied(graph.tasks[i]!.data.status);
    const readiness = (id: string) => state.row(id)?.state ?? null;
    const nodes: unknown[] = [];
    const edges: [string, string][] = [];
    for (let i = 0; i < graph.tasks.length; i++) {
      if (!open(i)) continue;
      const t = graph.tasks[i]!;
      nodes.push({
        id: t.data.id,
        title: t.data.title,
        status: t.data.status,
        state: readiness(t.data.id),
        hours: hours[i],
      });
      for (const j of graph.deps[i]!) if (open(j)) edges.push([graph.ids[j]!, graph.ids[i]!]);
    }
    return {
      nodes,
      edges,
      critical: criticalPath(graph, snapshot.config).ids,
      waves: waves(graph).waves,
    };
  };

  /** The task `raw` names, or an error answer. */
  const taskOf = (raw: string): { id: string; path: string } | Answer => {
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      return fail(400, 'BAD_ID', 'not a task id');
    }
    if (!validId(id)) return fail(400, 'BAD_ID', 'not a task id');
    const path = state.pathOf(id);
    if (path === undefined) return fail(404, 'TASK_NOT_FOUND', `no task ${id}`);
    return { id, path };
  };

  const readBody = (req: IncomingMessage): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(new Error('too large'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(text.trim() === '' ? {} : JSON.parse(text));
        } catch {
          reject(new Error('not JSON'));
        }
      });
      req.on('error', reject);
    });

  const events = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const write = (d: Delta) =>
      res.write(`id: ${d.seq}\nevent: ${d.event}\ndata: ${JSON.stringify(d.data)}\n\n`);
    const last = req.headers['last-event-id'];
    const missed =
      typeof last === 'string' && /^\d+$/.test(last.trim())
        ? state.since(Number(last.trim()))
        : undefined;
    if (missed) for (const d of missed) write(d);
    else {
      const snap = boardJson();
      res.write(`id: ${snap.seq}\nevent: snapshot\ndata: ${JSON.stringify(snap)}\n\n`);
    }
    const off = state.subscribe(write);
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    streams.add(res);
    const done = () => {
      off();
      clearInterval(ping);
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, port)) {
      return send(res, 403, { error: 'HOST', message: 'unexpected Host' });
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const method = req.method ?? 'GET';

    if (pathname === '/' && method === 'GET' && query.has('token')) {
      if (safeEqual(query.get('token') ?? '', secrets.token)) {
        res.writeHead(303, {
          ...BASE_HEADERS,
          'Set-Cookie': sessionCookie(secrets),
          Location: '/',
          'Cache-Control': 'no-store',
          'Content-Length': 0,
        });
        res.end();
        return;
      }
    }
    if (!hasSession(req, secrets)) {
      if (pathname === '/') {
        const text = 'Open the URL baton board printed (it carries the token).\n';
        res.writeHead(401, {
          ...BASE_HEADERS,
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Length': Buffer.byteLength(text),
        });
        res.end(text);
        return;
      }
      return send(res, 401, { error: 'TOKEN', message: 'open the URL baton board printed' });
    }

    const asset = method === 'GET' ? assets.get(pathname) : undefined;
    if (asset) {
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': asset.type,
        'Cache-Control': 'no-cache',
        'Content-Length': asset.body.length,
      });
      res.end(asset.body);
      return;
    }

    if (pathname === '/events' && method === 'GET') {
      const refused = checkEvents(req);
      if (refused) return send(res, refused.status, refused);
      return events(req, res);
    }

    const parts = pathname.split('/');
    // ['', 'api', ...]
    if (parts[1] !== 'api') return send(res, 404, { error: 'NOT_FOUND', message: 'no such page' });

    if (method === 'POST') {
      const refused = checkWrite(req);
      if (refused)
        return send(res, refused.status, { error: refused.error, message: refused.message });
      if (parts.length !== 5 || parts[2] !== 'tasks') {
        return send(res, 404, { error: 'NOT_FOUND', message: 'no such endpoint' });
      }
      const target = taskOf(parts[3]!);
      if ('status' in target) return answer(res, target);
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (error) {
        return send(res, 400, {
          error: 'USAGE',
          message: `the body: ${String((error as Error).message)}`,
        });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return send(res, 400, { error: 'USAGE', message: 'the body must be a JSON object' });
      }
      const ifMatch = req.headers['if-match'];
      const a = await actions.write(
        target.id,
        target.path,
        parts[4]!,
        body as Record<string, unknown>,
        typeof ifMatch === 'string' ? ifMatch : undefined,
      );
      return answer(res, a);
    }
    if (method !== 'GET') {
      return send(res, 405, { error: 'METHOD', message: 'GET or POST' }, { Allow: 'GET, POST' });
    }
    const route = parts.slice(2);
    if (route.length === 1 && route[0] === 'board') return send(res, 200, boardJson());
    if (route.length === 1 && route[0] === 'graph') return send(res, 200, await graphJson());
    if (route.length === 1 && route[0] === 'team') {
      const a = await actions.team();
      if (a.status !== 200) return answer(res, a);
      return send(res, 200, { ...(a.body as object), activity: state.activity() });
    }
    if (route.length === 2 && route[0] === 'tasks') {
      const target = taskOf(route[1]!);
      if ('status' in target) return answer(res, target);
      const row = state.row(target.id)!;
      return answer(res, await actions.detail(target.id, row, target.path));
    }
    return send(res, 404, { error: 'NOT_FOUND', message: 'no such endpoint' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      answer(res, errorAnswer(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  // the config's resources, if the file changes while the board runs
  state.subscribe((d) => {
    if (d.event === 'activity' && (d.data as { type?: string }).type === 'reload') {
      loadConfig(root)
        .then((c) => {
          resources = c.config.resources ?? {};
        })
        .catch(() => {});
    }
  });
  return {
    url: `http://127.0.0.1:${port}/?token=${secrets.token}`,
    port,
    close: async () => {
      for (const s of streams) s.end();
      await state.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
