/**
 * The stat facts the index cache keys on (size, mtime and ctime in nanoseconds, inode), for
 * every task file on every run, so their cost is the floor of a warm run. ctime is there as
 * in git's index: a same-size rewrite whose mtime was put back (`touch -d`), or a file
 * deleted and created again on the inode it had, keeps size, mtime and inode, but the
 * kernel moves ctime on every change and nobody can set it.
 *
 * `fs.statSync` builds a Stats object per call, and Node 20 fills its four Date fields
 * eagerly: at 10,000 files that is about half the scan, most of it garbage. Node's own fs
 * binding (`process.binding('fs').stat`, what `statSync` calls underneath) returns the raw
 * numbers instead: seconds and nanoseconds as separate exact doubles, so the key needs no
 * BigInt either, and its `lstat` tells a symbolic link from a file without a Dirent per
 * entry. It is an internal interface, so it is used only after it answered, for the first
 * path, exactly what `statSync` answers; otherwise, or on any surprise, `statSync`.
 * `readText` reads task files through the same binding on the same terms.
 */
import { type BigIntStats, lstatSync, readFileSync, statSync } from 'node:fs';

export interface FileStat {
  size: number;
  /** `size:mtimeNs:ctimeNs:ino`, equal for equal file states. */
  key: string;
  /**
   * The mtime, for the racy-window check. Like git, which also keys its index on ctime, the
   * window is judged on mtime: ctime would keep every file made in the last two seconds
   * out of the cache, whatever its mtime says.
   */
  mtimeMs: number;
}

type Raw = (path: string, link?: boolean) => ArrayLike<number> | undefined;

// Offsets in the binding's stat array: dev, mode, nlink, uid, gid, rdev, blksize, ino, size,
// blocks, then seconds and nanoseconds of atime, mtime, ctime, birthtime.
const MODE = 1;
const INO = 7;
const SIZE = 8;
const MTIME_S = 12;
const MTIME_NS = 13;
const CTIME_S = 14;
const CTIME_NS = 15;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

let raw: Raw | null | undefined;

function nsKey(sec: number, nsec: number): string {
  return sec === 0 ? String(nsec) : `${sec}${String(nsec).padStart(9, '0')}`;
}

function slow(path: string): FileStat | undefined {
  let st: BigIntStats | undefined;
  try {
    st = statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined; // unreadable: as good as gone for the scan
  }
  if (!st?.isFile()) return undefined;
  const size = Number(st.size);
  return {
    size,
    key: `${size}:${st.mtimeNs}:${st.ctimeNs}:${Number(st.ino)}`,
    mtimeMs: Number(st.mtimeNs) / 1e6,
  };
}

type StatCall = (path: string, bigint: boolean, req: undefined, noThrow: boolean) => unknown;
type ReadUtf8 = (path: string, flags: number) => string;

/** Node's internal fs binding, with the calls used here maybe missing (it may change). */
function fsBinding(): { stat?: StatCall; lstat?: StatCall; readFileUtf8?: ReadUtf8 } {
  return (process as unknown as { binding(name: string): unknown }).binding('fs') as ReturnType<
    typeof fsBinding
  >;
}

/** The binding's stat, if it agrees with statSync on `probe`; null otherwise. */
function bindingStat(probe: string): Raw | null {
  try {
    const binding = fsBinding();
    const { stat, lstat } = binding;
    if (typeof stat !== 'function' || typeof lstat !== 'function') return null;
    const fn: Raw = (path, link) => {
      const a = (link ? lstat : stat).call(binding, path, false, undefined, false);
      return a instanceof Float64Array && a.length >= 18 ? a : undefined;
    };
    // The binding answers in one shared array: read each answer before the next call.
    const a = fn(probe);
    if (!a || (a[MODE]! & S_IFMT) !== S_IFREG) return null;
    const got = fromRaw(a);
    const l = fn(probe, true);
    if (!l || (l[MODE]! & S_IFMT) !== S_IFREG || fromRaw(l).key !== got.key) return null;
    return got.key === slow(probe)?.key ? fn : null;
  } catch {
    return null;
  }
}

function fromRaw(a: ArrayLike<number>): FileStat {
  const size = a[SIZE]!;
  const sec = a[MTIME_S]!;
  const nsec = a[MTIME_NS]!;
  const csec = a[CTIME_S]!;
  const cnsec = a[CTIME_NS]!;
  return {
    size,
    // join builds one flat string; a template literal builds a tree of concatenations over
    // number strings, which the scan kept alive until the index write (1.3 MB at 10,000 files)
    key: [size, nsKey(sec, nsec), nsKey(csec, cnsec), a[INO]!].join(':'),
    mtimeMs: sec * 1000 + nsec / 1e6,
  };
}

/** Stat facts of a regular file (following links), or undefined if it is gone or not a file. */
export function fileStat(path: string): FileStat | undefined {
  if (raw === undefined) raw = bindingStat(path);
  if (raw === null) return slow(path);
  try {
    const a = raw(path);
    return a === undefined || (a[MODE]! & S_IFMT) !== S_IFREG ? undefined : fromRaw(a);
  } catch {
    return slow(path);
  }
}

/**
 * A folder entry without following it: `'link'` for a symbolic link (the caller decides
 * whether to follow it), the stat facts of a regular file, else undefined.
 */
export function entryStat(path: string): FileStat | 'link' | undefined {
  if (raw === undefined) raw = bindingStat(path);
  try {
    if (raw === null) {
      const st = lstatSync(path, { throwIfNoEntry: false });
      return st?.isSymbolicLink() ? 'link' : st?.isFile() ? slow(path) : undefined;
    }
    const a = raw(path, true);
    if (a === undefined) return undefined;
    const type = a[MODE]! & S_IFMT;
    return type === S_IFLNK ? 'link' : type === S_IFREG ? fromRaw(a) : undefined;
  } catch {
    return undefined;
  }
}

let readUtf8: ReadUtf8 | null | undefined;
const UTF8 = { encoding: 'utf8', flag: 'r' } as const;

/** The binding's whole-file UTF-8 read, if it reads `probe` exactly as readFileSync does. */
function bindingRead(probe: string): ReadUtf8 | null {
  try {
    const binding = fsBinding();
    const fn = binding.readFileUtf8;
    if (typeof fn !== 'function') return null;
    const read: ReadUtf8 = (path, flags) => fn.call(binding, path, flags);
    return read(probe, 0) === readFileSync(probe, UTF8) ? read : null;
  } catch {
    return null;
  }
}

/**
 * A whole file as UTF-8 text, as `readFileSync(path, 'utf8')` reads it (and throwing when
 * it would), without its per-call option and path checks: about 1 µs a file, 10 ms of a
 * cold load at 10,000 tasks. Same checked-binding scheme as the stat above.
 */
export function readText(path: string): string {
  if (readUtf8 === undefined) readUtf8 = bindingRead(path);
  return readUtf8 === null ? readFileSync(path, UTF8) : readUtf8(path, 0);
}
