/**
 * `baton update ID --set key=value ...`: change front-matter fields. Values are read as
 * YAML (`labels=[a, b]`, `estimate=4h`, `attempts=2`); an empty value removes the key.
 * The id cannot change (other tasks refer to it). The result must still be a valid task.
 */
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { isoNow, mutateTask } from '../../store/mutate.js';
import { analyze, findTask } from '../analysis.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';

export async function runUpdate(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph } = await analyze(ctx);
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
  ctx.out(
    result.changed
      ? `${task.data.id}: updated ${Object.keys(changes).join(', ')}`
      : `${task.data.id}: nothing changed`,
  );
  return 0;
}
