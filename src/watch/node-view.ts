/**
 * Readiness of one task from the facts around it, by asking `readiness()` (core/readiness.ts,
 * the one place that decides "ready") about a small graph: node 0 is the task, nodes 1..k
 * its existing dependencies. That is everything `readiness()` reads for a node: its task,
 * its dependencies' tasks (their statuses), the ids that name no task, and whether it is on
 * a cycle. The live model knows these without building the whole graph.
 *
 * The parts that depend only on k are built once per size and shared (never written).
 */
import type { Graph } from '../core/graph.js';
import { type Readiness, readiness } from '../core/readiness.js';
import type { Task } from '../core/types.js';

export interface NodeFacts {
  task: Task;
  /** The tasks of its existing dependencies, once each, in `depends_on` order. */
  deps: readonly Task[];
  /** Its dependency ids that name no task, once each, in order. */
  missing: readonly string[];
  /** It lists its own id in `depends_on`. */
  selfDep: boolean;
  /** It is on a cycle (a self-dependency counts). */
  onCycle: boolean;
}

const NONE: readonly never[] = Object.freeze([]);
const NO_INDEX: ReadonlyMap<string, number> = new Map();

type Shared = 'index' | 'depStart' | 'depList' | 'deps' | 'dependents' | 'missing';
interface Skeleton extends Pick<Graph, Shared | 'component' | 'order' | 'cycles' | 'duplicates'> {
  zeros: Uint8Array;
  /** 1 at node 0 only. */
  flagged: Uint8Array;
}

const skeletons: Skeleton[] = [];

function skeleton(n: number): Skeleton {
  const cached = skeletons[n];
  if (cached) return cached;
  const depStart = new Int32Array(n + 1).fill(n - 1);
  depStart[0] = 0;
  const depList = new Int32Array(n - 1);
  const order = new Int32Array(n);
  const component = new Int32Array(n);
  const deps: (readonly number[])[] = new Array(n).fill(NONE);
  const dependents: (readonly number[])[] = new Array(n).fill(NONE);
  for (let k = 1; k < n; k++) {
    depList[k - 1] = k;
    order[k - 1] = k;
    component[k] = k;
    dependents[k] = [0];
  }
  order[n - 1] = 0;
  deps[0] = Array.from(depList);
  const flagged = new Uint8Array(n);
  flagged[0] = 1;
  const sk: Skeleton = {
    index: NO_INDEX,
    depStart,
    depList,
    deps,
    dependents,
    missing: new Array(n).fill(NONE),
    component,
    order,
    cycles: NONE,
    duplicates: NONE,
    zeros: new Uint8Array(n),
    flagged,
  };
  if (n < 64) skeletons[n] = sk;
  return sk;
}

export function readinessOfNode(facts: NodeFacts, now: Date): Readiness {
  const tasks = [facts.task, ...facts.deps];
  const sk = skeleton(tasks.length);
  // Every property spelled out: an object spread here costs ~10 µs a call.
  const view: Graph = {
    tasks,
    ids: tasks.map((t) => t.data.id),
    index: sk.index,
    depStart: sk.depStart,
    depList: sk.depList,
    deps: sk.deps,
    dependents: sk.dependents,
    missing: facts.missing.length === 0 ? sk.missing : [facts.missing, ...sk.missing.slice(1)],
    selfDep: facts.selfDep ? sk.flagged : sk.zeros,
    onCycle: facts.onCycle ? sk.flagged : sk.zeros,
    component: sk.component,
    order: sk.order,
    cycles: sk.cycles,
    duplicates: sk.duplicates,
  };
  return readiness(view, 0, now);
}
