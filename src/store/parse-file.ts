/**
 * One task file's text -> a `Task` or the problems that keep it out. Two-phase so the slow
 * parsers load only when some file needs them: without `parsers.yaml` a file the flat
 * parser cannot read answers 'needs-yaml'; without `parsers.zod` a task the fast validator
 * cannot vouch for answers 'needs-zod'. The caller imports what is needed once and retries.
 */
import { LINE_KEYS, type Problem, type Task } from '../core/types.js';
import { decodeTask } from '../format/decode.js';
import type { parseYamlFrontMatter } from '../format/yaml-parse.js';
import type { TaskValidation } from '../schema/task.js';
import { validateTaskFast } from '../schema/task-fast.js';
import { fileStem } from './scan.js';

export interface Parsers {
  yaml?: typeof parseYamlFrontMatter;
  zod?: (raw: Record<string, unknown>) => TaskValidation;
}

export interface FileResult {
  task?: Task;
  problems: Problem[];
}

export type Pending = 'needs-yaml' | 'needs-zod';

export function parseTaskFile(
  rel: string,
  namespace: string,
  text: string,
  parsers: Parsers,
): FileResult | Pending {
  const decoded = decodeTask(text, parsers.yaml);
  if (decoded === 'needs-yaml') return decoded;
  if (!decoded.ok) {
    return {
      problems: [
        {
          rule: decoded.conflict ? 'conflict-markers' : 'schema',
          severity: 'error',
          path: rel,
          ...(decoded.line ? { line: decoded.line } : {}),
          message: decoded.conflict ? 'unresolved git conflict markers' : decoded.message,
        },
      ],
    };
  }
  let validation: TaskValidation;
  const fast = validateTaskFast(decoded.data);
  if (fast) validation = { ok: true, data: fast };
  else if (parsers.zod) validation = parsers.zod(decoded.data);
  else return 'needs-zod';

  const problems: Problem[] = [];
  const rawId = typeof decoded.data.id === 'string' ? decoded.data.id : undefined;
  if (decoded.conflictLine) {
    problems.push({
      rule: 'conflict-markers',
      severity: 'error',
      ...(rawId ? { id: rawId } : {}),
      path: rel,
      line: decoded.conflictLine,
      message: 'unresolved git conflict markers in the body',
    });
  }
  if (!validation.ok) {
    for (const issue of validation.issues) {
      const top = issue.field.split('.')[0] ?? '';
      const line = decoded.lines[top];
      problems.push({
        rule: 'schema',
        severity: 'error',
        ...(rawId ? { id: rawId } : {}),
        path: rel,
        ...(line ? { line } : { line: 1 }),
        message: issue.field
          ? `${issue.field}: ${top in decoded.data ? issue.message : 'is required'}`
          : issue.message,
      });
    }
    return { problems };
  }
  const data = validation.data;
  const base = fileStem(rel);
  if (base !== data.id && !base.startsWith(`${data.id}-`)) {
    problems.push({
      rule: 'file-name',
      severity: 'warning',
      id: data.id,
      path: rel,
      message: `file name does not start with the task's id "${data.id}" (expected ${data.id}.md or ${data.id}-<slug>.md)`,
    });
  }
  const lines: number[] = [];
  for (let i = 0; i < LINE_KEYS.length; i++) lines.push(decoded.lines[LINE_KEYS[i]!] ?? 0);
  return { task: { data, namespace, path: rel, lines }, problems };
}

/** Import the slow parsers a batch of pending files asks for, once. */
export async function loadParsers(
  pending: Iterable<Pending>,
  have: Parsers = {},
): Promise<Parsers> {
  const out: Parsers = { ...have };
  for (const p of pending) {
    if (p === 'needs-yaml' && !out.yaml) {
      out.yaml = (await import('../format/yaml-parse.js')).parseYamlFrontMatter;
    }
    if (p === 'needs-zod' && !out.zod) {
      out.zod = (await import('../schema/task.js')).validateTaskZod;
    }
  }
  return out;
}

/** Parse with whatever parsers it takes; used where a single file is read. */
export async function parseTaskFileFully(
  rel: string,
  namespace: string,
  text: string,
): Promise<FileResult> {
  let parsers: Parsers = {};
  for (;;) {
    const r = parseTaskFile(rel, namespace, text, parsers);
    if (typeof r !== 'string') return r;
    parsers = await loadParsers([r], parsers);
  }
}
