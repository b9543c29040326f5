/**
 * The task files that could not be read, in one line: what `list`, `ready`, `blocked`,
 * `next` and `status` print on stderr so that no task vanishes without a word.
 *
 * "Could not be read" means a file with an error and no task loaded from it (conflict
 * markers in the front matter, YAML that does not parse, an invalid field, over the size
 * limit, a link leading out of the repository). A file that loaded with problems (a
 * warning such as `file-name`, or conflict markers in the body only) is listed as usual,
 * and `check` reports it.
 */
import type { Problem, Task } from '../core/types.js';
import { formatLocation } from '../errors.js';

/** Files named before "and N more". */
const NAMED = 3;
/** Characters of a message kept in the line (a schema message can list every allowed value). */
const MESSAGE = 60;

export interface UnreadableFile {
  path: string;
  /** The file's errors, in the order they were found. */
  errors: Problem[];
}

/**
 * The files among `problems` that hold an error and no loaded task, in path order. Costs a
 * length check when nothing is wrong.
 */
export function unreadableFiles(
  problems: readonly Problem[],
  tasks: readonly Task[],
): UnreadableFile[] {
  if (problems.length === 0) return [];
  const byPath = new Map<string, Problem[]>();
  for (const p of problems) {
    if (p.severity !== 'error' || p.path === undefined) continue;
    const list = byPath.get(p.path);
    if (list) list.push(p);
    else byPath.set(p.path, [p]);
  }
  if (byPath.size === 0) return [];
  for (const t of tasks) byPath.delete(t.path);
  return [...byPath.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([path, errors]) => ({ path, errors }));
}

/** `path:line message`, the first error of a file, with how many more it has. */
export function unreadableSummary(file: UnreadableFile): string {
  const first = file.errors[0]!;
  const more = file.errors.length > 1 ? ` (+${file.errors.length - 1} more)` : '';
  return `${formatLocation(file.path, first.line)} ${oneLine(first.message)}${more}`;
}

/**
 * `warning: 2 task files could not be read: a.md:11 ..., b.md:3 ...; see baton check`, or
 * undefined when every file was read. One line, however many files: the first few are
 * named, then "and N more".
 */
export function badFilesLine(files: readonly UnreadableFile[]): string | undefined {
  if (files.length === 0) return undefined;
  const n = files.length;
  const named = files.slice(0, NAMED).map(unreadableSummary).join(', ');
  const more = n > NAMED ? ` and ${n - NAMED} more` : '';
  const what = n === 1 ? '1 task file could not be read' : `${n} task files could not be read`;
  return `warning: ${what}: ${named}${more}; see baton check`;
}

/** A message in one short line: a stray newline must not break the summary. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE ? `${flat.slice(0, MESSAGE - 1)}…` : flat;
}
