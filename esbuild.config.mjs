// Bundles the CLI (with code splitting, so each command and heavy dependency loads only when
// used) and the benchmark runner. Bundling saves ~50 ms of start-up per run (MEASURED.md).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Stale chunks from earlier builds would pile up next to the new ones.
rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM need a real `require`.
  banner: {
    js: "import { createRequire as __baton_cr } from 'node:module'; const require = __baton_cr(import.meta.url);",
  },
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

await build({
  ...common,
  entryPoints: {
    bench: 'tests/bench/run.ts',
    'bench-floor': 'tests/bench/floor.ts',
    'bench-watch': 'tests/bench/watch.ts',
  },
  outdir: 'dist',
});
