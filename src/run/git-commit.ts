/**
 * Commits the runner makes: state commits built with plumbing on a temporary index (the user's
 * index and files are never touched), and the commit of an attempt's worktree.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fields, git, gitFailure, runGit } from './git-exec.js';

const DELETE = `0 ${'0'.repeat(40)}`;

/** The message with `Key: value` trailer lines in a paragraph of their own at the end. */
export function commitMessage(message: string, trailers: Record<string, string> = {}): string {
  const lines = Object.entries(trailers).map(
    ([key, value]) => `${key}: ${value.replace(/\s*\n\s*/g, ' ').trim()}`,
  );
  const text = message.trimEnd();
  return lines.length === 0 ? `${text}\n` : `${text}\n\n${lines.join('\n')}\n`;
}

let indexCounter = 0;

/** A temporary index's path, unique across processes and calls: pid, counter and random. */
function tempIndexName(gitDir: string): string {
  indexCounter += 1;
  return join(
    gitDir,
    `baton-index-${process.pid}-${indexCounter}-${randomBytes(6).toString('hex')}`,
  );
}

/**
 * A new commit on top of `parent` whose tree is `baseTree` (default: parent's tree) with
 * `changes` applied (path -> new file text, or null to delete). Texts are stored as given
 * (no attribute filters); a changed file keeps its executable bit. Moves no ref.
 */
export async function makeCommit(
  root: string,
  opts: {
    parent: string;
    extraParents?: string[];
    baseTree?: string;
    changes?: Record<string, string | null>;
    message: string;
    trailers?: Record<string, string>;
  },
): Promise<string> {
  let gitDir = gitDirs.get(root);
  if (gitDir === undefined) {
    gitDir = (await git(root, ['rev-parse', '--absolute-git-dir'])).trim();
    gitDirs.set(root, gitDir);
  }
  const index = tempIndexName(gitDir);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(root, ['read-tree', opts.baseTree ?? `${opts.parent}^{tree}`], { env });
    const changes = Object.entries(opts.changes ?? {});
    if (changes.length > 0) {
      const written = changes.filter(([, text]) => text !== null).map(([path]) => path);
      const executable = new Set<string>();
      if (written.length > 0) {
        const listing = await git(root, ['ls-files', '-s', '-z', '--', ...written], { env });
        for (const entry of fields(listing)) {
          if (entry.startsWith('100755 ')) executable.add(entry.slice(entry.indexOf('\t') + 1));
        }
      }
      const records: string[] = [];
      for (const [path, text] of changes) {
        if (text === null) {
          records.push(`${DELETE}\t${path}\0`);
          continue;
        }
        const args = ['hash-object', '-w', '--no-filters', '--stdin'];
        const blob = (await git(root, args, { input: text })).trim();
        records.push(`${executable.has(path) ? '100755' : '100644'} ${blob}\t${path}\0`);
      }
      // --replace: a file may take the place of a folder, or the other way round.
      const update = ['update-index', '-z', '--add', '--replace', '--index-info'];
      await git(root, update, { env, input: records.join('') });
    }
    const tree = (await git(root, ['write-tree'], { env })).trim();
    const parents = [opts.parent, ...(opts.extraParents ?? [])].flatMap((p) => ['-p', p]);
    const message = commitMessage(opts.message, opts.trailers);
    return (
      await git(root, ['commit-tree', tree, ...parents, '-F', '-'], { input: message })
    ).trim();
  } finally {
    await rm(index, { force: true });
    await rm(`${index}.lock`, { force: true });
  }
}

/**
 * Stage everything in worktree `dir` and commit it (hooks off); the new sha, or undefined
 * when there was nothing to commit.
 */
export async function commitAll(
  dir: string,
  message: string,
  trailers?: Record<string, string>,
): Promise<string | undefined> {
  await git(dir, ['add', '-A']);
  const diff = ['diff', '--cached', '--quiet'];
  const staged = await runGit(dir, diff);
  if (staged.code === 0) return undefined;
  if (staged.code !== 1) throw gitFailure(diff, staged);
  const input = commitMessage(message, trailers);
  await git(dir, ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '-F', '-'], { input });
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

/** The git dir of each repository committed to (it does not move while baton runs). */
const gitDirs = new Map<string, string>();
