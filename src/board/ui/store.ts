/// <reference lib="dom" />
// The board's live state: rows by id from /api/board, kept current by the /events stream
// (snapshot, task, remove, activity, team). Views subscribe and re-render at most once a frame.
import { useEffect, useState } from 'preact/hooks';
import type { Activity, BoardPayload, Row } from './types.js';

export const rows = new Map<string, Row>();
export let meta: Omit<BoardPayload, 'tasks'> | null = null;
export let activity: Activity[] = [];
/** 'loading' until the first payload, then 'live' or 'offline' as the stream goes. */
export let connection: 'loading' | 'live' | 'offline' | 'unauthorized' = 'loading';
/** Bumped on every change: views memoise on it. */
export let version = 0;

const ACTIVITY_MAX = 50;
const listeners = new Set<() => void>();
const teamListeners = new Set<() => void>();
let queued = false;

function changed(): void {
  version++;
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    for (const fn of listeners) fn();
  });
}

/** Re-renders the calling component when the store changes; returns the store's version. */
export function useStore(): number {
  const [, set] = useState(0);
  useEffect(() => {
    const fn = () => set(version);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
  return version;
}

/** Calls `fn` on each `team` event until the returned function is called. */
export function onTeam(fn: () => void): () => void {
  teamListeners.add(fn);
  return () => {
    teamListeners.delete(fn);
  };
}

export function upsert(row: Row): void {
  rows.set(row.id, row);
  changed();
}

export function setActivity(list: Activity[]): void {
  activity = list.slice(0, ACTIVITY_MAX);
  changed();
}

/** The seq of the state shown: the snapshot's, then each delta's event id. */
let seq: number | null = null;

function snapshot(payload: BoardPayload): void {
  const { tasks, ...rest } = payload;
  meta = rest;
  seq = typeof payload.seq === 'number' ? payload.seq : null;
  rows.clear();
  for (const row of tasks) rows.set(row.id, row);
  changed();
}

/** A delta's event id is the seq of the state once it is applied. */
function track(e: Event): void {
  const id = Number((e as MessageEvent).lastEventId);
  if ((e as MessageEvent).lastEventId && Number.isFinite(id)) seq = id;
}

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

/** Loads the board, then follows the event stream (EventSource reconnects by itself). */
export async function connect(): Promise<void> {
  try {
    const res = await fetch('/api/board');
    if (res.status === 401) {
      connection = 'unauthorized';
      changed();
      return;
    }
    if (res.ok) {
      snapshot((await res.json()) as BoardPayload);
      connection = 'live';
    }
  } catch {
    connection = 'offline';
  }
  changed();
  const es = new EventSource('/events');
  es.addEventListener('open', () => {
    connection = 'live';
    changed();
  });
  es.addEventListener('error', () => {
    connection = 'offline';
    changed();
  });
  es.addEventListener('snapshot', (e) => {
    const p = parse<BoardPayload>(e);
    // The first snapshot usually repeats what /api/board just gave: keep the row objects,
    // so nothing re-renders.
    if (p && (typeof p.seq !== 'number' || p.seq !== seq)) snapshot(p);
  });
  es.addEventListener('task', (e) => {
    track(e);
    const row = parse<Row>(e);
    if (row?.id) upsert(row);
  });
  es.addEventListener('remove', (e) => {
    track(e);
    const p = parse<{ id: string }>(e);
    if (p && rows.delete(p.id)) changed();
  });
  es.addEventListener('activity', (e) => {
    track(e);
    const a = parse<Activity>(e);
    if (!a) return;
    activity = [a, ...activity].slice(0, ACTIVITY_MAX);
    changed();
  });
  es.addEventListener('team', (e) => {
    track(e);
    for (const fn of teamListeners) fn();
  });
}
