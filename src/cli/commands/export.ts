/**
 * `baton export --format json|jsonl|csv|taskwarrior|beads [--all-branches] [-o FILE]`:
 * every task, sorted by namespace then id. json, jsonl and csv carry the task JSON of
 * `list --json` (derived `state` included); taskwarrior and beads are files those tools
 * import (`src/export/*.ts`), which `baton import` reads back to the same tasks.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Task } from '../../core/types.js';
import { UserError } from '../../errors.js';
import { toBeads } from '../../export/beads.js';
import { toCsv } from '../../export/csv.js';
import { type LogEntry, parseLogEntry } from '../../export/log-entry.js';
import { bodyWithoutLog, type ExportTask } from '../../export/source-task.js';
import { toTaskwarrior } from '../../export/taskwarrior.js';
import { readLog } from '../../format/log.js';
import { splitFile } from '../../format/split.js';
import { printJson, taskJson } from '../../report/task-json.js';
import { writeAtomic } from '../../store/atomic-write.js';
import { analyze, sourceJson, stateWord } from '../analysis.js';
import { warnUnreadable } from '../bad-files.js';
import type { Ctx } from '../context.js';

const FORMATS = ['json', 'jsonl', 'csv', 'taskwarrior', 'beads'] as const;
type Format = (typeof FORMATS)[number];

export async function runExport(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const format = (opts.format ?? 'json') as Format;
  if (!FORMATS.includes(format)) {
    throw new UserError(
      'USAGE',
      `--format takes one of ${FORMATS.join(', ')}, not "${String(format)}"`,
    );
  }
  const { snapshot, graph, states, sources } = await analyze(ctx, opts);
  warnUnreadable(ctx, snapshot);
  const order = graph.tasks.map((task, i) => ({ task, state: states[i]! }));
  order.sort((a, b) =>
    a.task.namespace === b.task.namespace
      ? a.task.data.id < b.task.data.id
        ? -1
        : 1
      : a.task.namespace < b.task.namespace
        ? -1
        : 1,
  );
  const rows = order.map(({ task, state }) =>
    taskJson(
      task,
      { state: stateWord(task, state), ...sourceJson(sources, task.data.id) },
      snapshot.now,
    ),
  );
  const root = ctx.root().root;
  let text: string;
  switch (format) {
    case 'json':
      text = printJson(rows);
      break;
    case 'jsonl':
      text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
      break;
    case 'csv':
      text = toCsv(rows);
      break;
    case 'taskwarrior':
      text = printJson(toTaskwarrior(withLogs(root, order, rows), snapshot.now));
      break;
    case 'beads':
      text = toBeads(withLogs(root, order, rows), snapshot.now)
        .map((issue) => `${JSON.stringify(issue)}\n`)
        .join('');
      break;
  }
  if (typeof opts.output === 'string') {
    writeAtomic(resolve(ctx.cwd, opts.output), text);
    ctx.err(`Exported ${rows.length} ${rows.length === 1 ? 'task' : 'tasks'} to ${opts.output}`);
  } else {
    ctx.out(text);
  }
  return 0;
}

/** Each task's JSON with its body and log, read from its file (empty when it is not on disk). */
function withLogs(
  root: string,
  order: readonly { task: Task }[],
  rows: readonly Record<string, unknown>[],
): ExportTask[] {
  return order.map(({ task }, i) => {
    let body = '';
    try {
      const split = splitFile(readFileSync(join(root, task.path), 'utf8'));
      if (split.ok) body = split.body;
    } catch {
      // on another branch only (--all-branches): no body or log to carry
    }
    const log = readLog(body)
      .map(parseLogEntry)
      .filter((e): e is LogEntry => e !== undefined);
    return { data: rows[i]!, log, body: bodyWithoutLog(body) };
  });
}
