/**
 * Reads the agent profiles in `.tasks/agents/*.md` (SPEC section 6). A bad profile is a
 * problem naming its file and line; it never hides the others. Two files with one name:
 * the first by path wins, the other is a problem. Symbolic links are not followed and a file
 * over 1 MiB is refused, as for task files.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentProfile, type ProfileProblem, profileFromData } from '../core/agents.js';
import { decodeTask } from '../format/decode.js';
import type { Root } from './root.js';

export const AGENTS_DIR = 'agents';
export const MAX_PROFILE_BYTES = 1024 * 1024;

export interface LoadedAgents {
  agents: AgentProfile[];
  problems: ProfileProblem[];
}

/** The `.md` file names in `dir`, sorted; undefined when `dir` cannot be read. */
export function profileFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((n) => n.toLowerCase().endsWith('.md'))
      .sort();
  } catch {
    return undefined;
  }
}

/** Why a would-be profile file cannot be read as one (not a file, too big), if it cannot. */
export function unreadable(full: string): string | undefined {
  const st = lstatSync(full);
  if (!st.isFile()) return 'not a regular file (symbolic links are not followed)';
  if (st.size > MAX_PROFILE_BYTES) return `file is ${st.size} bytes; the limit is 1 MiB`;
  return undefined;
}

/** A profile from a file's text; `path` names the file in problems. */
export async function parseProfile(
  text: string,
  path: string,
  fileName: string,
): Promise<AgentProfile | ProfileProblem> {
  let d = decodeTask(text);
  if (d === 'needs-yaml') {
    const { parseYamlFrontMatter } = await import('../format/yaml-parse.js');
    d = decodeTask(text, parseYamlFrontMatter);
  }
  if (d === 'needs-yaml') return { path, message: 'front matter could not be read' };
  if (!d.ok) return { path, ...(d.line !== undefined ? { line: d.line } : {}), message: d.message };
  const p = profileFromData(d.data, path, fileName);
  if ('error' in p) {
    const line = d.lines[p.field];
    return { path, ...(line !== undefined ? { line } : {}), message: p.error };
  }
  return p;
}

export function isProblem(p: AgentProfile | ProfileProblem): p is ProfileProblem {
  return 'message' in p;
}

export async function loadAgents(root: Root): Promise<LoadedAgents> {
  const dir = join(root.tasksDir, AGENTS_DIR);
  const names = profileFiles(dir) ?? [];
  const agents: AgentProfile[] = [];
  const problems: ProfileProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of names) {
    const path = `.tasks/${AGENTS_DIR}/${file}`;
    const full = join(dir, file);
    const refused = unreadable(full);
    if (refused) {
      problems.push({ path, message: refused });
      continue;
    }
    const p = await parseProfile(readFileSync(full, 'utf8'), path, file);
    if (isProblem(p)) {
      problems.push(p);
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
