/**
 * The bench generators must be deterministic (cached repos are keyed on n, seed and version)
 * and must write what the CLI's fast paths accept: flat front matter with the keys
 * `baton new` writes, ids unique, dependencies only on earlier tasks (a DAG); and the
 * hand-written corpus the same tasks in the shapes people write, read as `yaml` reads them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTask } from '../../src/format/decode.js';
import { parseYamlFrontMatter } from '../../src/format/yaml-parse.js';
import { validateTaskFast } from '../../src/schema/task-fast.js';
import { generateRepo } from '../bench/generate.js';
import { generateHandRepo } from '../bench/generate-hand.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function generated(n: number, seed: number, generate = generateRepo): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-gen-'));
  dirs.push(dir);
  generate(dir, n, seed);
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

describe('bench generateHandRepo', () => {
  it('gives byte-identical trees for the same n and seed', () => {
    const a = tree(generated(30, 7, generateHandRepo));
    const b = tree(generated(30, 7, generateHandRepo));
    expect(a.size).toBe(32);
    for (const [path, content] of a) expect(b.get(path), path).toBe(content);
  });

  it("writes the generated corpus's tasks, by hand, all on the fast paths", () => {
    const plain = tree(generated(200, 3));
    const hand = tree(generated(200, 3, generateHandRepo));
    expect([...hand.keys()]).toEqual([...plain.keys()]);
    const seen = { comment: 0, crlf: 0, nested: 0, quoted: 0, block: 0, list: 0, lines: 0 };
    for (const [path, text] of hand) {
      if (!path.endsWith('.md')) continue;
      const fm = text.slice(0, text.indexOf('---', 4));
      const fmLines = fm.split('\n').slice(1, -1);
      seen.lines += fmLines.length;
      seen.comment += fmLines.filter((l) => l.includes('#')).length;
      if (text.includes('\r\n')) seen.crlf++;
      if (/\n {4}\w/.test(fm)) seen.nested++;
      if (/\ntitle: ["']/.test(fm)) seen.quoted++;
      if (/: [|>]-?\r?\n/.test(fm)) seen.block++;
      if (/:( +#[^\n]*)?\r?\n *- /.test(fm)) seen.list++;

      const fast = decodeTask(text);
      if (fast === 'needs-yaml' || !fast.ok) throw new Error(`${path}: not read on the fast path`);
      const split = text
        .replace(/^\ufeff/, '')
        .split(/\r?\n---\r?\n/)[0]!
        .replace(/^---\r?\n/, '');
      const full = parseYamlFrontMatter(`${split}\n`);
      expect(full.ok && full.data, path).toStrictEqual(fast.data);
      const task = validateTaskFast({ ...fast.data });
      expect(task, `${path} is left to zod`).toBeDefined();

      const other = decodeTask(plain.get(path)!);
      if (other === 'needs-yaml' || !other.ok) throw new Error(`${path}: generated file unread`);
      for (const key of ['id', 'status', 'priority', 'depends_on', 'assignee', 'labels', 'due']) {
        expect(fast.data[key], `${path} ${key}`).toStrictEqual(other.data[key]);
      }
      expect(String(fast.data.title).startsWith(String(other.data.title)), path).toBe(true);
      expect(
        plain.get(path)!.endsWith(text.slice(text.lastIndexOf('## Log')).replace(/\r\n/g, '\n')),
      ).toBe(true);
    }
    // comments on most lines, and each other shape in a fair share of the 200 files
    expect(seen.comment / seen.lines).toBeGreaterThan(0.5);
    for (const shape of ['crlf', 'nested', 'quoted', 'block', 'list'] as const) {
      expect(seen[shape], shape).toBeGreaterThan(20);
    }
  });
});
