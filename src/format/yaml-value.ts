/** One YAML value from the command line (`--set labels=[a, b]`), core schema, no aliases. */
import { parse } from 'yaml';

export function parseYamlValue(text: string): unknown {
  return parse(text, { schema: 'core', maxAliasCount: 0 });
}
