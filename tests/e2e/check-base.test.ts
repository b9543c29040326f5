/** check --base REV: what the change since REV made worse, for CI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitRepo, runBaton, taskFile } from '../helpers/git-repo.js';

interface Problem {
  rule: string;
  severity: string;
  id?: string;
  introduced?: boolean;
}

describe('check --base', () => {
  it('marks new cycles and missing dependencies as introduced and reports reopened tasks', () => {
    const dir = gitRepo({
      '.tasks/main/a.md': taskFile({ id: 'a', title: 'A', depends_on: '[gone]' }),
      '.tasks/main/b.md': taskFile({ id: 'b', title: 'B', status: 'done' }),
      '.tasks/main/c.md': taskFile({ id: 'c', title: 'C' }),
      '.tasks/main/d.md': taskFile({ id: 'd', title: 'D', depends_on: '[c]' }),
    });
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, '.tasks/main/b.md'), taskFile({ id: 'b', title: 'B', status: 'todo' }));
    writeFileSync(
      join(dir, '.tasks/main/c.md'),
      taskFile({ id: 'c', title: 'C', depends_on: '[d]' }),
    );
    writeFileSync(
      join(dir, '.tasks/main/e.md'),
      taskFile({ id: 'e', title: 'E', depends_on: '[nope]' }),
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'change');

    const res = runBaton(dir, ['check', '--base', base, '--json']);
    expect(res.code).toBe(1);
    const { problems } = JSON.parse(res.stdout) as { problems: Problem[] };
    const find = (rule: string, id: string) => problems.find((p) => p.rule === rule && p.id === id);
    expect(find('missing-dependency', 'a')?.introduced).toBeUndefined(); // already there at the base
    expect(find('missing-dependency', 'e')?.introduced).toBe(true);
    expect(find('cycle', 'c')?.introduced).toBe(true);
    expect(find('reopened', 'b')).toMatchObject({ severity: 'warning', introduced: true });
    expect(runBaton(dir, ['check', '--base', base]).stdout).toContain('3 new since the base');
  });

  it('a base that is not a commit is a usage error', () => {
    const dir = gitRepo({ '.tasks/main/a.md': taskFile({ id: 'a', title: 'A' }) });
    const res = runBaton(dir, ['check', '--base', 'no-such-rev']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no-such-rev');
  });
});
