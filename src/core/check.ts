/** `check` as a pure function: every problem of a snapshot, file-level and graph-level. */
import { checkRules, compareProblems } from './check-rules.js';
import type { Graph } from './graph.js';
import type { Problem, Snapshot } from './types.js';

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
