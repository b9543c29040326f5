/** Files shipped with baton (templates/), found from wherever the bundle runs. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder holding baton's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'baton'
    ) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find baton package root');
    dir = parent;
  }
}

export function packageTemplate(name: string): string | undefined {
  const path = join(packageRoot(), 'templates', name);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
