/**
 * What an importer reads out of another tool's files, before baton decides ids and writes
 * anything: one `ImportedTask` per task in the source, with references (dependencies,
 * parent) still in the source's ids. `src/import/plan.ts` maps ids, rewrites references and
 * renders the task files; each format's reader only maps fields.
 */
import type { Priority, Status } from '../schema/fields.js';

export interface ImportedLogEntry {
  /** ISO 8601. */
  time: string;
  agent: string;
  /** A baton log verb: note, share, start, done, ... */
  verb: string;
  message?: string;
}

export interface ImportedTask {
  /** The task's id in the source tool, as the source writes it (e.g. "12", "12.3", "bd-a1b2", a uuid). */
  sourceId: string;
  /** A preferred baton id when the source id is not one (else derived from sourceId). */
  id?: string;
  title: string;
  status: Status;
  priority?: Priority;
  assignee?: string;
  labels?: string[];
  /** Source ids of the tasks this one waits for. */
  dependsOn?: string[];
  /** Source id of the parent task. */
  parent?: string;
  /** ISO date or date-time. */
  due?: string;
  created?: string;
  updated?: string;
  /** 30m, 4h, 2d, 1w. */
  estimate?: string;
  /** Markdown body (description, details, acceptance criteria as `- [ ]` boxes, ...). */
  body?: string;
  /** Lines for the task's `## Log` (annotations, history). */
  log?: ImportedLogEntry[];
  /** Source fields with no baton counterpart, kept as front-matter keys (snake_case). */
  extra?: Record<string, unknown>;
  /** Namespace folder (default: the --namespace option, else the format's name). */
  namespace?: string;
  /** The source file (and line, if known) the task came from, for reports. */
  from?: string;
}

export interface ImportSource {
  format: 'backlog' | 'taskmaster' | 'beads' | 'taskwarrior';
  tasks: ImportedTask[];
  /** Things read but not carried over, each said once ("3 tasks: field `x` dropped: ..."). Nothing is dropped silently. */
  notes: string[];
}
