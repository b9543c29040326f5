import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBeads } from '../../src/import/beads.js';
import { readTaskwarrior } from '../../src/import/taskwarrior.js';
import type { ImportedTask, ImportSource } from '../../src/import/types.js';

const FIXTURES = resolve(__dirname, '../fixtures/import');

function byId(source: ImportSource, id: string): ImportedTask {
  const task = source.tasks.find((t) => t.sourceId === id);
  if (!task) throw new Error(`no task ${id}`);
  return task;
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-readers-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('readBeads', () => {
  it('finds issues.jsonl from the repo root, the .beads folder or the file', async () => {
    const root = join(FIXTURES, 'beads');
    for (const path of [root, join(root, '.beads'), join(root, '.beads/issues.jsonl')]) {
      const source = await readBeads(path);
      expect(source.format).toBe('beads');
      expect(source.tasks.map((t) => t.sourceId)).toEqual([
        'bd-1',
        'bd-2',
        'bd-3',
        'bd-4',
        'bd-5',
        'bd-6',
        'bd-7',
      ]);
    }
  });

  it('maps statuses, priorities, people, dates and the body', async () => {
    const s = await readBeads(join(FIXTURES, 'beads'));
    expect(s.tasks.map((t) => t.status)).toEqual([
      'todo',
      'done',
      'in_progress',
      'todo',
      'todo',
      'blocked',
      'blocked',
    ]);
    expect(s.tasks.map((t) => t.priority)).toEqual([
      'high',
      'critical',
      'high',
      'medium',
      'low',
      'low',
      'medium',
    ]);
    const login = byId(s, 'bd-3');
    expect(login.title).toBe('Implement login');
    expect(login.assignee).toBe('bob');
    expect(login.labels).toEqual(['auth', 'backend']);
    expect(login.estimate).toBe('4h');
    expect(login.created).toBe('2025-10-01T09:10:00Z');
    expect(login.updated).toBe('2025-10-04T08:30:00.123456789+02:00');
    expect(login.body).toContain('POST /login returns a token.');
    expect(login.body).toContain('## Design\n\nHandler in api/auth.go');
    expect(login.body).toContain('## Acceptance criteria\n\n- valid credentials');
    expect(login.extra).toEqual({ issue_type: 'feature' });
    expect(byId(s, 'bd-6').body).toBe('## Notes\n\nWaiting for the gateway team.\n');
    expect(byId(s, 'bd-1').from).toMatch(/issues\.jsonl:1$/);
  });

  it('keeps the raw number of a lossy priority and the raw status of a lossy one', async () => {
    const s = await readBeads(join(FIXTURES, 'beads'));
    expect(byId(s, 'bd-6').extra).toMatchObject({ beads_priority: 4, external_ref: 'gh-9' });
    expect(byId(s, 'bd-5').extra?.beads_priority).toBeUndefined();
    expect(byId(s, 'bd-7').extra).toMatchObject({ beads_status: 'deferred' });
    expect(s.notes.some((n) => n.includes('bd-7') && n.includes('"deferred"'))).toBe(true);
  });

  it('maps every dependency type', async () => {
    const s = await readBeads(join(FIXTURES, 'beads'));
    expect(byId(s, 'bd-3').dependsOn).toEqual(['bd-2']);
    expect(byId(s, 'bd-3').parent).toBe('bd-1');
    expect(byId(s, 'bd-2').parent).toBe('bd-1');
    expect(byId(s, 'bd-4').dependsOn).toEqual(['bd-3']);
    expect(byId(s, 'bd-4').extra?.related).toEqual(['bd-5']);
    expect(byId(s, 'bd-5').extra?.discovered_from).toEqual(['bd-3']);
    expect(byId(s, 'bd-5').dependsOn).toBeUndefined();
  });

  it('keeps closing facts as keys and comments as log lines', async () => {
    const s = await readBeads(join(FIXTURES, 'beads'));
    const schema = byId(s, 'bd-2');
    expect(schema.extra).toMatchObject({
      closed_at: '2025-10-03T16:00:00Z',
      close_reason: 'Schema merged',
      issue_type: 'task',
    });
    expect(schema.log).toEqual([
      { time: '2025-10-02T11:00:00Z', agent: 'alice', verb: 'note', message: 'Went with RS256.' },
    ]);
  });

  it('reports a bad line with its number and reads the others', async () => {
    const file = tempFile(
      'issues.jsonl',
      '{"id":"x-1","title":"One","status":"open","priority":2}\n{not json\n\n{"id":"x-2","title":"Two","status":"weird","priority":9,"sparkle":true}\n',
    );
    const s = await readBeads(file);
    expect(s.tasks.map((t) => t.sourceId)).toEqual(['x-1', 'x-2']);
    expect(s.notes.some((n) => n.includes('line 2') && n.includes('not JSON'))).toBe(true);
    const two = byId(s, 'x-2');
    expect(two.status).toBe('todo');
    expect(two.priority).toBeUndefined();
    expect(two.extra).toEqual({ beads_status: 'weird', beads_priority: 9, sparkle: true });
    expect(s.notes.some((n) => n.includes('x-2') && n.includes('"weird"'))).toBe(true);
    expect(s.notes.some((n) => n.includes('priority 9'))).toBe(true);
  });

  it('takes back the values baton export carries', async () => {
    const file = tempFile(
      'issues.jsonl',
      '{"id":"r1","title":"Review me","status":"in_progress","priority":1,"baton_status":"review"}\n',
    );
    const s = await readBeads(file);
    expect(s.tasks[0]?.status).toBe('review');
    expect(s.notes).toEqual([]);
  });
});

describe('readTaskwarrior', () => {
  const fixture = join(FIXTURES, 'taskwarrior/export.json');

  it('reads the array from the file or its folder, uuids as source ids', async () => {
    for (const path of [fixture, join(FIXTURES, 'taskwarrior')]) {
      const s = await readTaskwarrior(path);
      expect(s.format).toBe('taskwarrior');
      expect(s.tasks).toHaveLength(9);
    }
    const s = await readTaskwarrior(fixture);
    const milk = byId(s, 'a360fc44-315c-4366-b70c-ea7e7520b749');
    expect(milk.id).toBe('1');
    expect(milk.extra?.uuid).toBe('a360fc44-315c-4366-b70c-ea7e7520b749');
    // completed tasks have id 0: a short uuid prefix
    expect(byId(s, '5d2b8a3e-7c0f-4f5e-9e57-1b7c3a9d2e01').id).toBe('5d2b8a3e');
  });

  it('maps title, statuses and priorities', async () => {
    const s = await readTaskwarrior(fixture);
    expect(s.tasks.map((t) => [t.title, t.status, t.priority])).toEqual([
      ['Buy milk', 'todo', 'high'],
      ['Cook dinner', 'todo', 'medium'],
      ['Write the quarterly report', 'in_progress', 'low'],
      ['Pay rent', 'done', undefined],
      ['Cancel the old gym plan', 'cancelled', undefined],
      ['Renew passport', 'todo', undefined],
      ['Water the plants', 'blocked', undefined],
      ['Water the plants', 'todo', undefined],
      ['Plan the trip', 'todo', undefined],
    ]);
    expect(s.notes.some((n) => n.includes('recurring template'))).toBe(true);
  });

  it('reads depends as an array and as a comma-separated string', async () => {
    const s = await readTaskwarrior(fixture);
    expect(byId(s, '0b9f3c1a-2d4e-4f60-8a71-9c2b3d4e5f60').dependsOn).toEqual([
      'a360fc44-315c-4366-b70c-ea7e7520b749',
      '5d2b8a3e-7c0f-4f5e-9e57-1b7c3a9d2e01',
    ]);
    expect(byId(s, '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a').dependsOn).toEqual([
      'c4d5e6f7-0819-4a2b-8c3d-4e5f60718293',
      'a360fc44-315c-4366-b70c-ea7e7520b749',
    ]);
  });

  it('converts dates, keeps project, urgency and UDAs as keys, tags as labels', async () => {
    const s = await readTaskwarrior(fixture);
    const milk = byId(s, 'a360fc44-315c-4366-b70c-ea7e7520b749');
    expect(milk.labels).toEqual(['shop', 'errand']);
    expect(milk.due).toBe('2026-12-01T12:00:00Z');
    expect(milk.created).toBe('2025-10-01T09:00:00Z');
    expect(milk.updated).toBe('2025-10-02T10:00:00Z');
    expect(milk.extra).toMatchObject({ project: 'Home', urgency: 9.8 });
    expect(milk.log).toEqual([
      { time: '2025-10-02T10:00:00Z', agent: 'taskwarrior', verb: 'note', message: 'the oat kind' },
    ]);
    const dinner = byId(s, '0b9f3c1a-2d4e-4f60-8a71-9c2b3d4e5f60');
    expect(dinner.extra).toMatchObject({ project: 'Home.Kitchen', effort: '2h' });
    expect(byId(s, '5d2b8a3e-7c0f-4f5e-9e57-1b7c3a9d2e01').extra?.end).toBe('2025-10-01T12:00:00Z');
    const report = byId(s, 'c4d5e6f7-0819-4a2b-8c3d-4e5f60718293');
    expect(report.extra?.start).toBe('2025-10-03T08:00:00Z');
  });

  it('turns wait and scheduled into not_before; a recurrence parent is not a parent', async () => {
    const s = await readTaskwarrior(fixture);
    const passport = byId(s, 'f7e6d5c4-b3a2-4190-8f7e-6d5c4b3a2910');
    expect(passport.extra).toMatchObject({
      not_before: '2099-01-01T00:00:00Z',
      scheduled: '2098-12-01T00:00:00Z',
    });
    const instance = byId(s, '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
    expect(instance.parent).toBeUndefined();
    expect(instance.extra).toMatchObject({
      recurrence_parent: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      recur: 'weekly',
      imask: 0,
    });
  });

  it('accepts one object per line and reports a bad line and a missing uuid', async () => {
    const file = tempFile(
      'export.json',
      '{"uuid":"11111111-2222-4333-8444-555555555555","description":"A","status":"pending","priority":"X"}\n{oops\n{"description":"no uuid","status":"pending"}\n',
    );
    const s = await readTaskwarrior(file);
    expect(s.tasks).toHaveLength(1);
    expect(s.tasks[0]?.id).toBe('11111111');
    expect(s.tasks[0]?.extra?.taskwarrior_priority).toBe('X');
    expect(s.notes.some((n) => n.includes('line 2') && n.includes('not JSON'))).toBe(true);
    expect(s.notes.some((n) => n.includes('line 3') && n.includes('without a uuid'))).toBe(true);
    expect(s.notes.some((n) => n.includes('"X" is not H/M/L'))).toBe(true);
  });

  it('takes back the values baton export carries as UDAs', async () => {
    const file = tempFile(
      'export.json',
      JSON.stringify([
        {
          uuid: '11111111-2222-4333-8444-555555555555',
          description: 'A',
          status: 'pending',
          priority: 'H',
          baton_id: 'k3x9',
          baton_status: 'review',
          baton_priority: 'critical',
          baton_assignee: 'alice',
          baton_estimate: '2d',
          baton_parent: '22222222-2222-4333-8444-555555555555',
        },
      ]),
    );
    const [t] = (await readTaskwarrior(file)).tasks;
    expect(t).toMatchObject({
      id: 'k3x9',
      status: 'review',
      priority: 'critical',
      assignee: 'alice',
      estimate: '2d',
      parent: '22222222-2222-4333-8444-555555555555',
    });
  });
});
