/**
 * Strongly connected components of the part of a graph reachable from some roots: an
 * iterative Tarjan (no recursion: a 100,000-long chain must not overflow the stack) that
 * visits only what the roots reach. Used by the live model to re-derive cycles after an
 * edit without walking the whole graph: every component that an edit can create or break
 * lies within what the edited nodes (and their old components) reach.
 */

export interface Components {
  /** Every node visited, in visiting order. */
  visited: number[];
  /** The components of the visited nodes (each a list of nodes). */
  components: number[][];
}

/**
 * `size` bounds the node numbers; `out(v)` lists v's edges; `alive(v)` says whether v is a
 * node at all (edges to dead nodes are skipped, dead roots are not visited).
 */
export function reachableComponents(
  roots: Iterable<number>,
  size: number,
  out: (v: number) => readonly number[],
  alive: (v: number) => boolean,
): Components {
  const idx = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  const visited: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of roots) {
    if (idx[root] !== -1 || !alive(root)) continue;
    idx[root] = low[root] = counter++;
    visited.push(root);
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(0);
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const edges = out(v);
      const e = callEdge[top]!;
      if (e < edges.length) {
        callEdge[top] = e + 1;
        const w = edges[e]!;
        if (!alive(w)) continue;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          visited.push(w);
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(0);
        } else if (onStack[w] === 1 && idx[w]! < low[v]!) low[v] = idx[w]!;
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const u = callNode[callNode.length - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] === idx[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        components.push(members);
      }
    }
  }
  return { visited, components };
}
