/**
 * What the git history says about one task, and the status timeline `baton stats` derives
 * from it. The history reader (store/history.ts) reports, per task, one `Touch` per commit
 * that changed its file; this module turns the touches into status transitions. Pure.
 *
 * Which time wins: a `## Log` line carries the moment the action happened; a front-matter
 * change only the commit's (author) time, which can be hours later. So every status verb in
 * the log (start, claim, review, done, block, cancel, reopen, release; fail, to the `todo`
 * or `failed` its commit wrote) is a transition at its own time, and a commit's change of the `status` field counts, at the commit's time,
 * only when no log line added by that same commit explains it (the last status verb it added
 * leads to that very status): a hand edit. Log lines are counted once per task, however many
 * commits show them (a file moved to another namespace shows its whole log again).
 */
import { parseDate } from './estimate.js';

/** A `## Log` line a commit added: the parts stats needs. */
export interface TouchLog {
  /** ISO time as written. */
  time: string;
  agent: string;
  verb: string;
  target?: string;
}

/** One commit's change to one task file. */
export interface Touch {
  /** The commit's author time, ms since the epoch. */
  time: number;
  /** The `status` in the front matter after this commit, when this commit wrote that line. */
  status?: string;
  /** The `assignee` after this commit (undefined: none). */
  assignee?: string;
  /** `## Log` lines this commit added. */
  log: TouchLog[];
  /** The oldest commit of a shallow clone: the file's earlier history is not there. */
  boundary?: boolean;
}

export interface TaskHistory {
  id: string;
  /** The `created` field as first written. */
  created?: string;
  /** The `due` field as last written. */
  due?: string;
  /** In history order (oldest first). */
  touches: Touch[];
}

export interface History {
  tasks: TaskHistory[];
  /** Commits read that changed a task file. */
  commits: number;
  /** Author times of the oldest and newest of those commits. */
  first?: number;
  last?: number;
  shallow: boolean;
}

export type Source = 'log' | 'field' | 'seen';

export interface Transition {
  time: number;
  status: string;
  /** The status before; undefined for the first one. */
  from?: string;
  /** A log line (its own time), a field change (commit time), or the status a task already
   *  had in the oldest commit of a shallow clone (known to hold since then, at least). */
  source: Source;
  verb?: string;
  /** The agent of the log line. */
  agent?: string;
  /** The assignee in the file after the commit that brought the change. */
  assignee?: string;
}

export interface Timeline {
  id: string;
  /** The `created` field, else the first commit holding the task; undefined when unknown. */
  created?: number;
  due?: string;
  transitions: Transition[];
  /** `handoff` log lines. */
  handoffs: number;
  /** First seen in the oldest commit of a shallow clone. */
  truncated: boolean;
}

/** The status each log verb leads to. */
export const VERB_STATUS: Readonly<Record<string, string>> = {
  start: 'in_progress',
  claim: 'in_progress',
  review: 'review',
  done: 'done',
  block: 'blocked',
  cancel: 'cancelled',
  reopen: 'todo',
  release: 'todo',
};

/** `fail` leads back to `todo` (a retry) or to `failed`: whichever the commit wrote. */
function failStatus(verb: string, written: string | undefined): string | undefined {
  return verb === 'fail' && (written === 'todo' || written === 'failed') ? written : undefined;
}

interface Event {
  time: number;
  status: string;
  source: Source;
  verb?: string;
  agent?: string;
  assignee?: string;
}

export function buildTimeline(task: TaskHistory): Timeline {
  const seen = new Set<string>();
  const events: Event[] = [];
  let handoffs = 0;
  for (const touch of task.touches) {
    let lastVerb: Event | undefined;
    for (const entry of touch.log) {
      const key = `${entry.time} ${entry.agent} ${entry.verb} ${entry.target ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (entry.verb === 'handoff') handoffs++;
      const status = VERB_STATUS[entry.verb] ?? failStatus(entry.verb, touch.status);
      if (status === undefined) continue;
      const ev: Event = {
        time: parseDate(entry.time) ?? touch.time,
        status,
        source: 'log',
        verb: entry.verb,
        agent: entry.agent,
        assignee: touch.assignee,
      };
      events.push(ev);
      if (lastVerb === undefined || ev.time >= lastVerb.time) lastVerb = ev;
    }
    if (touch.status !== undefined && lastVerb?.status !== touch.status) {
      const source = touch.boundary ? 'seen' : 'field';
      events.push({ time: touch.time, status: touch.status, source, assignee: touch.assignee });
    }
  }
  // Stable: ties keep history order (a commit's log lines before its field change).
  events.sort((a, b) => a.time - b.time);
  const transitions: Transition[] = [];
  let current: string | undefined;
  for (const ev of events) {
    if (ev.status === current) continue;
    transitions.push({ ...ev, from: current });
    current = ev.status;
  }
  const first = task.touches[0];
  const truncated = first?.boundary === true;
  const created =
    parseDate(task.created) ?? (first !== undefined && !truncated ? first.time : undefined);
  return { id: task.id, created, due: task.due, transitions, handoffs, truncated };
}
