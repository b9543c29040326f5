/** Placeholder: implemented with the caches, watch and status work. */
import { UserError } from '../../errors.js';
import type { Ctx } from '../context.js';

export async function runWatch(
  _ctx: Ctx,
  _args: string[],
  _opts: Record<string, unknown>,
): Promise<number> {
  throw new UserError('USAGE', 'not implemented yet');
}
