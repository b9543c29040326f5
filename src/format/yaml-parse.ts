/**
 * The full YAML reader for front matter the fast path (`fast-yaml.ts`) does not take. It
 * imports the `yaml` package statically, so callers import this module lazily
 * (`await import('./yaml-parse.js')`) and only when a file needs it.
 *
 * Safety: YAML 1.2 core schema (timestamps stay strings), no merge keys, no YAML 1.1 tags
 * (`!!binary`, `!!timestamp`, `!!set`...): an explicit tag the core schema does not define is
 * an error, never a custom type. Nothing is evaluated. Aliases are expanded with a budget, so
 * an alias bomb ("billion laughs") is an error instead of a hang.
 */
import { type Document, isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';

export type YamlParseResult =
  | { ok: true; data: Record<string, unknown>; lines: Record<string, number> }
  | { ok: false; line?: number; message: string };

const OPTIONS = {
  schema: 'core',
  // The package's own check compares each key with every earlier one of its map: 40,000 keys
  // took 12 s. `firstDuplicateKey` does the same check with a set.
  uniqueKeys: false,
  merge: false,
  resolveKnownTags: false,
  prettyErrors: false,
  strict: true,
} as const;

/** How many times aliased nodes may be expanded in total before we call it an attack. */
const MAX_ALIAS_COUNT = 100;

/** 0-based line of `offset`, by binary search over the line starts the parser recorded. */
function lineAt(counter: LineCounter, offset: number): number {
  return Math.max(0, counter.linePos(offset).line - 1);
}

function oneLine(message: string): string {
  const first = message.split('\n', 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function fail(counter: LineCounter, message: string, offset?: number): YamlParseResult {
  if (offset === undefined) return { ok: false, message: oneLine(message) };
  return { ok: false, line: lineAt(counter, offset), message: oneLine(message) };
}

/**
 * The first key (in document order) that its map already holds, compared as the package's
 * `uniqueKeys: true` compares them (scalar values; other keys are never equal), in linear time.
 */
function firstDuplicateKey(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          const start = key.range?.[0] ?? 0;
          if (at === undefined || start < at) at = start;
          break;
        }
        seen.add(key.value);
      }
    },
  });
  return at;
}

/** Parses front-matter text with the `yaml` package; errors carry a 0-based line. */
export function parseYamlFrontMatter(fmText: string): YamlParseResult {
  const counter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(fmText, { ...OPTIONS, lineCounter: counter });
  } catch (err) {
    return fail(counter, `cannot parse front matter: ${(err as Error).message}`);
  }
  const error = doc.errors[0];
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== undefined && (error === undefined || duplicate < error.pos[0])) {
    return fail(counter, 'Map keys must be unique', duplicate);
  }
  if (error) return fail(counter, error.message, error.pos[0]);
  const tagWarning = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tagWarning) {
    return fail(
      counter,
      `${tagWarning.message} (only YAML core-schema tags are accepted)`,
      tagWarning.pos[0],
    );
  }
  const contents = doc.contents;
  const lines: Record<string, number> = {};
  if (contents === null || (isScalar(contents) && contents.value === null && !contents.source)) {
    return { ok: true, data: {}, lines };
  }
  if (!isMap(contents)) {
    return fail(counter, 'front matter must be a mapping of keys to values', contents.range?.[0]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = (err as Error).message;
    if (/alias count/i.test(msg)) {
      return fail(counter, 'too many YAML aliases: the front matter looks like an alias bomb');
    }
    return fail(counter, `cannot read front matter: ${msg}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail(counter, 'front matter must be a mapping of keys to values');
  }
  for (const pair of contents.items) {
    const key = pair.key;
    const name = isScalar(key) ? String(key.value ?? '') : undefined;
    const start = isScalar(key) ? key.range?.[0] : undefined;
    if (name !== undefined && start !== undefined && !Object.hasOwn(lines, name)) {
      // defineProperty: a key named `__proto__` must stay an ordinary own key
      Object.defineProperty(lines, name, {
        value: lineAt(counter, start),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return { ok: true, data: data as Record<string, unknown>, lines };
}
