/**
 * The task schema: zod is the single source of truth for the task type and for error
 * messages. See `task-fast.ts` for the fast path tried first. This module is imported
 * lazily (zod's first use costs ~90 ms), so nothing on the hot path imports it eagerly.
 */
import { z } from 'zod';
import { isDate } from './dates.js';
import { DATE_PATTERN, ESTIMATE_PATTERN, ID_PATTERN, PRIORITIES, STATUSES } from './fields.js';

const id = z.string().regex(ID_PATTERN, 'not a valid id (letters, digits, . _ -; at most 64)');
const date = z
  .string()
  .regex(DATE_PATTERN, 'expected a date (2026-12-01) or ISO date-time')
  .refine(
    (s) => !DATE_PATTERN.test(s) || isDate(s),
    'not a real date or time (month 01-12, a day the month has, hour 00-23, minutes and seconds 00-59)',
  );
const text = z.string().min(1, 'must not be empty');

export const TaskSchema = z.looseObject({
  id,
  title: text,
  status: z.enum(STATUSES).default('todo'),
  priority: z.enum(PRIORITIES).default('medium'),
  depends_on: z.array(id).default([]),
  assignee: text.nullish(),
  labels: z.array(z.string()).default([]),
  estimate: z
    .string()
    .regex(ESTIMATE_PATTERN, 'expected a duration such as 30m, 4h, 2d, 1w')
    .nullish(),
  due: date.nullish(),
  created: date.nullish(),
  updated: date.nullish(),
  parent: id.nullish(),
  skills: z.array(z.string()).nullish(),
  resources: z.array(z.string()).nullish(),
  inputs: z.array(z.string()).nullish(),
  reviewers: z.array(z.string()).nullish(),
  result: z.looseObject({ commit: z.string(), fingerprint: z.string() }).nullish(),
  lease: z.looseObject({ agent: z.string(), until: date }).nullish(),
  attempts: z.int().min(0).nullish(),
  max_attempts: z.int().min(1).nullish(),
  not_before: date.nullish(),
});

/** A task's front matter after validation; user keys ride along as `unknown`. */
export type TaskData = z.infer<typeof TaskSchema>;

export interface SchemaIssue {
  /** Dotted field path, e.g. `depends_on.1`; empty for the whole document. */
  field: string;
  message: string;
}

export type TaskValidation = { ok: true; data: TaskData } | { ok: false; issues: SchemaIssue[] };

/** Validate with zod (the reference); callers try `validateTaskFast` first. */
export function validateTaskZod(raw: Record<string, unknown>): TaskValidation {
  const result = TaskSchema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}
