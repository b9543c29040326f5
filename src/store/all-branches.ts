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
import { parseTexts } from './load.js';

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

export async function loadAllBranches(root: string): Promise<AllBranches> {
  const branches = listBranches(root);
  const head = currentBranch(root);
  const perBranch = branches.map((branch) => ({ branch, files: listTaskBlobs(root, branch) }));
  const texts = readBlobs(
    root,
    perBranch.flatMap((b) => b.files.map((f) => f.blob)),
  );
  // Parse each distinct (path, blob) once.
  const uniqueIndex = new Map<string, number>();
  const inputs: { rel: string; text: string }[] = [];
  for (const { files } of perBranch) {
    for (const f of files) {
      const key = `${f.blob}\0${f.rel}`;
      if (uniqueIndex.has(key)) continue;
      uniqueIndex.set(key, inputs.length);
      inputs.push({ rel: f.rel, text: texts.get(f.blob) ?? '' });
    }
  }
  const parsed = await parseTexts(inputs);
  const versions = new Map<string, { task: Task; branch: string }[]>();
  for (const { branch, files } of perBranch) {
    for (const f of files) {
      const task = parsed.byInput[uniqueIndex.get(`${f.blob}\0${f.rel}`)!];
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
