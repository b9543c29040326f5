/**
 * The bench generator must be deterministic (cached repos are keyed on n, seed and version)
 * and must write what the CLI's fast path accepts: flat front matter with the keys
 * `baton new` writes, ids unique, dependencies only on earlier tasks (a DAG).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateTaskFast } from '../../src/schema/task-fast.js';
import { generateRepo } from '../bench/generate.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function generated(n: number, seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-gen-'));
  dirs.push(dir);
  generateRepo(dir, n, seed);
  return dir;
}

/** path (relative to `dir`) -> content, for every file under it. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(full.slice(dir.length + 1), readFileSync(full, 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The flat front matter the generator writes: `key: scalar` and `key: [a, b]` lines. */
function frontMatter(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new Error('no front matter');
  const data: Record<string, unknown> = {};
  for (const line of match[1]!.split('\n')) {
    const kv = /^([a-z_]+): (.*)$/.exec(line);
    if (!kv) throw new Error(`not a flat key: ${line}`);
    const value = kv[2]!;
    data[kv[1]!] = value.startsWith('[')
      ? value
          .slice(1, -1)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : value;
  }
  return data;
}

const REQUIRED = ['id', 'title', 'status', 'priority', 'depends_on', 'created', 'updated'];
const OPTIONAL = ['assignee', 'labels', 'estimate', 'due'];

describe('bench generateRepo', () => {
  it('gives byte-identical trees for the same n and seed', () => {
    const a = tree(generated(50, 7));
    const b = tree(generated(50, 7));
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.size).toBe(52); // config.yaml, .gitignore and 50 tasks
    for (const [path, content] of a) expect(b.get(path), path).toBe(content);
  });

  it('gives different trees for different seeds', () => {
    const a = tree(generated(50, 7));
    const b = tree(generated(50, 8));
    expect([...a.entries()]).not.toEqual([...b.entries()]);
  });

  it('writes valid flat task files whose dependencies form a DAG', () => {
    const dir = generated(50, 7);
    expect(readFileSync(join(dir, '.tasks/config.yaml'), 'utf8')).toBe('prefix: t\n');
    const tasks = [...tree(dir)].filter(([path]) => path.endsWith('.md'));
    expect(tasks).toHaveLength(50);

    const byId = new Map<string, string[]>();
    const seenOptional = new Set<string>();
    for (const [path, text] of tasks) {
      expect(path).toMatch(/^\.tasks\/(main|feature-a|feature-b|release-1)\/t-[0-9a-z]{6}\.md$/);
      const raw = frontMatter(text);
      for (const key of REQUIRED) expect(raw, `${path} ${key}`).toHaveProperty(key);
      for (const key of Object.keys(raw)) {
        expect([...REQUIRED, ...OPTIONAL], `${path} ${key}`).toContain(key);
        if (OPTIONAL.includes(key)) seenOptional.add(key);
      }
      const task = validateTaskFast(raw);
      expect(task, path).toBeDefined();
      expect(path.endsWith(`/${task!.id}.md`)).toBe(true);
      expect(byId.has(task!.id)).toBe(false);
      byId.set(task!.id, task!.depends_on);
      expect(text).toContain('\n## Log\n- 2026-');
      expect(text).toMatch(/\n- \[[ x]\] /);
    }
    expect([...seenOptional].sort()).toEqual([...OPTIONAL].sort());

    // Every dependency exists, and a depth-first walk finds no cycle.
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string): void => {
      expect(state.get(id), `cycle through ${id}`).not.toBe('visiting');
      if (state.get(id) === 'done') return;
      state.set(id, 'visiting');
      for (const dep of byId.get(id) ?? []) {
        expect(byId.has(dep), `${id} -> ${dep}`).toBe(true);
        visit(dep);
      }
      state.set(id, 'done');
    };
    for (const id of byId.keys()) visit(id);
  });
});
