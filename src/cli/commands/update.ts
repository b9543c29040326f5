/**
 * `baton update ID --set key=value ...`: change front-matter fields. Values are read as
 * YAML (`labels=[a, b]`, `estimate=4h`, `attempts=2`); an empty value removes the key.
 * The id cannot change (other tasks refer to it). The result must still be a valid task.
 * `--json` prints `{ id, agent, verb: 'update', changed, fields: { key: { from, to } } }`
 * (a removed key is `to: null`), plus `now_ready` when the status was set.
 */
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';
import { newlyReady, reportWrite, type WriteResult } from '../write-result.js';

export async function runUpdate(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states } = await analyze(ctx);
  const i = findTask(graph, args[0] ?? '');
  const { parseYamlValue } = await import('../../format/yaml-value.js');
  const changes: Record<string, unknown> = {};
  for (const assignment of stringList(opts.set)) {
    const eq = assignment.indexOf('=');
    const key = eq < 0 ? '' : assignment.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new UserError('USAGE', `--set takes key=value, not "${assignment}"`);
    }
    if (key === 'id')
      throw new UserError('USAGE', 'the id of a task cannot be changed; other tasks refer to it');
    const raw = assignment.slice(eq + 1).trim();
    let value: unknown;
    try {
      value = raw === '' ? undefined : parseYamlValue(raw);
    } catch (error) {
      throw new UserError(
        'USAGE',
        `--set ${key}: "${raw}" is not a valid YAML value (${(error as Error).message.split('\n')[0]})`,
      );
    }
    changes[key] = value ?? undefined;
  }
  const task = graph.tasks[i]!;
  const result = await mutateTask(ctx.root(), task, (text) => {
    const next = setFields(text, changes);
    return next === text ? text : setFields(next, { updated: isoNow(snapshot.now) });
  });
  const before = result.before as Record<string, unknown>;
  const after = result.after as Record<string, unknown>;
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(changes)) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    fields[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  const out: WriteResult = {
    id: task.data.id,
    agent: opts.json === true ? await ctx.agent() : '',
    verb: 'update',
    changed: result.changed,
    fields,
  };
  if (result.changed && result.before.status !== result.after.status) {
    out.now_ready = newlyReady(snapshot, graph, i, result.after, states);
  }
  return reportWrite(ctx, opts, out, [
    result.changed
      ? `${task.data.id}: updated ${Object.keys(changes).join(', ')}`
      : `${task.data.id}: nothing changed`,
  ]);
}
