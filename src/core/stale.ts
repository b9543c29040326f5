/**
 * Stale results (SPEC section 4), as a pure function over the tasks and a way to get the
 * current fingerprint of a task's inputs (the store reads git once for all tasks).
 *
 * Decisions:
 * - A task's result is checked when it is `done`, lists `inputs` and carries
 *   `result.fingerprint`. A done task without a recorded result has nothing to compare and is
 *   never stale; nor is one whose current fingerprint is unknown (`undefined`).
 * - Stale (direct): the inputs' fingerprint now differs from `result.fingerprint`.
 * - Stale (inherited): a done task that depends on a directly stale task, transitively
 *   through `depends_on`. The chain may pass through tasks that are not done (their own
 *   status does not matter: what was built on top of the stale result is suspect).
 *   `via` names the directly stale task it inherits from: the nearest one, ties broken by
 *   id. A task stale by its own inputs is direct even when it also inherits.
 * - Duplicated ids: the first task with an id (input order) stands for it, as in the graph.
 * - Output in input order (the snapshot's path order).
 */
import type { Task } from './types.js';

export interface StaleResult {
  id: string;
  path: string;
  inherited: boolean;
  /** Inherited: the directly stale task it inherits from. */
  via?: string;
  /** Direct: the commit the result was recorded at. */
  commit?: string;
  /** Direct: the changed inputs, when the caller can name them. */
  changed?: string[];
}

/** The task's result is one staleness can be judged for: done, with inputs and a result. */
export function hasResult(task: Task): boolean {
  const d = task.data;
  return (
    d.status === 'done' &&
    Array.isArray(d.inputs) &&
    d.inputs.length > 0 &&
    typeof d.result?.fingerprint === 'string'
  );
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function staleResults(
  tasks: readonly Task[],
  currentFingerprintOf: (task: Task) => string | undefined,
  changedInputsOf?: (task: Task) => string[] | undefined,
): StaleResult[] {
  const first = new Map<string, Task>();
  for (const t of tasks) if (!first.has(t.data.id)) first.set(t.data.id, t);

  const direct: string[] = [];
  for (const t of first.values()) {
    if (!hasResult(t)) continue;
    const now = currentFingerprintOf(t);
    if (now !== undefined && now !== t.data.result?.fingerprint) direct.push(t.data.id);
  }
  if (direct.length === 0) return [];
  direct.sort(byId);

  const dependents = new Map<string, string[]>();
  for (const t of first.values()) {
    for (const dep of t.data.depends_on) {
      const list = dependents.get(dep);
      if (list) list.push(t.data.id);
      else dependents.set(dep, [t.data.id]);
    }
  }
  // Multi-source breadth-first search: each task reached gets its nearest stale source.
  const source = new Map<string, string>(direct.map((id) => [id, id]));
  let frontier = direct;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const dependent of (dependents.get(id) ?? []).slice().sort(byId)) {
        if (source.has(dependent)) continue;
        source.set(dependent, source.get(id)!);
        next.push(dependent);
      }
    }
    frontier = next;
  }

  const out: StaleResult[] = [];
  for (const t of first.values()) {
    const id = t.data.id;
    const from = source.get(id);
    if (from === undefined || t.data.status !== 'done') continue;
    if (from === id) {
      const item: StaleResult = { id, path: t.path, inherited: false };
      const commit = t.data.result?.commit;
      if (commit) item.commit = commit;
      const changed = changedInputsOf?.(t);
      if (changed) item.changed = changed;
      out.push(item);
    } else {
      out.push({ id, path: t.path, inherited: true, via: from });
    }
  }
  return out;
}
