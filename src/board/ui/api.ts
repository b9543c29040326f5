/// <reference lib="dom" />
// Reads and writes against the board server (same origin; the session cookie goes along).
import { upsert } from './store.js';
import type { Row } from './types.js';

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: string; message?: string })
    | null;
  if (!res.ok) throw new Error(body?.message ?? body?.error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

export type WriteOutcome =
  | { ok: true; result: unknown; task: Row | null }
  | { ok: false; conflict: boolean; message: string; task: Row | null };

/** POST /api/tasks/:id/:action with the fingerprint the user saw as If-Match. */
export async function act(
  id: string,
  fingerprint: string,
  action: string,
  body: object,
): Promise<WriteOutcome> {
  let res: Response;
  try {
    res = await fetch(`/api/tasks/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Baton-Board': '1',
        'If-Match': `"${fingerprint}"`,
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { ok: false, conflict: false, message: String(err), task: null };
  }
  const data = (await res.json().catch(() => null)) as {
    result?: unknown;
    task?: Row;
    error?: string;
    message?: string;
  } | null;
  const task = data?.task?.id ? data.task : null;
  if (task) upsert(task);
  if (res.ok) return { ok: true, result: data?.result, task };
  return {
    ok: false,
    conflict: res.status === 409 && data?.error === 'FILE_CHANGED',
    message: data?.message ?? data?.error ?? `${res.status} ${res.statusText}`,
    task,
  };
}
