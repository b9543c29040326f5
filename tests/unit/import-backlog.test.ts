/**
 * The Backlog.md reader reads the fixture as Backlog.md does. Backlog.md parses front matter
 * with gray-matter (js-yaml, YAML 1.1: unquoted dates become Date objects) after quoting
 * `@` assignees, then normalizes dates; baton reads with its own core-schema reader. Here
 * the fixture is also read the YAML 1.1 way, and the fields Backlog.md uses agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  backlogBody,
  normalizeDate,
  parseBacklogFile,
  preprocessFrontMatter,
  readBacklog,
} from '../../src/import/backlog.js';
import { ROOT } from '../helpers/git-repo.js';

const DIR = join(ROOT, 'tests/fixtures/import/backlog/backlog');

/** Backlog.md's normalizeDate for a Date (gray-matter's YAML 1.1 timestamps). */
function backlogDate(v: unknown): string | undefined {
  if (v instanceof Date) {
    const midnight = v.getUTCHours() === 0 && v.getUTCMinutes() === 0 && v.getUTCSeconds() === 0;
    return midnight ? v.toISOString().slice(0, 10) : v.toISOString().slice(0, 16);
  }
  return normalizeDate(v);
}

function yaml11(text: string): Record<string, unknown> {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]!;
  return parse(preprocessFrontMatter(fm), { version: '1.1' }) as Record<string, unknown>;
}

describe('Backlog.md reader', () => {
  const files: string[] = [];
  for (const sub of ['tasks', 'completed', 'archive/tasks']) {
    for (const name of readdirSync(join(DIR, sub))) files.push(join(DIR, sub, name));
  }

  it.each(files.map((f) => [f.slice(DIR.length + 1), f]))(
    '%s reads as Backlog.md reads it',
    async (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const ours = (await parseBacklogFile(text, file)).data;
      const theirs = yaml11(text);
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);
      for (const key of [
        'id',
        'title',
        'status',
        'parent_task_id',
        'priority',
        'milestone',
        'ordinal',
      ]) {
        expect(ours[key], key).toEqual(theirs[key]);
      }
      for (const key of ['assignee', 'labels', 'dependencies', 'references']) {
        expect(list(ours[key]), key).toEqual(list(theirs[key]));
      }
      for (const key of ['created_date', 'updated_date', 'due_date']) {
        expect(normalizeDate(ours[key]), key).toEqual(backlogDate(theirs[key])?.replace(' ', 'T'));
      }
    },
  );

  it('maps the fixture: assignees without @, statuses, dates, parent, acceptance boxes', async () => {
    const src = await readBacklog(join(DIR, '..'));
    const byId = new Map(src.tasks.map((t) => [t.sourceId, t]));
    expect(byId.get('task-2')).toMatchObject({
      assignee: 'alice',
      extra: { other_assignees: ['bob'], milestone: 'v1.0' },
      dependsOn: ['task-1'],
      created: '2025-07-26T14:30',
      priority: 'high',
    });
    expect(byId.get('task-3')).toMatchObject({ status: 'in_progress', assignee: 'carol' });
    expect(byId.get('task-4.1')?.parent).toBe('task-4');
    expect(byId.get('TASK-6')).toMatchObject({
      status: 'todo',
      dependsOn: ['task-2'],
      due: '2025-09-01',
    });
    expect(byId.get('task-7')).toMatchObject({ status: 'cancelled', extra: { archived: true } });
    expect(byId.get('task-1')?.body).toContain('- [x] Repository exists');
  });

  it('body: markers dropped, numbered criteria become plain boxes', () => {
    expect(
      backlogBody(
        '## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 One\n- [x] #12 Two\n<!-- AC:END -->\n',
      ),
    ).toBe('## Acceptance Criteria\n- [ ] One\n- [x] Two');
  });
});
