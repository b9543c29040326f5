/**
 * Writes are atomic (temp file in the same folder, then rename) and never overwrite a file
 * that changed since it was read: the caller passes the text it read, and the file is
 * re-read just before the rename.
 */
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

let counter = 0;

/** A temp name unique to this process and call; created with 'wx', so never shared. */
function tempName(path: string): string {
  counter++;
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${Date.now().toString(36)}-${counter}.tmp`,
  );
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
}

/** Write `content` (or its parts, in order, never joined in memory) to `path` atomically. */
export function writeAtomic(
  path: string,
  content: string | readonly (string | Uint8Array)[],
): void {
  const tmp = tempName(path);
  try {
    if (typeof content === 'string') writeFileSync(tmp, content, { flag: 'wx' });
    else {
      const fd = openSync(tmp, 'wx');
      try {
        for (const part of content)
          writeAll(fd, typeof part === 'string' ? Buffer.from(part) : part);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Replace `path` with `content` only if it still holds `expected` (what the caller read).
 * `displayPath` is the repo-relative path used in the error.
 */
export function replaceIfUnchanged(
  path: string,
  expected: string,
  content: string,
  displayPath: string,
): void {
  let current: string;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    throw new UserError('FILE_CHANGED', `${displayPath} was removed while baton was changing it`, {
      path: displayPath,
    });
  }
  if (current !== expected) {
    throw new UserError(
      'FILE_CHANGED',
      `${displayPath} changed on disk since baton read it; nothing was written, run the command again`,
      { path: displayPath },
    );
  }
  if (content === expected) return;
  writeAtomic(path, content);
}

/**
 * Create a new file atomically (readers never see it half-written) and refuse to replace an
 * existing one: write a temp file, then hard-link it into place, which fails if the name exists.
 */
export function createAtomic(path: string, content: string, displayPath: string): void {
  const tmp = tempName(path);
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError('FILE_CHANGED', `${displayPath} already exists; nothing was written`, {
        path: displayPath,
      });
    }
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}
