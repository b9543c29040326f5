/** `check` as a pure function: every problem of a snapshot, file-level and graph-level. */

import { SATISFIED } from '../schema/fields.js';
import { checkRules, compareProblems } from './check-rules.js';
import type { Graph } from './graph.js';
import type { Problem, Snapshot, Task } from './types.js';

export interface CheckResult {
  ok: boolean;
  problems: Problem[];
}

export function runChecks(snapshot: Snapshot, graph: Graph): CheckResult {
  const problems = [
    ...snapshot.fileProblems,
    ...checkRules(snapshot.tasks, graph, snapshot.now),
  ].sort(compareProblems);
  return { ok: !problems.some((p) => p.severity === 'error'), problems };
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
