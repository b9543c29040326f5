/**
 * `baton mcp`: baton as a Model Context Protocol server over stdio, for coding agents.
 *
 * Every tool runs the same command function the CLI runs, with `--json`, on a fresh context
 * whose output is captured: one implementation per action, the same per-task locks, the
 * same result objects, and nothing read before the call (a CLI write is seen at once).
 * The acting agent is fixed when the server starts and is the `agent` of every write
 * result. Answers are compact JSON text; baton's own errors are `isError` results
 * `{ error: CODE, message, hint, ... }` with the codes of `errors.ts`.
 *
 * Nothing but protocol messages goes to stdout: commands print only through the context,
 * `console.log` is sent to stderr, and git is never given the server's stdin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { analyze, findTask } from '../cli/analysis.js';
import { type CapturedRun, commands, type Runner, runCaptured } from '../cli/captured.js';
import { makeCtx } from '../cli/context.js';
import { ExitError, UserError } from '../errors.js';
import { findRoot } from '../store/root.js';

type Opts = Record<string, unknown>;

/** What a tool answers: text content, an error flag. */
interface ToolAnswer {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

export interface McpServerOptions {
  /** Where the server runs (`-C`, else the working directory). */
  cwd: string;
  /** The acting agent, fixed for the server's life. */
  agent: string;
  version: string;
}

/** One line each: what an agent does next about each error code. */
const HINTS: Record<string, string> = {
  TASK_NOT_FOUND: 'baton_list or baton_ready shows the ids',
  AMBIGUOUS_ID: 'give more of the id: one of candidates',
  REFUSED: 'baton_claim without an id picks another task; or wait for the holder',
  FILE_CHANGED: 'the file changed while it was written: read it again (baton_show) and retry',
  TASK_INVALID: 'fix the task file at file:line, then retry',
  CYCLE: 'the dependency would close the cycle shown; remove one of its links instead',
  GIT_FAILED: 'run git status in the repository; the task file itself was written or left alone',
  USAGE: 'check the arguments against the tool schema',
  NO_REPOSITORY: 'run baton init in the repository, or start the server with -C <repo>',
  NOT_A_GIT_REPOSITORY: 'baton needs a git repository: git init, then baton init',
  CONFIG_INVALID: 'fix .tasks/config.yaml at file:line',
  LOCAL_STATE: 'fix .tasks/.local as the message says',
  FILE_REFUSED: 'the message says which file and why',
  INTERNAL: 'a bug in baton; report it with the tool call',
};

const json = (value: unknown): ToolAnswer => ({
  content: [{ type: 'text', text: JSON.stringify(value) }],
});

function failure(code: string, message: string, extra: Record<string, unknown> = {}): ToolAnswer {
  return {
    content: [
      {
        type: 'text',
        text: JSON.stringify({ error: code, message, ...extra, hint: HINTS[code] ?? '' }),
      },
    ],
    isError: true,
  };
}

/** A thrown error as a tool answer; unknown errors are `INTERNAL`, with their message. */
function errorAnswer(error: unknown, err: readonly string[]): ToolAnswer {
  if (error instanceof UserError) {
    return failure(error.code, error.message, {
      ...(error.path ? { file: error.path } : {}),
      ...(error.line ? { line: error.line } : {}),
      ...error.details,
    });
  }
  if (error instanceof ExitError) {
    return failure('REFUSED', err.join(' ').trim() || `exit ${error.exitCode}`);
  }
  return failure('INTERNAL', error instanceof Error ? error.message : String(error));
}

type Run = CapturedRun;

/** The tools' shared inputs. */
const id = z.string().min(1).max(200).describe('task id, or a unique prefix');
const commit = z.boolean().optional().describe('commit the task file (Baton-Task trailer)');

export function createServer(options: McpServerOptions): McpServer {
  const { agent, cwd } = options;
  const root = findRoot(cwd);
  const where = root
    ? `the baton repository at ${root.root}`
    : `${cwd} (no .tasks/ yet: run baton init)`;
  const server = new McpServer(
    { name: 'baton', version: options.version },
    {
      instructions: [
        `baton coordinates tasks in ${where}. You act as agent "${agent}" (fixed when this server started: --agent, else BATON_AGENT, else git user.name); every write result names it.`,
        'Loop: baton_claim without an id takes your best ready task; work; baton_post (share/discover/sync) what others need; baton_status to=done (or baton_handoff to another agent); repeat.',
        'baton_claim says reason "wait" when work remains that you cannot take yet, and "no-open-work" when nothing is left for you.',
        'Answers are JSON. Errors carry a code (TASK_NOT_FOUND, AMBIGUOUS_ID, REFUSED, FILE_CHANGED, TASK_INVALID, CYCLE, GIT_FAILED) and a hint.',
      ].join('\n'),
    },
  );

  /** Run a command as the CLI would with `--json`, its output captured. */
  const run = (load: () => Promise<Runner>, args: string[], opts: Opts): Promise<Run> =>
    runCaptured({ C: cwd, agent }, load, args, opts);

  /** The result of a command that prints one JSON value when it succeeds. */
  const answer = (r: Run, shape: (value: never) => unknown = (v) => v): ToolAnswer => {
    if (r.error !== undefined) return errorAnswer(r.error, r.err);
    if (r.out.trim() === '') {
      // e.g. a pushed claim that lost the race: reported on stderr, exit 1
      const message = r.err
        .join(' ')
        .replace(/^lost: /, '')
        .trim();
      return failure(
        r.code === 0 ? 'INTERNAL' : 'REFUSED',
        message || `exit ${r.code}`,
        holderOf(message),
      );
    }
    const value = shape(JSON.parse(r.out) as never);
    const notes = r.err.filter((l) => l.trim() !== '' && !l.startsWith('warning: '));
    return json(notes.length > 0 && isRecord(value) ? { ...value, notes } : value);
  };

  const cmd = commands;

  server.registerTool(
    'baton_ready',
    {
      description: 'Your ready queue, best first: open tasks whose dependencies are done.',
      inputSchema: z.object({ limit: z.number().int().min(1).max(100).optional() }),
      annotations: { readOnlyHint: true },
    },
    async ({ limit }) =>
      answer(await run(cmd.ready, [], { limit: String(limit ?? 10) }), (rows: Opts[]) =>
        rows.map(row),
      ),
  );

  server.registerTool(
    'baton_list',
    {
      description:
        'Search tasks. Filters combine; text matches title and body. Pages of `limit` (20); pass `cursor` from `more` for the next.',
      inputSchema: z.object({
        status: z.string().optional().describe('a status, or ready|blocked|scheduled'),
        assignee: z.string().optional().describe('"none": unassigned'),
        label: z.string().optional(),
        namespace: z.string().optional(),
        text: z.string().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        cursor: z.string().optional(),
      }),
      annotations: { readOnlyHint: true },
    },
    async (a) => {
      const opts: Opts = {};
      if (a.status) opts.status = [a.status];
      if (a.assignee) opts.assignee = a.assignee;
      if (a.label) opts.label = [a.label];
      if (a.namespace) opts.namespace = a.namespace;
      if (a.text) opts.grep = a.text;
      const from = a.cursor === undefined ? 0 : Number.parseInt(a.cursor, 10);
      if (!(Number.isInteger(from) && from >= 0)) {
        return failure('USAGE', `cursor "${a.cursor}" is not one this server gave`);
      }
      const size = a.limit ?? 20;
      return answer(await run(cmd.list, [], opts), (rows: Opts[]) => ({
        total: rows.length,
        tasks: rows.slice(from, from + size).map(row),
        ...(from + size < rows.length ? { more: String(from + size) } : {}),
      }));
    },
  );

  server.registerTool(
    'baton_show',
    {
      description:
        'One task: fields, state, dependencies, dependents, why blocked, body with its log; context: true adds hand-offs, shares, discoveries and your notes.',
      inputSchema: z.object({ id, context: z.boolean().optional() }),
      annotations: { readOnlyHint: true },
    },
    async (a) => {
      const shown = await run(cmd.show, [a.id], {});
      if (!a.context || shown.error !== undefined) return answer(shown);
      const told = await run(cmd.context, [a.id], {});
      if (told.error !== undefined) return answer(told);
      return answer(shown, (task: Opts) => ({ ...task, context: JSON.parse(told.out) }));
    },
  );

  server.registerTool(
    'baton_news',
    {
      description:
        'What arrived for you since the news last shown: hand-offs, newly ready tasks, discoveries, claims taken.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    async () => answer(await run(cmd.news, [], {})),
  );

  server.registerTool(
    'baton_claim',
    {
      description:
        'Claim a task (in_progress, assigned to you, leased). Without id: your best next task, or reason "wait" (what it waits on) or "no-open-work". push: commit and push, so clones race fairly.',
      inputSchema: z.object({
        id: id.optional(),
        lease: z.string().optional().describe('30m, 2h (default), 1d'),
        push: z.boolean().optional(),
      }),
    },
    async (a) => {
      const opts: Opts = {};
      if (a.lease) opts.lease = a.lease;
      if (a.id !== undefined) {
        if (a.push) opts.push = true;
        return answer(await run(cmd.claim, [a.id], opts));
      }
      if (a.push) return failure('USAGE', 'push needs an id: claim one task by id to push it');
      return answer(await run(cmd.next, [], { ...opts, claim: true }), nextAnswer);
    },
  );

  server.registerTool(
    'baton_status',
    {
      description:
        'Change status: start, review, done, block, cancel, reopen; release (give back a claim); fail (a failed attempt, reason required). force passes the review/done gates (logged).',
      inputSchema: z.object({
        id,
        to: z.enum([...STATUS_VERBS, 'release', 'fail']),
        reason: z.string().optional(),
        force: z.boolean().optional(),
        commit,
      }),
    },
    async (a) => {
      const opts: Opts = {};
      if (a.commit) opts.commit = true;
      if (a.reason !== undefined) opts.reason = a.reason;
      if (a.to === 'release') return answer(await run(cmd.release, [a.id], opts));
      if (a.to === 'fail') {
        if (!a.reason) return failure('USAGE', 'fail needs a reason');
        return answer(await run(cmd.fail, [a.id], opts));
      }
      if (a.force) opts.force = true;
      return answer(await run(cmd.status(a.to), [a.id], opts));
    },
  );

  server.registerTool(
    'baton_handoff',
    {
      description:
        'Pass a task to another agent with a note, artifacts (repo files) and success criteria.',
      inputSchema: z.object({
        id,
        to: z.string().min(1),
        note: z.string().optional(),
        artifacts: z.array(z.string()).optional(),
        criteria: z.array(z.string()).optional(),
        commit,
      }),
    },
    async (a) => {
      const opts: Opts = { to: a.to };
      if (a.note !== undefined) opts.note = a.note;
      if (a.artifacts) opts.artifact = a.artifacts;
      if (a.criteria) opts.criteria = a.criteria;
      if (a.commit) opts.commit = true;
      return answer(await run(cmd.handoff, [a.id], opts));
    },
  );

  server.registerTool(
    'baton_post',
    {
      description:
        'Say something on a task: share (for everyone), discover (an alert until acked), sync (a checkpoint), note (private, never committed); ack acknowledges its discoveries.',
      inputSchema: z.object({
        id,
        kind: z.enum(['share', 'discover', 'sync', 'note', 'ack']),
        message: z.string().optional(),
        commit,
      }),
    },
    async (a) => {
      const opts: Opts = a.commit && a.kind !== 'note' ? { commit: true } : {};
      if (a.kind === 'ack') return answer(await run(cmd.ack, [a.id], opts));
      if (!a.message) return failure('USAGE', `${a.kind} needs a message`);
      const runner = a.kind === 'note' ? cmd.note : cmd.channel(a.kind);
      return answer(await run(runner, [a.id, a.message], opts));
    },
  );

  server.registerTool(
    'baton_create',
    {
      description: 'Create a task; answers its id.',
      inputSchema: z.object({
        title: z.string().min(1),
        priority: z.enum(['critical', 'high', 'medium', 'low']).optional(),
        depends_on: z.array(z.string()).optional(),
        assignee: z.string().optional(),
        labels: z.array(z.string()).optional(),
        estimate: z.string().optional().describe('30m, 4h, 2d, 1w'),
        due: z.string().optional().describe('2026-12-01 or a date-time'),
        parent: z.string().optional(),
        namespace: z.string().optional(),
        body: z.string().optional(),
        id: z.string().optional(),
      }),
    },
    async (a) => {
      const opts: Opts = {};
      for (const key of [
        'priority',
        'assignee',
        'estimate',
        'due',
        'parent',
        'namespace',
        'body',
        'id',
      ] as const) {
        if (a[key] !== undefined) opts[key] = a[key];
      }
      if (a.depends_on) opts.dependsOn = a.depends_on;
      if (a.labels) opts.label = a.labels;
      return answer(await run(cmd.create, [a.title], opts));
    },
  );

  server.registerTool(
    'baton_update',
    {
      description:
        'Change fields (set: {key: value}; "" removes a key; lists as [a,b]) and dependencies (add_deps, remove_deps; a cycle is refused).',
      inputSchema: z.object({
        id,
        set: z.record(z.string(), z.string()).optional(),
        add_deps: z.array(z.string()).optional(),
        remove_deps: z.array(z.string()).optional(),
      }),
    },
    async (a) => {
      const results: unknown[] = [];
      const step = async (r: Run): Promise<ToolAnswer | undefined> => {
        const one = answer(r);
        if (one.isError) return one;
        results.push(JSON.parse(one.content[0]!.text));
        return undefined;
      };
      const set = Object.entries(a.set ?? {}).map(([k, v]) => `${k}=${v}`);
      const steps: [() => Promise<Runner>, string[], Opts][] = [];
      if (set.length > 0) steps.push([cmd.update, [a.id], { set }]);
      for (const d of a.add_deps ?? []) steps.push([cmd.dep, ['add', a.id, d], {}]);
      for (const d of a.remove_deps ?? []) steps.push([cmd.dep, ['rm', a.id, d], {}]);
      if (steps.length === 0)
        return failure('USAGE', 'nothing to change: give set, add_deps or remove_deps');
      for (const [load, args, opts] of steps) {
        const stopped = await step(await run(load, args, opts));
        if (stopped) {
          // say what was done before the step that failed
          const body = JSON.parse(stopped.content[0]!.text) as Opts;
          return failure(String(body.error), String(body.message), { ...body, done: results });
        }
      }
      return json(results.length === 1 ? results[0] : { id: a.id, agent, results });
    },
  );

  const resource = (uri: string, r: Run) => {
    if (r.error !== undefined) {
      const text = (errorAnswer(r.error, r.err).content[0] as { text: string }).text;
      return { contents: [{ uri, mimeType: 'application/json', text }] };
    }
    return { contents: [{ uri, mimeType: 'application/json', text: compact(r.out) }] };
  };
  server.registerResource(
    'ready',
    'baton://ready',
    { description: 'Your ready queue, best first', mimeType: 'application/json' },
    async (uri) => resource(uri.href, await run(cmd.ready, [], {})),
  );
  server.registerResource(
    'status',
    'baton://status',
    {
      description: 'The dashboard: counts, load per agent, blocked, critical path, discoveries',
      mimeType: 'application/json',
    },
    async (uri) => resource(uri.href, await run(cmd.statusBoard, [], {})),
  );
  server.registerResource(
    'check',
    'baton://check',
    { description: 'What baton check finds in the task files', mimeType: 'application/json' },
    async (uri) => resource(uri.href, await run(cmd.check, [], {})),
  );
  server.registerResource(
    'task',
    new ResourceTemplate('baton://task/{id}', { list: undefined }),
    { description: 'A task file as written', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const query = String(Array.isArray(vars.id) ? vars.id[0] : vars.id);
      const ctx = makeCtx({ C: cwd, agent, color: false });
      try {
        // resolved through the store: the path comes from the snapshot, never from the URI
        const { graph } = await analyze(ctx);
        const task = graph.tasks[findTask(graph, decodeURIComponent(query))]!;
        const text = readFileSync(join(ctx.root().root, task.path), 'utf8');
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
      } catch (error) {
        const text = (errorAnswer(error, []).content[0] as { text: string }).text;
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
      }
    },
  );
  return server;
}

const STATUS_VERBS = ['start', 'review', 'done', 'block', 'cancel', 'reopen'] as const;

/** The fields of a task row worth an agent's context; empty lists and nulls left out. */
const ROW_KEYS = [
  'id',
  'title',
  'state',
  'status',
  'priority',
  'assignee',
  'labels',
  'estimate',
  'due',
  'depends_on',
  'overdue',
] as const;

function row(task: Opts): Opts {
  const out: Opts = {};
  for (const key of ROW_KEYS) {
    const v = task[key];
    if (v === undefined || v === null || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (key === 'status' && task.state === v) continue;
    out[key] = v;
  }
  return out;
}

/** `next --claim`'s JSON, the chosen task as a row (its file is a baton_show away). */
function nextAnswer(value: Opts): unknown {
  if (value.id === null) return value;
  const { agent, why, claim, rank } = value;
  return { ...row(value), rank, agent, why, claim };
}

function holderOf(message: string): Record<string, unknown> {
  const m = /claimed by (\S+)/.exec(message);
  return m ? { holder: m[1] } : {};
}

function isRecord(v: unknown): v is Opts {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Serve on stdin/stdout until the client closes the connection. */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  // Only protocol messages may reach stdout.
  console.log = console.error;
  console.info = console.error;
  // git must never wait for a password on a terminal the client cannot see
  process.env.GIT_TERMINAL_PROMPT = '0';
  const server = createServer(options);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // connect() owns the transport's callbacks; the server's own onclose is ours
  await new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.on('end', () => void server.close());
  });
}
