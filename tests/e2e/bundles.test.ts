/**
 * The built bundles load what they import on demand: every `import("./…")` in dist/ names
 * a file that exists and exports the names the importer takes from it. A bundle that names
 * a missing file would fail only on the rare path that needs it (the full YAML parser,
 * zod, --all-branches, the agent's git name).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/git-repo.js';

const DIST = join(ROOT, 'dist');
/** `(await import("./x.js")).name` or `const { a, b } = await import("./x.js")` */
const DYNAMIC = /(?:const \{([^}]*)\} = )?\(?await import\("(\.\/[^"]+)"\)\)?(?:\.(\w+))?/g;

function bundles(): string[] {
  const top = readdirSync(DIST).filter((n) => n.endsWith('.js') || n.endsWith('.cjs'));
  const lazy = readdirSync(join(DIST, 'lazy')).filter((n) => n.endsWith('.js'));
  return [...top.map((n) => join(DIST, n)), ...lazy.map((n) => join(DIST, 'lazy', n))];
}

describe('bundles', () => {
  it('name only files that exist, with the exports taken from them', async () => {
    const seen = new Map<string, Set<string>>();
    for (const file of bundles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(DYNAMIC)) {
        const target = join(dirname(file), m[2]!);
        const names = seen.get(target) ?? new Set<string>();
        for (const n of (m[1] ?? '').split(',')) if (n.trim()) names.add(n.trim().split(':')[0]!);
        if (m[3]) names.add(m[3]);
        seen.set(target, names);
      }
    }
    expect([...seen.keys()].some((t) => t.includes('/lazy/'))).toBe(true);
    for (const [target, names] of seen) {
      const mod = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
      for (const name of names)
        expect(typeof mod[name], `${target} exports ${name}`).toBe('function');
    }
  });
});
