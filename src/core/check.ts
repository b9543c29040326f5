/** `check` as a pure function: every problem of a snapshot, file-level and graph-level. */

import { SATISFIED } from '../schema/fields.js';
import { checkRules, compareProblems } from './check-rules.js';
import type { Graph } from './graph.js';
import type { StaleResult } from './stale.js';
import { lineOf, type Problem, type Severity, type Snapshot, type Task } from './types.js';

export interface CheckResult {
  ok: boolean;
  problems: Problem[];
}

/** Stale results to report (computed by the caller from git), and at which severity. */
export interface StaleInput {
  results: readonly StaleResult[];
  severity: Severity;
}

export function runChecks(snapshot: Snapshot, graph: Graph, stale?: StaleInput): CheckResult {
  const problems = [
    ...snapshot.fileProblems,
    ...checkRules(snapshot.tasks, graph, snapshot.now),
    ...(stale ? staleResultProblems(graph, stale) : []),
  ].sort(compareProblems);
  return { ok: !problems.some((p) => p.severity === 'error'), problems };
}

/**
 * `stale-result`, one per stale task, on the line of its `status`. The message names no
 * fingerprint or commit that moves, so `--base` matches it across revisions.
 */
export function staleResultProblems(graph: Graph, stale: StaleInput): Problem[] {
  const out: Problem[] = [];
  for (const s of stale.results) {
    const i = graph.index.get(s.id);
    const task = i === undefined ? undefined : graph.tasks[i];
    const why = s.inherited
      ? `it depends on ${s.via}, whose result is stale`
      : `its inputs changed since it was done${s.commit ? ` at ${s.commit.slice(0, 7)}` : ''}${s.changed?.length ? ` (${s.changed.join(', ')})` : ''}`;
    const fix = s.inherited
      ? `re-run ${s.via} and \`baton done ${s.via}\``
      : `re-run it and \`baton done ${s.id}\``;
    const message = `result is stale: ${why}; ${fix}, or \`baton reopen --stale\``;
    const p: Problem = {
      rule: 'stale-result',
      severity: stale.severity,
      id: s.id,
      path: s.path,
      message,
    };
    const line = task ? lineOf(task, 'status') : undefined;
    if (line !== undefined) p.line = line;
    out.push(p);
  }
  return out;
}

/** What a change made worse, for `check --base REV` in CI. */
export interface BaseComparison {
  /** Problems now that were not there at the base (matched by rule, id and message). */
  introduced: Problem[];
  /** Tasks done or cancelled at the base and open again now (rule `reopened`, warning). */
  reopened: Problem[];
}

const fingerprint = (p: Problem) => `${p.rule}\u0000${p.id ?? p.path ?? ''}\u0000${p.message}`;

export function compareWithBase(
  before: { tasks: readonly Task[]; result: CheckResult },
  after: { tasks: readonly Task[]; result: CheckResult },
): BaseComparison {
  const old = new Set(before.result.problems.map(fingerprint));
  const introduced = after.result.problems.filter((p) => !old.has(fingerprint(p)));
  const closedBefore = new Map<string, string>();
  for (const t of before.tasks)
    if (SATISFIED.has(t.data.status)) closedBefore.set(t.data.id, t.data.status);
  const reopened: Problem[] = [];
  for (const t of after.tasks) {
    const was = closedBefore.get(t.data.id);
    if (was && !SATISFIED.has(t.data.status)) {
      reopened.push({
        rule: 'reopened',
        severity: 'warning',
        id: t.data.id,
        path: t.path,
        message: `${t.data.id} was ${was} at the base and is ${t.data.status} now`,
        introduced: true,
      });
    }
  }
  return { introduced, reopened };
}
