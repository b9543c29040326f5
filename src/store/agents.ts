/**
 * Reads the agent profiles in `.tasks/agents/*.md` (SPEC section 6). A bad profile is a
 * problem naming its file and line; it never hides the others. Two files with one name:
 * the first by path wins, the other is a problem.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentProfile, type ProfileProblem, profileFromData } from '../core/agents.js';
import { decodeTask } from '../format/decode.js';
import type { Root } from './root.js';

export const AGENTS_DIR = 'agents';
const MAX_BYTES = 1024 * 1024;

export interface LoadedAgents {
  agents: AgentProfile[];
  problems: ProfileProblem[];
}

export async function loadAgents(root: Root): Promise<LoadedAgents> {
  const dir = join(root.tasksDir, AGENTS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.md'));
  } catch {
    return { agents: [], problems: [] };
  }
  names.sort();
  const agents: AgentProfile[] = [];
  const problems: ProfileProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of names) {
    const path = `.tasks/${AGENTS_DIR}/${file}`;
    const full = join(dir, file);
    const st = lstatSync(full);
    if (!st.isFile()) {
      problems.push({ path, message: 'not a regular file (symbolic links are not followed)' });
      continue;
    }
    if (st.size > MAX_BYTES) {
      problems.push({ path, message: `file is ${st.size} bytes; the limit is 1 MiB` });
      continue;
    }
    const text = readFileSync(full, 'utf8');
    let d = decodeTask(text);
    if (d === 'needs-yaml') {
      const { parseYamlFrontMatter } = await import('../format/yaml-parse.js');
      d = decodeTask(text, parseYamlFrontMatter);
    }
    if (d === 'needs-yaml') continue;
    if (!d.ok) {
      problems.push({
        path,
        ...(d.line !== undefined ? { line: d.line } : {}),
        message: d.message,
      });
      continue;
    }
    const p = profileFromData(d.data, path, file);
    if ('error' in p) {
      const line = d.lines[p.field];
      problems.push({ path, ...(line !== undefined ? { line } : {}), message: p.error });
      continue;
    }
    const first = seen.get(p.name);
    if (first !== undefined) {
      problems.push({ path, message: `agent "${p.name}" is already defined in ${first}` });
      continue;
    }
    seen.set(p.name, path);
    agents.push(p);
  }
  return { agents, problems };
}
