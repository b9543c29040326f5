/**
 * `claim --push`: publish a claim commit to the upstream branch, and find out who won when
 * someone else pushed first.
 *
 * Decisions:
 * - The first claim to reach the upstream wins: the remote serializes pushes. When our push
 *   is rejected we fetch and read the upstream's copy of the task; if it holds another
 *   agent's claim (or the task can no longer be claimed) we lost, without merging.
 * - Otherwise the upstream changed something else: merge it (`git merge` of the fetched
 *   upstream, i.e. `git pull --no-rebase`; the baton merge driver, if configured, merges
 *   task files field by field), re-read the task, and push again if the claim is still ours,
 *   at most `MAX_PUSHES` times.
 * - A merge conflict is aborted. A lost race or a conflict undoes our claim commit, and only
 *   it: when the branch is exactly the old upstream plus our commit (and our merge), it is
 *   moved to the upstream with `git reset --keep` (which never discards the user's
 *   uncommitted changes); anything else is left as it is and reported.
 * - `claim --push` refuses to start when the branch has commits the upstream lacks (they
 *   would be pushed with the claim).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { decideClaim } from '../../core/claim-decision.js';
import { UserError } from '../../errors.js';
import { firstLine, gitRun, openGit } from '../../store/commit.js';
import { parseTaskFileFully } from '../../store/parse-file.js';

export const MAX_PUSHES = 5;

export interface Upstream {
  remote: string;
  /** The branch on the remote, e.g. `refs/heads/main`. */
  mergeRef: string;
  /** Short name of the remote-tracking branch, e.g. `origin/main`. */
  tracking: string;
}

export type PushOutcome =
  | { won: true; pushes: number }
  | { won: false; winner?: string; message: string; undone: boolean };

async function tryRaw(g: SimpleGit, args: string[]): Promise<string | undefined> {
  try {
    return (await g.raw(args)).trim();
  } catch {
    return undefined;
  }
}

/** The current branch's upstream; refuses when there is none or HEAD is ahead of it. */
export async function prepareClaimPush(cwd: string): Promise<Upstream> {
  const g = await openGit(cwd);
  const branch = await tryRaw(g, ['symbolic-ref', '--short', '-q', 'HEAD']);
  if (!branch) throw new UserError('GIT_FAILED', 'claim --push needs a branch (HEAD is detached)');
  const tracking = await tryRaw(g, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}']);
  const remote = await tryRaw(g, ['config', `branch.${branch}.remote`]);
  const mergeRef = await tryRaw(g, ['config', `branch.${branch}.merge`]);
  if (!tracking || !remote || !mergeRef) {
    throw new UserError(
      'GIT_FAILED',
      `branch ${branch} has no upstream to push to; set one with \`git push -u <remote> ${branch}\``,
    );
  }
  const ahead = Number(await gitRun(g, ['rev-list', '--count', '@{u}..HEAD']));
  if (ahead > 0) {
    throw new UserError(
      'REFUSED',
      `${branch} has ${ahead} commit(s) that ${tracking} lacks; push them first (or claim without --push)`,
    );
  }
  return { remote, mergeRef, tracking };
}

/** The claim's holder in a task file's text, and whether `agent` could claim it. */
async function readClaim(
  path: string,
  text: string,
  agent: string,
): Promise<{ holder?: string; refused?: string }> {
  const parsed = await parseTaskFileFully(path, 'x', text);
  if (!parsed.task) return {};
  const data = parsed.task.data;
  const decision = decideClaim(data, agent, new Date());
  return {
    ...(data.lease?.agent ? { holder: data.lease.agent } : {}),
    ...(decision.ok ? {} : { refused: decision.reason }),
  };
}

async function isAncestor(g: SimpleGit, a: string, b: string): Promise<boolean> {
  return Number(await gitRun(g, ['rev-list', '--count', `${b}..${a}`])) === 0;
}

/** Undo our claim commit `claim` (and a merge on top of it); true when done. */
async function undoClaim(g: SimpleGit, claim: string): Promise<boolean> {
  const head = await gitRun(g, ['rev-parse', 'HEAD']);
  const parents = (await gitRun(g, ['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ');
  const ours =
    head.trim() === claim ||
    (parents.length === 3 && parents[1] === claim && (await isAncestor(g, parents[2]!, '@{u}')));
  if (!ours) return false;
  const onto = (await isAncestor(g, `${claim}^`, '@{u}')) ? '@{u}' : `${claim}^`;
  const target = await gitRun(g, ['rev-parse', onto]);
  try {
    await g.raw(['reset', '--keep', onto]);
  } catch {
    return false;
  }
  return (await gitRun(g, ['rev-parse', 'HEAD'])) === target;
}

/** After a failed push: undo the claim commit if that is safe; true when done. */
export async function abandonClaim(cwd: string, claim: string): Promise<boolean> {
  try {
    return await undoClaim(await openGit(cwd), claim);
  } catch {
    return false;
  }
}

async function mergeUpstream(g: SimpleGit, gitDir: string): Promise<string | undefined> {
  let failure: string | undefined;
  try {
    await g.raw(['merge', '--no-edit', '@{u}']);
  } catch (error) {
    failure = firstLine(error);
  }
  const unmerged = (await gitRun(g, ['ls-files', '-u'])).trim();
  if (unmerged !== '' || existsSync(join(gitDir, 'MERGE_HEAD'))) {
    await tryRaw(g, ['merge', '--abort']);
    return 'conflict';
  }
  return failure;
}

export async function pushClaim(opts: {
  cwd: string;
  /** The task file, relative to `cwd`. */
  path: string;
  id: string;
  agent: string;
  /** Our claim commit. */
  commit: string;
  up: Upstream;
}): Promise<PushOutcome> {
  const { cwd, path, id, agent, commit, up } = opts;
  const g = await openGit(cwd);
  const gitDir = (await gitRun(g, ['rev-parse', '--absolute-git-dir'])).trim();
  const lost = async (message: string, winner?: string): Promise<PushOutcome> => ({
    won: false,
    message,
    undone: await undoClaim(g, commit),
    ...(winner ? { winner } : {}),
  });
  for (let pushes = 1; pushes <= MAX_PUSHES; pushes++) {
    let rejection: string;
    try {
      await g.raw(['push', up.remote, `HEAD:${up.mergeRef}`]);
      // simple-git resolves a failure that printed nothing on stderr: check the ref moved
      if (await isAncestor(g, 'HEAD', '@{u}')) return { won: true, pushes };
      rejection = 'the upstream did not take the push';
    } catch (error) {
      rejection = firstLine(error);
    }
    await gitRun(g, ['fetch', '--quiet', up.remote]);
    if (await isAncestor(g, '@{u}', 'HEAD')) {
      // not rejected for being behind: a transient failure (a locked ref), or a real error
      if (pushes === MAX_PUSHES) throw new UserError('GIT_FAILED', `git push failed: ${rejection}`);
      await new Promise((r) => setTimeout(r, 100 * pushes));
      continue;
    }
    const theirs = await tryRaw(g, ['show', `@{u}:./${path}`]);
    if (theirs !== undefined) {
      const claim = await readClaim(path, `${theirs}\n`, agent);
      if (claim.refused) {
        return lost(
          claim.holder && claim.holder !== agent
            ? `${id} was claimed by ${claim.holder}`
            : `${id} changed upstream: ${claim.refused}`,
          claim.holder,
        );
      }
    }
    const merge = await mergeUpstream(g, gitDir);
    if (merge === 'conflict') {
      return lost(`${id}: the upstream's change to ${path} conflicts with the claim`);
    }
    if (merge !== undefined) return lost(`${id}: could not merge ${up.tracking}: ${merge}`);
    const now = await readClaim(path, readFileSync(join(cwd, path), 'utf8'), agent);
    if (now.holder !== agent) {
      return lost(`${id} was claimed by ${now.holder ?? 'nobody'}`, now.holder);
    }
  }
  return lost(`${id}: the upstream kept moving; gave up after ${MAX_PUSHES} pushes`);
}
