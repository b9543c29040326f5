/** A failure as the user sees it: the message (file and line first) and the exit code. */
import { EXIT_USAGE, ExitError, formatLocation, UserError } from '../errors.js';

export function reportFailure(error: unknown): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof UserError) {
    const where = formatLocation(error.path, error.line);
    const msg =
      where && !error.message.startsWith(where) ? `${where}: ${error.message}` : error.message;
    process.stderr.write(`baton: error: ${msg}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `baton: internal error (a bug; please report it with the command you ran):\n${stack}\n`,
  );
  return EXIT_USAGE;
}
