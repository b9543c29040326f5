/**
 * `baton graph`: the not-done part of the graph (all of it with --all) as Mermaid, Graphviz
 * dot or JSON (`--json` is `--format json`); edges point from a dependency to the task that waits on it. With
 * --critical-path the critical path's tasks and edges are highlighted.
 */
import type { Graph } from '../../core/graph.js';
import { criticalPath } from '../../core/plan.js';
import { isSatisfied } from '../../core/readiness.js';
import { printJson } from '../../report/task-json.js';
import { analyze, stateWord } from '../analysis.js';
import type { Ctx } from '../context.js';

export async function runGraph(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const { snapshot, graph, states } = await analyze(ctx);
  const include = (i: number) => opts.all === true || !isSatisfied(graph.tasks[i]!.data.status);
  const nodes: number[] = [];
  for (let i = 0; i < graph.tasks.length; i++) if (include(i)) nodes.push(i);
  const edges: [number, number][] = [];
  for (const i of nodes) for (const j of graph.deps[i]!) if (include(j)) edges.push([j, i]);
  const critical = opts.criticalPath ? criticalPath(graph, snapshot.config).ids : [];
  const onPath = new Set(critical);
  const pathEdge = new Set<string>();
  for (let k = 1; k < critical.length; k++) pathEdge.add(`${critical[k - 1]}\u0000${critical[k]}`);
  const isPathEdge = ([a, b]: [number, number]) =>
    pathEdge.has(`${graph.ids[a]}\u0000${graph.ids[b]}`);
  const format = opts.json === true ? 'json' : String(opts.format ?? 'mermaid');

  if (format === 'json') {
    ctx.out(
      printJson({
        nodes: nodes.map((i) => ({
          id: graph.ids[i],
          title: graph.tasks[i]!.data.title,
          status: graph.tasks[i]!.data.status,
          state: stateWord(graph.tasks[i]!, states[i]!),
          critical: onPath.has(graph.ids[i]!),
        })),
        edges: edges.map(([a, b]) => ({
          from: graph.ids[a],
          to: graph.ids[b],
          critical: isPathEdge([a, b]),
        })),
        critical_path: critical,
      }),
    );
    return 0;
  }
  ctx.out(
    format === 'dot'
      ? dot(graph, nodes, edges, onPath, isPathEdge)
      : mermaid(graph, nodes, edges, onPath, isPathEdge),
  );
  return 0;
}

const label = (s: string) => s.replace(/["\\]/g, "'").replace(/[<>{}[\]|]/g, ' ');

function mermaid(
  graph: Graph,
  nodes: number[],
  edges: [number, number][],
  onPath: Set<string>,
  isPathEdge: (e: [number, number]) => boolean,
): string {
  const key = (i: number) => `n${i}`;
  const lines = ['flowchart LR'];
  for (const i of nodes)
    lines.push(`  ${key(i)}["${label(graph.ids[i]!)}: ${label(graph.tasks[i]!.data.title)}"]`);
  const highlighted: number[] = [];
  edges.forEach((e, k) => {
    lines.push(`  ${key(e[0])} --> ${key(e[1])}`);
    if (isPathEdge(e)) highlighted.push(k);
  });
  if (onPath.size > 0) {
    lines.push('  classDef critical stroke:#d33,stroke-width:3px;');
    const crit = nodes.filter((i) => onPath.has(graph.ids[i]!)).map(key);
    if (crit.length > 0) lines.push(`  class ${crit.join(',')} critical;`);
    if (highlighted.length > 0)
      lines.push(`  linkStyle ${highlighted.join(',')} stroke:#d33,stroke-width:3px;`);
  }
  return lines.join('\n');
}

function dot(
  graph: Graph,
  nodes: number[],
  edges: [number, number][],
  onPath: Set<string>,
  isPathEdge: (e: [number, number]) => boolean,
): string {
  const esc = (s: string) => s.replace(/["\\]/g, '\\$&');
  const q = (s: string) => `"${esc(s)}"`;
  const lines = ['digraph baton {', '  rankdir=LR;', '  node [shape=box];'];
  for (const i of nodes) {
    const id = graph.ids[i]!;
    // `\n` is Graphviz's line break in a label; the line stays one line of DOT
    const attrs = [`label="${esc(id)}\\n${esc(graph.tasks[i]!.data.title)}"`];
    if (onPath.has(id)) attrs.push('color=red', 'penwidth=2');
    lines.push(`  ${q(id)} [${attrs.join(', ')}];`);
  }
  for (const e of edges) {
    lines.push(
      `  ${q(graph.ids[e[0]]!)} -> ${q(graph.ids[e[1]]!)}${isPathEdge(e) ? ' [color=red, penwidth=2]' : ''};`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}
