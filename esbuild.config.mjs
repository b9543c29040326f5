// Bundles the CLI (with code splitting, so each command and heavy dependency loads only when
// used) and the benchmark runner. Bundling saves ~50 ms of start-up per run (MEASURED.md).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

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

const written = new Set();
const cli = await build({
  ...common,
  metafile: true,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// What bin/baton.js loads first for a replayed answer, for the pre-commit check and for
// exactly `ready|list|blocked --json` when the memo missed: one self-contained file each,
// since loading many small modules is much of their time (a cold `ready --json` spent
// ~8 ms loading seven files, ~3 ms loading one). What they need only on demand, the full
// YAML parser and zod, is one file each under dist/lazy/, shared by these bundles; so is
// the git access of --all-branches and of the agent's name, which would otherwise load
// node:child_process (and the network modules it pulls in, ~2 ms) on every read.
const LAZY = [
  [/\/format\/yaml-parse\.js$/, 'yaml-parse.js'],
  [/\/schema\/(task|config)\.js$/, 'schemas.js'],
  [/\/store\/all-branches\.js$/, 'all-branches.js'],
  [/\/store\/git\.js$/, 'git.js'],
];
/**
 * `import()` of a lazy module -> its file in dist/lazy/, as `${dir}<file>` (other dynamic
 * imports are inlined).
 */
function lazyImports(dir) {
  return {
    name: 'lazy-imports',
    setup(b) {
      b.onResolve({ filter: /\.js$/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const hit = LAZY.find(([re]) => re.test(args.path));
        return hit ? { path: dir + hit[1], external: true } : undefined;
      });
    },
  };
}
const lazy = await build({
  ...common,
  metafile: true,
  entryPoints: {
    'lazy/yaml-parse': 'src/format/yaml-parse.ts',
    'lazy/schemas': 'src/schema/lazy.ts',
    'lazy/all-branches': 'src/store/all-branches.ts',
    'lazy/git': 'src/store/git.ts',
  },
  outdir: 'dist',
  plugins: [lazyImports('./')],
});
// These three are CommonJS, loaded with `require` by bin/baton.js (itself CommonJS): a
// process that never starts Node's ES module loader saves ~5 ms, a tenth of what a cold read
// of 1,000 tasks adds to reading the files. Their lazy imports stay `import()` of the ESM
// files in dist/lazy/. `import.meta.url` becomes this file's URL.
const small = await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__baton_meta_url' },
  banner: { js: 'const __baton_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  metafile: true,
  entryPoints: {
    memo: 'src/cli/memo.ts',
    'check-staged': 'src/cli/staged-main.ts',
    read: 'src/cli/read-main.ts',
  },
  outdir: 'dist',
  plugins: [lazyImports('./lazy/')],
});
for (const out of Object.keys(small.metafile.outputs)) {
  if (out.endsWith('.cjs') && readFileSync(out, 'utf8').includes('require("./lazy/')) {
    throw new Error(`${out} requires an ES module: its lazy imports must stay import()`);
  }
}

const bench = await build({
  ...common,
  metafile: true,
  entryPoints: {
    bench: 'tests/bench/run.ts',
    'bench-floor': 'tests/bench/floor.ts',
    'bench-watch': 'tests/bench/watch.ts',
    'bench-stats': 'tests/bench/stats.ts',
    'bench-run-pool': 'tests/bench/run-pool.ts',
  },
  outdir: 'dist',
  // loaded only by the board's bench, and only when a browser is there
  external: ['playwright-core'],
});

/**
 * The UI's html`` templates lose the indentation around their line breaks, and the line
 * breaks next to a tag or a `${}`: htm drops whitespace holding a line break at either end
 * of a text (and the templates use no `...${}` spreads), so the page is the same and the
 * bundle smaller. Found with TypeScript's parser, which tells templates from strings and
 * regexes.
 */
function compactTemplates() {
  return {
    name: 'compact-templates',
    setup(b) {
      b.onLoad({ filter: /src[\\/]board[\\/]ui[\\/].*\.ts$/ }, async (args) => {
        const ts = (await import('typescript')).default;
        const text = readFileSync(args.path, 'utf8');
        const file = ts.createSourceFile(args.path, text, ts.ScriptTarget.Latest, true);
        const spans = [];
        const visit = (node) => {
          if (ts.isTaggedTemplateExpression(node) && node.tag.getText(file) === 'html') {
            const t = node.template;
            const parts = ts.isNoSubstitutionTemplateLiteral(t)
              ? [t]
              : [t.head, ...t.templateSpans.map((s) => s.literal)];
            for (const p of parts) spans.push([p.getStart(file), p.getEnd()]);
          }
          ts.forEachChild(node, visit);
        };
        visit(file);
        spans.sort((x, y) => y[0] - x[0]);
        let out = text;
        for (const [a, z] of spans) {
          const part = out
            .slice(a, z)
            .replace(/\s*\n\s*/g, '\n')
            .replace(/\n(?=<|\$\{)|(?<=>)\n/g, '');
          out = out.slice(0, a) + part + out.slice(z);
        }
        return { contents: out, loader: 'ts' };
      });
    },
  };
}

// The board's browser UI (`baton board`): one minified file plus its page and style sheet,
// which the board server reads into memory at start.
const board = await build({
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  entryPoints: { 'board/app': 'src/board/ui/main.ts' },
  outdir: 'dist',
  plugins: [compactTemplates()],
});
mkdirSync('dist/board', { recursive: true });
for (const file of ['index.html', 'app.css']) {
  copyFileSync(join('src/board/ui', file), join('dist/board', file));
  written.add(join('dist/board', file));
}

// Stale chunks from earlier builds would pile up next to the new ones. They are removed
// only once they are a few minutes old, so a baton process started from the previous build
// can still load its lazy chunks while this build replaces the entry files.
for (const result of [cli, lazy, small, bench, board]) {
  for (const out of Object.keys(result.metafile.outputs)) written.add(relative('.', out));
}
const GRACE_MS = 5 * 60_000;
function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) prune(path);
    else if (!written.has(path) && !written.has(path.replace(/\.map$/, ''))) {
      if (Date.now() - statSync(path).mtimeMs > GRACE_MS) rmSync(path, { force: true });
    }
  }
}
prune('dist');
