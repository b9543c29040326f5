import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN, GIT_ENV, gitRepo, runBaton, tempDir } from '../helpers/git-repo.js';

const hasShell = (name: string) => spawnSync(name, ['-c', 'true']).status === 0;

/** A folder holding a `baton` that runs the built CLI, for PATH. */
function batonOnPath(): string {
  const bin = tempDir('baton-bin-');
  const wrapper = join(bin, 'baton');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${BATON_BIN}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return bin;
}

/** Source the script in bash, complete `words` (the last is the one typed), print COMPREPLY. */
function complete(script: string, cwd: string, bin: string, words: string[]): string[] {
  const res = spawnSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
      'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _baton; printf "%s\\n" "${COMPREPLY[@]}"',
      script,
      ...words,
    ],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, PATH: `${bin}:${process.env.PATH}`, BATON_AGENT: '' },
    },
  );
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  return res.stdout.split('\n').filter(Boolean);
}

describe('baton completion', () => {
  it('bash: completes commands, options, choices and task ids', () => {
    const repo = gitRepo();
    expect(runBaton(repo, ['init', '--no-hooks']).code).toBe(0);
    for (const id of ['k3x9', 'k7aa', 'zz01']) {
      expect(runBaton(repo, ['new', `Task ${id}`, '--id', id]).code).toBe(0);
    }
    const res = runBaton(repo, ['completion', 'bash']);
    expect(res.code).toBe(0);
    const script = join(tempDir(), 'baton.bash');
    writeFileSync(script, res.stdout);
    const bin = batonOnPath();
    const c = (...words: string[]) => complete(script, repo, bin, ['baton', ...words]);

    expect(c('rea')).toEqual(['ready']);
    expect(c('list', '--gr')).toEqual(['--grep', '--group-by']);
    expect(c('show', 'k3')).toEqual(['k3x9']);
    expect(c('show', 'k')).toEqual(['k3x9', 'k7aa']);
    // Subcommands, the second id of dep add, an option's choices, global options skipped.
    expect(c('dep', 'a')).toEqual(['add']);
    expect(c('dep', 'add', 'k3x9', 'z')).toEqual(['zz01']);
    expect(c('graph', '--format', 'd')).toEqual(['dot']);
    expect(c('--agent', 'bob', 'cla')).toEqual(['claim']);
    expect(c('claim', 'k3x9', '--le')).toEqual(['--lease']);
    expect(c('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // -C: ids of the repository it names, from anywhere.
    expect(complete(script, tempDir(), bin, ['baton', '-C', repo, 'done', 'zz'])).toEqual(['zz01']);
    // Hidden commands are not offered.
    expect(c('')).not.toContain('merge-driver');
    expect(c('_')).toEqual([]);
  });

  it('__complete-ids prints the ids with a prefix, nothing outside a repo', () => {
    const repo = gitRepo();
    runBaton(repo, ['init', '--no-hooks']);
    runBaton(repo, ['new', 'One', '--id', 'ab12']);
    runBaton(repo, ['new', 'Two', '--id', 'cd34']);
    expect(runBaton(repo, ['__complete-ids']).stdout).toBe('ab12\ncd34\n');
    expect(runBaton(repo, ['__complete-ids', 'c']).stdout).toBe('cd34\n');
    const outside = runBaton(tempDir(), ['__complete-ids']);
    expect(outside).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(runBaton(repo, ['--help']).stdout).not.toContain('__complete-ids');
  });

  it('zsh and fish scripts parse (where those shells exist); an unknown shell is refused', () => {
    const dir = tempDir();
    for (const [shell, check] of [
      ['zsh', ['-n']],
      ['fish', ['--no-execute']],
    ] as const) {
      const res = runBaton(dir, ['completion', shell]);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('__complete-ids');
      if (!hasShell(shell)) continue;
      const file = join(dir, `baton.${shell}`);
      writeFileSync(file, res.stdout);
      const parsed = spawnSync(shell, [...check, file], { encoding: 'utf8' });
      expect(parsed.stderr).toBe('');
      expect(parsed.status).toBe(0);
    }
    const bad = runBaton(dir, ['completion', 'tcsh']);
    expect(bad.code).toBe(2);
  });
});
