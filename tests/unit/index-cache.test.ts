/** The index cache: reused when files are unchanged, never trusted when stale or corrupt. */
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/store/load.js';
import { findRoot } from '../../src/store/root.js';
import { taskFile, tempDir, writeTree } from '../helpers/git-repo.js';

const OLD = new Date('2026-01-01T00:00:00Z');

function repo(): string {
  const dir = tempDir();
  writeTree(dir, {
    '.tasks/main/a.md': taskFile({ id: 'a', title: 'A' }),
    '.tasks/main/b.md': taskFile({ id: 'b', title: 'B', depends_on: '[a]' }),
  });
  for (const f of ['a', 'b']) utimesSync(join(dir, `.tasks/main/${f}.md`), OLD, OLD);
  return dir;
}

const indexPath = (dir: string) => join(dir, '.tasks/.local/index.json');
const load = (dir: string) => loadSnapshot(findRoot(dir)!);

describe('index cache', () => {
  it('is written on a cold load and reused unchanged on a warm one', async () => {
    const dir = repo();
    const cold = await load(dir);
    const written = statSync(indexPath(dir)).mtimeMs;
    const warm = await load(dir);
    expect(warm.tasks).toEqual(cold.tasks);
    expect(statSync(indexPath(dir)).mtimeMs).toBe(written); // nothing new: not rewritten
  });

  it('re-parses a changed file even when its size is unchanged', async () => {
    const dir = repo();
    await load(dir);
    const path = join(dir, '.tasks/main/a.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('title: A', 'title: Z'));
    utimesSync(path, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    const snap = await load(dir);
    expect(snap.tasks.find((t) => t.data.id === 'a')!.data.title).toBe('Z');
  });

  it('sees a same-size rewrite whose mtime was put back (only ctime tells)', async () => {
    const dir = repo();
    await load(dir);
    const path = join(dir, '.tasks/main/a.md');
    const before = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('title: A', 'title: Z'));
    utimesSync(path, before.atime, before.mtime);
    const after = statSync(path);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([
      before.size,
      before.mtimeMs,
      before.ino,
    ]);
    const snap = await load(dir);
    expect(snap.tasks.find((t) => t.data.id === 'a')!.data.title).toBe('Z');
  });

  it('sees a file deleted and created again with the same size, mtime and inode', async () => {
    const dir = repo();
    await load(dir);
    const path = join(dir, '.tasks/main/a.md');
    const before = statSync(path);
    const text = readFileSync(path, 'utf8').replace('title: A', 'title: Y');
    // The kernel often hands a freed inode straight back; try a few times to get it.
    for (let k = 0; k < 20; k++) {
      rmSync(path);
      writeFileSync(path, text);
      if (statSync(path).ino === before.ino) break;
    }
    utimesSync(path, before.atime, before.mtime);
    const snap = await load(dir);
    expect(snap.tasks.find((t) => t.data.id === 'a')!.data.title).toBe('Y');
  });

  it('does not rewrite the index for a file too recent to cache, and never trusts it', async () => {
    const dir = repo();
    await load(dir);
    const written = readFileSync(indexPath(dir), 'utf8');
    const path = join(dir, '.tasks/main/b.md');
    writeFileSync(path, taskFile({ id: 'b', title: 'Fresh' }));
    expect((await load(dir)).tasks.find((t) => t.data.id === 'b')!.data.title).toBe('Fresh');
    expect(readFileSync(indexPath(dir), 'utf8')).toBe(written);
    writeFileSync(path, taskFile({ id: 'b', title: 'Fresh again' }));
    expect((await load(dir)).tasks.find((t) => t.data.id === 'b')!.data.title).toBe('Fresh again');
  });

  it('drops rows of removed files and rebuilds a corrupt or truncated index', async () => {
    const dir = repo();
    await load(dir);
    rmSync(join(dir, '.tasks/main/b.md'));
    const text = readFileSync(indexPath(dir), 'utf8');
    writeFileSync(indexPath(dir), text.slice(0, text.length / 2));
    const snap = await load(dir);
    expect(snap.tasks.map((t) => t.data.id)).toEqual(['a']);
    // flip one character inside the body: the checksum no longer matches, so it is rebuilt
    const good = readFileSync(indexPath(dir), 'utf8');
    writeFileSync(indexPath(dir), good.replace('"title":"A"', '"title":"Q"'));
    expect((await load(dir)).tasks[0]!.data.title).toBe('A');
  });
});
