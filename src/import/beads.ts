/** Placeholder until the beads reader lands: the import command's dispatch already names it. */
import { UserError } from '../errors.js';
import type { ImportSource } from './types.js';

export async function readBeads(_path: string): Promise<ImportSource> {
  throw new UserError('USAGE', 'not built yet');
}
