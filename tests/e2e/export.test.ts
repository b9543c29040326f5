/**
 * End-to-end: `baton export` in every format on a small repository, CSV quoting, and the
 * round trips through `baton import taskwarrior|beads` into a fresh repository (those run
 * once the import command is in the tree).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, ROOT, runBaton, taskFile, tempDir } from '../helpers/git-repo.js';

const LOG =
  '\n## Log\n\n- 2026-10-02T10:00:00Z alice start\n- 2026-10-02T11:00:00Z alice note: halfway, see PR\n';

function smallRepo(): string {
  return gitRepo({
    '.tasks/main/a1.md': taskFile(
      {
        id: 'a1',
        title: '\'Parse "quoted", commas\'',
        status: 'done',
        priority: 'critical',
        labels: '[parser, io]',
        created: '2026-10-01T09:00:00Z',
        updated: '2026-10-03T09:00:00Z',
      },
      'Line one\nline two\n',
    ),
    '.tasks/main/b2.md': taskFile(
      {
        id: 'b2',
        title: 'Build the index',
        status: 'in_progress',
        priority: 'high',
        depends_on: '[a1]',
        assignee: 'alice',
        estimate: '4h',
        due: '2026-12-01',
        created: '2026-10-01T09:05:00Z',
      },
      `Body of b2.\n${LOG}`,
    ),
    '.tasks/main/c3.md': taskFile({
      id: 'c3',
      title: 'Ship it',
      status: 'todo',
      priority: 'low',
      depends_on: '[b2]',
      parent: 'a1',
    }),
    '.tasks/main/d4.md': taskFile({ id: 'd4', title: 'Review docs', status: 'review' }),
    '.tasks/main/e5.md': taskFile({ id: 'e5', title: 'Dropped idea', status: 'cancelled' }),
  });
}

function ok(cwd: string, args: string[]): string {
  const r = runBaton(cwd, args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** RFC 4180 parsing, enough to read back what export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('baton export', () => {
  it('json: the task JSON of list --json, with the derived state', () => {
    const repo = smallRepo();
    const tasks = JSON.parse(ok(repo, ['export', '--format', 'json'])) as Record<string, unknown>[];
    const list = JSON.parse(ok(repo, ['list', '--json'])) as Record<string, unknown>[];
    expect(tasks).toEqual(list);
    expect(tasks.map((t) => [t.id, t.state])).toEqual([
      ['a1', 'done'],
      ['b2', 'in_progress'],
      ['c3', 'blocked'],
      ['d4', 'review'],
      ['e5', 'cancelled'],
    ]);
  });

  it('jsonl: one task per line; -o writes a file', () => {
    const repo = smallRepo();
    const lines = ok(repo, ['export', '--format', 'jsonl']).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
      'a1',
      'b2',
      'c3',
      'd4',
      'e5',
    ]);
    const r = runBaton(repo, ['export', '--format', 'jsonl', '-o', 'out.jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(repo, 'out.jsonl'), 'utf8')).toBe(`${lines.join('\n')}\n`);
  });

  it('csv: a header row, RFC 4180 quoting, lists joined with ;', () => {
    const repo = smallRepo();
    const text = ok(repo, ['export', '--format', 'csv']);
    expect(text).toContain('"Parse ""quoted"", commas"');
    const [header, ...rows] = parseCsv(text);
    expect(header?.slice(0, 7)).toEqual([
      'id',
      'title',
      'status',
      'priority',
      'depends_on',
      'assignee',
      'labels',
    ]);
    expect(header).toContain('state');
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(5);
    expect(rows[0]?.[col('title')]).toBe('Parse "quoted", commas');
    expect(rows[0]?.[col('labels')]).toBe('parser;io');
    expect(rows[1]?.[col('depends_on')]).toBe('a1');
    expect(rows[1]?.[col('estimate')]).toBe('4h');
    expect(rows[2]?.[col('state')]).toBe('blocked');
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it('csv quotes newlines inside a field', () => {
    const repo = gitRepo({
      '.tasks/main/n1.md': taskFile({ id: 'n1', title: 'x', note: '"two\\nlines"' }),
    });
    const text = ok(repo, ['export', '--format', 'csv']);
    expect(text).toContain('"two\nlines"');
    const [header, row] = parseCsv(text);
    expect(row?.[header!.indexOf('note')]).toBe('two\nlines');
  });

  it('taskwarrior: an array task import takes, with uuids, statuses and annotations', () => {
    const repo = smallRepo();
    const tasks = JSON.parse(ok(repo, ['export', '--format', 'taskwarrior'])) as Record<
      string,
      unknown
    >[];
    const by = (id: string) => tasks.find((t) => t.baton_id === id)!;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const t of tasks) expect(t.uuid).toMatch(uuid);
    expect(by('a1')).toMatchObject({
      status: 'completed',
      priority: 'H',
      baton_priority: 'critical',
      tags: ['parser', 'io'],
      entry: '20261001T090000Z',
      end: '20261003T090000Z',
    });
    expect(by('b2')).toMatchObject({
      status: 'pending',
      start: '20261002T100000Z',
      depends: [by('a1').uuid],
      due: '20261201T000000Z',
      baton_assignee: 'alice',
      baton_estimate: '4h',
    });
    expect(by('b2').annotations).toContainEqual({
      entry: '20261002T110000Z',
      description: 'alice note: halfway, see PR',
    });
    expect(by('c3')).toMatchObject({ priority: 'L', baton_parent: by('a1').uuid });
    expect(by('d4')).toMatchObject({ status: 'pending', baton_status: 'review' });
    expect(by('e5')).toMatchObject({ status: 'deleted' });
    // stable: the same uuids every time
    const again = JSON.parse(ok(repo, ['export', '--format', 'taskwarrior'])) as typeof tasks;
    expect(again.map((t) => t.uuid)).toEqual(tasks.map((t) => t.uuid));
  });

  it('beads: JSONL issues with the reverse mapping', () => {
    const repo = smallRepo();
    const issues = ok(repo, ['export', '--format', 'beads'])
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const by = (id: string) => issues.find((t) => t.id === id)!;
    expect(by('a1')).toMatchObject({
      status: 'closed',
      priority: 0,
      labels: ['parser', 'io'],
      closed_at: '2026-10-03T09:00:00Z',
      description: 'Line one\nline two',
    });
    expect(by('b2')).toMatchObject({
      status: 'in_progress',
      priority: 1,
      assignee: 'alice',
      estimated_minutes: 240,
      description: 'Body of b2.',
    });
    expect(by('b2').comments).toHaveLength(2);
    expect(by('c3').dependencies).toEqual([
      expect.objectContaining({ issue_id: 'c3', depends_on_id: 'b2', type: 'blocks' }),
      expect.objectContaining({ issue_id: 'c3', depends_on_id: 'a1', type: 'parent-child' }),
    ]);
    expect(by('d4')).toMatchObject({ status: 'in_progress', baton_status: 'review' });
    expect(by('e5')).toMatchObject({ status: 'closed', baton_status: 'cancelled' });
  });

  it('refuses an unknown format', () => {
    const r = runBaton(smallRepo(), ['export', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format takes one of');
  });
});

const HAS_IMPORT = existsSync(join(ROOT, 'src/cli/commands/import.ts'));

describe('export then import', () => {
  for (const [format, file] of [
    ['taskwarrior', 'export.json'],
    ['beads', 'issues.jsonl'],
  ] as const) {
    it.skipIf(!HAS_IMPORT)(`${format}: the same ids, statuses, dependencies and parents`, () => {
      const repo = smallRepo();
      const out = join(tempDir(), file);
      expect(runBaton(repo, ['export', '--format', format, '-o', out]).code).toBe(0);
      const fresh = gitRepo();
      runBaton(fresh, ['init']);
      const r = runBaton(fresh, ['import', format, out]);
      expect(r.code).toBe(0);
      const shape = (cwd: string) =>
        (JSON.parse(ok(cwd, ['list', '--json'])) as Record<string, unknown>[])
          .map((t) => ({
            id: t.id,
            title: t.title,
            status: t.status,
            priority: t.priority,
            depends_on: t.depends_on,
            parent: t.parent,
            labels: t.labels,
            assignee: t.assignee,
          }))
          .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      expect(shape(fresh)).toEqual(shape(repo));
    });
  }
});
