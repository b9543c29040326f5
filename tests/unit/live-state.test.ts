/**
 * The live model of `baton watch`: after any sequence of edits it agrees with a full
 * recompute (`buildGraph` + `computeReadiness` over the same files), its events are exactly
 * the difference, and its size follows the files, not the history.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { computeReadiness } from '../../src/core/readiness.js';
import type { Problem, Task } from '../../src/core/types.js';
import type { TaskData } from '../../src/schema/task.js';
import type { WatchEvent } from '../../src/watch/events.js';
import {
  comparePaths,
  type FileChange,
  type FileEntry,
  LiveState,
} from '../../src/watch/live-state.js';
import { makeTask } from '../property/reference.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'A', 'a1', 'b.2'];
const MISSING = ['x', 'zz'];
const NAMESPACES = ['main', 'a', 'a-b', 'feat'];
const STATUSES = [
  'todo',
  'todo',
  'done',
  'cancelled',
  'in_progress',
  'review',
  'blocked',
  'failed',
];
const DATES = ['2026-06-01', '2026-06-15T11:00:00Z', '2026-06-15T13:00:00Z', '2027-01-01'];

function task(ns: string, file: string, data: Partial<TaskData> & { id: string }): Task {
  return makeTask(data, { namespace: ns, path: `.tasks/${ns}/${file}.md` });
}

const bad = (path: string, message = 'status: invalid value'): FileEntry => ({
  problems: [{ rule: 'schema', severity: 'error', path, line: 3, message }],
});

/** The "file system": path -> entry. */
type Files = Map<string, FileEntry>;

type Edit =
  | { kind: 'status'; at: number; status: string }
  | { kind: 'add-dep'; at: number; dep: string }
  | { kind: 'rm-dep'; at: number; k: number }
  | { kind: 'delete'; at: number }
  | { kind: 'create'; ns: string; file: string; id: string; status: string; deps: string[] }
  | { kind: 'bad'; at: number; message: string }
  | { kind: 'change-id'; at: number; id: string }
  | { kind: 'time'; at: number; field: 'not_before' | 'lease'; date: string };

const idArb = fc.constantFrom(...IDS);
const depArb = fc.constantFrom(...IDS, ...MISSING);
const at = fc.nat(50);
const createArb = fc.record({
  kind: fc.constant('create' as const),
  ns: fc.constantFrom(...NAMESPACES),
  file: fc.constantFrom(...IDS, 'dup'),
  id: idArb,
  status: fc.constantFrom(...STATUSES),
  deps: fc.array(depArb, { maxLength: 3 }),
});
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      at,
      status: fc.constantFrom(...STATUSES),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add-dep' as const), at, dep: depArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rm-dep' as const), at, k: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
  { weight: 2, arbitrary: createArb },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      at,
      message: fc.constantFrom('one', 'two'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change-id' as const), at, id: idArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('time' as const),
      at,
      field: fc.constantFrom('not_before' as const, 'lease' as const),
      date: fc.constantFrom(...DATES),
    }),
  },
);

function create(e: Extract<Edit, { kind: 'create' }>): FileChange {
  const t = task(e.ns, e.file, {
    id: e.id,
    status: e.status as TaskData['status'],
    depends_on: e.deps,
  });
  return { path: t.path, file: { task: t, problems: [] } };
}

/** Apply one edit to `files`; the change it makes, or none when it does not apply. */
function edit(files: Files, e: Edit): FileChange | undefined {
  if (e.kind === 'create') return create(e);
  const paths = [...files.keys()].sort(comparePaths);
  if (paths.length === 0) return undefined;
  const path = paths[e.at % paths.length]!;
  const entry = files.get(path)!;
  if (e.kind === 'delete') return { path };
  if (e.kind === 'bad') return { path, file: bad(path, e.message) };
  const [, ns, name] = path.split('/') as [string, string, string];
  const base: Partial<TaskData> & { id: string } = entry.task?.data ?? { id: name.slice(0, -3) };
  const data: Partial<TaskData> & { id: string } = { ...base };
  switch (e.kind) {
    case 'status':
      data.status = e.status as TaskData['status'];
      break;
    case 'add-dep':
      data.depends_on = [...(base.depends_on ?? []), e.dep];
      break;
    case 'rm-dep':
      data.depends_on = (base.depends_on ?? []).filter((_, k) => k !== e.k);
      break;
    case 'change-id':
      data.id = e.id;
      break;
    case 'time':
      if (e.field === 'lease') {
        data.status = 'in_progress';
        data.lease = { agent: 'amy', until: e.date };
      } else data.not_before = e.date;
      break;
  }
  const t = task(ns, name.slice(0, -3), data);
  return { path, file: { task: t, problems: [] } };
}

function snapshotOf(files: Files): { tasks: Task[]; fileProblems: Problem[] } {
  const paths = [...files.keys()].sort(comparePaths);
  const tasks = paths.flatMap((p) => (files.get(p)!.task ? [files.get(p)!.task!] : []));
  const fileProblems = paths.flatMap((p) => [...files.get(p)!.problems]);
  return { tasks, fileProblems };
}

function reference(files: Files) {
  const snap = snapshotOf(files);
  const graph = buildGraph(snap.tasks);
  const states = computeReadiness(graph, NOW);
  const ready = graph.ids.filter((_, i) => states[i]!.state === 'ready').sort();
  return { snap, graph, states, ready };
}

/** Ids of the slots the model must hold: declared ids and the owners' dependencies. */
function namedIds(files: Files): Set<string> {
  const { graph } = reference(files);
  const out = new Set<string>();
  for (const f of files.values()) if (f.task) out.add(f.task.data.id);
  for (const t of graph.tasks) for (const d of t.data.depends_on) out.add(d);
  return out;
}

const key = (c: readonly string[]) => c.join(' -> ');
const ofType = <T extends WatchEvent['type']>(events: WatchEvent[], type: T) =>
  events.filter((e): e is Extract<WatchEvent, { type: T }> => e.type === type);

function checkAgainstReference(
  model: LiveState,
  files: Files,
  before: ReturnType<typeof reference>,
  events: WatchEvent[],
): ReturnType<typeof reference> {
  const after = reference(files);
  after.graph.ids.forEach((id, i) => {
    expect(model.readinessOf(id), `readiness of ${id}`).toEqual(after.states[i]);
  });
  expect(model.readyIds()).toEqual(after.ready);
  expect(model.cycles()).toEqual(after.graph.cycles);
  expect(model.changesFrom(after.snap)).toEqual([]);
  expect(model.slotCount).toBe(namedIds(files).size);

  const gained = after.ready.filter((id) => !before.ready.includes(id));
  const lost = before.ready.filter((id) => !after.ready.includes(id));
  expect(
    ofType(events, 'ready')
      .map((e) => e.id)
      .sort(),
  ).toEqual(gained);
  expect(
    ofType(events, 'unready')
      .map((e) => e.id)
      .sort(),
  ).toEqual(lost);
  const oldCycles = new Set(before.graph.cycles.map(key));
  const newCycles = new Set(after.graph.cycles.map(key));
  expect(
    ofType(events, 'cycle')
      .map((e) => key(e.cycle))
      .sort(),
  ).toEqual([...newCycles].filter((c) => !oldCycles.has(c)).sort());
  expect(
    ofType(events, 'cycle-resolved')
      .map((e) => key(e.cycle))
      .sort(),
  ).toEqual([...oldCycles].filter((c) => !newCycles.has(c)).sort());
  // status: exactly the ids whose owning task's status differs.
  const statusOf = (r: ReturnType<typeof reference>) =>
    new Map(r.graph.tasks.map((t) => [t.data.id, t.data.status as string]));
  const was = statusOf(before);
  const moved = [...statusOf(after)]
    .filter(([id, st]) => was.has(id) && was.get(id) !== st)
    .map(([id, st]) => `${id} ${was.get(id)} -> ${st}`);
  expect(
    ofType(events, 'status')
      .map((e) => `${e.id} ${e.from} -> ${e.to}`)
      .sort(),
  ).toEqual(moved.sort());
  // A file that stopped parsing is invalid, never removed.
  for (const e of ofType(events, 'invalid')) expect(files.get(e.path)?.task).toBeUndefined();
  for (const e of ofType(events, 'removed')) {
    if (e.id !== undefined) expect(files.get(e.path)?.problems ?? []).toEqual([]);
  }
  return after;
}

describe('LiveState against a full recompute', () => {
  it('agrees after random edit sequences, and reports exactly the difference', () => {
    fc.assert(
      fc.property(
        fc.array(createArb, { minLength: 0, maxLength: 10 }),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 25,
        }),
        (initial, batches) => {
          const files: Files = new Map();
          const model = new LiveState({ agent: 'me' });
          const first = initial.map(create);
          for (const c of first) files.set(c.path, c.file!);
          expect(model.apply(first, NOW, { quiet: true })).toEqual([]);
          let before = checkAgainstReference(model, files, reference(files), []);
          for (const batch of batches) {
            const changes: FileChange[] = [];
            const badBefore = new Set(
              [...files].filter(([, f]) => f.problems.length > 0).map(([p]) => p),
            );
            const hadTask = new Set([...files].filter(([, f]) => f.task).map(([p]) => p));
            for (const e of batch) {
              const c = edit(files, e);
              if (!c) continue;
              changes.push(c);
              if (c.file) files.set(c.path, c.file);
              else files.delete(c.path);
            }
            const events = model.apply(changes, NOW);
            before = checkAgainstReference(model, files, before, events);
            // bad-file: each names a file that is bad now; every newly bad file is named.
            const badNow = [...files].filter(([, f]) => f.problems.length > 0).map(([p]) => p);
            const named = new Set(ofType(events, 'bad-file').map((e) => e.path));
            for (const p of named) expect(badNow).toContain(p);
            for (const p of badNow) if (!badBefore.has(p)) expect(named.has(p)).toBe(true);
            for (const e of ofType(events, 'file-fixed'))
              expect(files.get(e.path)?.task).toBeDefined();
            // invalid: exactly the files that held a task and now hold errors instead.
            const stopped = badNow.filter((p) => hadTask.has(p) && !files.get(p)!.task);
            expect(
              ofType(events, 'invalid')
                .map((e) => e.path)
                .sort(),
            ).toEqual(stopped.sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('re-decides on tick when a lease runs out or not_before comes', () => {
    const model = new LiveState({ agent: 'me' });
    const a = task('main', 'a', {
      id: 'a',
      status: 'in_progress',
      lease: { agent: 'amy', until: '2026-06-15T12:00:10Z' },
    });
    const b = task('main', 'b', { id: 'b', not_before: '2026-06-15T12:00:20Z' });
    model.apply(
      [a, b].map((t) => ({ path: t.path, file: { task: t, problems: [] } })),
      NOW,
      { quiet: true },
    );
    expect(model.readyIds()).toEqual([]);
    expect(model.nextDeadline()).toBe(Date.parse('2026-06-15T12:00:10Z') + 1);
    expect(model.tick(new Date('2026-06-15T12:00:05Z'))).toEqual([]);
    const first = model.tick(new Date('2026-06-15T12:00:11Z'));
    expect(first.map((e) => e.type)).toEqual(['lease-expired', 'ready']);
    expect(first[1]).toMatchObject({ type: 'ready', id: 'a', leaseExpired: true });
    expect(model.nextDeadline()).toBe(Date.parse('2026-06-15T12:00:20Z'));
    expect(model.tick(new Date('2026-06-15T12:00:21Z'))).toMatchObject([
      { type: 'ready', id: 'b' },
    ]);
    expect(model.nextDeadline()).toBeUndefined();
  });
});

describe('LiveState news', () => {
  const T = '2026-06-15T11:00:00Z';
  const entry = (t: Task, log: string[]): FileChange => ({
    path: t.path,
    file: { task: t, problems: [], log },
  });

  it('reports hand-offs to the agent, discoveries and claims from the log and fields', () => {
    const model = new LiveState({ agent: 'bob' });
    const a = task('main', 'a', { id: 'a', assignee: 'alice' });
    const c = task('main', 'c', { id: 'c' });
    model.apply([entry(a, []), entry(c, [`${T} carol share: hello`])], NOW, { quiet: true });

    const handed = task('main', 'a', { id: 'a', assignee: 'bob' });
    const events = model.apply(
      [entry(handed, [`${T} alice handoff -> bob: schema ready [artifacts: db.sql]`])],
      NOW,
    );
    expect(events).toEqual([
      {
        type: 'handoff',
        id: 'a',
        path: '.tasks/main/a.md',
        title: 'Task a',
        from: 'alice',
        previous: 'alice',
        note: 'schema ready',
        artifacts: ['db.sql'],
        ready: true,
      },
    ]);

    const found = model.apply(
      [entry(c, [`${T} carol share: hello`, `${T} dave discover: the feed drops ticks`])],
      NOW,
    );
    expect(found).toEqual([
      {
        type: 'discovery',
        id: 'c',
        path: '.tasks/main/c.md',
        title: 'Task c',
        agent: 'dave',
        at: T,
        message: 'the feed drops ticks',
      },
    ]);

    const claimed = task('main', 'c', {
      id: 'c',
      status: 'in_progress',
      assignee: 'erin',
      lease: { agent: 'erin', until: '2026-06-15T14:00:00Z' },
    });
    expect(model.apply([entry(claimed, [])], NOW)).toMatchObject([
      { type: 'claimed', id: 'c', by: 'erin' },
      { type: 'status', id: 'c', from: 'todo', to: 'in_progress', by: 'erin' },
      { type: 'unready', id: 'c', state: 'active' },
    ]);

    const taken = task('main', 'a', { id: 'a', assignee: 'erin', status: 'in_progress' });
    expect(model.apply([entry(taken, [])], NOW)).toMatchObject([
      { type: 'claimed', id: 'a', by: 'erin', previous: 'bob', wasYours: true },
      { type: 'status', id: 'a', by: 'erin' },
      { type: 'unready', id: 'a' },
    ]);
  });

  it('reports bad files, fixed files and removals', () => {
    const model = new LiveState({ agent: 'me' });
    const a = task('main', 'a', { id: 'a' });
    const b = task('main', 'b', { id: 'b', depends_on: ['a'] });
    model.apply([entry(a, []), entry(b, [])], NOW, { quiet: true });
    // A file that stops parsing is invalid, not removed: its task is out of the graph until
    // the file is fixed, and its unready event says why.
    expect(model.apply([{ path: a.path, file: bad(a.path) }], NOW)).toEqual([
      { type: 'bad-file', path: a.path, rule: 'schema', line: 3, message: 'status: invalid value' },
      {
        type: 'invalid',
        id: 'a',
        path: a.path,
        title: 'Task a',
        rule: 'schema',
        line: 3,
        message: 'status: invalid value',
      },
      { type: 'unready', id: 'a', path: a.path, title: 'Task a', state: 'invalid' },
    ]);
    expect(model.badFileCount()).toBe(1);
    // Another error on the still-invalid file is a bad-file, not a second invalid.
    expect(model.apply([{ path: a.path, file: bad(a.path, 'title: required') }], NOW)).toEqual([
      { type: 'bad-file', path: a.path, rule: 'schema', line: 3, message: 'title: required' },
    ]);
    expect(model.apply([entry(a, [])], NOW)).toEqual([
      { type: 'file-fixed', path: a.path, id: 'a' },
      { type: 'ready', id: 'a', path: a.path, title: 'Task a', priority: 'medium' },
    ]);
    expect(model.apply([{ path: b.path }], NOW)).toEqual([
      { type: 'removed', id: 'b', path: b.path, title: 'Task b' },
    ]);
    // A new file that never parsed is a bad file; deleting it removes the path.
    const c = '.tasks/main/c.md';
    expect(model.apply([{ path: c, file: bad(c) }], NOW)).toMatchObject([{ type: 'bad-file' }]);
    expect(model.apply([{ path: c }], NOW)).toEqual([{ type: 'removed', path: c }]);
  });

  it('reports status changes, with who made them', () => {
    const model = new LiveState({ agent: 'me' });
    const a = task('main', 'a', { id: 'a' });
    const b = task('main', 'b', { id: 'b', depends_on: ['a'] });
    model.apply([entry(a, [`${T} amy note: hi`]), entry(b, [])], NOW, { quiet: true });
    const ref = { id: 'a', path: a.path, title: 'Task a' };

    // `baton start` by alice: the agent of the log line the change appended.
    const started = task('main', 'a', { id: 'a', status: 'in_progress' });
    expect(model.apply([entry(started, [`${T} amy note: hi`, `${T} alice start`])], NOW)).toEqual([
      { type: 'status', ...ref, from: 'todo', to: 'in_progress', by: 'alice' },
      { type: 'unready', ...ref, state: 'active' },
    ]);
    // No new log line: the assignee (or the lease's agent) made it.
    const review = task('main', 'a', { id: 'a', status: 'review', assignee: 'bob' });
    expect(
      model.apply([entry(review, [`${T} amy note: hi`, `${T} alice start`])], NOW),
    ).toMatchObject([
      { type: 'claimed', id: 'a', by: 'bob' },
      { type: 'status', ...ref, from: 'in_progress', to: 'review', by: 'bob' },
    ]);
    // Nobody to name (no new log line, nobody holds it now): no `by`.
    const done = task('main', 'a', { id: 'a', status: 'done' });
    const events = model.apply([{ path: a.path, file: { task: done, problems: [] } }], NOW);
    expect(events).toEqual([
      { type: 'released', ...ref, previous: 'bob' },
      { type: 'status', ...ref, from: 'review', to: 'done' },
      { type: 'ready', id: 'b', path: b.path, title: 'Task b', priority: 'medium' },
    ]);
    // Other edits are not status changes.
    const retitled = task('main', 'a', { id: 'a', status: 'done', title: 'Renamed' });
    expect(model.apply([entry(retitled, [])], NOW)).toEqual([]);
  });

  it("reports claims, the acting agent's own included, and releases", () => {
    const model = new LiveState({ agent: 'me' });
    const a = task('main', 'a', { id: 'a' });
    model.apply([entry(a, [])], NOW, { quiet: true });
    const ref = { id: 'a', path: a.path, title: 'Task a' };
    const lease = { agent: 'me', until: '2026-06-15T14:00:00Z' };
    const mine = task('main', 'a', { id: 'a', status: 'in_progress', assignee: 'me', lease });
    expect(model.apply([entry(mine, [`${T} me claim: lease until x`])], NOW)).toEqual([
      { type: 'claimed', ...ref, by: 'me' },
      { type: 'status', ...ref, from: 'todo', to: 'in_progress', by: 'me' },
      { type: 'unready', ...ref, state: 'active' },
    ]);
    const released = task('main', 'a', { id: 'a' });
    expect(
      model.apply([entry(released, [`${T} me claim: lease until x`, `${T} me release`])], NOW),
    ).toEqual([
      { type: 'released', ...ref, previous: 'me', by: 'me' },
      { type: 'status', ...ref, from: 'in_progress', to: 'todo', by: 'me' },
      { type: 'ready', ...ref, priority: 'medium' },
    ]);
  });

  it('reports a new cycle with its id path, and its resolution', () => {
    const model = new LiveState({ agent: 'me' });
    const a = task('main', 'a', { id: 'a', depends_on: ['b'] });
    const b = task('main', 'b', { id: 'b' });
    model.apply([entry(a, []), entry(b, [])], NOW, { quiet: true });
    const loop = task('main', 'b', { id: 'b', depends_on: ['a'] });
    expect(model.apply([entry(loop, [])], NOW)).toEqual([
      { type: 'cycle', cycle: ['a', 'b', 'a'] },
      {
        type: 'unready',
        id: 'b',
        path: b.path,
        title: 'Task b',
        state: 'blocked',
        waitingOn: ['a'],
        cycle: true,
      },
    ]);
    expect(model.apply([entry(b, [])], NOW)).toMatchObject([
      { type: 'cycle-resolved', cycle: ['a', 'b', 'a'] },
      { type: 'ready', id: 'b' },
    ]);
  });
});

describe('LiveState memory', () => {
  it('stays flat over 1,000 edits', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const n = 2000;
    const model = new LiveState({ agent: 'me' });
    const make = (i: number, status: string, extra: string[] = []) =>
      task('main', `t${i}`, {
        id: `t${i}`,
        status: status as TaskData['status'],
        depends_on: [...(i > 0 ? [`t${i - 1}`] : []), ...extra],
      });
    const log = (k: number) =>
      Array.from({ length: 3 }, (_, j) => `${NOW.toISOString()} amy share: ${k}-${j}`);
    const all: FileChange[] = [];
    for (let i = 0; i < n; i++) {
      all.push({
        path: `.tasks/main/t${i}.md`,
        file: { task: make(i, 'todo'), problems: [], log: log(0) },
      });
    }
    model.apply(all, NOW, { quiet: true });
    const editOnce = (k: number) => {
      const i = (k * 7919) % n;
      const status = k % 2 === 0 ? 'done' : 'todo';
      // Every third edit also adds a dependency on a fresh missing id (slots must recycle).
      const extra = k % 3 === 0 ? [`missing-${k}`] : [];
      const t = make(i, status, extra);
      model.apply([{ path: t.path, file: { task: t, problems: [], log: log(k) } }], NOW);
    };
    for (let k = 0; k < 10; k++) editOnce(k);
    gc();
    const start = process.memoryUsage().heapUsed;
    for (let k = 10; k < 1010; k++) editOnce(k);
    gc();
    const end = process.memoryUsage().heapUsed;
    expect(model.slotCount).toBeLessThanOrEqual(n + 1000);
    expect((end - start) / 1024 / 1024).toBeLessThan(4);
  });
});
