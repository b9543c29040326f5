/// <reference lib="dom" />
// The dependency graph as layered SVG: critical path highlighted, wheel to zoom, drag to pan,
// click a node to open its task. A large graph starts from the critical path and its
// neighbours.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { layout, NODE_H, NODE_W } from './graph-layout.js';
import { html } from './html.js';
import type { GraphPayload } from './types.js';

const LARGE = 300;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The critical path and everything one edge away from it (or the first nodes if none). */
function focusSet(g: GraphPayload): Set<string> {
  const keep = new Set(g.critical);
  if (keep.size === 0) {
    for (const n of g.nodes.slice(0, LARGE)) keep.add(n.id);
    return keep;
  }
  const core = new Set(g.critical);
  for (const [a, b] of g.edges) {
    if (core.has(a)) keep.add(b);
    if (core.has(b)) keep.add(a);
  }
  return keep;
}

export function GraphView() {
  const [graph, setGraph] = useState<GraphPayload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const [view, setView] = useState<Box | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; box: Box; moved: boolean } | null>(null);

  const load = () => {
    getJson<GraphPayload>('/api/graph')
      .then((g) => {
        setError(null);
        setGraph(g);
      })
      .catch((e: unknown) => setError(String(e instanceof Error ? e.message : e)));
  };
  useEffect(load, []);

  const large = (graph?.nodes.length ?? 0) > LARGE;
  const shown = useMemo(() => {
    if (!graph) return null;
    const keep = large && !all ? focusSet(graph) : null;
    const nodes = keep ? graph.nodes.filter((n) => keep.has(n.id)) : graph.nodes;
    const ids = new Set(nodes.map((n) => n.id));
    const edges = graph.edges.filter(([a, b]) => ids.has(a) && ids.has(b));
    const waves = graph.waves.map((w) => w.filter((id) => ids.has(id)));
    const lay = layout(
      nodes.map((n) => n.id),
      edges,
      waves,
    );
    const crit = new Set(graph.critical);
    const critEdges = new Set<string>();
    for (let i = 1; i < graph.critical.length; i++) {
      critEdges.add(`${graph.critical[i - 1]}\n${graph.critical[i]}`);
    }
    return { nodes, edges, lay, crit, critEdges };
  }, [graph, all, large]);

  useEffect(() => {
    if (shown) setView({ x: -20, y: -20, w: shown.lay.width + 40, h: shown.lay.height + 40 });
  }, [shown]);

  const onWheel = (e: WheelEvent) => {
    if (!view || !svg.current) return;
    e.preventDefault();
    const r = svg.current.getBoundingClientRect();
    const k = Math.exp(e.deltaY * 0.0015);
    // Keep the point under the cursor where it is (viewBox scaled to the box, aspect kept).
    const scale = Math.max(view.w / r.width, view.h / r.height);
    const cx = view.x + (e.clientX - r.left) * scale - (r.width * scale - view.w) / 2;
    const cy = view.y + (e.clientY - r.top) * scale - (r.height * scale - view.h) / 2;
    setView({ x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k, w: view.w * k, h: view.h * k });
  };
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });

  const onDown = (e: PointerEvent) => {
    if (!view) return;
    drag.current = { x: e.clientX, y: e.clientY, box: view, moved: false };
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !svg.current) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) svg.current.setPointerCapture(e.pointerId);
    d.moved = true;
    const r = svg.current.getBoundingClientRect();
    const scale = Math.max(d.box.w / r.width, d.box.h / r.height);
    setView({ ...d.box, x: d.box.x - dx * scale, y: d.box.y - dy * scale });
  };
  const onUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved) return;
    const node = (e.target as Element).closest?.('[data-node]');
    const id = node?.getAttribute('data-node');
    if (id) location.hash = `#/task/${encodeURIComponent(id)}`;
  };

  if (error)
    return html`<div class="graph-view" data-testid="graph-view"><div class="notice error" data-testid="error">${error}</div></div>`;
  if (!graph || !shown || !view)
    return html`<div class="graph-view" data-testid="graph-view"><p class="muted">loading…</p></div>`;
  const { lay, crit, critEdges } = shown;
  return html`<div class="graph-view" data-testid="graph-view">
    <div class="graph-bar">
      <span>${shown.nodes.length} of ${graph.nodes.length} open tasks, ${shown.edges.length} edges</span>
      ${graph.critical.length ? html`<span class="crit-note">critical path: ${graph.critical.length} tasks</span>` : null}
      ${
        large
          ? html`<button data-testid="graph-expand" onClick=${() => setAll(!all)}>
              ${all ? 'critical path only' : 'show all'}
            </button>`
          : null
      }
      <button data-testid="graph-refresh" onClick=${load}>refresh</button>
      <button data-testid="graph-fit" onClick=${() => setView({ x: -20, y: -20, w: lay.width + 40, h: lay.height + 40 })}>fit</button>
    </div>
    <svg
      ref=${svg}
      class="graph"
      data-testid="graph-svg"
      viewBox=${`${view.x} ${view.y} ${view.w} ${view.h}`}
      onPointerDown=${onDown}
      onPointerMove=${onMove}
      onPointerUp=${onUp}
      onPointerCancel=${() => {
        drag.current = null;
      }}
    >
      <g class="edges">
        ${shown.edges.map(([a, b]) => {
          const p = lay.nodes.get(a)!;
          const q = lay.nodes.get(b)!;
          const x1 = p.x + NODE_W;
          const y1 = p.y + NODE_H / 2;
          const x2 = q.x;
          const y2 = q.y + NODE_H / 2;
          const mx = (x1 + x2) / 2;
          return html`<path key=${`${a}>${b}`} class=${critEdges.has(`${a}\n${b}`) ? 'edge critical' : 'edge'}
            d=${`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} />`;
        })}
      </g>
      <g class="nodes">
        ${shown.nodes.map((n) => {
          const p = lay.nodes.get(n.id)!;
          return html`<g key=${n.id} class=${`node st-${n.status}${crit.has(n.id) ? ' critical' : ''}`}
            data-node=${n.id} data-testid=${`node-${n.id}`} transform=${`translate(${p.x},${p.y})`}>
            <title>${n.id}: ${n.title} (${n.status}, ${n.state}${n.hours ? `, ${n.hours} h` : ''})</title>
            <rect width=${NODE_W} height=${NODE_H} rx="5" />
            <text x="8" y="15" class="nid">${n.id}</text>
            <text x="8" y="29" class="ntitle">${clip(n.title, 26)}</text>
          </g>`;
        })}
      </g>
    </svg>
  </div>`;
}
