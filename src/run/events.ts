/**
 * What `baton run` reports, as one event object per step: the text, live and JSON-lines
 * reporters all print these, and the summary is the run's result.
 */
export type RunEvent =
  | { type: 'recovered'; id: string; attempt: number; branch: string; committed: boolean }
  | {
      type: 'start';
      id: string;
      attempt: number;
      agent: string;
      branch: string;
      command: string;
    }
  | { type: 'skipped'; id: string; reason: string }
  | {
      type: 'merged';
      id: string;
      attempt: number;
      status: 'done' | 'review';
      commit: string;
      ms: number;
    }
  | {
      type: 'failed';
      id: string;
      attempt: number;
      reason: string;
      final: boolean;
      not_before?: string;
      branch: string;
    }
  | {
      type: 'conflict';
      id: string;
      attempt: number;
      files: string[];
      with?: string;
      /** The files hold uncommitted edits in the target's checkout (not a merge conflict). */
      local?: true;
      branch: string;
    }
  | { type: 'released'; id: string; attempt: number; branch: string; why: string }
  | { type: 'waiting'; on: string[]; until?: string }
  | { type: 'stopping'; running: number; hard: boolean }
  | { type: 'problem'; id?: string; message: string }
  | ({ type: 'summary' } & RunSummary);

export interface RunSummary {
  target: string;
  started: number;
  done: number;
  review: number;
  failed: number;
  conflicts: number;
  released: number;
  /** Open tasks the run could not take on (blocked by a failure, no command, ...). */
  left: string[];
  ms: number;
  interrupted: boolean;
  exit: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One plain line per event, as printed to a pipe (and above the live view). */
export function eventLine(e: RunEvent): string {
  switch (e.type) {
    case 'recovered':
      return `recovered ${e.id} attempt ${e.attempt} of a runner that is gone${e.committed ? `; its work is on ${e.branch}` : ''}`;
    case 'start':
      return `start    ${e.id} (attempt ${e.attempt}, ${e.agent}) on ${e.branch}`;
    case 'skipped':
      return `skipped  ${e.id}: ${e.reason}`;
    case 'merged':
      return `${e.status === 'done' ? 'done    ' : 'review  '} ${e.id} in ${secs(e.ms)}: merged as ${e.commit.slice(0, 7)}`;
    case 'failed':
      return `failed   ${e.id} (attempt ${e.attempt}): ${e.reason}; ${e.final ? 'no retries left' : `retry after ${e.not_before}`}; work kept on ${e.branch}`;
    case 'conflict':
      return `conflict ${e.id}: ${e.files.join(', ')}${e.local ? ' (uncommitted changes in your checkout)' : e.with ? ` (changed by ${e.with})` : ''}; work kept on ${e.branch}`;
    case 'released':
      return `released ${e.id} (attempt ${e.attempt}): ${e.why}; work kept on ${e.branch}`;
    case 'waiting':
      return `waiting  on ${e.on.join(', ')}${e.until ? ` (until ${e.until} at the latest)` : ''}`;
    case 'stopping':
      return e.hard
        ? `stopping ${e.running} running attempt(s); their work goes to their branches`
        : `finishing ${e.running} running attempt(s), starting nothing new (Ctrl-C again to stop them)`;
    case 'problem':
      return `problem  ${e.id ? `${e.id}: ` : ''}${e.message}`;
    case 'summary': {
      const parts = [`${e.done} done`];
      if (e.review) parts.push(`${e.review} to review`);
      parts.push(`${e.failed} failed`, `${e.conflicts} conflicts`);
      if (e.released) parts.push(`${e.released} released`);
      const left =
        e.left.length > 0
          ? `; left open: ${e.left.slice(0, 10).join(', ')}${e.left.length > 10 ? ', ...' : ''}`
          : '';
      return `${e.interrupted ? 'interrupted' : 'finished'}: ${e.started} started, ${parts.join(', ')} in ${secs(e.ms)} (into ${e.target})${left}`;
    }
  }
}
