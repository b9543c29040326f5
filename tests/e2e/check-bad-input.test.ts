/**
 * Planted faults: every bad file gets a clear error naming the file (and line), `check`
 * exits 1 and names every cycle, missing dependency, self-dependency, duplicate id and
 * unparsable file, while every healthy task still loads and `ready` lists exactly them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, git, gitRepo, ROOT, runBaton, taskFile } from '../helpers/git-repo.js';

interface Problem {
  rule: string;
  severity: string;
  id?: string;
  path?: string;
  line?: number;
  message: string;
}

const ok = (id: string, extra: Record<string, string> = {}) =>
  taskFile({ id, title: `Task ${id}`, status: 'todo', ...extra }, 'Body.\n');

function faultyRepo(): string {
  const aliasBomb = [
    '---',
    'id: bomb',
    'title: Bomb',
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    '---',
    '',
  ].join('\n');
  return gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    // healthy
    '.tasks/main/h1.md': ok('h1'),
    '.tasks/main/h2.md': ok('h2', { depends_on: '[h1]' }),
    '.tasks/main/h3.md': ok('h3', { status: 'done' }),
    '.tasks/main/h4.md': ok('h4', { depends_on: '[h3]', priority: 'high' }),
    // a cycle of three and a cycle of two
    '.tasks/main/c1.md': ok('c1', { depends_on: '[c3]' }),
    '.tasks/main/c2.md': ok('c2', { depends_on: '[c1]' }),
    '.tasks/main/c3.md': ok('c3', { depends_on: '[c2]' }),
    '.tasks/feature-x/d1.md': ok('d1', { depends_on: '[d2]' }),
    '.tasks/feature-x/d2.md': ok('d2', { depends_on: '[d1]' }),
    // missing dependency, self dependency, duplicate id
    '.tasks/main/m1.md': ok('m1', { depends_on: '[ghost]' }),
    '.tasks/main/s1.md': ok('s1', { depends_on: '[s1]' }),
    '.tasks/feature-x/h1.md': ok('h1'),
    // unparsable and invalid files
    '.tasks/main/bad-yaml.md': '---\nid: bad-yaml\ntitle: [unclosed\n---\n',
    '.tasks/main/bad-type.md': '---\nid: bad-type\ntitle: Wrong types\nlabels: 42\n---\n',
    '.tasks/main/bad-status.md': '---\nid: bad-status\ntitle: Status\nstatus: someday\n---\n',
    '.tasks/main/js.md':
      '---js\n{ id: "js", title: (function(){ require("fs").writeFileSync("PWNED", "x"); return "t" })() }\n---\n',
    '.tasks/main/bomb.md': aliasBomb,
    '.tasks/main/slash.md': '---\nid: ../../etc/passwd\ntitle: Escape\n---\n',
    '.tasks/main/dots.md': '---\nid: a..b\ntitle: Dots\n---\n',
    '.tasks/main/huge.md': `---\nid: huge\ntitle: Huge\n---\n${'x'.repeat(2 * 1024 * 1024)}\n`,
    '.tasks/main/conflict.md':
      '---\nid: conflict\ntitle: Conflict\n<<<<<<< HEAD\nstatus: done\n=======\nstatus: todo\n>>>>>>> other\n---\n',
  });
}

describe('check on planted faults', () => {
  it('names every fault, exits 1, and ready still lists exactly the healthy ready tasks', () => {
    const dir = faultyRepo();
    const res = runBaton(dir, ['check', '--json']);
    expect(res.code).toBe(1);
    const { ok: pass, problems } = JSON.parse(res.stdout) as { ok: boolean; problems: Problem[] };
    expect(pass).toBe(false);
    const by = (rule: string) => problems.filter((p) => p.rule === rule);

    expect(
      by('cycle')
        .map((p) => p.message)
        .sort(),
    ).toEqual(['dependency cycle: c1 -> c3 -> c2 -> c1', 'dependency cycle: d1 -> d2 -> d1']);
    expect(by('missing-dependency')).toMatchObject([
      { id: 'm1', path: '.tasks/main/m1.md', line: 5 },
    ]);
    expect(by('missing-dependency')[0]!.message).toContain('ghost');
    expect(by('self-dependency')).toMatchObject([{ id: 's1', path: '.tasks/main/s1.md' }]);
    expect(by('duplicate-id')).toMatchObject([{ id: 'h1', path: '.tasks/main/h1.md' }]);
    expect(by('conflict-markers')).toMatchObject([{ path: '.tasks/main/conflict.md', line: 4 }]);

    const schema = by('schema');
    const schemaPaths = schema.map((p) => p.path).sort();
    expect(schemaPaths).toEqual(
      [
        '.tasks/main/bad-status.md',
        '.tasks/main/bad-type.md',
        '.tasks/main/bad-yaml.md',
        '.tasks/main/bomb.md',
        '.tasks/main/dots.md',
        '.tasks/main/huge.md',
        '.tasks/main/js.md',
        '.tasks/main/slash.md',
      ].sort(),
    );
    const msg = (file: string) => schema.find((p) => p.path === `.tasks/main/${file}`)!;
    expect(msg('js.md').message).toMatch(/not accepted/);
    expect(msg('bad-type.md')).toMatchObject({ line: 4 });
    expect(msg('bad-type.md').message).toContain('labels');
    expect(msg('bad-status.md').message).toContain('status');
    expect(msg('bad-yaml.md').line).toBeGreaterThanOrEqual(3);
    expect(msg('huge.md').message).toContain('1 MiB');
    expect(msg('bomb.md').message.toLowerCase()).toMatch(/alias/);
    expect(msg('slash.md').message).toContain('id');

    // Nothing was evaluated.
    expect(git(dir, 'status', '--porcelain')).not.toContain('PWNED');

    const ready = JSON.parse(runBaton(dir, ['ready', '--json']).stdout) as { id: string }[];
    expect(ready.map((t) => t.id)).toEqual(['h4', 'h1']);
    const text = runBaton(dir, ['check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('.tasks/main/m1.md:5: error [missing-dependency]');
  });

  it('prints GitHub annotations', () => {
    const dir = faultyRepo();
    const res = runBaton(dir, ['check', '--format', 'github']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      '::error file=.tasks/main/m1.md,line=5,title=baton missing-dependency::',
    );
  });

  it('is clean (exit 0) on a healthy repo, and warns about a file name', () => {
    const dir = gitRepo({ '.tasks/main/a.md': ok('a'), '.tasks/main/other-name.md': ok('b') });
    const res = runBaton(dir, ['check', '--json']);
    expect(res.code).toBe(0);
    const { problems } = JSON.parse(res.stdout) as { problems: Problem[] };
    expect(problems).toMatchObject([{ rule: 'file-name', severity: 'warning', id: 'b' }]);
  });

  it('--staged checks what the commit will contain, not the working tree', () => {
    const dir = gitRepo({ '.tasks/main/a.md': ok('a') });
    writeFileSync(join(dir, '.tasks/main/b.md'), ok('b', { depends_on: '[nope]' }));
    expect(runBaton(dir, ['check', '--staged']).code).toBe(0);
    expect(runBaton(dir, ['check']).code).toBe(1);
    git(dir, 'add', '.tasks/main/b.md');
    const staged = runBaton(dir, ['check', '--staged']);
    expect(staged.code).toBe(1);
    expect(staged.stdout).toContain('nope');
  });

  it('--staged from its own bundle reports what the full CLI reports, odd files included', () => {
    const dir = gitRepo({ '.tasks/main/a.md': ok('a') });
    writeFileSync(join(dir, '.tasks/main/b.md'), ok('b', { skills: '[rust]', depends_on: '[a]' }));
    writeFileSync(
      join(dir, '.tasks/main/c.md'),
      ok('c', { depends_on: '[gone]' }).replace('---\n', '---\nextra:\n  nested: 1\n'),
    );
    writeFileSync(join(dir, '.tasks/main/d.md'), '---\nid: d\ntitle: [unclosed\n---\n');
    git(dir, 'add', '.tasks');
    // bin/baton.js sends exactly `check --staged` to dist/check-staged.cjs (YAML and zod
    // from dist/lazy/); dist/cli.js is the full CLI
    const bundle = runBaton(dir, ['check', '--staged']);
    const full = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'check', '--staged'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', BATON_AGENT: '' },
    });
    expect(bundle.code).toBe(1);
    expect(bundle.stdout).toContain('gone');
    expect(bundle.stdout).toContain('d.md');
    expect(bundle).toEqual({ code: full.status, stdout: full.stdout, stderr: full.stderr });
  });

  it('a bad config.yaml is a configuration error (exit 2) naming the file and line', () => {
    const dir = gitRepo({
      '.tasks/config.yaml': 'prefix: t\naging: sometimes\n',
      '.tasks/main/a.md': ok('a'),
    });
    const res = runBaton(dir, ['ready']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.tasks/config.yaml:2');
  });
});
