/**
 * `baton import FORMAT PATH [--namespace N] [--dry-run] [--json]`: read another tool's tasks
 * (a reader per format, loaded only when used), plan ids and files against the tasks already
 * here (`import/plan.ts`, pure), check that every file would load as a valid task, then write
 * them all. Writes nothing with --dry-run, and nothing when a file would be invalid. The files
 * are left for the user to commit.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import {
  type ExistingTask,
  IMPORTED_FROM,
  type ImportPlan,
  planImport,
} from '../../import/plan.js';
import type { ImportSource } from '../../import/types.js';
import { NAMESPACE_PATTERN } from '../../schema/fields.js';
import { createAtomic, replaceIfUnchanged } from '../../store/atomic-write.js';
import { withTaskLock } from '../../store/lock.js';
import { parseTaskFileFully } from '../../store/parse-file.js';
import type { Ctx } from '../context.js';

export const FORMATS = ['backlog', 'taskmaster', 'beads', 'taskwarrior'] as const;
type Format = (typeof FORMATS)[number];

async function reader(format: Format): Promise<(path: string) => Promise<ImportSource>> {
  switch (format) {
    case 'backlog':
      return (await import('../../import/backlog.js')).readBacklog;
    case 'taskmaster':
      return (await import('../../import/taskmaster.js')).readTaskmaster;
    case 'beads':
      return (await import('../../import/beads.js')).readBeads;
    case 'taskwarrior':
      return (await import('../../import/taskwarrior.js')).readTaskwarrior;
  }
}

export async function runImport(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const format = (args[0] ?? '').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UserError(
      'USAGE',
      `unknown format "${args[0] ?? ''}"; use one of ${FORMATS.join(', ')}`,
    );
  }
  const sourcePath = args[1];
  if (!sourcePath) throw new UserError('USAGE', `baton import ${format} PATH: PATH is missing`);
  const namespace = opts.namespace === undefined ? undefined : String(opts.namespace);
  if (namespace !== undefined && (!NAMESPACE_PATTERN.test(namespace) || namespace === 'agents')) {
    throw new UserError('USAGE', `invalid namespace "${namespace}" (a-z, 0-9, . _ -)`);
  }
  const dryRun = opts.dryRun === true;

  const read = await reader(format as Format);
  const source = await read(resolve(ctx.cwd, sourcePath));
  const root = ctx.root();
  const snapshot = await ctx.load();
  const existing: ExistingTask[] = snapshot.tasks.map((t) => {
    const from = t.data[IMPORTED_FROM];
    const mine = typeof from === 'string' && from.startsWith(`${format}:`);
    return {
      id: t.data.id,
      path: t.path,
      // only a task this format imported before can be compared (and updated)
      text: mine ? readFileSync(join(root.root, t.path), 'utf8') : '',
      ...(typeof from === 'string' ? { importedFrom: from } : {}),
    };
  });
  const plan = planImport({
    source,
    sourcePath,
    existing,
    ...(namespace !== undefined ? { namespace } : {}),
  });

  // every file must load back as a valid task before anything is written
  for (const f of plan.files) {
    if (f.action === 'unchanged') continue;
    if (f.action === 'create' && existsSync(join(root.root, f.path))) {
      throw new UserError(
        'FILE_REFUSED',
        `${f.path} exists but is not a task baton could read (see baton check); nothing was written`,
        { path: f.path },
      );
    }
    const parsed = await parseTaskFileFully(f.path, f.namespace, f.text);
    if (!parsed.task) {
      throw new UserError(
        'TASK_INVALID',
        `refusing to import ${format} task ${f.sourceId} as ${f.path}: ${parsed.problems[0]?.message ?? 'invalid'}; nothing was written`,
      );
    }
  }
  if (!dryRun) await writePlan(root.root, root, plan);
  return report(ctx, opts, plan, dryRun);
}

async function writePlan(
  dir: string,
  root: ReturnType<Ctx['root']>,
  plan: ImportPlan,
): Promise<void> {
  for (const f of plan.files) {
    const abs = join(dir, f.path);
    if (f.action === 'create') {
      mkdirSync(dirname(abs), { recursive: true });
      createAtomic(abs, f.text, f.path);
    } else if (f.action === 'update') {
      await withTaskLock(root, f.id, async () =>
        replaceIfUnchanged(abs, f.before ?? '', f.text, f.path),
      );
    }
  }
}

async function report(
  ctx: Ctx,
  opts: Record<string, unknown>,
  plan: ImportPlan,
  dryRun: boolean,
): Promise<number> {
  const r = plan.result;
  if (opts.json === true) {
    const { printJson } = await import('../../report/task-json.js');
    ctx.out(printJson({ ...r, dry_run: dryRun }));
    return 0;
  }
  const verb = {
    create: dryRun ? 'would create' : 'created',
    update: dryRun ? 'would update' : 'updated',
    unchanged: 'unchanged',
  } as const;
  const width = Math.max(...Object.values(verb).map((v) => v.length));
  for (const f of plan.files) {
    ctx.out(`${verb[f.action].padEnd(width)}  ${f.id}  ${f.path}  (${r.format} ${f.sourceId})`);
  }
  for (const n of r.notes) ctx.out(`note: ${n}`);
  const counts = `${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged`;
  ctx.out(
    `${dryRun ? 'dry run, nothing written: ' : ''}${r.format} ${r.source}: ${counts}${
      !dryRun && r.created.length + r.updated.length > 0 ? ' (review and commit .tasks/)' : ''
    }`,
  );
  return 0;
}
