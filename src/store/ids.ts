/**
 * Generated ids are `<prefix>-<random base36>`, beads-style: random, not sequential, so two
 * clones creating tasks at the same moment do not collide, and long enough for the repo's
 * size (36^len >= 10,000 x the task count: 4 chars up to ~160 tasks, 6 up to ~200,000),
 * then checked against the ids already present.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function idLength(taskCount: number): number {
  let len = 4;
  while (36 ** len < (taskCount + 1) * 10_000 && len < 12) len++;
  return len;
}

export function randomBase36(len: number): string {
  let out = '';
  while (out.length < len) {
    for (const b of randomBytes(len * 2)) {
      // 252 = 7 x 36: rejecting the top values keeps every character equally likely.
      if (b < 252 && out.length < len) out += ALPHABET[b % 36];
    }
  }
  return out;
}

export function generateId(prefix: string, existing: ReadonlySet<string>): string {
  const len = idLength(existing.size);
  for (let attempt = 0; ; attempt++) {
    const id = `${prefix}-${randomBase36(len + Math.floor(attempt / 8))}`;
    if (!existing.has(id)) return id;
  }
}
