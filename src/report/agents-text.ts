/** The text of `agents list` and `agents import`. */
import type { ProfileProblem, RosterEntry } from '../core/agents.js';
import type { ImportItem } from '../store/agent-import.js';
import type { Paint } from './color.js';

export function problemText(p: { path: string; line?: number; message: string }): string {
  return `${p.line ? `${p.path}:${p.line}` : p.path}: ${p.message}`;
}

export function rosterText(entries: readonly RosterEntry[], p: Paint): string[] {
  if (entries.length === 0) {
    return [
      'No agent profiles in .tasks/agents/, and nobody holds a task.',
      p.dim('Import some with: baton agents import .claude/agents'),
    ];
  }
  const w = Math.max(...entries.map((e) => e.name.length));
  const lines: string[] = [];
  for (const e of entries) {
    const load = `${e.load.length}/${e.capacity}${e.over ? '!' : ''}`;
    const parts = [p.bold(e.name.padEnd(w)), e.over ? p.red(load) : load];
    if (!e.profile) parts.push(p.yellow('no profile (capacity 1, no skills)'));
    else parts.push(e.skills.length > 0 ? `skills ${e.skills.join(', ')}` : p.dim('no skills'));
    if (e.backup) parts.push(`backup ${e.backup}`);
    lines.push(parts.join('  '));
    if (e.load.length > 0) lines.push(`  in progress: ${e.load.join(', ')}`);
    if (e.description) lines.push(p.dim(`  ${e.description.split('\n')[0]}`));
  }
  return lines;
}

export function rosterJson(
  entries: readonly RosterEntry[],
  problems: readonly ProfileProblem[],
): Record<string, unknown> {
  return {
    agents: entries.map((e) => ({ ...e, in_progress: e.load.length })),
    problems: problems.map((x) => ({
      path: x.path,
      ...(x.line !== undefined ? { line: x.line } : {}),
      message: x.message,
    })),
  };
}

const VERB: Record<ImportItem['action'], string> = {
  import: 'imported',
  overwrite: 'overwrote',
  unchanged: 'unchanged',
  refused: 'refused',
  invalid: 'invalid',
};

/** One line per file on stdout (copied or unchanged), and one on stderr per failure. */
export function importText(items: readonly ImportItem[]): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  for (const i of items) {
    if (i.action === 'invalid') {
      err.push(`${problemText({ path: i.source, ...i, message: i.message ?? '' })} (not imported)`);
    } else if (i.action === 'refused') {
      err.push(`${i.source}: ${i.message ?? 'refused'} (not imported)`);
    } else {
      out.push(`${VERB[i.action]} ${i.source} -> ${i.target} (agent ${i.name})`);
    }
  }
  const count = (a: ImportItem['action']) => items.filter((i) => i.action === a).length;
  const copied = count('import') + count('overwrite');
  const summary = [`${copied} imported`, `${count('unchanged')} unchanged`];
  const failed = count('refused') + count('invalid');
  if (failed > 0) summary.push(`${failed} not imported`);
  out.push(items.length === 0 ? 'no .md files to import' : summary.join(', '));
  return { out, err };
}
