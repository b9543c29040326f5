/**
 * The dependency graph over integer node indices: edges point from a task to the tasks it
 * depends on (`depends_on`).
 *
 * Decisions:
 * - Duplicate ids: the first task with an id (input order; callers pass path order) is the
 *   node; later ones are listed in `duplicates`, left out of the graph, and reported by the
 *   `duplicate-id` check rule. Their `depends_on` is not read.
 * - Edges are stored compressed (`depStart`/`depList`, typed arrays): the dependencies of
 *   node i are `depList[depStart[i] .. depStart[i + 1])`, each existing dependency once, in
 *   `depends_on` order. The core walks these; `deps[i]` and `dependents[i]` are the same
 *   edges as plain arrays, built on first use (100,000 small arrays cost more than the
 *   rest of the graph, and most commands never need them).
 * - A task naming itself is not an edge: `selfDep[i]` records it (and puts i `onCycle`),
 *   so the edges never hold a loop.
 * - `missing[i]`: the dependency ids of node i that name no task, once each, in order.
 * - `onCycle[i]` is 1 when i is in a strongly connected component of size > 1 or depends on
 *   itself. Components come from an iterative Tarjan (no recursion: a 100,000-long chain
 *   must not overflow the stack).
 * - `cycles`: one concrete cycle per component of size > 1, as an id path that starts and
 *   ends at the component's smallest id (plain `<` on strings). It is the shortest cycle
 *   through that id; among equally short ones, the lexicographically smallest id sequence
 *   (a breadth-first search visiting dependencies in id order). Sorted by first id.
 *   Self-dependencies are not listed here (the `self-dependency` rule names them).
 * - `order`: every node, dependencies before dependents (Tarjan's emission order). It is a
 *   topological order of the nodes not on a cycle; the members of one component are
 *   adjacent in it.
 */
import type { Task } from './types.js';

export interface Graph {
  /** Node i's task: the first task with each id, in input order. */
  readonly tasks: readonly Task[];
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Compressed edges: node i's dependencies are `depList[depStart[i]..depStart[i+1])`. */
  readonly depStart: Int32Array;
  readonly depList: Int32Array;
  /** Existing dependencies of each node (node indices), without repeats or self. Lazy. */
  readonly deps: readonly (readonly number[])[];
  /** Reverse edges: the nodes that depend on each node, ascending. Lazy. */
  readonly dependents: readonly (readonly number[])[];
  /** Dependency ids of each node that name no task. */
  readonly missing: readonly (readonly string[])[];
  /** 1 where the task lists its own id in `depends_on`. */
  readonly selfDep: Uint8Array;
  /** 1 where the task is on a cycle (component of size > 1, or a self-dependency). */
  readonly onCycle: Uint8Array;
  /** Strongly connected component of each node. */
  readonly component: Int32Array;
  /** All nodes, dependencies first; see the module comment. */
  readonly order: Int32Array;
  /** One cycle per component of size > 1, e.g. `['a', 'b', 'c', 'a']`. */
  readonly cycles: readonly (readonly string[])[];
  /** Tasks left out because an earlier task has their id, with that earlier node. */
  readonly duplicates: readonly { task: Task; first: number }[];
}

const NONE: readonly never[] = Object.freeze([]);

/** Plain code-unit order of strings (`<`), independent of locale: the tie-break for ids. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The dependencies of every node as arrays. */
function depArrays(depStart: Int32Array, depList: Int32Array): (readonly number[])[] {
  const n = depStart.length - 1;
  const deps: (readonly number[])[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = depStart[i]!;
    const b = depStart[i + 1]!;
    deps[i] = a === b ? NONE : Array.from(depList.subarray(a, b));
  }
  return deps;
}

/** The dependents of every node as arrays, ascending. */
function dependentArrays(depStart: Int32Array, depList: Int32Array): (readonly number[])[] {
  const n = depStart.length - 1;
  const lists: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = depStart[i]!; e < depStart[i + 1]!; e++) {
      const j = depList[e]!;
      const list = lists[j];
      if (list === undefined) lists[j] = [i];
      else list.push(i);
    }
  }
  const out: (readonly number[])[] = new Array(n);
  for (let j = 0; j < n; j++) out[j] = lists[j] ?? NONE;
  return out;
}

export function buildGraph(tasks: readonly Task[]): Graph {
  const nodes: Task[] = [];
  const ids: string[] = [];
  const index = new Map<string, number>();
  const duplicates: { task: Task; first: number }[] = [];
  let edgeBound = 0;
  for (const task of tasks) {
    const id = task.data.id;
    const first = index.get(id);
    if (first === undefined) {
      index.set(id, nodes.length);
      nodes.push(task);
      ids.push(id);
      edgeBound += task.data.depends_on.length;
    } else duplicates.push({ task, first });
  }
  const n = nodes.length;
  const depStart = new Int32Array(n + 1);
  const edges = new Int32Array(edgeBound);
  const missing: (readonly string[])[] = new Array(n);
  const selfDep = new Uint8Array(n);
  const seen = new Int32Array(n).fill(-1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    depStart[i] = m;
    let lost: string[] | undefined;
    for (const dep of nodes[i]!.data.depends_on) {
      const j = index.get(dep);
      if (j === undefined) {
        if (lost === undefined) lost = [dep];
        else if (!lost.includes(dep)) lost.push(dep);
      } else if (j === i) selfDep[i] = 1;
      else if (seen[j] !== i) {
        seen[j] = i;
        edges[m++] = j;
      }
    }
    missing[i] = lost ?? NONE;
  }
  depStart[n] = m;
  const depList = edges.subarray(0, m);

  const { component, order, sizes } = tarjan(depStart, depList);
  const onCycle = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (selfDep[i] === 1 || sizes[component[i]!]! > 1) onCycle[i] = 1;
  const cycles = findCycles(ids, depStart, depList, component, order, sizes);
  let deps: readonly (readonly number[])[] | undefined;
  let dependents: readonly (readonly number[])[] | undefined;
  return {
    tasks: nodes,
    ids,
    index,
    depStart,
    depList,
    get deps() {
      if (deps === undefined) deps = depArrays(depStart, depList);
      return deps;
    },
    get dependents() {
      if (dependents === undefined) dependents = dependentArrays(depStart, depList);
      return dependents;
    },
    missing,
    selfDep,
    onCycle,
    component,
    order,
    cycles,
    duplicates,
  };
}

/** Iterative Tarjan: components in reverse topological order of the condensation. */
function tarjan(
  depStart: Int32Array,
  depList: Int32Array,
): { component: Int32Array; order: Int32Array; sizes: number[] } {
  const n = depStart.length - 1;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const component = new Int32Array(n);
  const order = new Int32Array(n);
  const sizes: number[] = [];
  let sp = 0;
  let counter = 0;
  let emitted = 0;
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    let csp = 0;
    idx[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[csp] = root;
    callEdge[csp++] = depStart[root]!;
    while (csp > 0) {
      const v = callNode[csp - 1]!;
      const e = callEdge[csp - 1]!;
      if (e < depStart[v + 1]!) {
        callEdge[csp - 1] = e + 1;
        const w = depList[e]!;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callEdge[csp++] = depStart[w]!;
        } else if (onStack[w] === 1 && idx[w]! < low[v]!) low[v] = idx[w]!;
        continue;
      }
      csp--;
      if (csp > 0) {
        const u = callNode[csp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] === idx[v]) {
        const c = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          component[w] = c;
          order[emitted++] = w;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
    }
  }
  return { component, order, sizes };
}

/** One shortest cycle through the smallest id of each component of size > 1. */
function findCycles(
  ids: readonly string[],
  depStart: Int32Array,
  depList: Int32Array,
  component: Int32Array,
  order: Int32Array,
  sizes: readonly number[],
): string[][] {
  const cycles: string[][] = [];
  const n = ids.length;
  let parent: Int32Array | undefined;
  let visited: Int32Array | undefined;
  // Members of one component are adjacent in `order`.
  for (let k = 0; k < n; ) {
    const c = component[order[k]!]!;
    const size = sizes[c]!;
    if (size > 1) {
      parent ??= new Int32Array(n);
      visited ??= new Int32Array(n).fill(-1);
      let start = order[k]!;
      for (let m = k + 1; m < k + size; m++) if (ids[order[m]!]! < ids[start]!) start = order[m]!;
      cycles.push(shortestCycle(start, c, ids, depStart, depList, component, parent, visited));
    }
    k += size;
  }
  return cycles.sort((a, b) => compareIds(a[0]!, b[0]!));
}

/** Breadth first from `start` within its component, dependencies in id order. */
function shortestCycle(
  start: number,
  c: number,
  ids: readonly string[],
  depStart: Int32Array,
  depList: Int32Array,
  component: Int32Array,
  parent: Int32Array,
  visited: Int32Array,
): string[] {
  const queue = [start];
  visited[start] = c;
  parent[start] = -1;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    const out = depList.subarray(depStart[u]!, depStart[u + 1]!);
    if (out.includes(start)) {
      const path: string[] = [ids[start]!];
      for (let v = u; v !== -1; v = parent[v]!) path.push(ids[v]!);
      return path.reverse();
    }
    const next = Array.from(out).filter((w) => component[w] === c && visited[w] !== c);
    next.sort((a, b) => compareIds(ids[a]!, ids[b]!));
    for (const w of next) {
      visited[w] = c;
      parent[w] = u;
      queue.push(w);
    }
  }
  throw new Error(`no cycle through ${ids[start]} in its component`);
}
