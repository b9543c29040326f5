/** Placeholder: implemented in the collaboration work. */
import { UserError } from '../../errors.js';
import type { Ctx } from '../context.js';

export function channelRunner(_verb: 'share' | 'discover' | 'sync') {
  return async (_ctx: Ctx, _args: string[], _opts: Record<string, unknown>): Promise<number> => {
    throw new UserError('USAGE', 'not implemented yet');
  };
}

export async function runAck(
  _ctx: Ctx,
  _args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  throw new UserError('USAGE', 'not implemented yet');
}
