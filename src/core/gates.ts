/**
 * The gates of `review` and `done` (SPEC section 6): acceptance boxes and approvals.
 *
 * Decisions:
 * - An acceptance box is a list item whose text starts with `[ ]` (`- [ ]`, `* [ ]`, `+ [ ]`,
 *   `1. [ ]`), at any indentation; `[x]` / `[X]` is ticked. A box with no text after it is
 *   a template placeholder, not a criterion, and does not count.
 * - Boxes inside fenced code blocks (``` or ~~~) and inside the `## Log` section (up to the
 *   next `#` or `##` heading, as the log reader sees it) do not count.
 * - `review` needs every box ticked: the work is claimed complete. `done` needs every box
 *   ticked and every reviewer's approval (`approvals.ts`); approvals are what a review
 *   collects, so they are not asked for before it.
 * - `--force` passes both gates; the status line in the log then says what was missing,
 *   e.g. `done: (forced: 2 unticked boxes, awaiting carol)`.
 */
import type { TaskData } from '../schema/task.js';
import { approvalState } from './approvals.js';
import type { LogEntry } from './log-entry.js';

export interface Box {
  /** 1-based line in the body. */
  line: number;
  text: string;
}

export interface GateReport {
  unticked: Box[];
  /** Reviewers whose approval is missing. */
  awaiting: string[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const BOX = /^\s*(?:[-*+]|\d{1,9}[.)])\s+\[ \](?:\s+(.*))?$/;

function isSectionEnd(line: string): boolean {
  return line.startsWith('# ') || line.startsWith('## ');
}

/** The unticked acceptance boxes of a Markdown body, in order. */
export function uncheckedBoxes(body: string): Box[] {
  const out: Box[] = [];
  let fence: string | undefined;
  let inLog = false;
  const lines = body.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.replace(/\r$/, '');
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (inLog) {
      if (!isSectionEnd(line)) continue;
      inLog = false;
    }
    if (line.trimEnd() === '## Log') {
      inLog = true;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open) {
      // a backtick fence's info string may not contain a backtick (CommonMark)
      if (open[1]![0] === '~' || !line.slice(open[0].length).includes('`')) fence = open[1]!;
      continue;
    }
    const box = BOX.exec(line);
    const text = box?.[1]?.trim();
    if (text) out.push({ line: k + 1, text });
  }
  return out;
}

/** What stands between the task and `verb` (`review` or `done`). */
export function gateReport(
  verb: 'review' | 'done',
  body: string,
  data: Pick<TaskData, 'reviewers'>,
  entries: readonly LogEntry[],
): GateReport {
  const unticked = uncheckedBoxes(body);
  const awaiting = verb === 'done' ? approvalState(entries, data.reviewers).pending : [];
  return { unticked, awaiting };
}

export function gatesOpen(report: GateReport): boolean {
  return report.unticked.length === 0 && report.awaiting.length === 0;
}

/** One line for the log of a forced change: `2 unticked boxes, awaiting carol`. */
export function gateSummary(report: GateReport): string {
  const parts: string[] = [];
  const n = report.unticked.length;
  if (n > 0) parts.push(`${n} unticked ${n === 1 ? 'box' : 'boxes'}`);
  if (report.awaiting.length > 0) parts.push(`awaiting ${report.awaiting.join(', ')}`);
  return parts.join(', ');
}

/** The refusal message: what is missing, and the ways forward. */
export function gateRefusal(id: string, verb: string, report: GateReport, bodyLine = 1): string {
  const lines = [`${id} cannot go to ${verb} yet:`];
  for (const b of report.unticked) {
    lines.push(`  unticked (line ${bodyLine + b.line - 1}): ${b.text}`);
  }
  if (report.awaiting.length > 0) {
    lines.push(`  awaiting approval from ${report.awaiting.join(', ')} (baton approve ${id})`);
  }
  const todo = [
    ...(report.unticked.length > 0
      ? ['tick the boxes (or remove the ones that no longer apply)']
      : []),
    ...(report.awaiting.length > 0 ? ['collect the approvals'] : []),
  ];
  lines.push(`${todo.join(' and ')}, or pass --force (it is logged)`);
  return lines.join('\n');
}
