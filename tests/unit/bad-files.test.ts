/** The one-line summary of task files that could not be read (report/bad-files.ts). */
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/types.js';
import { badFilesLine, unreadableFiles } from '../../src/report/bad-files.js';
import { makeTask } from '../property/reference.js';

const error = (path: string, line: number, message: string): Problem => ({
  rule: 'schema',
  severity: 'error',
  path,
  line,
  message,
});

describe('unreadableFiles', () => {
  it('keeps the files with an error and no task, one entry per file, in path order', () => {
    const loaded = makeTask({ id: 'l' }); // at .tasks/main/l.md
    const files = unreadableFiles(
      [
        error('.tasks/main/b.md', 3, 'status: invalid'),
        error('.tasks/main/a.md', 4, 'unresolved git conflict markers'),
        error('.tasks/main/b.md', 5, 'priority: invalid'),
        // loaded with an error (conflict markers in the body): read, so not named
        error('.tasks/main/l.md', 9, 'unresolved git conflict markers in the body'),
        { rule: 'file-name', severity: 'warning', path: '.tasks/main/w.md', message: 'name' },
      ],
      [loaded],
    );
    expect(files.map((f) => [f.path, f.errors.length])).toEqual([
      ['.tasks/main/a.md', 1],
      ['.tasks/main/b.md', 2],
    ]);
  });

  it('is empty without errors', () => {
    expect(unreadableFiles([], [])).toEqual([]);
    const warning: Problem = { rule: 'file-name', severity: 'warning', path: 'w.md', message: 'm' };
    expect(unreadableFiles([warning], [])).toEqual([]);
  });
});

describe('badFilesLine', () => {
  it('is undefined when every file was read', () => {
    expect(badFilesLine([])).toBeUndefined();
  });

  it('names each file with its first error and how many more it has', () => {
    const line = badFilesLine(
      unreadableFiles(
        [
          error('a.md', 11, 'unresolved git conflict markers'),
          error('b.md', 3, 'status: invalid'),
          error('b.md', 4, 'priority:\ninvalid'),
        ],
        [],
      ),
    );
    expect(line).toBe(
      'warning: 2 task files could not be read: a.md:11 unresolved git conflict markers, b.md:3 status: invalid (+1 more); see baton check',
    );
    expect(badFilesLine(unreadableFiles([error('a.md', 1, 'x')], []))).toBe(
      'warning: 1 task file could not be read: a.md:1 x; see baton check',
    );
  });

  it('cuts a long message short', () => {
    const long = `status: Invalid option: expected one of ${'"x"|'.repeat(30)}"y"`;
    const line = badFilesLine(unreadableFiles([error('a.md', 2, long)], []))!;
    expect(line).toBe(
      `warning: 1 task file could not be read: a.md:2 ${long.slice(0, 59)}…; see baton check`,
    );
  });

  it('stays one line with many files: the first few, then "and N more"', () => {
    const many = Array.from({ length: 40 }, (_, k) =>
      error(`f${String(k).padStart(2, '0')}.md`, 1, 'bad\nnews'),
    );
    const line = badFilesLine(unreadableFiles(many, []))!;
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'warning: 40 task files could not be read: f00.md:1 bad news, f01.md:1 bad news, f02.md:1 bad news and 37 more; see baton check',
    );
  });
});
