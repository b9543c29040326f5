/** Field vocabularies shared by the schemas, the fast validator and the core. */
export const STATUSES = [
  'todo',
  'in_progress',
  'blocked',
  'review',
  'done',
  'cancelled',
  'failed',
] as const;
export type Status = (typeof STATUSES)[number];

/** Highest first: the index is the sort rank. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Task ids: the spec's pattern, and never `..` (ids become file names). */
export const ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Namespace folders: lower case, never `..`. */
export const NAMESPACE_PATTERN = /^(?!.*\.\.)[a-z0-9][a-z0-9._-]{0,63}$/;
/** 30m, 4h, 2d, 1w, and decimals such as 1.5h. */
export const ESTIMATE_PATTERN = /^(\d+(?:\.\d+)?)([mhdw])$/;
/** A date (2026-12-01) or an ISO 8601 date-time (2026-12-01T10:00:00Z, with offset or not). */
export const DATE_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Statuses under which a dependency counts as satisfied. */
export const SATISFIED: ReadonlySet<string> = new Set(['done', 'cancelled']);

/** Keys whose meaning baton owns; every other front-matter key belongs to the user. */
export const OWNED_KEYS = [
  'id',
  'title',
  'status',
  'priority',
  'depends_on',
  'assignee',
  'labels',
  'estimate',
  'due',
  'created',
  'updated',
  'parent',
  'skills',
  'resources',
  'inputs',
  'result',
  'lease',
  'attempts',
  'max_attempts',
  'not_before',
  'reviewers',
] as const;
