/**
 * A deterministic synthetic task repository for `npm run bench`: the same (n, seed) gives a
 * byte-identical `.tasks/` tree. Files have the shape `baton new` writes (flat front matter,
 * scalars and flow lists) and ~1.2 KB each, like the files MEASURED.md was measured on. The
 * dependency graph is a random DAG (each task depends on 0-3 earlier tasks, biased to recent
 * ones so long chains exist): the bench measures the normal case, so there are no cycles.
 *
 * Bump GENERATOR_VERSION whenever the output changes: the runner keys its cached repos on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GENERATOR_VERSION = 1;

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
type Weighted<T> = readonly (readonly [T, number])[];

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function weighted<T>(rng: Rng, table: Weighted<T>): T {
  let r = rng();
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return table[table.length - 1]![0];
}

const NAMESPACES: Weighted<string> = [
  ['main', 0.7],
  ['feature-a', 0.12],
  ['feature-b', 0.1],
  ['release-1', 0.08],
];
const STATUSES: Weighted<string> = [
  ['done', 0.4],
  ['cancelled', 0.05],
  ['todo', 0.35],
  ['in_progress', 0.1],
  ['review', 0.05],
  ['blocked', 0.05],
];
const PRIORITIES: Weighted<string> = [
  ['critical', 0.05],
  ['high', 0.2],
  ['medium', 0.5],
  ['low', 0.25],
];
const DEP_COUNTS: Weighted<number> = [
  [0, 0.25],
  [1, 0.4],
  [2, 0.25],
  [3, 0.1],
];
const ASSIGNEES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const LABELS = [
  'backend',
  'frontend',
  'api',
  'db',
  'infra',
  'docs',
  'ui',
  'perf',
  'security',
  'phase1',
  'phase2',
  'phase3',
];
const ESTIMATES = ['30m', '1h', '2h', '4h', '1d', '2d', '3d', '1w'];
const VERBS = ['Implement', 'Design', 'Refactor', 'Test', 'Document', 'Migrate', 'Fix', 'Review'];
const ADJECTIVES = ['order', 'user', 'payment', 'search', 'session', 'billing', 'audit', 'cache'];
const NOUNS = [
  'book snapshot handler',
  'table schema',
  'retry policy',
  'export endpoint',
  'rate limiter',
  'index builder',
  'webhook consumer',
  'settings page',
];
const SENTENCES = [
  'The current implementation reads everything on each request and does not scale.',
  'We agreed in the planning meeting to keep the public interface stable for now.',
  'Measure before and after, and attach the numbers to the pull request.',
  'Edge cases around empty input and very large payloads need explicit tests.',
  'Coordinate with the owners of the downstream services before merging.',
  'The old code path stays behind a flag until the rollout is complete.',
  'Error messages must name the file and the field that was wrong.',
  'Keep the change small enough to review in one sitting.',
];
const CRITERIA = [
  'unit tests cover the happy path and the failure modes',
  'the README documents the new behaviour with an example',
  'no regression in the benchmark at 10k tasks',
  'errors name the offending file and line',
  'the migration is reversible',
  'metrics are exported for the new code path',
  'reviewed by one of the owners',
];
const LOG_KINDS = ['share', 'discover', 'sync'];
const LOG_MESSAGES = [
  'first draft pushed for early feedback',
  'found an edge case in the parser, added a test',
  'rebased on main, all green',
  'waiting on the schema change to land',
  'benchmarks look fine at 10k',
  'split the follow-up work into a separate task',
];

/** 2026-01-01T00:00:00Z; every date is an offset from it, so output ignores the clock and TZ. */
const EPOCH_MS = Date.UTC(2026, 0, 1);
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function isoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function newId(rng: Rng, used: Set<string>): string {
  for (;;) {
    let s = 't-';
    for (let k = 0; k < 6; k++) s += Math.floor(rng() * 36).toString(36);
    if (!used.has(s)) {
      used.add(s);
      return s;
    }
  }
}

/** Indexes of 0-3 earlier tasks, biased to recent ones (cubic), distinct. */
function pickDeps(rng: Rng, i: number): number[] {
  const want = Math.min(weighted(rng, DEP_COUNTS), i);
  const deps: number[] = [];
  for (let tries = 0; deps.length < want && tries < 10; tries++) {
    const back = Math.floor(rng() ** 3 * i);
    const j = i - 1 - back;
    if (!deps.includes(j)) deps.push(j);
  }
  return deps;
}

function body(rng: Rng, status: string, createdMs: number): string {
  const lines: string[] = [];
  for (let k = 0; k < 3; k++) lines.push(`${pick(rng, SENTENCES)} ${pick(rng, SENTENCES)}`);
  lines.push('', '## Acceptance');
  const criteria = 4 + Math.floor(rng() * 2);
  for (let k = 0; k < criteria; k++) {
    const ticked = status === 'done' || (status !== 'todo' && rng() < 0.4);
    lines.push(`- [${ticked ? 'x' : ' '}] ${pick(rng, CRITERIA)}`);
  }
  lines.push('', '## Notes', pick(rng, SENTENCES), '', '## Log');
  const entries = 2 + Math.floor(rng() * 2);
  let at = createdMs;
  for (let k = 0; k < entries; k++) {
    at += Math.floor(rng() * 3 * DAY_MS);
    const who = pick(rng, ASSIGNEES);
    lines.push(`- ${isoTime(at)} ${who} ${pick(rng, LOG_KINDS)}: ${pick(rng, LOG_MESSAGES)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What one task is, before it is written in either style. */
export interface PlannedTask {
  index: number;
  id: string;
  namespace: string;
  status: string;
  priority: string;
  title: string;
  deps: string[];
  assignee: string | undefined;
  labels: string[];
  estimate: string | undefined;
  due: string | undefined;
  created: string;
  updated: string;
  createdMs: number;
}

/**
 * Every task's fields, then its body, one task at a time; `write` renders the front matter.
 * The order of `rng` calls here is the generated corpus's format: changing it changes every
 * file. `write` draws from a generator of its own, so both corpora hold the same tasks.
 */
export function planRepo(
  dir: string,
  n: number,
  seed: number,
  write: (task: PlannedTask) => { text: string; eol: '\n' | '\r\n' },
): void {
  const rng = mulberry32(seed);
  const used = new Set<string>();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(newId(rng, used));

  const tasksDir = join(dir, '.tasks');
  mkdirSync(tasksDir, { recursive: true });
  writeFileSync(join(tasksDir, 'config.yaml'), 'prefix: t\n');
  writeFileSync(join(dir, '.gitignore'), '.tasks/.local/\n');
  for (const [ns] of NAMESPACES) mkdirSync(join(tasksDir, ns), { recursive: true });

  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const namespace = weighted(rng, NAMESPACES);
    const status = weighted(rng, STATUSES);
    const title = `${pick(rng, VERBS)} ${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)} ${i + 1}`;
    const deps = pickDeps(rng, i).map((j) => ids[j]!);
    // Tasks are created in index order, a few minutes apart; updates follow within weeks.
    const createdMs = EPOCH_MS + i * 5 * MINUTE_MS + Math.floor(rng() * 5 * MINUTE_MS);
    const updatedMs = createdMs + Math.floor(rng() * 21 * DAY_MS);
    const priority = weighted(rng, PRIORITIES);
    let assignee: string | undefined;
    if (status === 'in_progress' || status === 'review' || rng() < 0.6) {
      assignee = pick(rng, ASSIGNEES);
    }
    const labelCount = Math.floor(rng() * 4);
    const labels = new Set<string>();
    while (labels.size < labelCount) labels.add(pick(rng, LABELS));
    const estimate = rng() < 0.8 ? pick(rng, ESTIMATES) : undefined;
    const due = rng() < 0.3 ? isoDate(createdMs + Math.floor(rng() * 90) * DAY_MS) : undefined;
    const task: PlannedTask = {
      index: i,
      id,
      namespace,
      status,
      priority,
      title,
      deps,
      assignee,
      labels: [...labels],
      estimate,
      due,
      created: isoTime(createdMs),
      updated: isoTime(updatedMs),
      createdMs,
    };
    const { text, eol } = write(task);
    const b = body(rng, status, createdMs);
    writeFileSync(
      join(tasksDir, namespace, `${id}.md`),
      text + (eol === '\n' ? b : b.replace(/\n/g, eol)),
    );
  }
}

/** The front matter `baton new` writes: flat, scalars and flow lists. */
function batonStyle(t: PlannedTask): { text: string; eol: '\n' } {
  const fm: string[] = [
    `id: ${t.id}`,
    `title: ${t.title}`,
    `status: ${t.status}`,
    `priority: ${t.priority}`,
    `depends_on: [${t.deps.join(', ')}]`,
  ];
  if (t.assignee !== undefined) fm.push(`assignee: ${t.assignee}`);
  if (t.labels.length > 0) fm.push(`labels: [${t.labels.join(', ')}]`);
  if (t.estimate !== undefined) fm.push(`estimate: ${t.estimate}`);
  if (t.due !== undefined) fm.push(`due: ${t.due}`);
  fm.push(`created: ${t.created}`, `updated: ${t.updated}`);
  return { text: `---\n${fm.join('\n')}\n---\n`, eol: '\n' };
}

/** Write `.tasks/config.yaml`, a root `.gitignore` and `n` task files under `dir`. */
export function generateRepo(dir: string, n: number, seed: number): void {
  planRepo(dir, n, seed, batonStyle);
}
