/**
 * Stable uuids for tasks that never had one: a UUID version 5 (SHA-1, RFC 4122) of the
 * task id in baton's own namespace, so every export of a task names it the same way.
 */
import { createHash } from 'node:crypto';

/** The namespace uuid of baton task ids (itself a v5 uuid of "baton" in the URL namespace). */
const NAMESPACE = 'a4e5b7a2-0c0e-5d0a-9a51-6b1c7b1f2e3d';
export const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The task's uuid: its `uuid` key, a uuid in its `imported_from`, else derived from its id. */
export function taskUuid(data: Record<string, unknown>): string {
  for (const key of ['uuid', 'imported_from']) {
    const v = data[key];
    const m = typeof v === 'string' ? UUID_PATTERN.exec(v) : null;
    if (m) return m[0].toLowerCase();
  }
  return uuidV5(String(data.id));
}
