/**
 * The plan as `baton run` sees it: the tasks committed at the target branch's tip, never
 * the working tree, so a task is runnable only once its dependencies are merged there.
 * Parsed tasks are cached by blob: after a claim or a merge only the changed files are
 * read and parsed again.
 */
import { buildGraph, type Graph } from '../core/graph.js';
import { computeReadiness, type Readiness } from '../core/readiness.js';
import type { Snapshot, Task } from '../core/types.js';
import type { Config } from '../schema/config.js';
import { listTaskBlobs, readBlobs } from '../store/git-snapshot.js';
import { parseTexts } from '../store/load.js';

export interface View {
  tip: string;
  snapshot: Snapshot;
  graph: Graph;
  states: Readiness[];
  /** The file text of a task at the tip, by path. */
  text(path: string): string | undefined;
}

interface Parsed {
  task: Task | undefined;
  text: string;
}

export class TipReader {
  private readonly cache = new Map<string, Parsed>();
  constructor(
    private readonly root: string,
    private readonly config: Config,
  ) {}

  async read(tip: string, now: Date): Promise<View> {
    const files = listTaskBlobs(this.root, tip);
    const missing = files.filter((f) => !this.cache.has(f.blob));
    if (missing.length > 0) {
      const texts = readBlobs(
        this.root,
        missing.map((f) => f.blob),
      );
      const input = missing.map((f) => ({ rel: f.rel, text: texts.get(f.blob) ?? '' }));
      const parsed = await parseTexts(input);
      missing.forEach((f, k) => {
        this.cache.set(f.blob, { task: parsed.byInput[k], text: input[k]!.text });
      });
    }
    const tasks: Task[] = [];
    const byPath = new Map<string, string>();
    for (const f of files) {
      const p = this.cache.get(f.blob)!;
      byPath.set(f.rel, p.text);
      // the cached task may come from another path holding the same bytes
      if (p.task) tasks.push(p.task.path === f.rel ? p.task : { ...p.task, path: f.rel });
    }
    if (this.cache.size > 4 * files.length + 1000) this.cache.clear();
    const snapshot: Snapshot = { tasks, fileProblems: [], config: this.config, now };
    const graph = buildGraph(tasks);
    const states = computeReadiness(graph, now);
    return { tip, snapshot, graph, states, text: (path) => byPath.get(path) };
  }
}
