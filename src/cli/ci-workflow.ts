/**
 * `baton init --ci github`: the GitHub Actions workflow that runs `baton check --base` on
 * every pull request and push, with annotations (`--format github`).
 */
import { gitOutput } from '../store/git.js';

export const GITHUB_WORKFLOW = '.github/workflows/baton.yml';

/** The remote's default branch from `origin/HEAD`, else `main`. */
export function defaultBranch(root: string): string {
  try {
    const ref = gitOutput(root, ['symbolic-ref', '--short', '-q', 'refs/remotes/origin/HEAD']);
    const name = ref.trim().replace(/^origin\//, '');
    return name || 'main';
  } catch {
    return 'main';
  }
}

/**
 * The workflow. The base is the pull request's target branch, or the default branch for a
 * push; the full history is fetched so that base is there to compare with.
 */
export function githubWorkflow(branch: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
  const base = 'origin/${{ github.base_ref || github.event.repository.default_branch }}';
  return `# Written by \`baton init --ci github\`: checks the task files in .tasks/ on every pull
# request and every push to ${branch}. Errors fail the job; problems the change introduced
# are marked "(new)" and annotated on the pull request's files.
name: baton

on:
  pull_request:
  push:
    branches: [${JSON.stringify(branch)}]

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      # baton from the project's devDependencies when it has a lockfile
      - if: hashFiles('package-lock.json') != ''
        run: npm ci
      - run: npx baton check --base ${base} --format github
`;
}
