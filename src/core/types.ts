/** The data the pure core computes over. Built by the store, never read from disk here. */
import type { Config } from '../schema/config.js';
import type { TaskData } from '../schema/task.js';

/** A task file that parsed and validated. */
export interface Task {
  /** The validated front matter (owned keys typed, user keys kept as they are). */
  data: TaskData;
  /** Folder directly under `.tasks/` that holds the file. */
  namespace: string;
  /** Repo-relative POSIX path of the file, e.g. `.tasks/main/t-k3x9.md`. */
  path: string;
  /** 1-based lines of the LINE_KEYS (0 = absent), for errors that name a field. */
  lines?: readonly number[];
}

/** The front-matter keys whose lines a task keeps, in the order of `Task.lines`. */
export const LINE_KEYS = ['id', 'depends_on', 'parent', 'lease', 'status'] as const;
export type LineKey = (typeof LINE_KEYS)[number];

/** The 1-based line of `key` in the task's file, if known. */
export function lineOf(task: Task, key: LineKey): number | undefined {
  const line = task.lines?.[LINE_KEYS.indexOf(key)];
  return line ? line : undefined;
}

export type Severity = 'error' | 'warning';

export type Rule =
  | 'schema'
  | 'duplicate-id'
  | 'missing-dependency'
  | 'self-dependency'
  | 'cycle'
  | 'conflict-markers'
  | 'missing-parent'
  | 'stale-result'
  | 'expired-lease'
  | 'file-name'
  | 'near-miss-key'
  | 'reopened';

/** One finding, in the shape `check --json` prints. */
export interface Problem {
  rule: Rule;
  severity: Severity;
  id?: string;
  path?: string;
  line?: number;
  message: string;
  /** With `check --base`: the problem was not there at the base revision. */
  introduced?: true;
}

/** Everything the core needs: read once, then computed over. */
export interface Snapshot {
  /** Every task that loaded, in path order (duplicates included; see `duplicate-id`). */
  tasks: Task[];
  /** Problems found while reading files (schema, conflict-markers, file-name). */
  fileProblems: Problem[];
  config: Config;
  /** "Now" for not_before, aging and leases; passed in so the core stays pure. */
  now: Date;
}
