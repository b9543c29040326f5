/**
 * The words people bring from other tools (Backlog.md, beads, Task Master, Taskwarrior,
 * `tm`), read as baton's own wherever a status or a priority is typed: `pending` is `todo`,
 * `completed` is `done`, `in-progress` is `in_progress`; `P0`..`P3` are critical..low and
 * `H`/`M`/`L` high, medium, low; any case. A word baton does not know is returned as typed,
 * so the caller's own "unknown status" message names it. Also the comma lists of
 * `--depends-on` and `--label`, and the flags people type that baton spells differently.
 */
import { PRIORITIES, STATUSES } from '../schema/fields.js';

const STATUS_WORDS: Readonly<Record<string, string>> = {
  pending: 'todo',
  open: 'todo',
  completed: 'done',
  complete: 'done',
  closed: 'done',
  'in-progress': 'in_progress',
  inprogress: 'in_progress',
  'in progress': 'in_progress',
  canceled: 'cancelled',
};

const PRIORITY_WORDS: Readonly<Record<string, string>> = {
  p0: 'critical',
  p1: 'high',
  p2: 'medium',
  p3: 'low',
  h: 'high',
  m: 'medium',
  l: 'low',
};

/** A typed status as baton's word (`pending` -> `todo`); unknown words come back as typed. */
export function statusWord(typed: string): string {
  const lower = typed.trim().toLowerCase();
  if ((STATUSES as readonly string[]).includes(lower)) return lower;
  return STATUS_WORDS[lower] ?? typed;
}

/** A typed priority as baton's word (`P0` -> `critical`, `h` -> `high`, `HIGH` -> `high`). */
export function priorityWord(typed: string): string {
  const lower = typed.trim().toLowerCase();
  if ((PRIORITIES as readonly string[]).includes(lower)) return lower;
  return PRIORITY_WORDS[lower] ?? typed;
}

/** The accepted priority words, for messages. */
export const PRIORITY_HELP = 'critical | high | medium | low (also P0..P3, H/M/L, any case)';

/** The fields `list --sort` orders by. */
export const SORT_FIELDS = [
  'id',
  'priority',
  'status',
  'due',
  'created',
  'updated',
  'title',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const SORT_HELP = SORT_FIELDS.join(' | ');

/** Repeated values, each split on commas: `--label a,b --label c` is `[a, b, c]`. */
export function commaList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Flags other tools use, with baton's spelling; the first one the command has is named
 * (so `update --tag` suggests `--add-label`, `new --tag` `--label`).
 */
const FLAG_WORDS: Readonly<Record<string, readonly string[]>> = {
  '--tag': ['--add-label', '--label'],
  '--tags': ['--add-label', '--label'],
  '--labels': ['--add-label', '--label'],
  '--untag': ['--remove-label'],
  '--dep': ['--add-dep', '--depends-on'],
  '--deps': ['--add-dep', '--depends-on'],
  '--depends': ['--add-dep', '--depends-on'],
  '--dependency': ['--add-dep', '--depends-on'],
  '--dependencies': ['--add-dep', '--depends-on'],
  '--blocked-by': ['--add-dep', '--depends-on'],
  '--assign': ['--assignee', '--to'],
  '--assignees': ['--assignee', '--to'],
  '--owner': ['--assignee', '--to'],
  '--prio': ['--priority'],
  '--state': ['--status'],
  '--name': ['--title'],
  '--desc': ['--description', '--body'],
  '--details': ['--description', '--body'],
  '--due-date': ['--due'],
  '--deadline': ['--due'],
  '--estimation': ['--estimate'],
  '--message': ['--note', '--reason'],
  '--search': ['--grep'],
  '--query': ['--grep'],
  '--sort-by': ['--sort'],
  '--order-by': ['--sort'],
  '--max': ['--limit'],
};

/** Baton's spelling of `flag` among the command's `known` long flags, if the table has one. */
export function flagWord(flag: string, known: readonly string[]): string | undefined {
  const name = flag.split('=')[0]!.toLowerCase();
  return FLAG_WORDS[name]?.find((f) => known.includes(f));
}
