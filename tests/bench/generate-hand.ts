/**
 * The hand-written corpus for `npm run bench`: the same tasks, dependencies and bodies as the
 * generated corpus (`generate.ts`, same n and seed), with front matter written the way people
 * write it (the README's own example): a comment after most values, aligned or not, a comment
 * line now and then (some indented), quoted titles (some with escapes), dependencies and
 * labels as block lists as often as flow lists, `skills` and `reviewers` now and then, nested
 * maps two levels deep, a float, block scalars with each chomping mode, and a quarter of the
 * files with CRLF line endings (a few with a byte order mark). All of it is valid: `check`
 * finds nothing and `ready` lists what it lists on the generated corpus.
 *
 * Bump HAND_GENERATOR_VERSION whenever the output changes: the runner keys its cached repos
 * on it.
 */
import { mulberry32, type PlannedTask, pick, planRepo, type Rng } from './generate.js';

export const HAND_GENERATOR_VERSION = 1;

const COMMENTS: Record<string, readonly string[]> = {
  id: ['required; unique across all namespaces', 'do not change', 'from the planning sheet'],
  title: ['required', 'short, imperative', 'as agreed in planning'],
  status: ['todo | in_progress | blocked | review | done', 'updated by baton', 'see the board'],
  priority: ['set at triage', 'critical | high | medium | low', 'raised after the incident'],
  depends_on: ['ids this task waits for', 'see the design doc', 'order matters to nobody'],
  assignee: ['optional', 'owner for now', 'ask before reassigning'],
  labels: ['optional', 'for the weekly report', 'keep these few'],
  estimate: ['30m, 4h, 2d, 1w', 'rough guess', 'before the spike'],
  due: ['optional date', 'hard deadline', 'release train'],
  skills: ['what the agent must know'],
  reviewers: ['who signs off'],
  created: ['set by baton new', 'imported'],
  updated: ['set by baton', 'last touched'],
};
const NOTES = [
  '# Imported from the planning sheet; edit freely.',
  '# Keep this file small: details go in the body.',
  '# TODO: split once the design is agreed',
];
const AGENTS = ['db_specialist', 'frontend_dev', 'reviewer_bot', 'infra_oncall'];
const SKILLS = ['db', 'sql', 'typescript', 'css', 'terraform', 'security'];
const REVIEWERS = ['alice', 'bob', 'carol', 'reviewer_bot'];
const SOURCES = ['planning sheet', 'incident review', 'customer call', 'roadmap'];
const DESCRIPTIONS = [
  'Start from the current implementation and measure it first.',
  'The interface stays as it is; only the internals change.',
  'Talk to the owners of the downstream services before merging.',
  'Edge cases: empty input, very large payloads, slow networks.',
];

/** `key: value`, with a comment after it most of the time, aligned to column 30 or not. */
function line(rng: Rng, key: string, value: string, indent = ''): string {
  const text = `${indent}${key}:${value === '' ? '' : ` ${value}`}`;
  if (rng() < 0.2) return text;
  const comments = COMMENTS[key] ?? ['note'];
  const pad = rng() < 0.6 ? Math.max(1, 30 - text.length) : 2;
  return `${text}${' '.repeat(pad)}# ${pick(rng, comments)}`;
}

function quoted(rng: Rng, title: string): string {
  const r = rng();
  if (r < 0.45) return `"${title}"`;
  if (r < 0.6) return `'${title}'`;
  if (r < 0.7) return `"${title} \\u2014 \\"v2\\""`;
  return title;
}

/** A list as `[a, b]` or as a block list (at its key's column a fifth of the time). */
function list(rng: Rng, out: string[], key: string, items: string[]): void {
  if (items.length === 0 || rng() < 0.5) {
    out.push(line(rng, key, `[${items.join(', ')}]`));
    return;
  }
  out.push(line(rng, key, ''));
  const indent = rng() < 0.2 ? '' : '  ';
  for (const item of items)
    out.push(rng() < 0.3 ? `${indent}- ${item}  # ok` : `${indent}- ${item}`);
}

function block(rng: Rng, out: string[], key: string): void {
  const header = pick(rng, ['|', '|-', '>', '>-']);
  out.push(`${key}: ${header}`);
  const lines = 1 + Math.floor(rng() * 3);
  for (let k = 0; k < lines; k++) {
    if (k > 0 && rng() < 0.2) out.push('');
    out.push(`  ${pick(rng, DESCRIPTIONS)}`);
  }
}

/** The front matter of `t` as a person would write it. */
function handStyle(rng: Rng, t: PlannedTask): { text: string; eol: '\n' | '\r\n' } {
  const out: string[] = [];
  if (rng() < 0.3) out.push(pick(rng, NOTES));
  out.push(line(rng, 'id', t.id));
  out.push(line(rng, 'title', quoted(rng, t.title)));
  out.push(line(rng, 'status', t.status));
  out.push(line(rng, 'priority', t.priority));
  list(rng, out, 'depends_on', t.deps);
  if (t.assignee !== undefined) out.push(line(rng, 'assignee', t.assignee));
  if (t.labels.length > 0) list(rng, out, 'labels', t.labels);
  if (t.estimate !== undefined) out.push(line(rng, 'estimate', t.estimate));
  if (t.due !== undefined) out.push(line(rng, 'due', t.due));
  out.push(line(rng, 'created', t.created), line(rng, 'updated', t.updated));
  if (rng() < 0.15) out.push('    # (an indented comment left over from an edit)');
  if (rng() < 0.15) out.push(line(rng, 'skills', `[${pick(rng, SKILLS)}]`));
  if (rng() < 0.1) list(rng, out, 'reviewers', [pick(rng, REVIEWERS)]);
  if (rng() < 0.4) {
    out.push('agent_requirements:', `  primary_agent: ${pick(rng, AGENTS)}  # who picks it up`);
    if (rng() < 0.5) out.push(`  skills: [${pick(rng, SKILLS)}, ${pick(rng, SKILLS)}]`);
    out.push(
      '  review:',
      `    required: ${rng() < 0.7}`,
      `    min_approvals: ${1 + Math.floor(rng() * 2)}`,
    );
  }
  if (rng() < 0.3) {
    out.push('meta:', `  confidence: ${(0.5 + Math.floor(rng() * 50) / 100).toFixed(2)}`);
    out.push(`  source: "${pick(rng, SOURCES)}"  # where it came from`);
  }
  if (rng() < 0.4) block(rng, out, rng() < 0.5 ? 'description' : 'notes');
  const eol = rng() < 0.25 ? '\r\n' : '\n';
  const bom = rng() < 0.03 ? '\ufeff' : '';
  return { text: `${bom}---${eol}${out.join(eol)}${eol}---${eol}`, eol };
}

/** Write `.tasks/config.yaml`, a root `.gitignore` and `n` hand-written task files under `dir`. */
export function generateHandRepo(dir: string, n: number, seed: number): void {
  const rng = mulberry32(seed ^ 0x68616e64); // its own draws: the plan stays the generated one
  planRepo(dir, n, seed, (task) => handStyle(rng, task));
}
