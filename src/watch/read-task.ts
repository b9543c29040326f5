/**
 * Read and parse one task file the way `loadSnapshot` does (the scan's path rules, the
 * 1 MiB limit, symbolic links out of the repository refused), with its `## Log` lines for
 * the model's log news. Only the one file is read (`parseTaskFileFully`).
 */
import { lstatSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/types.js';
import { readLog } from '../format/log.js';
import { splitFile } from '../format/split.js';
import { parseTaskFileFully } from '../store/parse-file.js';
import type { Root } from '../store/root.js';
import { insideRoot, MAX_FILE_BYTES, taskFileNamespace } from '../store/scan.js';
import type { FileChange, FileEntry } from './live-state.js';

/** The `## Log` entries of a task file's text, or undefined when it does not split. */
export function logLines(text: string): string[] | undefined {
  const split = splitFile(text);
  return split.ok ? readLog(split.body) : undefined;
}

/** Equal keys: the file did not change between two looks (ctime too, as the index keys it). */
export const statKey = (st: Stats) => `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;

/**
 * Read and parse one task file the way `loadSnapshot` would: the change for the model, and
 * the stat key it was read at (none when it is gone).
 */
export async function readTaskChange(
  root: Root,
  rel: string,
): Promise<{ change: FileChange; key?: string }> {
  const namespace = taskFileNamespace(rel);
  const abs = join(root.root, rel);
  const gone = { change: { path: rel } };
  if (namespace === undefined) return gone;
  let st: Stats;
  try {
    st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      if (!insideRoot(root, abs)) {
        const problem: Problem = {
          rule: 'schema',
          severity: 'error',
          path: rel,
          message: 'symbolic link leading out of the repository (or broken); not followed',
        };
        return { change: { path: rel, file: { problems: [problem] } } };
      }
      st = statSync(abs);
    }
  } catch {
    return gone;
  }
  if (!st.isFile()) return gone;
  const key = statKey(st);
  if (st.size > MAX_FILE_BYTES) {
    const problem: Problem = {
      rule: 'schema',
      severity: 'error',
      path: rel,
      message: `file is ${st.size} bytes, over the 1 MiB limit for a task file; not read`,
    };
    return { change: { path: rel, file: { problems: [problem] } }, key };
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return gone;
  }
  const r = await parseTaskFileFully(rel, namespace, text);
  const file: FileEntry = { problems: r.problems };
  if (r.task) file.task = r.task;
  const log = logLines(text);
  if (log) file.log = log;
  return { change: { path: rel, file }, key };
}
