/** Reads `.tasks/config.yaml` (optional). Parsed config is cached in the index by stat key. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { parseFlatYaml } from '../format/fast-yaml.js';
import type { Config } from '../schema/config.js';
import { DEFAULT_CONFIG } from '../schema/config-defaults.js';
import { validateConfigFast } from '../schema/config-fast.js';
import type { Root } from './root.js';

export const CONFIG_FILE = 'config.yaml';

export interface LoadedConfig {
  config: Config;
  /** Stat key of the file, or 'none' when there is no config file. */
  key: string;
}

export function configKey(root: Root): string {
  try {
    const st = statSync(join(root.tasksDir, CONFIG_FILE), { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ino}`;
  } catch {
    return 'none';
  }
}

export async function loadConfig(root: Root, cached?: LoadedConfig): Promise<LoadedConfig> {
  const key = configKey(root);
  if (key === 'none') return { config: DEFAULT_CONFIG, key };
  if (cached && cached.key === key) return cached;
  const rel = `.tasks/${CONFIG_FILE}`;
  const text = readFileSync(join(root.tasksDir, CONFIG_FILE), 'utf8');
  const flat = parseFlatYaml(text);
  const fast = flat && validateConfigFast(flat.data);
  if (fast) return { config: fast, key };
  const { parseYamlFrontMatter } = await import('../format/yaml-parse.js');
  const parsed = parseYamlFrontMatter(text);
  if (!parsed.ok) {
    throw new UserError('CONFIG_INVALID', `${rel}: ${parsed.message}`, {
      path: rel,
      ...(parsed.line !== undefined ? { line: parsed.line + 1 } : {}),
    });
  }
  const { validateConfig } = await import('../schema/config.js');
  const result = validateConfig(parsed.data);
  if (!result.ok || !result.config) {
    const first = result.issues[0];
    const top = first?.field.split('.')[0] ?? '';
    const line = parsed.lines[top];
    throw new UserError(
      'CONFIG_INVALID',
      `${rel}${line !== undefined ? `:${line + 1}` : ''}: ${result.issues
        .map((i) => `${i.field || '(top)'}: ${i.message}`)
        .join('; ')}`,
      { path: rel, ...(line !== undefined ? { line: line + 1 } : {}) },
    );
  }
  return { config: result.config, key };
}
