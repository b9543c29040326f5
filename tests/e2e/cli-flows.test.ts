/** End-to-end: the built CLI in real git repositories, as a new user would run it. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN, git, gitRepo, runBaton } from '../helpers/git-repo.js';

function initRepo(): string {
  const dir = gitRepo();
  const init = runBaton(dir, ['init', '--no-hooks']);
  expect(init.code).toBe(0);
  return dir;
}

function newTask(dir: string, ...args: string[]): string {
  const res = runBaton(dir, ['new', ...args]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return res.stdout.trim();
}

describe('baton init and new', () => {
  it('creates .tasks with config, templates and an ignored .local', () => {
    const dir = initRepo();
    const config = readFileSync(join(dir, '.tasks/config.yaml'), 'utf8');
    expect(config).toMatch(/^# /m);
    expect(config).toContain('prefix: t');
    expect(readFileSync(join(dir, '.tasks/.templates/bug.md'), 'utf8')).toContain('labels: [bug]');
    expect(git(dir, 'check-ignore', '.tasks/.local/index.json').trim()).toBe(
      '.tasks/.local/index.json',
    );
    const again = runBaton(dir, ['init', '--no-hooks']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already initialized');
  });

  it('prints only the id, in the namespace of the current branch', () => {
    const dir = initRepo();
    git(dir, 'checkout', '-q', '-b', 'feature/Auth');
    const id = newTask(
      dir,
      'Design the users table',
      '-p',
      'high',
      '--estimate',
      '4h',
      '--label',
      'db',
    );
    expect(id).toMatch(/^t-[0-9a-z]{4,}$/);
    const text = readFileSync(join(dir, `.tasks/feature-auth/${id}.md`), 'utf8');
    expect(text).toContain('title: Design the users table');
    expect(text).toContain('priority: high');
    expect(text).toContain('labels: [db]');
  });

  it('rejects bad input with exit 2 and a clear message', () => {
    const dir = initRepo();
    const res = runBaton(dir, ['new', 'x', '-p', 'urgent']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('invalid priority "urgent"');
    expect(runBaton(dir, ['new', 'x', '--depends-on', 'nope']).stderr).toContain('no such task');
    expect(runBaton(dir, ['show', 'zzz']).code).toBe(2);
    expect(runBaton(dir, ['frobnicate']).code).toBe(2);
    const status = runBaton(dir, ['list', '--status', 'nope']);
    expect(status.code).toBe(2);
    // each word once, though `blocked` is both a status and a derived state
    expect(status.stderr).toContain(
      'unknown status "nope"; use one of todo, in_progress, blocked, review, done, cancelled, failed, ready, scheduled',
    );
  });

  it('outside a baton repo says to run init (exit 2)', () => {
    const dir = gitRepo();
    const res = runBaton(dir, ['ready']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('baton init');
  });
});

describe('the ready queue and status changes', () => {
  it('agrees across ready, list, show and blocked, and a done makes dependents ready', () => {
    const dir = initRepo();
    const a = newTask(dir, 'Schema', '-p', 'high', '--estimate', '4h', '--id', 'schema');
    const b = newTask(dir, 'API', '--depends-on', a, '--id', 'api');
    newTask(dir, 'Docs', '--depends-on', b, '--id', 'docs');
    newTask(dir, 'Logo', '-p', 'low', '--id', 'logo');

    const ready = JSON.parse(runBaton(dir, ['ready', '--json']).stdout) as {
      id: string;
      rank: number;
    }[];
    expect(ready.map((t) => t.id)).toEqual(['schema', 'logo']);
    expect(ready[0]!.rank).toBe(1);
    const listed = JSON.parse(runBaton(dir, ['list', '--status', 'ready', '--json']).stdout) as {
      id: string;
    }[];
    expect(listed.map((t) => t.id).sort()).toEqual(['logo', 'schema']);
    const show = JSON.parse(runBaton(dir, ['show', 'api', '--json']).stdout) as { ready: boolean };
    expect(show.ready).toBe(false);
    const blocked = JSON.parse(runBaton(dir, ['blocked', '--json']).stdout) as {
      id: string;
      roots: { id: string; why: string }[];
    }[];
    expect(blocked.map((t) => t.id)).toEqual(['api', 'docs']);
    expect(blocked[1]!.roots).toEqual([{ id: 'schema', why: 'ready' }]);

    const done = runBaton(dir, ['done', 'sch']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('now ready: api');
    const after = JSON.parse(runBaton(dir, ['ready', '--json']).stdout) as { id: string }[];
    expect(after.map((t) => t.id)).toEqual(['api', 'logo']);
    const text = readFileSync(join(dir, '.tasks/main/schema.md'), 'utf8');
    expect(text).toMatch(/^status: done$/m);
    expect(text).toMatch(/^## Log\n- \S+Z \S+ done$/m);
  });

  it('list --grep finds text in titles and bodies, in any case; --limit cuts the list', () => {
    const dir = initRepo();
    newTask(dir, 'Schema', '--id', 'schema', '--body', 'Use POSTGRES 16.');
    newTask(dir, 'Postgres backups', '--id', 'backup');
    newTask(dir, 'Logo', '--id', 'logo');
    runBaton(dir, ['share', 'logo', 'ask about postgres hosting']);
    const ids = (...args: string[]) =>
      (JSON.parse(runBaton(dir, ['list', ...args, '--json']).stdout) as { id: string }[]).map(
        (t) => t.id,
      );
    expect(ids('--grep', 'postgres')).toEqual(['backup', 'logo', 'schema']);
    expect(ids('--grep', 'postgres', '--limit', '2')).toEqual(['backup', 'logo']);
    expect(ids('--grep', 'nothing like this')).toEqual([]);
    const bad = runBaton(dir, ['list', '--limit', 'two']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit');
  });

  it('keeps comments, unknown keys and the body of a hand-written file through start and done', () => {
    const dir = initRepo();
    const original = [
      '---',
      '# owned by the platform team',
      'id: T-00042',
      'title: Hand written   # a comment',
      'status: todo',
      'customer:',
      '  name: ACME   # nested user key',
      '  tickets: [1, 2]',
      'depends_on: []',
      '---',
      'Body *stays*  exactly.',
      '',
    ].join('\n');
    writeFileSync(join(dir, '.tasks/main/T-00042.md'), original);
    expect(runBaton(dir, ['start', 'T-00042']).code).toBe(0);
    expect(runBaton(dir, ['done', 'T-00042']).code).toBe(0);
    const text = readFileSync(join(dir, '.tasks/main/T-00042.md'), 'utf8');
    const before = original.split('\n');
    const lines = text.split('\n');
    const changed = lines.filter((l) => !before.includes(l));
    expect(
      changed.every((l) => /^(status|updated): |^## Log$|^- \S+Z \S+ (start|done)$|^$/.test(l)),
    ).toBe(true);
    for (const l of before) if (!l.startsWith('status:')) expect(lines).toContain(l);
  });

  it('edit validates what the editor saved, and opens a file it left invalid again', () => {
    const dir = initRepo();
    const id = newTask(dir, 'Build the API', '--id', 'api-1');
    const file = join(dir, '.tasks/main/api-1.md');
    // The "editor" copies a prepared text over the file it is given.
    const save = (text: string, query: string) => {
      const draft = join(dir, 'draft.md');
      writeFileSync(draft, text);
      return runBaton(dir, ['edit', query], { env: { EDITOR: `cp "${draft}"` } });
    };
    const good = readFileSync(file, 'utf8');

    const bad = save(good.replace(/^priority: .*$/m, 'priority: urgent'), id);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/api-1\.md:\d+: error priority:/);
    expect(bad.stderr).toContain('run `baton edit api-1` again to fix it');
    expect(runBaton(dir, ['check']).code).toBe(1);

    // invalid, so no task: found by the id the file still holds, even by a prefix
    const unreadable = save(good.replace(/^id: .*$/m, 'id: [api-1'), 'api');
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain('run `baton edit api-1` again to fix it');
    expect(readFileSync(file, 'utf8')).toContain('id: [api-1');

    // no readable id: found by its file name
    const fixed = save(good.replace('Build the API', 'Build the HTTP API'), 'api-1');
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toBe('api-1: saved\n');
    expect(runBaton(dir, ['check']).code).toBe(0);
    expect(runBaton(dir, ['edit', 'nope']).stderr).toContain('no task with id "nope"');
  });

  it('update --set changes fields and refuses an invalid result', () => {
    const dir = initRepo();
    const id = newTask(dir, 'Task');
    expect(
      runBaton(dir, ['update', id, '--set', 'labels=[a, b]', '--set', 'priority=critical']).code,
    ).toBe(0);
    const t = JSON.parse(runBaton(dir, ['show', id, '--json']).stdout) as {
      labels: string[];
      priority: string;
    };
    expect(t.labels).toEqual(['a', 'b']);
    expect(t.priority).toBe('critical');
    const bad = runBaton(dir, ['update', id, '--set', 'status=later']);
    expect(bad.code).toBe(1);
    // the file named once, first
    expect(bad.stderr).toMatch(
      /^baton: error: \.tasks\/[\w.-]+\/[\w.-]+\.md: refusing to write the change: status/,
    );
    expect(bad.stderr.split('.md').length).toBe(2);
  });
});

describe('leases', () => {
  it('an in-progress task whose lease expired is back in the ready queue, flagged', () => {
    const dir = initRepo();
    writeFileSync(
      join(dir, '.tasks/main/held.md'),
      '---\nid: held\ntitle: Held\nstatus: in_progress\nassignee: amy\nlease: { agent: amy, until: "2020-01-01T00:00:00Z" }\n---\n',
    );
    writeFileSync(
      join(dir, '.tasks/main/live.md'),
      '---\nid: live\ntitle: Live\nstatus: in_progress\nlease: { agent: bo, until: "2999-01-01T00:00:00Z" }\n---\n',
    );
    const ready = JSON.parse(runBaton(dir, ['ready', '--json']).stdout) as {
      id: string;
      flags?: string[];
    }[];
    expect(ready).toMatchObject([{ id: 'held', flags: ['lease-expired'] }]);
    const check = JSON.parse(runBaton(dir, ['check', '--json']).stdout) as {
      problems: { rule: string }[];
    };
    expect(check.problems.map((p) => p.rule)).toEqual(['expired-lease']);
  });
});

describe('dependencies and the graph', () => {
  it('dep add refuses a cycle and prints it; dep rm and tree work', () => {
    const dir = initRepo();
    newTask(dir, 'A', '--id', 'a');
    newTask(dir, 'B', '--id', 'b', '--depends-on', 'a');
    newTask(dir, 'C', '--id', 'c', '--depends-on', 'b');
    const refused = runBaton(dir, ['dep', 'add', 'a', 'c']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('a -> c -> b -> a');
    expect(runBaton(dir, ['dep', 'tree', 'c']).stdout).toContain('└─ b');
    expect(runBaton(dir, ['dep', 'rm', 'c', 'b']).code).toBe(0);
    expect(runBaton(dir, ['dep', 'add', 'a', 'c']).code).toBe(0);
  });

  it('graph prints mermaid and dot with the critical path', () => {
    const dir = initRepo();
    newTask(dir, 'A', '--id', 'a', '--estimate', '1d');
    newTask(dir, 'B', '--id', 'b', '--depends-on', 'a');
    const mermaid = runBaton(dir, ['graph', '--critical-path']).stdout;
    expect(mermaid).toMatch(/^flowchart LR/);
    expect(mermaid).toContain('class ');
    const dot = runBaton(dir, ['graph', '--format', 'dot']).stdout;
    expect(dot).toContain('"a" -> "b"');
    // Graphviz's `\\n` line break inside the label: each node is one line of DOT
    expect(dot).toContain('"a" [label="a\\nA"];');
    const plan = JSON.parse(runBaton(dir, ['plan', '--json']).stdout) as {
      critical_path: { ids: string[] };
    };
    expect(plan.critical_path.ids).toEqual(['a', 'b']);
  });
});

describe('pipes', () => {
  it('stops quietly when the reader closes the pipe early', () => {
    const dir = initRepo();
    for (let i = 0; i < 30; i++) newTask(dir, `Task ${i}`);
    const res = spawnSync('sh', ['-c', `node "${BATON_BIN}" list --json | head -c 10`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

describe('--help', () => {
  it('shows the global options on every command', () => {
    const dir = initRepo();
    for (const command of [
      ['new'],
      ['list'],
      ['ready'],
      ['next'],
      ['claim'],
      ['start'],
      ['done'],
      ['handoff'],
      ['share'],
      ['update'],
      ['dep', 'add'],
      ['check'],
      ['watch'],
    ]) {
      const r = runBaton(dir, [...command, '--help']);
      expect(r.code, command.join(' ')).toBe(0);
      expect(r.stdout, command.join(' ')).toContain('Global Options:');
      expect(r.stdout, command.join(' ')).toMatch(/-C <dir>[\s\S]*--agent <name>/);
    }
  });
});
