/**
 * Tasks of every local and remote-tracking branch, straight from git objects (no checkout):
 * one `ls-tree` per branch and one `cat-file --batch` for the union of their blob ids; a
 * blob shared by several branches is read and parsed once. Tasks are de-duplicated by id:
 * the version on the current branch is shown when it has one, else the most recently
 * `updated` (then the first branch by name); `branches` says where the task lives and
 * `disagree` whether those versions differ in any field.
 */
import type { Problem, Task } from '../core/types.js';
import { currentBranch, gitOutput } from './git.js';
import { listTaskBlobs, readBlobs } from './git-snapshot.js';
import {
  BLOB_INDEX,
  INDEX_VERSION,
  type Row,
  readIndex,
  toRow,
  writeIndex,
} from './index-cache.js';
import { parseTexts } from './load.js';
import { taskFileNamespace } from './scan.js';

export interface BranchVersion {
  branch: string;
  path: string;
  status: string;
  updated?: string;
}

export interface TaskSources {
  branches: string[];
  disagree: boolean;
  versions: BranchVersion[];
}

export interface AllBranches {
  tasks: Task[];
  problems: Problem[];
  sources: Map<string, TaskSources>;
}

export function listBranches(root: string): string[] {
  const out = gitOutput(root, [
    'for-each-ref',
    '--format=%(refname:short)%09%(symref)',
    'refs/heads',
    'refs/remotes',
  ]);
  const names: string[] = [];
  for (const line of out.split('\n')) {
    const [name, symref] = line.split('\t');
    if (name && !symref) names.push(name); // skip origin/HEAD and other symbolic refs
  }
  return names.sort();
}

export async function loadAllBranches(root: string, localDir?: string): Promise<AllBranches> {
  const branches = listBranches(root);
  const head = currentBranch(root);
  const perBranch = branches.map((branch) => ({ branch, files: listTaskBlobs(root, branch) }));
  // Each distinct (blob, path) is parsed once, and once ever: a blob never changes, so its
  // parse is cached under .tasks/.local by blob id and path (the path gives the namespace).
  const cached = new Map<string, Row>();
  const index = localDir ? readIndex(localDir, BLOB_INDEX) : undefined;
  if (index) for (const row of index.rows) cached.set(row[0], row);
  const taskOf = new Map<string, Task | undefined>();
  const missing: { key: string; rel: string; blob: string }[] = [];
  for (const { files } of perBranch) {
    for (const f of files) {
      const key = `${f.blob}\0${f.rel}`;
      if (taskOf.has(key)) continue;
      const row = cached.get(key);
      const namespace = taskFileNamespace(f.rel);
      if (row?.[2] && namespace !== undefined) {
        const task: Task = { data: row[2], namespace, path: f.rel };
        if (row[3]) task.lines = row[3];
        taskOf.set(key, task);
      } else {
        taskOf.set(key, undefined);
        missing.push({ key, rel: f.rel, blob: f.blob });
      }
    }
  }
  const texts = readBlobs(
    root,
    missing.map((m) => m.blob),
  );
  const parsed = await parseTexts(
    missing.map((m) => ({ rel: m.rel, text: texts.get(m.blob) ?? '' })),
  );
  missing.forEach((m, k) => {
    taskOf.set(m.key, parsed.byInput[k]);
  });
  if (localDir && (missing.length > 0 || cached.size !== taskOf.size)) {
    const rows: Row[] = [];
    for (const [key, task] of taskOf)
      if (task) rows.push(toRow(key, key.slice(0, key.indexOf('\0')), { task }));
    try {
      writeIndex(localDir, { v: INDEX_VERSION, rows }, BLOB_INDEX);
    } catch {
      // a cache only
    }
  }
  const versions = new Map<string, { task: Task; branch: string }[]>();
  for (const { branch, files } of perBranch) {
    for (const f of files) {
      const task = taskOf.get(`${f.blob}\0${f.rel}`);
      if (!task) continue;
      const list = versions.get(task.data.id);
      if (list) list.push({ task, branch });
      else versions.set(task.data.id, [{ task, branch }]);
    }
  }
  const tasks: Task[] = [];
  const sources = new Map<string, TaskSources>();
  for (const [id, list] of versions) {
    const chosen =
      list.find((v) => v.branch === head) ??
      [...list].sort((a, b) =>
        (b.task.data.updated ?? '').localeCompare(a.task.data.updated ?? ''),
      )[0]!;
    tasks.push(chosen.task);
    const first = JSON.stringify(list[0]!.task.data);
    sources.set(id, {
      branches: [...new Set(list.map((v) => v.branch))],
      disagree: list.some((v) => JSON.stringify(v.task.data) !== first),
      versions: list.map((v) => ({
        branch: v.branch,
        path: v.task.path,
        status: v.task.data.status,
        ...(v.task.data.updated ? { updated: v.task.data.updated } : {}),
      })),
    });
  }
  tasks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tasks, problems: parsed.problems, sources };
}
