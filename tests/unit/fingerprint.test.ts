/**
 * Fingerprints: the glob matcher against a table, and the git reads against real
 * repositories (tracked, modified, untracked, deleted, ignored files; the index; a commit;
 * two clones).
 */
import { symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/types.js';
import {
  compileInputs,
  diffInputs,
  expandBraces,
  fingerprintFiles,
  globToRegExp,
  InputTree,
  literalPrefix,
  readInputTree,
  taskFingerprints,
} from '../../src/store/fingerprint.js';
import { git, gitRepo, tempDir, writeTree } from '../helpers/git-repo.js';
import { makeTask } from '../property/reference.js';

describe('expandBraces', () => {
  it('expands alternatives, nested and several', () => {
    expect(expandBraces('a/{b,c}.ts')).toEqual(['a/b.ts', 'a/c.ts']);
    expect(expandBraces('{a,b{c,d}}/x')).toEqual(['a/x', 'bc/x', 'bd/x']);
    expect(expandBraces('{a,b}/{c,d}')).toEqual(['a/c', 'a/d', 'b/c', 'b/d']);
    expect(expandBraces('{a,}x')).toEqual(['ax', 'x']);
  });
  it('keeps unbalanced and escaped braces literal', () => {
    expect(expandBraces('a{b')).toEqual(['a{b']);
    expect(expandBraces('a\\{b,c}')).toEqual(['a\\{b,c}']);
  });
  it('refuses a pattern that explodes', () => {
    expect(() => expandBraces('{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b}')).toThrow(/too many/);
  });
});

describe('globToRegExp', () => {
  const cases: [glob: string, path: string, match: boolean][] = [
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['*.ts', '.hidden.ts', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/lib/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/lib/deep/a.ts', true],
    ['src/**/*.ts', 'srcx/a.ts', false],
    ['src/**/*.ts', 'src/a.tsx', false],
    ['**/*.csv', 'a.csv', true],
    ['**/*.csv', 'x/y/a.csv', true],
    ['**', 'anything/at/all', true],
    ['src/**', 'src/a', true],
    ['src/**', 'src', true],
    ['src/**', 'srcs/a', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/xb', false],
    ['a/**/**/b', 'a/b', true],
    ['src', 'src/a/b.ts', true], // a folder matches what it holds
    ['src/', 'src/a.ts', true],
    ['./src/a.ts', 'src/a.ts', true],
    ['/src/a.ts', 'src/a.ts', true],
    ['src//a.ts', 'src/a.ts', true],
    ['data/?.csv', 'data/a.csv', true],
    ['data/?.csv', 'data/ab.csv', false],
    ['data/?.csv', 'data//.csv', false],
    ['data/[ab].csv', 'data/b.csv', true],
    ['data/[ab].csv', 'data/c.csv', false],
    ['data/[!ab].csv', 'data/c.csv', true],
    ['data/[!ab].csv', 'data/a.csv', false],
    ['data/[a-c]x', 'data/bx', true],
    ['data/[x', 'data/[x', true],
    ['a.b', 'aXb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
  ];
  it.each(cases)('%s vs %s -> %s', (glob, path, match) => {
    expect(globToRegExp(glob).test(path)).toBe(match);
  });
});

describe('compileInputs', () => {
  it('combines braces, exclusions and never matches .tasks/ or ..', () => {
    const m = compileInputs(['src/{a,b}/**', '!src/**/*.test.ts', '.tasks/**', '../x']);
    expect(m.test('src/a/x.ts')).toBe(true);
    expect(m.test('src/b/y/z.ts')).toBe(true);
    expect(m.test('src/c/x.ts')).toBe(false);
    expect(m.test('src/a/x.test.ts')).toBe(false);
    expect(m.test('.tasks/main/t1.md')).toBe(false);
    expect(m.test('x')).toBe(false);
  });
  it('narrows git calls to the literal folders', () => {
    expect(literalPrefix('src/**/*.ts')).toBe('src');
    expect(literalPrefix('data/raw/a.csv')).toBe('data/raw/a.csv');
    expect(literalPrefix('**/*.ts')).toBe('');
    expect(literalPrefix('a/b*/c')).toBe('a');
    expect(compileInputs(['src/**', 'docs/*.md', '{x,y}/z']).pathspecs).toEqual([
      'src',
      'docs',
      'x/z',
      'y/z',
    ]);
    expect(compileInputs(['src/**', '*.md']).pathspecs).toBeUndefined();
  });
});

describe('fingerprintFiles and diffInputs', () => {
  it('hashes sorted pairs; any path or blob change moves it', () => {
    const a = fingerprintFiles([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintFiles([['a', '1']])).not.toBe(a);
    expect(
      fingerprintFiles([
        ['a', '1'],
        ['b', '3'],
      ]),
    ).not.toBe(a);
    expect(
      fingerprintFiles([
        ['a', '1'],
        ['c', '2'],
      ]),
    ).not.toBe(a);
  });
  it('names added, removed and changed inputs', () => {
    expect(
      diffInputs(
        [
          ['a', '1'],
          ['b', '2'],
          ['c', '3'],
        ],
        [
          ['a', '1'],
          ['b', '9'],
          ['d', '4'],
        ],
      ),
    ).toEqual({ added: ['d'], removed: ['c'], changed: ['b'] });
  });
  it('selects from a tree by prefix range, with exclusions per selection', () => {
    const tree = new InputTree(
      new Map([
        ['src/a.ts', '1'],
        ['src/a.test.ts', '2'],
        ['src-old/a.ts', '3'],
        ['srcx', '4'],
        ['docs/r.md', '5'],
      ]),
    );
    expect(tree.select(['src/**/*.ts'])).toEqual([
      ['src/a.test.ts', '2'],
      ['src/a.ts', '1'],
    ]);
    expect(tree.select(['src/**', '!**/*.test.ts'])).toEqual([['src/a.ts', '1']]);
    expect(tree.select(['**/*.md', 'src-old'])).toEqual([
      ['docs/r.md', '5'],
      ['src-old/a.ts', '3'],
    ]);
  });
});

const blob = (dir: string, path: string) => git(dir, 'hash-object', path).trim();

describe('readInputTree (real git)', () => {
  it('takes index ids for clean files and hashes modified and untracked ones once', () => {
    const dir = gitRepo({
      'data/a.csv': 'a\n',
      'data/b.csv': 'b\n',
      'data/gone.csv': 'g\n',
      'src/x.ts': 'x\n',
      '.gitignore': 'data/ignored.csv\n',
    });
    writeTree(dir, {
      'data/a.csv': 'a changed\n',
      'data/new.csv': 'new\n',
      'data/ignored.csv': 'ignored\n',
      '.tasks/main/t.md': '---\nid: t\n---\n',
    });
    unlinkSync(join(dir, 'data/gone.csv'));
    const tree = readInputTree(dir, ['data/**', '.tasks/**']);
    const files = tree.select(['data/**', '.tasks/**']);
    expect(files).toEqual([
      ['data/a.csv', blob(dir, 'data/a.csv')],
      ['data/b.csv', blob(dir, 'data/b.csv')],
      ['data/new.csv', blob(dir, 'data/new.csv')],
    ]);
    // src/ was outside the pathspecs: not read at all
    expect(tree.paths).not.toContain('src/x.ts');
  });

  it('agrees with git: the fingerprint of committed inputs equals one from ls-tree', () => {
    const dir = gitRepo({ 'data/a.csv': 'a\n', 'data/sub/b.csv': 'b\n' });
    const work = readInputTree(dir, ['data']).fingerprint(['data']);
    const head = readInputTree(dir, ['data'], { rev: 'HEAD' }).fingerprint(['data']);
    const index = readInputTree(dir, ['data'], 'index').fingerprint(['data']);
    expect(work).toEqual(head);
    expect(index).toEqual(head);
    writeTree(dir, { 'data/a.csv': 'changed\n' });
    expect(readInputTree(dir, ['data']).fingerprint(['data']).fingerprint).not.toBe(
      head.fingerprint,
    );
    // the index still holds the committed blob until the change is staged
    expect(readInputTree(dir, ['data'], 'index').fingerprint(['data'])).toEqual(head);
    git(dir, 'add', 'data/a.csv');
    expect(readInputTree(dir, ['data'], 'index').fingerprint(['data'])).toEqual(
      readInputTree(dir, ['data']).fingerprint(['data']),
    );
  });

  it('is identical in two clones for identical inputs, and includes uncommitted edits', () => {
    const origin = gitRepo({ 'data/a.csv': 'a\n', 'data/b.csv': 'b\n' });
    const clone = join(tempDir(), 'clone');
    git(origin, 'clone', '-q', origin, clone);
    const fp = (d: string) => readInputTree(d, ['data/*.csv']).fingerprint(['data/*.csv']);
    expect(fp(clone)).toEqual(fp(origin));
    writeTree(clone, { 'data/b.csv': 'edited\n' });
    expect(fp(clone).fingerprint).not.toBe(fp(origin).fingerprint);
    writeTree(origin, { 'data/b.csv': 'edited\n' });
    expect(fp(clone)).toEqual(fp(origin));
  });

  it('hashes a symbolic link as git does, without following it', () => {
    const dir = gitRepo({ 'data/a.csv': 'a\n' });
    symlinkSync('/etc/passwd', join(dir, 'data/link'));
    const untracked = readInputTree(dir, ['data']).select(['data']);
    git(dir, 'add', 'data/link');
    const staged = readInputTree(dir, ['data'], 'index').select(['data']);
    expect(untracked).toEqual(staged);
  });

  it('takes conflicted files from the working tree', () => {
    const dir = gitRepo({ 'a.txt': 'base\n' });
    git(dir, 'checkout', '-q', '-b', 'other');
    writeFileSync(join(dir, 'a.txt'), 'other\n');
    git(dir, 'commit', '-qam', 'other');
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'a.txt'), 'main\n');
    git(dir, 'commit', '-qam', 'main');
    expect(() => git(dir, 'merge', '-q', 'other')).toThrow();
    const files = readInputTree(dir, ['a.txt']).select(['a.txt']);
    expect(files).toEqual([['a.txt', blob(dir, 'a.txt')]]);
  });
});

describe('taskFingerprints', () => {
  const task = (id: string, data: Record<string, unknown>): Task =>
    makeTask({ status: 'done', ...data, id } as Parameters<typeof makeTask>[0]);

  it('makes no git call when no done task has a recorded result', () => {
    // not a git repository: any git call would throw
    const dir = tempDir();
    const fps = taskFingerprints(dir, [
      task('a', { inputs: ['src/**'] }),
      task('b', { status: 'todo', inputs: ['src/**'], result: { commit: 'c', fingerprint: 'f' } }),
    ]);
    expect(fps.tree).toBeUndefined();
    expect(fps.of(task('a', {}))).toBeUndefined();
  });

  it('reads once for every task and fingerprints each by its own globs', () => {
    const dir = gitRepo({ 'src/a.ts': 'a\n', 'docs/b.md': 'b\n' });
    const r = { commit: 'c', fingerprint: 'old' };
    const a = task('a', { inputs: ['src/**'], result: r });
    const b = task('b', { inputs: ['docs/**'], result: r });
    const fps = taskFingerprints(dir, [a, b]);
    expect(fps.tree?.paths).toEqual(['docs/b.md', 'src/a.ts']);
    expect(fps.of(a)).toBe(readInputTree(dir, ['src/**']).fingerprint(['src/**']).fingerprint);
    expect(fps.of(b)).not.toBe(fps.of(a));
  });
});
