/**
 * End-to-end: `baton cache path|stamp|status|clear` and the stale-cache news after a pull,
 * with a bare remote and two clones (alice's, and bob's with the hooks installed).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  batonLines,
  commitAll,
  git,
  gitAs,
  gitRepo,
  runBaton,
  shareWithBob,
  tempDir,
  writeTree,
} from '../helpers/git-repo.js';

const CONFIG = `prefix: t
default_namespace: main
caches:
  features:
    inputs: ["data/**/*.csv"]
  model:
    inputs: ["src/model/**", "!src/model/**/*.test.ts"]
    dir: "cache/{namespace}/{branch}/{name}"
`;

const TREE = {
  '.tasks/config.yaml': CONFIG,
  '.tasks/main/.gitkeep': '',
  '.gitignore': 'cache/\n',
  'data/a.csv': 'a\n',
  'data/raw/b.csv': 'b\n',
  'src/model/train.py': 'train\n',
  'src/model/train.test.ts': 'test\n',
  'docs/readme.md': 'docs\n',
};

interface CacheJson {
  namespace: string;
  branch: string;
  caches: {
    name: string;
    dir: string;
    path: string;
    state: string;
    changes?: { added: string[]; removed: string[]; changed: string[] };
  }[];
}

function status(dir: string): CacheJson {
  const res = runBaton(dir, ['cache', 'status', '--json']);
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as CacheJson;
}

const stateOf = (dir: string) =>
  Object.fromEntries(status(dir).caches.map((c) => [c.name, c.state]));

/** alice's repo pushed to a bare remote; bob's clone with the hooks installed. */
function team(config = CONFIG): { alice: string; bob: string } {
  const alice = gitRepo({ ...TREE, '.tasks/config.yaml': config });
  const bob = shareWithBob(alice);
  return { alice, bob };
}

function aliceCommits(alice: string, tree: Record<string, string>, message: string): string {
  writeTree(alice, tree);
  commitAll(alice, message);
  git(alice, 'push', '-q', 'origin', 'main');
  return git(alice, 'rev-parse', '--short', 'HEAD').trim();
}

describe('baton cache', () => {
  it('path creates the folder; stamp, status and clear follow the inputs', () => {
    const dir = gitRepo(TREE);
    const path = runBaton(dir, ['cache', 'path', 'features']);
    expect(path).toMatchObject({ code: 0, stderr: '' });
    expect(path.stdout.trim()).toBe(join(dir, 'cache/main/features'));
    expect(existsSync(join(dir, 'cache/main/features'))).toBe(true);
    expect(stateOf(dir)).toEqual({ features: 'missing', model: 'missing' });

    const stamp = runBaton(dir, ['cache', 'stamp', 'features']);
    expect(stamp.code).toBe(0);
    expect(stamp.stdout).toMatch(
      /^stamped features \(cache\/main\/features\): 2 input files, fingerprint [0-9a-f]{12}\n$/,
    );
    const written = JSON.parse(
      readFileSync(join(dir, 'cache/main/features/.baton-stamp.json'), 'utf8'),
    );
    expect(written).toMatchObject({
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      files: [
        ['data/a.csv', git(dir, 'rev-parse', 'HEAD:data/a.csv').trim()],
        ['data/raw/b.csv', git(dir, 'rev-parse', 'HEAD:data/raw/b.csv').trim()],
      ],
      commit: git(dir, 'rev-parse', 'HEAD').trim(),
      stamped_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(stateOf(dir)).toEqual({ features: 'fresh', model: 'missing' });

    // an uncommitted edit, a new file and a deletion all make it stale, and are named
    writeTree(dir, { 'data/a.csv': 'edited\n', 'data/c.csv': 'c\n', 'docs/x.md': 'x\n' });
    git(dir, 'rm', '-q', 'data/raw/b.csv');
    const features = status(dir).caches.find((c) => c.name === 'features');
    expect(features).toMatchObject({
      state: 'stale',
      changes: { changed: ['data/a.csv'], added: ['data/c.csv'], removed: ['data/raw/b.csv'] },
    });
    const text = runBaton(dir, ['cache', 'status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'caches of namespace main (branch main):',
        '  features  stale    cache/main/features  (inputs: 1 changed, 1 added, 1 removed)',
        '      changed  data/a.csv',
        '      added    data/c.csv',
        '      removed  data/raw/b.csv',
        '  model     missing  cache/main/main/model  (not stamped: baton cache stamp model)',
        '',
      ].join('\n'),
    );

    writeTree(dir, { 'cache/main/features/out.bin': 'x', 'cache/main/features/sub/y': 'y' });
    const clear = runBaton(dir, ['cache', 'clear', '--stale']);
    expect(clear.stdout).toBe('cleared features (cache/main/features): 3 entries removed\n');
    expect(readdirSync(join(dir, 'cache/main/features'))).toEqual([]);
    expect(stateOf(dir)).toEqual({ features: 'missing', model: 'missing' });
  });

  it('excludes what `!` patterns exclude; clear NAME empties one cache', () => {
    const dir = gitRepo(TREE);
    expect(runBaton(dir, ['cache', 'stamp', 'model']).stdout).toContain(': 1 input file,');
    writeTree(dir, { 'src/model/train.test.ts': 'changed test\n' });
    expect(stateOf(dir).model).toBe('fresh');
    writeTree(dir, { 'src/model/train.py': 'changed\n' });
    expect(stateOf(dir).model).toBe('stale');
    const clear = runBaton(dir, ['cache', 'clear', 'model']);
    expect(clear).toMatchObject({ code: 0 });
    expect(clear.stdout).toBe('cleared model (cache/main/main/model): 1 entry removed\n');
    expect(readdirSync(join(dir, 'cache/main/main/model'))).toEqual([]);
  });

  it('usage errors exit 2 and name the known caches', () => {
    const dir = gitRepo(TREE);
    for (const args of [
      ['cache', 'path', 'nope'],
      ['cache', 'stamp', 'nope'],
      ['cache', 'clear', 'nope'],
    ]) {
      const res = runBaton(dir, args);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(
        'baton: error: no cache named "nope"; configured caches: features, model\n',
      );
    }
    expect(runBaton(dir, ['cache', 'clear']).code).toBe(2);
    expect(runBaton(dir, ['cache', 'clear', 'model', '--stale']).code).toBe(2);
    const none = gitRepo({ '.tasks/main/.gitkeep': '' });
    expect(runBaton(none, ['cache', 'status']).stdout).toBe(
      'no caches configured (add `caches:` to .tasks/config.yaml)\n',
    );
    expect(runBaton(none, ['cache', 'path', 'x']).stderr).toContain('no caches are configured');
  });

  it('refuses folders outside the repository, and clearing tracked files', () => {
    for (const bad of ['../elsewhere', '/tmp/x', '.git/x', 'a/../../b', '.tasks/x']) {
      const dir = gitRepo({
        '.tasks/config.yaml': `caches:\n  c:\n    inputs: [data]\n    dir: "${bad}"\n`,
      });
      const res = runBaton(dir, ['cache', 'path', 'c']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('.tasks/config.yaml');
    }
    const outside = tempDir();
    const dir = gitRepo({
      '.tasks/config.yaml': 'caches:\n  c:\n    inputs: [data]\n    dir: "link/{name}"\n',
    });
    symlinkSync(outside, join(dir, 'link'));
    const res = runBaton(dir, ['cache', 'path', 'c']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('symbolic link');
    expect(existsSync(join(outside, 'c'))).toBe(false);

    const tracked = gitRepo({
      '.tasks/config.yaml': 'caches:\n  c:\n    inputs: [data]\n    dir: src\n',
      'src/main.ts': 'code\n',
    });
    const clear = runBaton(tracked, ['cache', 'clear', 'c']);
    expect(clear.code).toBe(1);
    expect(clear.stderr).toContain('holds files tracked by git');
    expect(existsSync(join(tracked, 'src/main.ts'))).toBe(true);
  });

  it('keeps two branches apart ({namespace} and {branch})', () => {
    const dir = gitRepo({
      ...TREE,
      '.tasks/config.yaml': CONFIG.replace('default_namespace: main\n', ''),
    });
    expect(runBaton(dir, ['cache', 'stamp', 'features']).code).toBe(0);
    expect(runBaton(dir, ['cache', 'stamp', 'model']).code).toBe(0);
    git(dir, 'checkout', '-q', '-b', 'feature/Auth');
    const other = status(dir);
    expect(other.namespace).toBe('feature-auth');
    expect(other.branch).toBe('feature-Auth');
    expect(other.caches.map((c) => [c.name, c.dir, c.state])).toEqual([
      ['features', 'cache/feature-auth/features', 'missing'],
      ['model', 'cache/feature-auth/feature-Auth/model', 'missing'],
    ]);
    expect(runBaton(dir, ['cache', 'path', 'features']).stdout.trim()).toBe(
      join(dir, 'cache/feature-auth/features'),
    );
    git(dir, 'checkout', '-q', 'main');
    expect(stateOf(dir)).toEqual({ features: 'fresh', model: 'fresh' });
  });

  it('uses the acting agent for {agent}', () => {
    const dir = gitRepo({
      '.tasks/config.yaml': 'caches:\n  c:\n    inputs: [data]\n    dir: "cache/{agent}/{name}"\n',
    });
    const res = runBaton(dir, ['cache', 'path', 'c'], { env: { BATON_AGENT: 'Ada Lovelace' } });
    expect(res.stdout.trim()).toBe(join(dir, 'cache/Ada-Lovelace/c'));
  });
});

describe('stale caches in the news after git pull', () => {
  it('a pull that changes an input says which cache went stale and why', () => {
    const { alice, bob } = team();
    expect(runBaton(bob, ['cache', 'stamp', 'features']).code).toBe(0);
    expect(runBaton(bob, ['cache', 'stamp', 'model']).code).toBe(0);

    // An unrelated commit: the pull is silent and the caches stay fresh.
    aliceCommits(alice, { 'docs/readme.md': 'more docs\n' }, 'Write docs');
    const quiet = gitAs('bob', bob, 'pull', '-q');
    expect(quiet.code).toBe(0);
    expect(batonLines(quiet.out)).toEqual([]);
    expect(stateOf(bob)).toEqual({ features: 'fresh', model: 'fresh' });

    const commit = aliceCommits(alice, { 'data/a.csv': 'new prices\n' }, 'Update the prices');
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(pull.code).toBe(0);
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 cache made stale by the incoming commits:',
      '  features (cache/main/features): data/a.csv',
      `    ${commit} Update the prices`,
    ]);
    expect(stateOf(bob)).toEqual({ features: 'stale', model: 'fresh' });
    // the stamp is kept: the cache is reported, not cleared
    expect(existsSync(join(bob, 'cache/main/features/.baton-stamp.json'))).toBe(true);
  });

  it('with on_stale: clear the pull empties the stale cache and says so', () => {
    const { alice, bob } = team(`${CONFIG}on_stale: clear\n`);
    expect(runBaton(bob, ['cache', 'stamp', 'features']).code).toBe(0);
    mkdirSync(join(bob, 'cache/main/features/built'), { recursive: true });
    const commit = aliceCommits(
      alice,
      { 'data/raw/b.csv': 'b2\n', 'data/raw/new.csv': 'n\n' },
      'More data',
    );
    const pull = gitAs('bob', bob, 'pull', '-q');
    expect(batonLines(pull.out)).toEqual([
      'baton: 1 cache made stale by the incoming commits:',
      '  features (cache/main/features): data/raw/b.csv, data/raw/new.csv; cleared (on_stale: clear)',
      `    ${commit} More data`,
    ]);
    expect(readdirSync(join(bob, 'cache/main/features'))).toEqual([]);
  });

  it('news --json has one item per stale cache', () => {
    const { alice, bob } = team();
    expect(runBaton(bob, ['cache', 'stamp', 'features']).code).toBe(0);
    const base = git(bob, 'rev-parse', 'HEAD').trim();
    const commit = aliceCommits(alice, { 'data/a.csv': 'x\n' }, 'Change a');
    git(bob, 'pull', '-q', '--no-verify');
    const res = runBaton(bob, ['news', '--since', base, '--json'], { env: { BATON_AGENT: 'bob' } });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      {
        kind: 'stale-cache',
        name: 'features',
        dir: 'cache/main/features',
        inputs: ['data/a.csv'],
        commits: [{ commit, subject: 'Change a' }],
        cleared: false,
      },
    ]);
  });
});
