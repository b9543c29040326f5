/**
 * The board's reads that reuse a command's JSON, and its writes: each runs the CLI command's
 * own function with `--json` on a context whose output is captured (as src/mcp/server.ts
 * does), so a change made from the board is the change the CLI makes: same file, same log
 * line, same locks.
 *
 * Decisions:
 * - A write names the version of the task it was made on (`If-Match: "<fingerprint>"`, all
 *   but `claim`). The check happens under the task's lock, before the command runs; the lock
 *   is re-entrant within one async chain, so the command takes it again at once. A mismatch
 *   is `409 FILE_CHANGED` with the task as it is now.
 * - baton's errors keep their codes; the HTTP status says which kind: not found 404,
 *   refused or changed 409, invalid or a cycle 422, anything else the user got wrong 400.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../cli/analysis.js';
import { type CapturedRun, commands, type Runner, runCaptured } from '../cli/captured.js';
import { type Ctx, makeCtx } from '../cli/context.js';
import { ExitError, UserError } from '../errors.js';
import { withTaskLock } from '../store/lock.js';
import type { Root } from '../store/root.js';
import { factsOf, fingerprintOf, type Row, rowOf } from './state.js';

type Opts = Record<string, unknown>;

export interface Answer {
  status: number;
  body: unknown;
}

type Run = CapturedRun;

const STATUS_BY_CODE: Record<string, number> = {
  TASK_NOT_FOUND: 404,
  AMBIGUOUS_ID: 400,
  REFUSED: 409,
  FILE_CHANGED: 409,
  CYCLE: 422,
  TASK_INVALID: 422,
  FILE_REFUSED: 409,
  USAGE: 400,
};

export const STATUS_VERBS = ['start', 'review', 'done', 'block', 'cancel', 'reopen'] as const;
type StatusVerb = (typeof STATUS_VERBS)[number];

const cmd = commands;

export class BoardActions {
  constructor(
    private readonly cwd: string,
    private readonly root: Root,
    private readonly agent: string,
  ) {}

  private ctx(): Ctx {
    return makeCtx({ C: this.cwd, agent: this.agent, color: false });
  }

  /** Run a command as the CLI would with `--json`, its output captured. */
  run(load: () => Promise<Runner>, args: string[], opts: Opts): Promise<Run> {
    return runCaptured({ C: this.cwd, agent: this.agent }, load, args, opts);
  }

  /** A command's JSON value, or the error answer. */
  private value(r: Run): { ok: true; value: unknown } | { ok: false; answer: Answer } {
    if (r.error !== undefined) return { ok: false, answer: errorAnswer(r.error, r.err) };
    if (r.out.trim() === '') {
      const message =
        r.err
          .join(' ')
          .replace(/^lost: /, '')
          .trim() || `exit ${r.code}`;
      return {
        ok: false,
        answer: fail(r.code === 0 ? 500 : 409, r.code === 0 ? 'INTERNAL' : 'REFUSED', message),
      };
    }
    return { ok: true, value: JSON.parse(r.out) };
  }

  /** The task as it is now, read from the files (not the watcher). */
  async currentRow(id: string): Promise<Row | undefined> {
    const { snapshot, graph, states } = await analyze(this.ctx());
    const i = graph.index.get(id);
    if (i === undefined) return undefined;
    const task = graph.tasks[i]!;
    const bytes = readFileSync(join(this.root.root, task.path));
    return rowOf(task, states[i], factsOf(bytes), snapshot.now);
  }

  /** `GET /api/tasks/:id`: the row, the body, the log, show's and context's JSON. */
  async detail(id: string, row: Row, path: string): Promise<Answer> {
    const shown = this.value(await this.run(cmd.show, [id], {}));
    if (!shown.ok) return shown.answer;
    const told = this.value(await this.run(cmd.context, [id], {}));
    if (!told.ok) return told.answer;
    const s = shown.value as Opts;
    const text = readFileSync(join(this.root.root, path), 'utf8');
    const fingerprint = fingerprintOf(text);
    // The watcher may not have seen the latest write yet (the write that brought the UI
    // here, say): then its row is older than the file, and a panel showing the file's
    // fingerprint with the old row's fields would never refresh, since the delta that
    // follows carries the same fingerprint.
    const fresh = fingerprint === row.fingerprint ? row : ((await this.currentRow(id)) ?? row);
    const { logLines } = await import('../watch/read-task.js');
    return {
      status: 200,
      body: {
        ...fresh,
        fingerprint,
        body: s.body ?? '',
        log: logLines(text) ?? [],
        context: told.value,
        dependencies: s.dependencies ?? [],
        dependents: s.dependents ?? [],
        blocked_by: s.blocked_by ?? [],
        file: path,
      },
    };
  }

  /** `GET /api/team`: `baton status --json`. */
  async team(): Promise<Answer> {
    const r = this.value(await this.run(cmd.statusBoard, [], {}));
    return r.ok ? { status: 200, body: r.value } : r.answer;
  }

  /** `POST /api/tasks/:id/:action`. */
  async write(
    id: string,
    path: string,
    action: string,
    body: Opts,
    ifMatch: string | undefined,
  ): Promise<Answer> {
    const steps = this.steps(id, action, body);
    if ('status' in steps) return steps;
    const expected = ifMatch
      ?.trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    if (action !== 'claim' && !expected) {
      return fail(428, 'USAGE', 'If-Match: "<fingerprint>" is required');
    }
    let results: unknown[] = [];
    const answered = await withTaskLock(this.root, id, async (): Promise<Answer | undefined> => {
      if (expected) {
        let now: string | undefined;
        try {
          now = fingerprintOf(readFileSync(join(this.root.root, path)));
        } catch {}
        if (now !== expected) {
          return {
            status: 409,
            body: {
              error: 'FILE_CHANGED',
              message: `task ${id} changed since it was shown: look again and retry`,
              task: (await this.currentRow(id)) ?? null,
            },
          };
        }
      }
      results = [];
      for (const [load, args, opts] of steps) {
        const r = this.value(await this.run(load, args, opts));
        if (!r.ok) {
          const b = r.answer.body as Opts;
          return results.length > 0 ? { ...r.answer, body: { ...b, done: results } } : r.answer;
        }
        results.push(r.value);
      }
      return undefined;
    });
    if (answered) return answered;
    return {
      status: 200,
      body: {
        result: results.length === 1 ? results[0] : results,
        task: (await this.currentRow(id)) ?? null,
      },
    };
  }

  /** The commands an action runs, in order, or a usage error. */
  private steps(
    id: string,
    action: string,
    body: Opts,
  ): [() => Promise<Runner>, string[], Opts][] | Answer {
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    switch (action) {
      case 'status': {
        const to = str('to');
        if (!to || !(STATUS_VERBS as readonly string[]).includes(to)) {
          return fail(400, 'USAGE', `to must be one of ${STATUS_VERBS.join(', ')}`);
        }
        const opts: Opts = {};
        const reason = str('reason');
        if (reason) opts.reason = reason;
        if (body.force === true) opts.force = true;
        return [[cmd.status(to as StatusVerb), [id], opts]];
      }
      case 'claim':
        return [[cmd.claim, [id], {}]];
      case 'release':
        return [[cmd.release, [id], {}]];
      case 'handoff': {
        const to = str('to');
        if (!to) return fail(400, 'USAGE', 'handoff needs to');
        const opts: Opts = { to };
        const note = str('note');
        if (note) opts.note = note;
        return [[cmd.handoff, [id], opts]];
      }
      case 'post': {
        const kind = str('kind');
        const message = str('message');
        if (kind !== 'share' && kind !== 'discover' && kind !== 'sync') {
          return fail(400, 'USAGE', 'kind must be share, discover or sync');
        }
        if (!message) return fail(400, 'USAGE', `${kind} needs a message`);
        return [[cmd.channel(kind), [id, message], {}]];
      }
      case 'update': {
        const set = body.set;
        if (typeof set !== 'object' || set === null || Array.isArray(set)) {
          return fail(400, 'USAGE', 'update needs set: {key: value}');
        }
        const pairs = Object.entries(set as Opts).map(([k, v]) => `${k}=${String(v ?? '')}`);
        if (pairs.length === 0) return fail(400, 'USAGE', 'nothing to set');
        return [[cmd.update, [id], { set: pairs }]];
      }
      case 'dep': {
        const list = (k: string): string[] | undefined => {
          const v = body[k];
          if (v === undefined) return [];
          return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
        };
        const add = list('add');
        const remove = list('remove');
        if (!add || !remove) return fail(400, 'USAGE', 'add and remove are lists of ids');
        if (add.length + remove.length === 0) return fail(400, 'USAGE', 'nothing to change');
        return [
          ...add.map((d): [() => Promise<Runner>, string[], Opts] => [cmd.dep, ['add', id, d], {}]),
          ...remove.map((d): [() => Promise<Runner>, string[], Opts] => [
            cmd.dep,
            ['rm', id, d],
            {},
          ]),
        ];
      }
      default:
        return fail(404, 'NOT_FOUND', `no action ${action}`);
    }
  }
}

export function fail(status: number, error: string, message: string, extra: Opts = {}): Answer {
  return { status, body: { error, message, ...extra } };
}

/** A thrown error as an answer; unknown errors are 500 `INTERNAL`. */
export function errorAnswer(error: unknown, err: readonly string[] = []): Answer {
  if (error instanceof UserError) {
    return fail(STATUS_BY_CODE[error.code] ?? 400, error.code, error.message, {
      ...(error.details ?? {}),
    });
  }
  if (error instanceof ExitError) {
    return fail(409, 'REFUSED', err.join(' ').trim() || `exit ${error.exitCode}`);
  }
  return fail(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
}
