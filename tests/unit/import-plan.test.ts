/** `planImport`: ids kept, prefixed on collision or when invalid, references rewritten. */
import { describe, expect, it } from 'vitest';
import { type ExistingTask, planImport, sanitizeId } from '../../src/import/plan.js';
import type { ImportedTask, ImportSource } from '../../src/import/types.js';

function source(
  tasks: ImportedTask[],
  format: ImportSource['format'] = 'taskmaster',
): ImportSource {
  return { format, tasks, notes: [] };
}

const t = (sourceId: string, more: Partial<ImportedTask> = {}): ImportedTask => ({
  sourceId,
  title: `Task ${sourceId}`,
  status: 'todo',
  ...more,
});

function plan(tasks: ImportedTask[], existing: ExistingTask[] = [], namespace?: string) {
  return planImport({
    source: source(tasks),
    sourcePath: 'tasks.json',
    existing,
    ...(namespace ? { namespace } : {}),
  });
}

describe('planImport', () => {
  it('keeps valid ids and rewrites dependencies and parents', () => {
    const p = plan([
      t('1'),
      t('2', { dependsOn: ['1'] }),
      t('2.1', { parent: '2', dependsOn: ['1', '2'] }),
    ]);
    expect(p.result.id_map).toEqual({ '1': '1', '2': '2', '2.1': '2.1' });
    const sub = p.files.find((f) => f.id === '2.1')!;
    expect(sub.text).toContain('depends_on: ["1", "2"]\n');
    expect(sub.text).toContain('parent: "2"\n');
    expect(sub.path).toBe('.tasks/taskmaster/2.1.md');
    expect(p.result.created).toEqual(['1', '2', '2.1']);
  });

  it('prefixes an id taken in the repo, and every reference follows', () => {
    const existing = [{ id: '1', path: '.tasks/main/1.md', text: '' }];
    const p = plan([t('1'), t('2', { dependsOn: ['1'] }), t('3', { parent: '1' })], existing);
    expect(p.result.id_map).toEqual({ '1': 'tm-1', '2': '2', '3': '3' });
    expect(p.files[1]!.text).toContain('depends_on: [tm-1]\n');
    expect(p.files[2]!.text).toContain('parent: tm-1\n');
    expect(p.result.notes.join('\n')).toContain('id "1" is taken');
  });

  it('prefixes the second of two imported tasks wanting one id, then counts', () => {
    const p = plan([
      t('a:1', { id: 'x' }),
      t('b:1', { id: 'x' }),
      t('c:1', { id: 'tm-x' }),
      t('d:1', { id: 'x', dependsOn: ['b:1'] }),
    ]);
    expect(p.result.id_map).toEqual({
      'a:1': 'x',
      'b:1': 'tm-x',
      'c:1': 'tm-tm-x',
      'd:1': 'tm-x-2',
    });
    expect(p.files[3]!.text).toContain('depends_on: [tm-x]\n');
  });

  it('sanitizes and prefixes ids that are not valid baton ids', () => {
    const p = plan([t('a b/c'), t('..x'), t('-1')]);
    expect(p.result.id_map).toEqual({ 'a b/c': 'tm-a-b-c', '..x': 'tm-x', '-1': 'tm-1' });
    expect(sanitizeId('../../etc')).toBe('etc');
  });

  it('keeps unresolved references as keys, with a note, so check stays clean', () => {
    const p = plan([t('1', { dependsOn: ['9'], parent: '8' })]);
    const text = p.files[0]!.text;
    expect(text).toContain('depends_on: []\n');
    expect(text).toContain('unresolved_depends_on: ["9"]\n');
    expect(text).toContain('unresolved_parent: "8"\n');
    expect(p.result.notes).toHaveLength(2);
  });

  it('renders keys in baton order, extra keys kept, owned names renamed, bad values kept aside', () => {
    const p = plan([
      t('1', {
        priority: 'high',
        labels: ['a', 'a', 'b'],
        assignee: 'alice',
        estimate: '3 days',
        created: '2025-01-02',
        extra: { sprint: 'Q1', parent: 'epic-7' },
        body: 'Body\n\n',
        log: [{ time: '2025-01-03T10:00:00Z', agent: 'bob', verb: 'note', message: 'hi' }],
      }),
    ]);
    expect(p.files[0]!.text).toBe(
      [
        '---',
        'id: "1"',
        'title: Task 1',
        'status: todo',
        'priority: high',
        'depends_on: []',
        'assignee: alice',
        'labels: [a, b]',
        'source_estimate: 3 days',
        'sprint: Q1',
        'taskmaster_parent: epic-7',
        'imported_from: taskmaster:1',
        'created: 2025-01-02',
        '---',
        'Body',
        '',
        '## Log',
        '- 2025-01-03T10:00:00Z bob note: hi',
        '',
      ].join('\n'),
    );
  });

  it('re-import: same source id keeps its id and path; equal text is unchanged, else update', () => {
    const first = plan([t('1'), t('2')], [{ id: '1', path: '.tasks/main/1.md', text: '' }]);
    const files = first.files;
    expect(files.map((f) => f.id)).toEqual(['tm-1', '2']);
    const existing: ExistingTask[] = [
      { id: '1', path: '.tasks/main/1.md', text: '' },
      {
        id: 'tm-1',
        path: '.tasks/taskmaster/tm-1.md',
        text: files[0]!.text,
        importedFrom: 'taskmaster:1',
      },
      { id: '2', path: '.tasks/moved/2.md', text: 'old', importedFrom: 'taskmaster:2' },
    ];
    const again = plan([t('1'), t('2')], existing);
    expect(again.result.id_map).toEqual({ '1': 'tm-1', '2': '2' });
    expect(again.result.unchanged).toEqual(['tm-1']);
    expect(again.result.updated).toEqual(['2']);
    expect(again.files[1]).toMatchObject({
      path: '.tasks/moved/2.md',
      action: 'update',
      before: 'old',
    });
  });

  it('an id taken by a task imported from another source is a collision, not an update', () => {
    const existing = [{ id: '1', path: '.tasks/x/1.md', text: 'x', importedFrom: 'beads:1' }];
    const p = plan([t('1')], existing);
    expect(p.result.id_map).toEqual({ '1': 'tm-1' });
    expect(p.result.created).toEqual(['tm-1']);
  });

  it('--namespace puts every task there; a duplicate source id is skipped with a note', () => {
    const p = plan([t('1', { namespace: 'master' }), t('1')], [], 'work');
    expect(p.files).toHaveLength(1);
    expect(p.files[0]!.path).toBe('.tasks/work/1.md');
    expect(p.result.notes.join('\n')).toContain('appears twice');
  });
});
