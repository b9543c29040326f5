/**
 * `baton new "Title"` (also `add`, `create`): create a task file and print only its id, so
 * `X=$(baton new ...)` works. `-d/--description` is `--body`, `--tag` is `--label`; both
 * `--label` and `--depends-on` take `a,b` lists; priorities as `words.ts` reads them. The namespace is --namespace, else the current branch's, else the config default.
 * `--json` prints `{ id, agent, verb: 'new', changed: true, path, namespace, title, status,
 * priority, depends_on }` instead.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveId } from '../../core/resolve-id.js';
import { UserError } from '../../errors.js';
import { renderTask } from '../../format/render.js';
import { isDate } from '../../schema/dates.js';
import {
  DATE_PATTERN,
  ESTIMATE_PATTERN,
  ID_PATTERN,
  NAMESPACE_PATTERN,
  OWNED_KEYS,
  PRIORITIES,
} from '../../schema/fields.js';
import { createAtomic } from '../../store/atomic-write.js';
import { branchNamespace, currentBranch } from '../../store/git.js';
import { generateId } from '../../store/ids.js';
import { isoNow } from '../../store/mutate.js';
import { parseTaskFileFully } from '../../store/parse-file.js';
import { loadTemplate } from '../../store/templates.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';
import { commaList, PRIORITY_HELP, priorityWord } from '../words.js';
import { reportWrite } from '../write-result.js';

const OWNED: ReadonlySet<string> = new Set(OWNED_KEYS);

function check(value: unknown, pattern: RegExp, what: string): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (!pattern.test(s)) throw new UserError('USAGE', `invalid ${what}: "${s}"`);
  return s;
}

export async function runNew(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const title = (args[0] ?? '').trim();
  if (!title) throw new UserError('USAGE', 'a task needs a title: baton new "Title"');
  const priority = opts.priority === undefined ? undefined : priorityWord(String(opts.priority));
  if (priority !== undefined && !(PRIORITIES as readonly string[]).includes(priority)) {
    throw new UserError('USAGE', `invalid priority "${priority}"; use ${PRIORITY_HELP}`);
  }
  if (typeof opts.body === 'string' && typeof opts.description === 'string') {
    throw new UserError('USAGE', '--description is another name for --body: give one of them');
  }
  const bodyText = typeof opts.body === 'string' ? opts.body : opts.description;
  const estimate = check(opts.estimate, ESTIMATE_PATTERN, 'estimate (use 30m, 4h, 2d, 1w)');
  const due = check(opts.due, DATE_PATTERN, 'due date (use 2026-12-01 or an ISO date-time)');
  if (due !== undefined && !isDate(due)) {
    throw new UserError(
      'USAGE',
      `invalid due date: "${due}" names no real day or time (month 01-12, a day the month has, hour 00-23, minutes 00-59)`,
    );
  }
  const explicitId = check(opts.id, ID_PATTERN, 'id (letters, digits, . _ -; at most 64; no "..")');
  const nsOption = check(opts.namespace, NAMESPACE_PATTERN, 'namespace (a-z, 0-9, . _ -)');

  const root = ctx.root();
  const snapshot = await ctx.load();
  const ids = snapshot.tasks.map((t) => t.data.id);
  const idSet = new Set(ids);
  const resolve = (query: string, what: string): string => {
    const r = resolveId(ids, query);
    if (r.ok) return r.id;
    throw new UserError(
      r.reason === 'ambiguous' ? 'AMBIGUOUS_ID' : 'TASK_NOT_FOUND',
      r.reason === 'ambiguous'
        ? `${what} "${query}" matches several tasks: ${r.candidates.join(', ')}`
        : `${what} "${query}": no such task`,
      r.reason === 'ambiguous' ? { details: { candidates: r.candidates } } : {},
    );
  };
  const dependsOn = [
    ...new Set(commaList(stringList(opts.dependsOn)).map((d) => resolve(d, '--depends-on'))),
  ];
  const parent = typeof opts.parent === 'string' ? resolve(opts.parent, '--parent') : undefined;
  if (explicitId !== undefined && idSet.has(explicitId)) {
    throw new UserError('USAGE', `a task with id "${explicitId}" already exists`);
  }
  const id = explicitId ?? generateId(snapshot.config.prefix, idSet);
  const config = snapshot.config;
  const branch = config.branch_namespaces ? currentBranch(root.root) : undefined;
  const namespace =
    nsOption ?? (branch ? branchNamespace(branch) : (config.default_namespace ?? 'main'));

  const template = await loadTemplate(
    root,
    typeof opts.template === 'string' ? opts.template : 'task',
  );
  const t = template.fields;
  const typed = commaList([...stringList(opts.label), ...stringList(opts.tag)]);
  const labels = [...new Set([...stringList(t.labels), ...typed])];
  const now = isoNow(snapshot.now);
  const fields: [string, unknown][] = [
    ['id', id],
    ['title', title],
    ['status', 'todo'],
    ['priority', priority ?? t.priority ?? 'medium'],
    ['depends_on', dependsOn],
    ['assignee', opts.assignee ?? t.assignee],
    ['labels', labels.length > 0 ? labels : undefined],
    ['estimate', estimate ?? t.estimate],
    ['due', due],
    ['parent', parent],
  ];
  for (const [key, value] of Object.entries(t)) {
    if (!OWNED.has(key)) fields.push([key, value]);
  }
  fields.push(['created', now], ['updated', now]);
  const body = typeof bodyText === 'string' ? `${bodyText.replace(/\n*$/, '')}\n` : template.body;
  const text = renderTask(fields, body);

  const rel = `.tasks/${namespace}/${id}.md`;
  const parsed = await parseTaskFileFully(rel, namespace, text);
  if (!parsed.task) {
    throw new UserError(
      'TASK_INVALID',
      `refusing to create ${rel}: ${parsed.problems[0]?.message ?? 'invalid'}`,
    );
  }
  mkdirSync(join(root.tasksDir, namespace), { recursive: true });
  createAtomic(join(root.root, rel), text, rel);
  const result = {
    id,
    agent: opts.json === true ? await ctx.agent() : '',
    verb: 'new',
    changed: true,
    path: rel,
    namespace,
    title,
    status: parsed.task.data.status,
    priority: parsed.task.data.priority,
    depends_on: dependsOn,
  };
  return reportWrite(ctx, opts, result, [id]);
}
