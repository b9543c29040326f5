/**
 * End-to-end: `baton import beads|taskwarrior PATH` on the fixtures written from each tool's
 * documented format: every task, status, dependency and parent as the README's tables say;
 * `check` clean; `ready` offers what the tool itself would offer; a second import writes
 * nothing. The notions of ready, computed here from the fixture by each tool's own rule:
 * - beads (`bd ready`): status open, and every `blocks` dependency closed;
 * - Taskwarrior (`+READY`): pending, no pending dependency, not waiting, not scheduled in
 *   the future; an active (started) task is in progress in baton, held by someone, and so
 *   not offered by `ready` (baton's ready queue is what is free to take).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, ROOT, runBaton } from '../helpers/git-repo.js';

const FIXTURES = join(ROOT, 'tests/fixtures/import');

const repo = () => gitRepo({ '.tasks/config.yaml': 'prefix: t\n' });

function tree(dir: string, sub = '.tasks'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, sub))) {
    if (name === '.local') continue;
    const rel = `${sub}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) Object.assign(out, tree(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

interface Result {
  created: string[];
  updated: string[];
  unchanged: string[];
  id_map: Record<string, string>;
}

function importJson(dir: string, ...args: string[]): Result {
  const r = runBaton(dir, ['import', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Result;
}

function readyIds(dir: string): string[] {
  const r = runBaton(dir, ['ready', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { id: string }[]).map((t) => t.id).sort();
}

function listed(
  dir: string,
): Map<string, { status: string; depends_on: string[]; parent?: string }> {
  const r = runBaton(dir, ['list', '--json']);
  return new Map(
    (
      JSON.parse(r.stdout) as {
        id: string;
        status: string;
        depends_on: string[];
        parent?: string;
      }[]
    ).map((t) => [t.id, t]),
  );
}

function checkClean(dir: string): void {
  const r = runBaton(dir, ['check']);
  expect(r.stdout + r.stderr).toContain('no problems found');
  expect(r.code).toBe(0);
}

describe('import beads', () => {
  const path = join(FIXTURES, 'beads');
  const issues = readFileSync(join(path, '.beads/issues.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .flatMap((l) => {
      try {
        return [
          JSON.parse(l) as {
            id: string;
            status: string;
            dependencies?: { depends_on_id: string; type: string }[];
          },
        ];
      } catch {
        return [];
      }
    });

  it('maps every issue, status, dependency and parent; check is clean; ready is bd ready', () => {
    const dir = repo();
    const r = importJson(dir, 'beads', path);
    expect(r.created.sort()).toEqual(issues.map((i) => r.id_map[i.id]).sort());
    checkClean(dir);
    const tasks = listed(dir);
    const status: Record<string, string> = {
      open: 'todo',
      in_progress: 'in_progress',
      blocked: 'blocked',
      closed: 'done',
      deferred: 'blocked',
    };
    for (const i of issues) {
      const t = tasks.get(r.id_map[i.id]!)!;
      if (status[i.status]) expect(t.status).toBe(status[i.status]);
      const blocks = (i.dependencies ?? [])
        .filter((d) => d.type === 'blocks')
        .map((d) => r.id_map[d.depends_on_id]);
      expect(t.depends_on.sort()).toEqual(blocks.sort());
      const parent = (i.dependencies ?? []).find((d) => d.type === 'parent-child');
      if (parent) expect(t.parent).toBe(r.id_map[parent.depends_on_id]);
    }
    const byId = new Map(issues.map((i) => [i.id, i]));
    const bdReady = issues
      .filter(
        (i) =>
          i.status === 'open' &&
          (i.dependencies ?? [])
            .filter((d) => d.type === 'blocks')
            .every((d) => byId.get(d.depends_on_id)?.status === 'closed'),
      )
      .map((i) => r.id_map[i.id]!)
      .sort();
    expect(readyIds(dir)).toEqual(bdReady);
  });

  it('a second import writes nothing', () => {
    const dir = repo();
    importJson(dir, 'beads', path);
    const before = tree(dir);
    const again = importJson(dir, 'beads', path);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(tree(dir)).toEqual(before);
  });
});

describe('import taskwarrior', () => {
  const path = join(FIXTURES, 'taskwarrior/export.json');
  interface Tw {
    uuid: string;
    status: string;
    depends?: string[] | string;
    wait?: string;
    scheduled?: string;
    start?: string;
    parent?: string;
  }
  const tasks = JSON.parse(readFileSync(path, 'utf8')) as Tw[];
  const deps = (t: Tw) =>
    Array.isArray(t.depends) ? t.depends : t.depends ? t.depends.split(',') : [];
  const future = (d?: string) =>
    d !== undefined &&
    Date.parse(d.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) >
      Date.now();

  it('maps every task, status and dependency; check is clean; ready is +READY (not started)', () => {
    const dir = repo();
    const r = importJson(dir, 'taskwarrior', path);
    expect(r.created.sort()).toEqual(tasks.map((t) => r.id_map[t.uuid]).sort());
    checkClean(dir);
    const listedTasks = listed(dir);
    for (const t of tasks) {
      const b = listedTasks.get(r.id_map[t.uuid]!)!;
      expect(b.depends_on.sort()).toEqual(
        deps(t)
          .map((u) => r.id_map[u])
          .sort(),
      );
    }
    const byUuid = new Map(tasks.map((t) => [t.uuid, t]));
    const twReady = tasks
      .filter(
        (t) =>
          t.status === 'pending' &&
          !t.start &&
          !future(t.wait) &&
          !future(t.scheduled) &&
          deps(t).every(
            (u) => byUuid.get(u)?.status !== 'pending' && byUuid.get(u)?.status !== 'waiting',
          ),
      )
      .map((t) => r.id_map[t.uuid]!)
      .sort();
    expect(readyIds(dir)).toEqual(twReady);
  });

  it('a second import writes nothing', () => {
    const dir = repo();
    importJson(dir, 'taskwarrior', path);
    const before = tree(dir);
    const again = importJson(dir, 'taskwarrior', path);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(tree(dir)).toEqual(before);
  });
});
