/// <reference lib="dom" />
// The shapes the board's server sends (the board contract): rows, task details, graph, team.

export type Status =
  | 'todo'
  | 'in_progress'
  | 'review'
  | 'blocked'
  | 'done'
  | 'cancelled'
  | 'failed';

// the server's own type, so the two sides cannot drift (erased from the bundle)
export type { Row } from '../state.js';

import type { TimelineItem } from '../../core/task-talk.js';
import type { Row } from '../state.js';

export interface BoardPayload {
  seq: number;
  repo: { root?: string; name?: string; branch?: string | null };
  agent: string;
  tasks: Row[];
  agents: unknown[];
  config: { resources?: unknown };
}

export interface TaskRef {
  id: string;
  title?: string | null;
  status?: string;
  state?: string;
}

// what `baton context --json` gives, as the core defines it (erased from the bundle)
export type { TimelineItem } from '../../core/task-talk.js';

export interface TaskDetail extends Row {
  body: string;
  log: string[];
  context: TimelineItem[] | { timeline?: TimelineItem[] } | null;
  dependencies: TaskRef[];
  dependents: TaskRef[];
  blocked_by: ({ path?: string[]; why?: string } | string)[];
  file: string;
}

export interface GraphPayload {
  nodes: { id: string; title: string; status: string; state: string; hours: number }[];
  edges: [string, string][];
  critical: string[];
  waves: string[][];
}

export interface Activity {
  type: string;
  id?: string;
  text: string;
  time: string;
}

export interface TeamPayload {
  now?: string;
  agents?: {
    agent: string;
    in_progress: number;
    review: number;
    capacity: number;
    over: boolean;
  }[];
  resources?: {
    name: string;
    capacity: number | null;
    use: number;
    holders: string[];
    over: boolean;
  }[];
  discoveries?: {
    total: number;
    items: { id: string; title: string; time: string; agent: string; message: string }[];
  };
  expired_leases?: {
    total: number;
    items: { id: string; title: string; agent: string; until: string }[];
  };
  overdue?: {
    total: number;
    items: { id: string; title: string; assignee: string | null; due: string }[];
  };
  critical_path?: { ids: string[]; hours: number };
  stale?: {
    caches: { name: string; namespace: string; changed: string[] }[];
    results: { id: string; inherited: boolean }[];
  };
  activity?: Activity[];
}
