/**
 * Task templates: `.tasks/.templates/<name>.md` (a dot-folder, so it is never read as a
 * namespace), falling back to the ones shipped in baton's `templates/`. A template's front
 * matter gives defaults (priority, labels, any user key) and its body the new task's body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { decodeTask } from '../format/decode.js';
import { splitFile } from '../format/split.js';
import { packageTemplate } from './package-files.js';
import type { Root } from './root.js';

export const TEMPLATES_DIR = '.templates';
export const TEMPLATE_NAMES = ['task', 'bug', 'feature'] as const;

export interface Template {
  fields: Record<string, unknown>;
  body: string;
}

export async function loadTemplate(root: Root, name: string): Promise<Template> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) {
    throw new UserError('USAGE', `invalid template name "${name}"`);
  }
  const rel = `.tasks/${TEMPLATES_DIR}/${name}.md`;
  let text: string | undefined;
  try {
    text = readFileSync(join(root.tasksDir, TEMPLATES_DIR, `${name}.md`), 'utf8');
  } catch {
    text = packageTemplate(`${name}.md`);
  }
  if (text === undefined) {
    throw new UserError('USAGE', `no template "${name}" (looked for ${rel})`);
  }
  let decoded = decodeTask(text);
  if (decoded === 'needs-yaml') {
    decoded = decodeTask(text, (await import('../format/yaml-parse.js')).parseYamlFrontMatter);
  }
  if (decoded === 'needs-yaml' || !decoded.ok) {
    const msg = decoded === 'needs-yaml' ? 'does not parse' : decoded.message;
    throw new UserError('TASK_INVALID', `${rel}: ${msg}`, { path: rel });
  }
  const split = splitFile(text);
  return { fields: decoded.data, body: split.ok ? split.body : '' };
}
