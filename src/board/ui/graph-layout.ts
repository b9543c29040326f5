// A layered layout for the dependency graph: layers from the plan's waves (a longest-path
// layering for nodes the waves leave out), then one barycenter pass down and one up to order
// each layer so fewer edges cross. Pure, so it can be tested without a DOM.

export interface LayoutNode {
  id: string;
  layer: number;
  order: number;
  x: number;
  y: number;
}

export interface Layout {
  nodes: Map<string, LayoutNode>;
  width: number;
  height: number;
}

export const NODE_W = 180;
export const NODE_H = 36;
const GAP_X = 70;
const GAP_Y = 18;

export function layout(
  ids: readonly string[],
  edges: readonly (readonly [string, string])[],
  waves: readonly (readonly string[])[] = [],
): Layout {
  const known = new Set(ids);
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const id of ids) {
    preds.set(id, []);
    succs.set(id, []);
  }
  for (const [from, to] of edges) {
    if (!known.has(from) || !known.has(to) || from === to) continue;
    succs.get(from)!.push(to);
    preds.get(to)!.push(from);
  }
  const layer = new Map<string, number>();
  waves.forEach((wave, i) => {
    for (const id of wave) if (known.has(id) && !layer.has(id)) layer.set(id, i);
  });
  // Longest path from the sources (Kahn's order) for the rest; a node on a cycle keeps 0.
  const indeg = new Map<string, number>();
  for (const id of ids) indeg.set(id, preds.get(id)!.length);
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const depth = new Map<string, number>();
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    const d = depth.get(id) ?? 0;
    for (const s of succs.get(id)!) {
      depth.set(s, Math.max(depth.get(s) ?? 0, d + 1));
      const n = indeg.get(s)! - 1;
      indeg.set(s, n);
      if (n === 0) queue.push(s);
    }
  }
  for (const id of ids) {
    if (layer.has(id)) continue;
    // Below every layered predecessor, so edges point right where they can.
    let l = depth.get(id) ?? 0;
    for (const p of preds.get(id)!) {
      const pl = layer.get(p);
      if (pl !== undefined) l = Math.max(l, pl + 1);
    }
    layer.set(id, l);
  }
  const layers: string[][] = [];
  for (const id of ids) {
    const l = layer.get(id)!;
    while (layers.length <= l) layers.push([]);
    layers[l]!.push(id);
  }
  const compact = layers.filter((l) => l.length > 0);
  const pos = new Map<string, number>();
  for (const l of compact) {
    l.forEach((id, i) => {
      pos.set(id, i);
    });
  }
  const sweep = (list: string[], nbrs: Map<string, string[]>) => {
    const bary = new Map<string, number>();
    for (const id of list) {
      const ns = nbrs.get(id)!;
      bary.set(id, ns.length ? ns.reduce((s, n) => s + pos.get(n)!, 0) / ns.length : pos.get(id)!);
    }
    list.sort((a, b) => bary.get(a)! - bary.get(b)!);
    list.forEach((id, i) => {
      pos.set(id, i);
    });
  };
  for (let i = 1; i < compact.length; i++) sweep(compact[i]!, preds);
  for (let i = compact.length - 2; i >= 0; i--) sweep(compact[i]!, succs);

  const nodes = new Map<string, LayoutNode>();
  let tallest = 0;
  compact.forEach((list, li) => {
    tallest = Math.max(tallest, list.length);
    list.forEach((id, order) => {
      nodes.set(id, {
        id,
        layer: li,
        order,
        x: li * (NODE_W + GAP_X),
        y: order * (NODE_H + GAP_Y),
      });
    });
  });
  return {
    nodes,
    width: Math.max(1, compact.length * (NODE_W + GAP_X) - GAP_X),
    height: Math.max(1, tallest * (NODE_H + GAP_Y) - GAP_Y),
  };
}
