/**
 * What an attempt's command reads on stdin: the task file as claimed, then a short
 * `## Context` of what others said that the agent should act on. Pure.
 *
 * The context lists the hand-offs (note, artifacts, success criteria), the shares and
 * checkpoints, the discoveries nobody acknowledged yet, and the earlier failed attempts of
 * this task with their reasons and the branches that keep their work, newest last. The
 * task's log is in the file already; the context says it in words an agent takes as
 * instructions, without log syntax.
 */
import { parseEntry } from '../core/log-entry.js';
import { openDiscoveries } from '../core/task-talk.js';
import { readLog } from '../format/log.js';
import { splitFile } from '../format/split.js';

export interface AttemptFacts {
  attempt: number;
  branch: string;
  /** Branches of this task's earlier attempts that still exist. */
  earlier: string[];
}

export function attemptInput(text: string, facts: AttemptFacts): string {
  const split = splitFile(text);
  const entries = readLog(split.ok ? split.body : '').map(parseEntry);
  const open = new Set(openDiscoveries(entries));
  const lines: string[] = [];
  entries.forEach((e, i) => {
    const msg = e.message ? `: ${e.message}` : '';
    if (e.verb === 'handoff') {
      const extra = [
        e.artifacts?.length ? ` Artifacts: ${e.artifacts.join(', ')}.` : '',
        e.criteria?.length ? ` Success criteria: ${e.criteria.join('; ')}.` : '',
      ].join('');
      lines.push(`- Hand-off from ${e.agent} to ${e.target ?? '?'}${msg}.${extra}`);
    } else if (e.verb === 'share' || e.verb === 'sync') {
      lines.push(`- ${e.verb === 'share' ? 'Shared' : 'Checkpoint'} by ${e.agent}${msg}`);
    } else if (e.verb === 'discover' && open.has(i)) {
      lines.push(`- Open discovery by ${e.agent}${msg}`);
    } else if (e.verb === 'fail') {
      lines.push(`- An earlier attempt failed${msg}`);
    }
  });
  if (facts.earlier.length > 0) {
    lines.push(`- The work of earlier attempts is on ${facts.earlier.join(', ')}.`);
  }
  const head = `This is attempt ${facts.attempt}, on branch ${facts.branch}. What you change in this worktree is committed to that branch when you exit. Exit 0 when the task is done; any other exit code counts as a failed attempt.`;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${body}\n## Context\n\n${head}\n${lines.length > 0 ? `\n${lines.join('\n')}\n` : ''}`;
}
