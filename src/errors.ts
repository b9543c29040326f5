/**
 * The one place errors are defined. A `UserError` is something the user can fix (bad input,
 * unknown id, no repository); it carries a stable code and an exit code. `ExitError` means
 * the failure was already reported and the process should just exit with `code`. Anything
 * else reaching the CLI entry is a bug and is printed with its stack.
 */
export type ErrorCode =
  | 'USAGE'
  | 'NO_REPOSITORY'
  | 'NOT_A_GIT_REPOSITORY'
  | 'CONFIG_INVALID'
  | 'TASK_NOT_FOUND'
  | 'AMBIGUOUS_ID'
  | 'TASK_INVALID'
  | 'FILE_CHANGED'
  | 'FILE_REFUSED'
  | 'CYCLE'
  | 'REFUSED'
  | 'GIT_FAILED'
  | 'EDITOR_FAILED'
  | 'LOCAL_STATE';

/** Exit codes, as documented in the README: 0 ok, 1 findings or refused, 2 usage/config/env. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  USAGE: EXIT_USAGE,
  NO_REPOSITORY: EXIT_USAGE,
  NOT_A_GIT_REPOSITORY: EXIT_USAGE,
  CONFIG_INVALID: EXIT_USAGE,
  TASK_NOT_FOUND: EXIT_USAGE,
  AMBIGUOUS_ID: EXIT_USAGE,
  TASK_INVALID: EXIT_FINDINGS,
  FILE_CHANGED: EXIT_FINDINGS,
  FILE_REFUSED: EXIT_FINDINGS,
  CYCLE: EXIT_FINDINGS,
  REFUSED: EXIT_FINDINGS,
  GIT_FAILED: EXIT_USAGE,
  EDITOR_FAILED: EXIT_USAGE,
  LOCAL_STATE: EXIT_USAGE,
};

export class UserError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** Optional repo-relative file and 1-based line the error is about. */
  readonly path: string | undefined;
  readonly line: number | undefined;
  /**
   * Facts a program reading the error wants as data, not prose: `candidates` of an
   * ambiguous id, the `holder` of a refused claim, the `cycle` a dependency would close.
   */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    where: { path?: string; line?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
    this.path = where.path;
    this.line = where.line;
    this.details = where.details;
  }
}

/** The failure has been reported already; exit with `code` and print nothing more. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}

/** `path:line: message`, the form editors and CI annotations understand. */
export function formatLocation(path: string | undefined, line: number | undefined): string {
  if (!path) return '';
  return line ? `${path}:${line}` : path;
}

/** A `REFUSED` error for a decision that said no, with the holder as data when it names one. */
export function refused(decision: { reason: string; holder?: string }): UserError {
  return new UserError(
    'REFUSED',
    decision.reason,
    decision.holder ? { details: { holder: decision.holder } } : {},
  );
}
