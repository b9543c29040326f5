/**
 * Task files straight from git objects, without a checkout: one `git ls-tree -r` for the
 * blob ids, one `git cat-file --batch` fed those ids (feeding `rev:path` specs re-reads the
 * tree for each and is ~200x slower at 10,000 files; MEASURED.md). Used for the news after
 * a pull (the tasks before vs after), `--all-branches` and `check --base`.
 */
import { execFileSync } from 'node:child_process';
import type { Problem, Task } from '../core/types.js';
import { gitOutput } from './git.js';
import { parseTexts } from './load.js';

export interface GitFile {
  rel: string;
  blob: string;
}

/** The `.tasks/**.md` blobs of a tree-ish (`HEAD`, `origin/main`, a commit id). */
export function listTaskBlobs(root: string, rev: string): GitFile[] {
  let listing: string;
  try {
    listing = gitOutput(root, ['ls-tree', '-r', '-z', rev, '--', '.tasks']);
  } catch {
    return [];
  }
  const files: GitFile[] = [];
  for (const rec of listing.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, blob] = rec.slice(0, tab).split(' ');
    const rel = rec.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || !blob || !rel.endsWith('.md')) continue;
    files.push({ rel, blob });
  }
  return files;
}

/** The contents of many blobs in one `git cat-file --batch`, keyed by blob id. */
export function readBlobs(root: string, blobs: readonly string[]): Map<string, string> {
  const unique = [...new Set(blobs)];
  const out = new Map<string, string>();
  if (unique.length === 0) return out;
  const buf = execFileSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: `${unique.join('\n')}\n`,
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let pos = 0;
  for (const blob of unique) {
    const nl = buf.indexOf(10, pos);
    const header = buf.subarray(pos, nl).toString('utf8');
    const parts = header.split(' ');
    if (parts[1] === 'missing') {
      pos = nl + 1;
      continue;
    }
    const size = Number(parts[2]);
    const start = nl + 1;
    out.set(blob, buf.subarray(start, start + size).toString('utf8'));
    pos = start + size + 1;
  }
  return out;
}

/** Every task at `rev`, parsed by the same rules as the working tree. */
export async function tasksAtRev(
  root: string,
  rev: string,
): Promise<{ tasks: Task[]; problems: Problem[]; blobs: Map<string, string> }> {
  const files = listTaskBlobs(root, rev);
  const texts = readBlobs(
    root,
    files.map((f) => f.blob),
  );
  const parsed = await parseTexts(
    files.map((f) => ({ rel: f.rel, text: texts.get(f.blob) ?? '' })),
  );
  const blobOf = new Map(files.map((f) => [f.rel, f.blob]));
  return { ...parsed, blobs: blobOf };
}
