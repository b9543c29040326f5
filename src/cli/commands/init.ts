/**
 * `baton init`: create `.tasks/` with a commented config.yaml, the task templates under
 * `.tasks/.templates/`, the namespace folder for the current branch and an ignored
 * `.tasks/.local/`; with `--ci github`, a GitHub Actions workflow running `baton check`.
 * Idempotent: what exists is kept and reported, never overwritten.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { branchNamespace, currentBranch } from '../../store/git.js';
import { ensureLocalDir } from '../../store/index-cache.js';
import { packageTemplate } from '../../store/package-files.js';
import { findRoot, LOCAL_DIR, TASKS_DIR } from '../../store/root.js';
import { TEMPLATE_NAMES, TEMPLATES_DIR } from '../../store/templates.js';
import type { Ctx } from '../context.js';

export async function runInit(
  ctx: Ctx,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const existing = findRoot(ctx.cwd);
  const rootDir = existing && existing.root === ctx.cwd ? existing.root : ctx.cwd;
  const tasksDir = join(rootDir, TASKS_DIR);
  const created: string[] = [];
  const kept: string[] = [];
  const rel = (p: string) => relative(rootDir, p) || '.';
  const ensureDir = (p: string) => {
    if (existsSync(p)) return;
    mkdirSync(p, { recursive: true });
    created.push(`${rel(p)}/`);
  };
  const ensureFile = (p: string, content: string) => {
    if (existsSync(p)) {
      kept.push(rel(p));
      return;
    }
    writeFileSync(p, content, { flag: 'wx' });
    created.push(rel(p));
  };

  ensureDir(tasksDir);
  const ns =
    typeof opts.namespace === 'string'
      ? opts.namespace
      : branchNamespace(currentBranch(rootDir) ?? 'main');
  let config = packageTemplate('config.yaml') ?? '';
  config = config.replace(/^default_namespace: .*$/m, `default_namespace: ${ns}`);
  ensureFile(join(tasksDir, 'config.yaml'), config);
  ensureDir(join(tasksDir, TEMPLATES_DIR));
  for (const name of TEMPLATE_NAMES) {
    ensureFile(
      join(tasksDir, TEMPLATES_DIR, `${name}.md`),
      packageTemplate(`${name}.md`) ?? '---\n---\n',
    );
  }
  const nsDir = join(tasksDir, ns);
  ensureDir(nsDir);
  if (!existsSync(join(nsDir, '.gitkeep'))) writeFileSync(join(nsDir, '.gitkeep'), '');
  const local = join(tasksDir, LOCAL_DIR);
  const hadLocal = existsSync(join(local, '.gitignore'));
  ensureLocalDir(local);
  if (!hadLocal) created.push(`${rel(local)}/ (ignored by git)`);
  if (opts.ci === 'github') {
    const { defaultBranch, GITHUB_WORKFLOW, githubWorkflow } = await import('../ci-workflow.js');
    const workflow = join(rootDir, GITHUB_WORKFLOW);
    ensureDir(dirname(workflow));
    ensureFile(workflow, githubWorkflow(defaultBranch(rootDir)));
  }

  if (created.length > 0) ctx.out(`Initialized baton in ${rel(tasksDir)}/`);
  else ctx.out(`baton is already initialized in ${rel(tasksDir)}/; nothing changed`);
  for (const c of created) ctx.out(`  created ${c}`);
  for (const k of kept) ctx.out(`  kept    ${k}`);
  if (opts.hooks !== false) ctx.out(`  ${(await import('./hooks.js')).initHooksLine(rootDir)}`);
  if (created.length > 0) ctx.out(`\nNext: baton new "My first task"   (then: baton ready)`);
  return 0;
}
