/** Not built yet. */
import { UserError } from '../../errors.js';
import type { Ctx } from '../context.js';

export async function runApprove(
  _ctx: Ctx,
  _args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  throw new UserError('USAGE', 'not available yet');
}
