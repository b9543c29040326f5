/**
 * Agent profiles (SPEC section 6): who can do what, and how much at once. Built by
 * `store/agents.ts` from `.tasks/agents/*.md`; pure here so `next`, `plan` and `status`
 * can compute over them.
 *
 * A profile is the front matter coding-agent tools keep under `.claude/agents/` (`name`,
 * `description`, `tools`), plus baton's `skills`, `capacity` and `backup`. Unknown keys are
 * ignored. `tools` may be a list or a comma-separated string (as Claude Code writes it).
 */

export interface AgentProfile {
  /** `name:` in the front matter, else the file name without `.md`. */
  name: string;
  description?: string;
  tools: string[];
  skills: string[];
  /** Most tasks in progress at once (default 1). */
  capacity: number;
  /** Another agent to escalate to. */
  backup?: string;
  /** The shell command `baton run` starts for this agent's tasks (the task on stdin). */
  command?: string;
  /** Repo-relative path of the profile file. */
  path: string;
}

export interface ProfileProblem {
  path: string;
  line?: number;
  message: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    return v.map((x) => String(x).trim()).filter((s) => s !== '');
  }
  return undefined;
}

/** A profile from its front matter, or the reason it is not one. */
export function profileFromData(
  data: Record<string, unknown>,
  path: string,
  fileName: string,
): AgentProfile | { error: string; field: string } {
  const rawName = data.name ?? fileName.replace(/\.md$/i, '');
  const name = typeof rawName === 'string' ? rawName.trim() : String(rawName);
  if (!NAME.test(name)) {
    return { error: `name "${name}" is not letters, digits, . _ @ - (at most 64)`, field: 'name' };
  }
  const tools = stringList(data.tools);
  if (!tools)
    return { error: 'tools: expected a list or a comma-separated string', field: 'tools' };
  const skills = stringList(data.skills);
  if (!skills) return { error: 'skills: expected a list of names', field: 'skills' };
  let capacity = 1;
  if (data.capacity !== undefined && data.capacity !== null) {
    const c = data.capacity;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
      return { error: 'capacity: expected a whole number, 0 or more', field: 'capacity' };
    }
    capacity = c;
  }
  const profile: AgentProfile = { name, tools, skills, capacity, path };
  if (typeof data.description === 'string') profile.description = data.description.trim();
  if (data.backup !== undefined && data.backup !== null) {
    if (typeof data.backup !== 'string' || !NAME.test(data.backup)) {
      return { error: 'backup: expected the name of another agent', field: 'backup' };
    }
    profile.backup = data.backup;
  }
  if (data.command !== undefined && data.command !== null) {
    if (typeof data.command !== 'string' || data.command.trim() === '') {
      return { error: 'command: expected a shell command line', field: 'command' };
    }
    profile.command = data.command;
  }
  return profile;
}

/** One line of `agents list`: a profile, or an agent that holds work without one. */
export interface RosterEntry {
  name: string;
  /** False for an agent that holds tasks but has no profile (capacity 1, no skills). */
  profile: boolean;
  path: string | null;
  description: string | null;
  tools: string[];
  skills: string[];
  capacity: number;
  backup: string | null;
  /** Ids of the tasks it holds now (live in-progress; see `work-load.ts`). */
  load: string[];
  /** Holds more than its capacity. */
  over: boolean;
}

/**
 * Every profile, by name, then every agent holding tasks without a profile, by name; each
 * with its current load (`byAgent`: ids of held tasks per agent).
 */
export function roster(
  profiles: readonly AgentProfile[],
  byAgent: ReadonlyMap<string, readonly string[]>,
): RosterEntry[] {
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const known = new Set(profiles.map((p) => p.name));
  const entry = (name: string, p: AgentProfile | undefined): RosterEntry => {
    const load = [...(byAgent.get(name) ?? [])];
    const capacity = p?.capacity ?? 1;
    return {
      name,
      profile: p !== undefined,
      path: p?.path ?? null,
      description: p?.description ?? null,
      tools: p?.tools ?? [],
      skills: p?.skills ?? [],
      capacity,
      backup: p?.backup ?? null,
      load,
      over: load.length > capacity,
    };
  };
  const withProfile = [...profiles].sort(byName).map((p) => entry(p.name, p));
  const without = [...byAgent.keys()]
    .filter((name) => !known.has(name))
    .map((name) => entry(name, undefined))
    .sort(byName);
  return [...withProfile, ...without];
}
