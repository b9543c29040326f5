import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git, gitRepo, runBaton, taskFile, tempDir, writeTree } from '../helpers/git-repo.js';

const WORKFLOW = '.github/workflows/baton.yml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

/** A clone of a bare remote whose default branch is `branch`, with baton initialised. */
function cloneWithOrigin(branch: string): string {
  const seed = gitRepo();
  git(seed, 'branch', '-m', branch);
  const bare = join(tempDir(), 'remote.git');
  git(seed, 'clone', '-q', '--bare', seed, bare);
  const clone = join(tempDir(), 'clone');
  git(seed, 'clone', '-q', bare, clone);
  git(clone, 'config', 'user.name', 'Test User');
  git(clone, 'config', 'user.email', 'test@example.com');
  return clone;
}

describe('baton init --ci github', () => {
  it('writes a workflow whose check runs, once', () => {
    const repo = cloneWithOrigin('trunk');
    const first = runBaton(repo, ['init', '--no-hooks', '--ci', 'github']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`created ${WORKFLOW}`);
    const text = readFileSync(join(repo, WORKFLOW), 'utf8');
    const flow = parse(text) as {
      on: { pull_request: unknown; push: { branches: string[] } };
      jobs: { check: { steps: Step[] } };
    };
    expect(Object.keys(flow.on)).toEqual(['pull_request', 'push']);
    // The default branch comes from origin/HEAD.
    expect(flow.on.push.branches).toEqual(['trunk']);
    const steps = flow.jobs.check.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with).toEqual({
      'fetch-depth': 0,
    });
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with).toEqual({
      'node-version': 20,
    });
    const run = steps.map((s) => s.run ?? '').find((r) => r.startsWith('npx baton check'));
    expect(run).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      'npx baton check --base origin/${{ github.base_ref || github.event.repository.default_branch }} --format github',
    );

    // Idempotent: a second run keeps the file as it is.
    const second = runBaton(repo, ['init', '--no-hooks', '--ci', 'github']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`kept    ${WORKFLOW}`);
    expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(text);

    // The check line, as GitHub would expand it for a pull request into trunk.
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'baton');
    git(repo, 'push', '-q', 'origin', 'trunk');
    const args = (run ?? '')
      .replace(/\$\{\{[^}]*\}\}/, 'trunk')
      .split(' ')
      .slice(2);
    expect(args).toEqual(['check', '--base', 'origin/trunk', '--format', 'github']);
    expect(runBaton(repo, args)).toMatchObject({ code: 0, stdout: '' });
    // A pull request that adds a cycle fails, annotated.
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeTree(repo, {
      '.tasks/trunk/a.md': taskFile({ id: 'a', title: 'A', depends_on: '[b]' }),
      '.tasks/trunk/b.md': taskFile({ id: 'b', title: 'B', depends_on: '[a]' }),
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'a cycle');
    const failed = runBaton(repo, args);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error /m);
  });

  it('uses main when the remote names no default branch', () => {
    const repo = gitRepo();
    git(repo, 'branch', '-m', 'work');
    expect(runBaton(repo, ['init', '--no-hooks', '--ci', 'github']).code).toBe(0);
    expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toContain('branches: ["main"]');
    expect(runBaton(repo, ['init', '--ci', 'gitlab']).code).toBe(2);
  });
});
