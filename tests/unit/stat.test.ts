/** The scan's stat facts agree with `fs.statSync` whichever way they are read. */
import { mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryStat, fileStat } from '../../src/store/stat.js';
import { tempDir } from '../helpers/git-repo.js';

function expected(path: string) {
  const st = statSync(path, { bigint: true });
  return {
    size: Number(st.size),
    key: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`,
    mtimeMs: Number(st.mtimeNs) / 1e6,
  };
}

describe('fileStat', () => {
  it('gives size, the ns mtime and ctime key and the inode of regular files', () => {
    const dir = tempDir();
    const files = ['a.md', 'b.md', 'c.md'].map((n) => join(dir, n));
    files.forEach((f, i) => {
      writeFileSync(f, 'x'.repeat(i * 100));
    });
    utimesSync(files[1]!, new Date(1_000), new Date(1_000)); // whole seconds, ns = 0
    for (const f of files) {
      const got = fileStat(f)!;
      const want = expected(f);
      expect(got.key).toBe(want.key);
      expect(got.size).toBe(want.size);
      expect(Math.abs(got.mtimeMs - want.mtimeMs)).toBeLessThan(0.001);
    }
  });

  it('follows a link to a file, and says undefined for what is gone or not a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), 'hello');
    symlinkSync('a.md', join(dir, 'link.md'));
    mkdirSync(join(dir, 'folder.md'));
    expect(fileStat(join(dir, 'link.md'))!.key).toBe(expected(join(dir, 'a.md')).key);
    expect(fileStat(join(dir, 'missing.md'))).toBeUndefined();
    expect(fileStat(join(dir, 'folder.md'))).toBeUndefined();
    // without following: the link is a link, the file its facts, the rest nothing
    expect(entryStat(join(dir, 'link.md'))).toBe('link');
    expect(entryStat(join(dir, 'a.md'))).toEqual(fileStat(join(dir, 'a.md')));
    expect(entryStat(join(dir, 'folder.md'))).toBeUndefined();
    expect(entryStat(join(dir, 'missing.md'))).toBeUndefined();
  });
});
