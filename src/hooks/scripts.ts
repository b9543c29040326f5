/**
 * The text of the git hooks and of the merge-driver command that `baton hooks install`
 * writes. Pure: the installer decides where they go.
 *
 * The scripts are POSIX sh and safe under `sh -e` (husky runs hook files that way). They call
 * baton the way it was found at install time, `"<node>" "<bin/baton.js>"` with absolute paths,
 * falling back to `node` on PATH with that file, then to `baton` on PATH. When none is there
 * they print one warning line and let git go on: a missing baton never blocks git. The only
 * hook that can stop anything is pre-commit, and only when `baton check --staged` reports
 * errors (exit 1); its warnings are printed and the commit goes on. A commit that stages no
 * change under a `.tasks/` folder is not checked at all (it cannot make the tasks worse, and
 * most commits are code): one `git diff --cached --quiet`, a few ms.
 *
 * A hook that was in place before baton is kept as `<name>.baton-chained` next to ours and run
 * first with the same arguments and stdin; for pre-commit its failure fails the commit, for
 * the others its exit status is passed on (post-checkout's becomes git checkout's status).
 *
 * The post-* hooks print the news (`baton news --since REV --hook NAME`): post-merge after a
 * merge or pull that committed, post-checkout after a branch switch, post-rewrite after a
 * rebase, and post-commit after the commit that concludes a merge that had stopped.
 */

/** The line that marks a hook file as baton's: re-install replaces only files with it. */
export const HOOK_MARK = '# baton hook';
export const CHAINED_SUFFIX = '.baton-chained';
export const HOOK_NAMES = [
  'pre-commit',
  'post-merge',
  'post-checkout',
  'post-rewrite',
  'post-commit',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** The gitattributes line that routes task files to the merge driver. */
export const ATTRIBUTES_LINE = '.tasks/**/*.md merge=baton';
export const DRIVER_NAME = 'baton task merge';

/** How the hooks call baton: absolute paths captured at install time. */
export interface Invocation {
  /** The Node.js binary (process.execPath at install time). */
  node: string;
  /** baton's `bin/baton.js`. */
  js: string;
}

/** A POSIX-shell single-quoted word. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A hook file with the `# baton hook` line is ours. */
export function isBatonHook(text: string): boolean {
  return text.split(/\r?\n/).some((l) => l.trimEnd() === HOOK_MARK);
}

function preamble(name: HookName, inv: Invocation, husky: boolean): string {
  return `#!/bin/sh
${HOOK_MARK}
# ${name}: written by \`baton hooks install\`; \`baton hooks uninstall\` removes it and restores the
# hook that was here before (kept as ${name}${CHAINED_SUFFIX}, run first). Edits here are
# lost on re-install: put your own commands in ${name}${CHAINED_SUFFIX} instead.
# baton missing never blocks git: the hook warns and lets the operation go on.
baton_js=${shQuote(inv.js)}
baton_node=${shQuote(inv.node)}
chained="$(dirname "$0")/${name}${CHAINED_SUFFIX}"

have_baton() {
  if [ -f "$baton_js" ] && { [ -x "$baton_node" ] || command -v node >/dev/null 2>&1; }; then
    return 0
  fi
  command -v baton >/dev/null 2>&1
}

run_baton() {
  if [ -f "$baton_js" ] && [ -x "$baton_node" ]; then
    "$baton_node" "$baton_js" "$@"
  elif [ -f "$baton_js" ] && command -v node >/dev/null 2>&1; then
    node "$baton_js" "$@"
  else
    baton "$@"
  fi
}

run_chained() {
  ${
    husky
      ? `# husky runs the hook files in .husky/ with \`sh -e\`, executable or not: so do we.
  if [ -f "$chained" ]; then sh -e "$chained" "$@"; fi`
      : `if [ -x "$chained" ]; then "$chained" "$@"; fi`
  }
}

missing() {
  echo "baton: not found ($baton_js, or baton on PATH); ${name} hook skipped" >&2
}
`;
}

/**
 * post-commit: git runs no post-merge when a merge stops on a conflict (or runs with
 * `--no-commit`), so the news of that merge is printed when the commit concluding it is
 * made. Such a commit, by `git commit` or `git merge --continue`, is the only one whose reflog
 * line reads `commit (merge): ...` (an amend reads `commit (amend)`, a merge that committed
 * itself `merge ...`, a rebase `rebase (...)`); git removes MERGE_HEAD before post-commit
 * runs, so it cannot tell. Every other commit costs this one `git reflog` and prints nothing.
 * The news compares the first parent (HEAD before the merge, as post-merge's ORIG_HEAD).
 */
const POST_COMMIT = `
status=0
run_chained "$@" || status=$?
case "$(git reflog -1 --format=%gs HEAD 2>/dev/null || true)" in
  'commit (merge):'*)
    if have_baton; then
      run_baton news --since HEAD^1 --hook post-commit || true
    else
      missing
    fi
    ;;
esac
exit $status
`;

const BODIES: Record<HookName, string> = {
  'pre-commit': `
run_chained "$@" || exit $?
# A commit that changes no task file cannot make the tasks worse: nothing to check.
if git diff --cached --quiet -- ':(glob)**/.tasks/**' 2>/dev/null; then
  exit 0
fi
if ! have_baton; then
  missing
  exit 0
fi
status=0
out=$(run_baton check --staged 2>&1) || status=$?
case $status in
  0)
    if [ -n "$out" ] && [ "$out" != "check: no problems found" ]; then
      printf '%s\\n' "$out" >&2
    fi
    exit 0
    ;;
  1)
    printf '%s\\n' "$out" >&2
    echo "baton: commit refused: fix the task files above (git commit --no-verify skips this check)" >&2
    exit 1
    ;;
  *)
    if [ -n "$out" ]; then printf '%s\\n' "$out" >&2; fi
    echo "baton: the task check could not run (exit $status); the commit goes on" >&2
    exit 0
    ;;
esac
`,
  'post-merge': `
status=0
run_chained "$@" || status=$?
if have_baton; then
  run_baton news --since ORIG_HEAD --hook post-merge || true
else
  missing
fi
exit $status
`,
  'post-checkout': `
# $1 previous HEAD, $2 new HEAD, $3 1 for a branch checkout (0 for files).
status=0
run_chained "$@" || status=$?
if [ "$3" = 1 ] && [ "$1" != "$2" ]; then
  if have_baton; then
    run_baton news --since "$1" --hook post-checkout || true
  else
    missing
  fi
fi
exit $status
`,
  'post-rewrite': `
# $1 is "rebase" or "amend". An amend does not set ORIG_HEAD, so only a rebase has news.
status=0
run_chained "$@" || status=$?
if [ "$1" = rebase ]; then
  if have_baton; then
    run_baton news --since ORIG_HEAD --hook post-rewrite || true
  else
    missing
  fi
fi
exit $status
`,
  'post-commit': POST_COMMIT,
};

/** The whole hook file. `husky`: the file lives in husky's `.husky/` folder. */
export function hookScript(name: HookName, inv: Invocation, husky = false): string {
  return preamble(name, inv, husky) + BODIES[name];
}

/**
 * `merge.baton.driver`: git runs it with sh, `%O %A %B %P` replaced by quoted file names.
 * Without baton it falls back to git's own line merge, which is what git does with no driver.
 */
export function driverCommand(inv: Invocation): string {
  const args = 'merge-driver %O %A %B %P';
  const js = shQuote(inv.js);
  const node = shQuote(inv.node);
  return [
    `if [ -f ${js} ] && [ -x ${node} ]; then ${node} ${js} ${args};`,
    `elif [ -f ${js} ] && command -v node >/dev/null 2>&1; then node ${js} ${args};`,
    `elif command -v baton >/dev/null 2>&1; then baton ${args};`,
    'else git merge-file -L ours -L base -L theirs %A %O %B; fi',
  ].join(' ');
}
