/**
 * `baton handoff ID --to B [--note N] [--artifact PATH]... [--criteria TEXT]... [--commit]`:
 * pass the baton. Sets `assignee: B`, removes the lease, sets `updated`, and logs
 * `<time> <agent> handoff -> B: <note> [artifacts: ...] [criteria: ...]`.
 *
 * Decisions:
 * - Refused (exit 1) while another agent holds an unexpired lease: only the holder hands
 *   its work on. The status is kept: an `in_progress` task stays in progress, now waiting
 *   for B to claim it (B may, since it is assigned to B and has no lease).
 * - Artifacts must be files inside the repository: a path is read relative to the
 *   repository root, else to the current folder, and logged relative to the root. A
 *   missing file, a folder, or a path (or symbolic link) leading outside is refused (exit 1).
 *   Paths with `,` `[` `]` and criteria with `;` `]` would not read back from the log line
 *   and are refused (exit 2): give each criterion its own `--criteria`.
 * - `--commit` commits the task file and those artifacts that are changed or untracked
 *   (ignored ones are left out), with trailers `Baton-Task: <id>` and
 *   `Baton-Handoff: <from> -> <to>`.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { leaseState } from '../../core/claim-decision.js';
import { formatEntry } from '../../core/log-entry.js';
import { UserError } from '../../errors.js';
import { setFields } from '../../format/edit.js';
import { appendLog } from '../../format/log.js';
import type { Ctx } from '../context.js';
import { stringList } from '../options.js';
import { changeResult, changeTask } from '../task-change.js';
import { reportWrite } from '../write-result.js';

/** Repo-relative POSIX paths of the artifacts; throws when one is not a file in the repo. */
export function resolveArtifacts(root: string, cwd: string, paths: readonly string[]): string[] {
  const realRoot = realpathSync(root);
  const out: string[] = [];
  for (const given of paths) {
    if (/[,[\]]/.test(given)) {
      throw new UserError('USAGE', `artifact path "${given}" has , [ or ]; the log cannot hold it`);
    }
    const candidates = [resolve(root, given), resolve(cwd, given)];
    const found = candidates.find((p) => existsSync(p));
    if (!found) {
      throw new UserError(
        'REFUSED',
        `artifact ${given} does not exist (paths are relative to the repository root ${root})`,
      );
    }
    const rel = relative(realRoot, realpathSync(found));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new UserError('REFUSED', `artifact ${given} is outside the repository`);
    }
    if (!statSync(found).isFile()) {
      throw new UserError('REFUSED', `artifact ${given} is not a file`);
    }
    const logged = relative(root, found).split(sep).join('/');
    if (!out.includes(logged)) out.push(logged);
  }
  return out;
}

export async function runHandoff(
  ctx: Ctx,
  args: string[],
  opts: Record<string, unknown>,
): Promise<number> {
  const to = String(opts.to ?? '').trim();
  if (!/^[^\s:[\]]+$/.test(to)) {
    throw new UserError('USAGE', `--to takes one agent name (no spaces), not "${to}"`);
  }
  const criteria = stringList(opts.criteria)
    .map((c) => c.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const bad = criteria.find((c) => /[;\]]/.test(c));
  if (bad !== undefined) {
    throw new UserError(
      'USAGE',
      `--criteria "${bad}" has ; or ]; give each criterion its own --criteria`,
    );
  }
  const note = typeof opts.note === 'string' ? opts.note.replace(/\s+/g, ' ').trim() : '';
  const root = ctx.root();
  const artifacts = resolveArtifacts(root.root, ctx.cwd, stringList(opts.artifact));
  const agent = await ctx.agent();
  const r = await changeTask(ctx, {
    query: args[0] ?? '',
    verb: 'handoff',
    commit: opts.commit === true,
    message: (id) => `baton: handoff ${id} to ${to}`,
    trailers: { 'Baton-Handoff': `${agent} -> ${to}` },
    extraPaths: artifacts,
    change: ({ text, data, now, time, task }) => {
      const lease = leaseState(data, now);
      if (lease?.live && lease.agent !== agent) {
        throw new UserError(
          'REFUSED',
          `${data.id} is claimed by ${lease.agent} (lease until ${lease.until}); only ${lease.agent} can hand it off`,
          { path: task.path, details: { holder: lease.agent } },
        );
      }
      const entry = formatEntry({
        time,
        agent,
        verb: 'handoff',
        target: to,
        ...(note ? { message: note } : {}),
        artifacts,
        criteria,
      });
      const fields = { assignee: to, lease: undefined, updated: time };
      return appendLog(setFields(text, fields), entry);
    },
  });
  const result = changeResult(r, agent, 'handoff', {
    assignee: { from: r.before.assignee ?? null, to },
    note: note || null,
    artifacts,
    criteria,
  });
  return reportWrite(ctx, opts, result, [`handed ${r.id} to ${to}`, r.committed]);
}
