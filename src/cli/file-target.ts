/**
 * The file a task id names, when that file may have failed to load: `edit` opens it, `show`
 * says why it cannot be read. An invalid file holds no task, so ids are looked up among the
 * files that failed to load too, by the id they hold or, when none can be read, their file
 * name (`brokenName`).
 */
import type { Graph } from '../core/graph.js';
import type { Problem, Snapshot, Task } from '../core/types.js';
import { unreadableFiles } from '../report/bad-files.js';
import { fileStem, taskFileNamespace } from '../store/scan.js';
import { findTask, resolveOrThrow } from './analysis.js';

export interface FileTarget {
  path: string;
  namespace: string;
  /** The task loaded from the file; undefined for a file that failed to load. */
  task?: Task;
  /** Why a file that failed to load did (`report/bad-files.ts`). */
  errors?: Problem[];
}

/** What a file that failed to load is called: the id it holds, else its file name. */
export function brokenName(path: string, id: string | undefined): string {
  return id ?? fileStem(path);
}

/**
 * The file `query` names: a task's, or one that could not be read (an error and no task, as
 * `list` and friends count them) by its `brokenName`. One resolution over both, so an exact
 * name wins over a prefix and a prefix of both kinds is ambiguous; a task keeps its id if a
 * broken file claims it too. With every file read, just the task lookup.
 */
export function findFileTarget(snapshot: Snapshot, graph: Graph, query: string): FileTarget {
  const broken = unreadableFiles(snapshot.fileProblems, snapshot.tasks);
  if (broken.length === 0) {
    const task = graph.tasks[findTask(graph, query)]!;
    return { path: task.path, namespace: task.namespace, task };
  }
  const targets = new Map<string, FileTarget>();
  for (const task of graph.tasks) {
    targets.set(task.data.id, { path: task.path, namespace: task.namespace, task });
  }
  for (const file of broken) {
    const name = brokenName(file.path, file.errors.find((p) => p.id !== undefined)?.id);
    const namespace = taskFileNamespace(file.path);
    if (namespace !== undefined && !targets.has(name))
      targets.set(name, { path: file.path, namespace, errors: file.errors });
  }
  return targets.get(resolveOrThrow([...targets.keys()], query))!;
}
