/**
 * `baton run`: a pool of agent commands over the ready queue, each attempt in its own git
 * worktree, with git as the only shared state.
 *
 * - The plan is read at the target branch's tip (`view.ts`): a task is runnable only once
 *   its dependencies are merged there, so its worktree starts with their work.
 * - Picking is `next`'s (`pickNext`): queue order, assignees, skills, capacity, resources.
 * - Every change of a task's state is a commit on the target made with plumbing (a
 *   temporary index, `commit-tree`) and a compare-and-swap of the branch: the claim, the
 *   merge that marks it done (trailers Baton-Task, Baton-Agent, Baton-Attempt), a failure,
 *   a conflict, a release. Two runners on one repository race on that ref, so one task is
 *   never claimed twice; within a runner, one queue (`serial`) orders the writes.
 * - An attempt runs on branch `baton/<task>/<attempt>` in a worktree outside the user's
 *   working tree; whatever it changed is committed there before the worktree is removed,
 *   so no ending (failure, timeout, Ctrl-C, a crash) loses work.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentProfile } from '../core/agents.js';
import { buildGraph } from '../core/graph.js';
import { nextChange } from '../core/horizon.js';
import { pickNext } from '../core/next.js';
import { computeReadiness } from '../core/readiness.js';
import { nodeHours, readyQueue } from '../core/ready-queue.js';
import type { Config } from '../schema/config.js';
import { attemptInput } from './attempt-input.js';
import type { RunEvent, RunSummary } from './events.js';
import {
  addWorktree,
  advanceBranch,
  branchTip,
  commitAll,
  deleteBranch,
  listBranches,
  makeCommit,
  mergeTrees,
  readAt,
  removeWorktree,
  taskTouching,
  worktreesDir,
} from './git-plumbing.js';
import { type AttemptRecord, listRecords, logPath, saveRecord } from './records.js';
import { type AttemptEnd, isAlive, type RunningAttempt, startAttempt } from './supervise.js';
import { claimText, conflictText, doneText, failText, releaseText } from './task-edits.js';
import { TipReader, type View } from './view.js';

export interface RunOptions {
  /** The repository root (where `.tasks/` is). */
  root: string;
  /** `.tasks/.local`. */
  localDir: string;
  /** The branch results are merged into. */
  target: string;
  jobs: number;
  /** `--cmd`: the command for every task. */
  cmd?: string;
  /** Agent profiles to run as (`--agent-profiles`); empty: one agent of capacity `jobs`. */
  profiles: AgentProfile[];
  /** The acting agent when there are no profiles. */
  agent: string;
  timeoutMs?: number;
  graceMs?: number;
  check?: string;
  /** Run in each new worktree before the command (e.g. installing dependencies). */
  setup?: string;
  maxTasks?: number;
  config: Config;
  onEvent: (e: RunEvent) => void;
  /** How often to look for a target moved by someone else while waiting (ms). */
  pollMs?: number;
}

interface Choice {
  id: string;
  agent: string;
  command: string;
}

interface Claimed extends Choice {
  /** The claim commit the attempt's worktree starts from. */
  base: string;
  attempt: number;
  branch: string;
  path: string;
  /** What the command reads on stdin: the task file as claimed. */
  stdin: string;
}

interface Running {
  id: string;
  path: string;
  attempt: number;
  agent: string;
  branch: string;
  dir: string;
  base: string;
  started: number;
  record: AttemptRecord;
  proc: RunningAttempt;
  interrupted: boolean;
  /** `--setup` failed: the command never ran. */
  setupFailure?: string;
  /** Settles once the attempt is fully handled (merged, failed, released). */
  settled: Promise<void>;
}

const LEASE_SLACK_MS = 10 * 60_000;

export class Runner {
  private readonly reader: TipReader;
  private readonly running = new Map<string, Running>();
  /** Tasks this run will not try again (no command, claim refused for a local reason). */
  private readonly skip = new Set<string>();
  private writes: Promise<unknown> = Promise.resolve();
  private worktreeOps: Promise<unknown> = Promise.resolve();
  private mode: 'run' | 'drain' | 'stop' = 'run';
  private wake: () => void = () => {};
  private readonly t0 = Date.now();
  private readonly sum: RunSummary;
  /** Failures with no retry left: with conflicts, what makes the run exit 1. */
  private finalFailures = 0;

  constructor(private readonly o: RunOptions) {
    this.reader = new TipReader(o.root, o.config);
    this.sum = {
      target: o.target,
      started: 0,
      done: 0,
      review: 0,
      failed: 0,
      conflicts: 0,
      released: 0,
      left: [],
      ms: 0,
      interrupted: false,
      exit: 0,
    };
  }

  /** Open tasks (todo or in progress) at the target when the runner last looked. */
  openTasks = 0;
  /** Their estimated hours of work (config's default for a task without an estimate). */
  openHours = 0;
  private readonly told = new Set<string>();

  /** Ctrl-C once: start nothing new. Twice: stop the running attempts too. */
  interrupt(): void {
    const hard = this.mode !== 'run';
    this.mode = hard ? 'stop' : 'drain';
    this.sum.interrupted = true;
    this.o.onEvent({ type: 'stopping', running: this.running.size, hard });
    if (hard) {
      for (const r of this.running.values()) {
        r.interrupted = true;
        r.proc.stop();
      }
    }
    this.wake();
  }

  async run(): Promise<RunSummary> {
    await this.recover();
    for (;;) {
      if (this.mode === 'run') await this.fill();
      if (this.running.size > 0) {
        await this.nextWake([...this.running.values()].map((r) => r.settled));
        continue;
      }
      if (this.mode !== 'run' || this.limitReached()) break;
      const wait = await this.waitingOn();
      if (!wait) break;
      this.o.onEvent({
        type: 'waiting',
        on: wait.on,
        ...(wait.until ? { until: wait.until } : {}),
      });
      await this.untilMovedOr(wait.untilMs);
    }
    await this.writes;
    const view = await this.view();
    this.sum.left = view.graph.tasks
      .filter((t) => t.data.status === 'todo' || t.data.status === 'in_progress')
      .map((t) => t.data.id);
    this.sum.ms = Date.now() - this.t0;
    this.sum.exit = this.sum.interrupted
      ? 130
      : this.finalFailures + this.sum.conflicts > 0
        ? 1
        : 0;
    this.o.onEvent({ type: 'summary', ...this.sum });
    return this.sum;
  }

  private limitReached(): boolean {
    return this.o.maxTasks !== undefined && this.sum.started >= this.o.maxTasks;
  }

  private async view(): Promise<View> {
    return this.reader.read(await branchTip(this.o.root, this.o.target), new Date());
  }

  /**
   * Adding and removing worktrees, one at a time: git reads every worktree's admin folder
   * while it adds one, and fails on one being written ("failed to read .../commondir"). A
   * second runner can still collide, so a failure is tried again a few times.
   */
  private worktree(f: () => Promise<void>): Promise<void> {
    const once = async () => {
      for (let k = 1; ; k++) {
        try {
          return await f();
        } catch (error) {
          if (k === 4) throw error;
          await sleep(50 * k);
        }
      }
    };
    const next = this.worktreeOps.then(once, once);
    this.worktreeOps = next.catch(() => undefined);
    return next;
  }

  /** Writes to the target, one at a time within this runner. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.writes.then(f, f);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /**
   * Start attempts while there are free slots and tasks to take: pick for every free slot
   * (each pick counted as held, so capacity and resources see it), claim them all in one
   * move of the target, then start them.
   */
  private async fill(): Promise<void> {
    const tried = new Set<string>();
    while (this.mode === 'run' && this.running.size < this.o.jobs && !this.limitReached()) {
      const free = Math.min(
        this.o.jobs - this.running.size,
        (this.o.maxTasks ?? Number.POSITIVE_INFINITY) - this.sum.started,
      );
      let view = await this.view();
      const hours = nodeHours(view.graph, view.snapshot.config);
      this.openTasks = 0;
      this.openHours = 0;
      view.graph.tasks.forEach((t, i) => {
        if (t.data.status !== 'todo' && t.data.status !== 'in_progress') return;
        this.openTasks++;
        this.openHours += hours[i]!;
      });
      const picks: Choice[] = [];
      while (picks.length < free) {
        const pick = this.choose(view, tried);
        if (!pick) break;
        tried.add(pick.id);
        picks.push(pick);
        view = heldBy(view, pick.id, pick.agent);
      }
      if (picks.length === 0) return;
      const claimed = await this.serial(() => this.claim(picks));
      await Promise.all(claimed.map((c) => this.launch(c)));
    }
  }

  /** The best task for any agent with a free slot, and the command to run it. */
  private choose(view: View, tried: ReadonlySet<string>): Choice | undefined {
    const { graph, states, snapshot } = view;
    for (;;) {
      const queue = readyQueue(graph, snapshot.config, snapshot.now, states).filter((r) => {
        const id = r.task.data.id;
        return !tried.has(id) && !this.skip.has(id) && !this.running.has(id);
      });
      if (queue.length === 0) return undefined;
      const agents = this.agents(view);
      let best: { id: string; agent: string; rank: number; profile?: AgentProfile } | undefined;
      for (const profile of agents) {
        const r = pickNext({
          queue,
          graph,
          states,
          agent: profile.name,
          profiles: agents,
          resources: snapshot.config.resources,
          now: snapshot.now,
        });
        const c = r.choice;
        if (c && (!best || c.ranked.rank < best.rank)) {
          best = { id: c.ranked.task.data.id, agent: profile.name, rank: c.ranked.rank, profile };
        }
      }
      if (!best) return undefined;
      const task = graph.tasks[graph.index.get(best.id)!]!;
      const run = (task.data as Record<string, unknown>).run;
      const command =
        this.o.cmd ?? best.profile?.command ?? (typeof run === 'string' ? run : undefined);
      if (command) return { id: best.id, agent: best.agent, command };
      this.skip.add(best.id);
      this.o.onEvent({
        type: 'skipped',
        id: best.id,
        reason: 'no command: give --cmd, a command: in the agent profile, or run: in the task',
      });
    }
  }

  /** The agents to pick for: the profiles, or one agent that may hold `jobs` tasks. */
  private agents(view: View): AgentProfile[] {
    if (this.o.profiles.length > 0) return this.o.profiles;
    const skills = new Set<string>();
    for (const t of view.graph.tasks) for (const s of t.data.skills ?? []) skills.add(s);
    return [
      { name: this.o.agent, tools: [], skills: [...skills], capacity: this.o.jobs, path: '' },
    ];
  }

  /** Start a claimed attempt in its own worktree. */
  private async launch(claimed: Claimed): Promise<boolean> {
    const { id, agent, command, base, attempt, branch, path } = claimed;
    const dir = join(await worktreesDir(this.o.root), `${id}-${attempt}`);
    try {
      await this.worktree(async () => {
        try {
          await addWorktree(this.o.root, dir, branch, base);
        } catch (error) {
          // what a failed add left (its folder, the new branch at the claim) goes before a retry
          await removeWorktree(this.o.root, dir).catch(() => undefined);
          await deleteBranch(this.o.root, branch).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      this.skip.add(id);
      this.o.onEvent({ type: 'problem', id, message: `no worktree: ${errorText(error)}` });
      await this.serial(() => this.release({ id, attempt, agent, branch }, 'no worktree'));
      return false;
    }
    const record: AttemptRecord = {
      id,
      attempt,
      branch,
      dir,
      base,
      agent,
      command,
      runner_pid: process.pid,
      started: new Date().toISOString(),
      state: 'running',
    };
    saveRecord(this.o.localDir, record);
    const deadline =
      this.o.timeoutMs === undefined ? '' : new Date(Date.now() + this.o.timeoutMs).toISOString();
    const env = {
      BATON_TASK_ID: id,
      BATON_TASK_FILE: join(dir, path),
      BATON_ATTEMPT: String(attempt),
      BATON_AGENT: agent,
      BATON_BASE: base,
      BATON_BRANCH: branch,
      BATON_DEADLINE: deadline,
    };
    // --setup: prepare the worktree (install dependencies, link caches) before the agent
    let setupFailure: string | undefined;
    if (this.o.setup) {
      const s = await startAttempt({
        command: this.o.setup,
        cwd: dir,
        env,
        stdin: '',
        logFile: logPath(this.o.localDir, id, attempt),
        ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
        ...(this.o.graceMs !== undefined ? { graceMs: this.o.graceMs } : {}),
      }).done;
      if (s.code !== 0) setupFailure = `setup failed (${endText(s)})`;
    }
    const proc = setupFailure
      ? notStarted()
      : startAttempt({
          command,
          cwd: dir,
          env,
          stdin: claimed.stdin,
          logFile: logPath(this.o.localDir, id, attempt),
          ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
          ...(this.o.graceMs !== undefined ? { graceMs: this.o.graceMs } : {}),
        });
    record.pid = proc.pid;
    saveRecord(this.o.localDir, record);
    this.sum.started++;
    this.o.onEvent({ type: 'start', id, attempt, agent, branch, command });
    const r: Running = {
      id,
      path,
      attempt,
      agent,
      branch,
      dir,
      base,
      started: Date.now(),
      record,
      proc,
      interrupted: this.mode === 'stop',
      settled: Promise.resolve(),
      ...(setupFailure ? { setupFailure } : {}),
    };
    r.settled = proc.done
      .then((end) => this.finish(r, end))
      .catch((error: unknown) => {
        this.o.onEvent({ type: 'problem', id, message: errorText(error) });
      });
    this.running.set(id, r);
    void r.settled.finally(() => {
      this.running.delete(id);
      this.wake();
    });
    return true;
  }

  /**
   * Claim the picks: one commit each, chained, and one move of the target. Returns the
   * claims made (a pick someone else took meanwhile is left out); every attempt starts from
   * the last of these commits.
   */
  private async claim(picks: Choice[]): Promise<Claimed[]> {
    for (let k = 0; k < 20; k++) {
      const view = await this.view();
      const leaseMs = (this.o.timeoutMs ?? 24 * 3600_000) + LEASE_SLACK_MS;
      const made: Omit<Claimed, 'base'>[] = [];
      let head = view.tip;
      for (const p of picks) {
        const i = view.graph.index.get(p.id);
        const task = i === undefined ? undefined : view.graph.tasks[i]!;
        const text = task ? view.text(task.path) : undefined;
        if (i === undefined || !task || text === undefined) continue;
        const earlier = await this.attemptBranches(p.id);
        let attempt = (task.data.attempts ?? 0) + 1;
        while (earlier.includes(`baton/${p.id}/${attempt}`)) attempt++;
        const branch = `baton/${p.id}/${attempt}`;
        const c = claimText(text, task.data, view.states[i]!, {
          agent: p.agent,
          now: new Date(),
          attempt,
          leaseMs,
          branch,
        });
        if ('refused' in c) continue;
        head = await makeCommit(this.o.root, {
          parent: head,
          changes: { [task.path]: c.text },
          message: `baton: claim ${p.id}`,
          trailers: {
            'Baton-Task': p.id,
            'Baton-Agent': p.agent,
            'Baton-Attempt': String(attempt),
          },
        });
        const stdin = attemptInput(c.text, { attempt, branch, earlier });
        made.push({ ...p, attempt, branch, path: task.path, stdin });
      }
      if (made.length === 0) return [];
      const moved = await advanceBranch(this.o.root, this.o.target, view.tip, head);
      if (moved.ok) return made.map((m) => ({ ...m, base: head }));
      if (moved.reason === 'local-changes') {
        for (const p of picks) this.skip.add(p.id);
        this.o.onEvent({
          type: 'problem',
          message: `not claimed: uncommitted changes in ${moved.files.join(', ')} where the claims would go`,
        });
        return [];
      }
    }
    return [];
  }

  /** The branches of this task's attempts that exist, in attempt order. */
  private async attemptBranches(id: string): Promise<string[]> {
    const attempt = (name: string) => Number(name.split('/').pop());
    return (await listBranches(this.o.root, `baton/${id}/`))
      .map((b) => b.name)
      .filter((name) => Number.isInteger(attempt(name)))
      .sort((x, y) => attempt(x) - attempt(y));
  }

  /** An attempt ended: keep its work, then merge it, fail it or release it. */
  private async finish(r: Running, end: Awaited<RunningAttempt['done']>): Promise<void> {
    await commitAll(r.dir, `baton run: ${r.id} attempt ${r.attempt}`, {
      'Baton-Task': r.id,
      'Baton-Agent': r.agent,
      'Baton-Attempt': String(r.attempt),
    });
    let reason: string | undefined;
    if (r.setupFailure) reason = r.setupFailure;
    else if (end.timedOut) reason = `timeout after ${seconds(this.o.timeoutMs ?? 0)}`;
    else if (end.code !== 0) {
      const last = lastLine(end.tail);
      reason = end.code === null ? endText(end) : `exit ${end.code}${last ? `: ${last}` : ''}`;
    } else if (this.o.check && !r.interrupted) {
      const check = await startAttempt({
        command: this.o.check,
        cwd: r.dir,
        env: { BATON_TASK_ID: r.id, BATON_ATTEMPT: String(r.attempt) },
        stdin: '',
        logFile: logPath(this.o.localDir, r.id, r.attempt),
        ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
      }).done;
      if (check.code !== 0) reason = `check failed (${endText(check)})`;
    }
    await this.worktree(() => removeWorktree(this.o.root, r.dir));
    const record = r.record;
    record.ended = new Date().toISOString();
    if (r.interrupted && (reason !== undefined || end.stopped)) {
      await this.serial(() => this.release(r, 'run interrupted'));
      record.state = 'released';
    } else if (reason === undefined) {
      record.state = await this.serial(() => this.merge(r));
    } else {
      record.reason = reason;
      record.state = 'failed';
      await this.serial(() => this.fail(r, reason));
    }
    saveRecord(this.o.localDir, record);
  }

  private async merge(r: Running): Promise<AttemptRecord['state']> {
    let localBlock: string[] | undefined;
    for (;;) {
      const tip = await branchTip(this.o.root, this.o.target);
      const head = await branchTip(this.o.root, r.branch);
      const m = await mergeTrees(this.o.root, tip, head);
      const trailers = {
        'Baton-Task': r.id,
        'Baton-Agent': r.agent,
        'Baton-Attempt': String(r.attempt),
      };
      // a result that does not merge, or that would overwrite uncommitted edits in the
      // checkout of the target: the target keeps its files, the task says why
      let blocked: { files: string[]; with?: string; local?: true } | undefined;
      if (!m.clean) {
        const other = await taskTouching(this.o.root, r.base, tip, m.files, { firstParent: true });
        blocked = { files: m.files, ...(other ? { with: other } : {}) };
      } else if (localBlock) {
        blocked = { files: localBlock, local: true };
      }
      if (blocked) {
        const text = await readAt(this.o.root, tip, r.path);
        if (text === undefined) return 'conflict';
        const edited = conflictText(text, {
          agent: r.agent,
          now: new Date(),
          attempt: r.attempt,
          branch: r.branch,
          ...blocked,
        });
        const c = await makeCommit(this.o.root, {
          parent: tip,
          changes: { [r.path]: edited },
          message: `baton: conflict ${r.id}`,
          trailers,
        });
        if (!(await this.advance(tip, c, r.id))) continue;
        this.sum.conflicts++;
        this.o.onEvent({
          type: 'conflict',
          id: r.id,
          attempt: r.attempt,
          branch: r.branch,
          ...blocked,
        });
        return 'conflict';
      }
      if (!m.clean) continue; // not reached: a conflict is `blocked` above
      const text = await readAt(this.o.root, m.tree, r.path);
      const view = await this.reader.read(tip, new Date());
      const task = view.graph.tasks[view.graph.index.get(r.id) ?? -1];
      if (text === undefined || !task) {
        this.o.onEvent({ type: 'problem', id: r.id, message: 'the task file is gone; not merged' });
        return 'failed';
      }
      const d = doneText(text, task.data, { agent: r.agent, now: new Date(), attempt: r.attempt });
      const merged = await makeCommit(this.o.root, {
        parent: tip,
        ...(head !== r.base ? { extraParents: [head] } : {}),
        baseTree: m.tree,
        changes: { [r.path]: d.text },
        message: `baton: ${d.status} ${r.id} (attempt ${r.attempt})`,
        trailers,
      });
      const moved = await advanceBranch(this.o.root, this.o.target, tip, merged);
      if (!moved.ok && moved.reason === 'local-changes') {
        // never wait on the user: keep the result on its branch and say so
        localBlock = moved.files;
        continue;
      }
      if (!moved.ok) continue;
      await deleteBranch(this.o.root, r.branch);
      if (d.status === 'done') this.sum.done++;
      else this.sum.review++;
      this.o.onEvent({
        type: 'merged',
        id: r.id,
        attempt: r.attempt,
        status: d.status,
        commit: merged,
        ms: Date.now() - r.started,
      });
      return d.status === 'done' ? 'merged' : 'review';
    }
  }

  private async fail(r: Running, reason: string): Promise<void> {
    for (;;) {
      const view = await this.view();
      const task = view.graph.tasks[view.graph.index.get(r.id) ?? -1];
      const text = task ? view.text(task.path) : undefined;
      if (!task || text === undefined) return;
      const f = failText(text, task.data, this.o.config, {
        agent: r.agent,
        now: new Date(),
        attempt: r.attempt,
        reason,
      });
      if ('refused' in f) {
        this.o.onEvent({ type: 'problem', id: r.id, message: f.refused });
        return;
      }
      const c = await makeCommit(this.o.root, {
        parent: view.tip,
        changes: { [task.path]: f.text },
        message: `baton: fail ${r.id} (attempt ${r.attempt})`,
        trailers: {
          'Baton-Task': r.id,
          'Baton-Agent': r.agent,
          'Baton-Attempt': String(r.attempt),
        },
      });
      if (!(await this.advance(view.tip, c, r.id))) continue;
      this.sum.failed++;
      if (f.final) this.finalFailures++;
      this.o.onEvent({
        type: 'failed',
        id: r.id,
        attempt: r.attempt,
        reason,
        final: f.final,
        branch: r.branch,
        ...(f.notBefore ? { not_before: f.notBefore } : {}),
      });
      return;
    }
  }

  private async release(
    r: Pick<Running, 'id' | 'attempt' | 'agent' | 'branch'>,
    why: string,
  ): Promise<void> {
    for (;;) {
      const view = await this.view();
      const task = view.graph.tasks[view.graph.index.get(r.id) ?? -1];
      const text = task ? view.text(task.path) : undefined;
      if (!task || text === undefined) return;
      // only a claim that is still this attempt's
      if (task.data.status !== 'in_progress' || task.data.lease?.agent !== r.agent) return;
      const edited = releaseText(text, {
        agent: r.agent,
        now: new Date(),
        attempt: r.attempt,
        why: `${why}; attempt ${r.attempt} kept on ${r.branch}`,
      });
      const c = await makeCommit(this.o.root, {
        parent: view.tip,
        changes: { [task.path]: edited },
        message: `baton: release ${r.id} (attempt ${r.attempt} interrupted)`,
        trailers: {
          'Baton-Task': r.id,
          'Baton-Agent': r.agent,
          'Baton-Attempt': String(r.attempt),
        },
      });
      if (!(await this.advance(view.tip, c, r.id))) continue;
      this.sum.released++;
      this.o.onEvent({ type: 'released', id: r.id, attempt: r.attempt, branch: r.branch, why });
      return;
    }
  }

  /** Move the target from `tip` to `to`; false when it moved first (read again and retry). */
  private async advance(tip: string, to: string, id: string): Promise<boolean> {
    const a = await advanceBranch(this.o.root, this.o.target, tip, to);
    if (a.ok) return true;
    if (a.reason === 'moved') return false;
    const message = `cannot update ${this.o.target}: uncommitted changes in ${a.files.join(', ')} (commit or stash them; the runner retries)`;
    // said once per blocked change; the runner then keeps trying quietly
    if (!this.told.has(message)) this.o.onEvent({ type: 'problem', id, message });
    this.told.add(message);
    await sleep(this.o.pollMs ?? 1000);
    return false;
  }

  /**
   * Attempts of runners that are gone (killed, crashed): stop what is left of their
   * commands, commit their work to their branches, remove their worktrees and release their
   * claims, so this run can take the tasks up again.
   */
  private async recover(): Promise<void> {
    for (const rec of listRecords(this.o.localDir)) {
      if (rec.state !== 'running' || isAlive(rec.runner_pid)) continue;
      if (rec.pid !== undefined) killGroup(rec.pid);
      let committed = false;
      if (existsSync(rec.dir)) {
        committed =
          (await commitAll(rec.dir, `baton run: ${rec.id} attempt ${rec.attempt} (recovered)`, {
            'Baton-Task': rec.id,
            'Baton-Attempt': String(rec.attempt),
          })) !== undefined;
        await this.worktree(() => removeWorktree(this.o.root, rec.dir));
      }
      await this.serial(() => this.release(rec, 'runner gone'));
      rec.state = 'recovered';
      rec.ended = new Date().toISOString();
      saveRecord(this.o.localDir, rec);
      this.o.onEvent({
        type: 'recovered',
        id: rec.id,
        attempt: rec.attempt,
        branch: rec.branch,
        committed,
      });
    }
  }

  /**
   * Nothing runs and nothing can start: is there open work that will become runnable by
   * itself (a dependency another runner or person is working on, a retry's backoff)?
   * Undefined: no, the run is over. A task behind a failed, blocked or in-review task, a
   * missing dependency or a cycle does not count: nothing here will move it.
   */
  private async waitingOn(): Promise<
    { on: string[]; until?: string; untilMs: number } | undefined
  > {
    const view = await this.view();
    const { graph, states, snapshot } = view;
    const memo = new Map<number, string[] | null>();
    /** What task i waits on that is moving by itself; null when it is stuck. */
    const moving = (i: number): string[] | null => {
      const known = memo.get(i);
      if (known !== undefined) return known;
      memo.set(i, null); // a cycle is stuck
      const d = graph.tasks[i]!.data;
      const s = states[i]!;
      let out: string[] | null = null;
      if (d.status === 'in_progress' && s.state === 'active') out = [`${d.id} (in progress)`];
      else if (d.status === 'todo' && !this.skip.has(d.id)) {
        if (s.state === 'scheduled') out = [`${d.id} (retry after ${s.notBefore})`];
        else if (s.state === 'blocked' && !s.manual && !s.cycle && s.missing.length === 0) {
          const parts = s.waitingOn.map((dep) => {
            const j = graph.index.get(dep);
            return j === undefined ? null : moving(j);
          });
          if (parts.every((p) => p !== null)) out = parts.flat() as string[];
        }
      }
      memo.set(i, out);
      return out;
    };
    const on = new Set<string>();
    for (let i = 0; i < graph.tasks.length; i++) {
      const d = graph.tasks[i]!.data;
      if (d.status !== 'todo' || this.skip.has(d.id)) continue;
      for (const w of moving(i) ?? []) on.add(w);
    }
    if (on.size === 0) return undefined;
    const at = nextChange(snapshot, graph, states);
    const until = Number.isFinite(at) ? new Date(at).toISOString() : undefined;
    return { on: [...on].slice(0, 5), ...(until ? { until } : {}), untilMs: at };
  }

  /** Until the target moves, `untilMs` (epoch) passes, or an interrupt. */
  private async untilMovedOr(untilMs: number): Promise<void> {
    const tip = await branchTip(this.o.root, this.o.target);
    const poll = this.o.pollMs ?? 500;
    while (this.mode === 'run' && Date.now() < untilMs) {
      await this.nextWake([sleep(Math.min(poll, Math.max(0, untilMs - Date.now())))]);
      if ((await branchTip(this.o.root, this.o.target)) !== tip) return;
    }
  }

  private nextWake(promises: Promise<unknown>[]): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      for (const p of promises) void p.then(() => resolve());
    });
  }
}

/** `view` with task `id` held by `agent`, as a claim will leave it. */
function heldBy(view: View, id: string, agent: string): View {
  const tasks = view.snapshot.tasks.map((t) =>
    t.data.id === id
      ? { ...t, data: { ...t.data, status: 'in_progress' as const, assignee: agent } }
      : t,
  );
  const snapshot = { ...view.snapshot, tasks };
  const graph = buildGraph(tasks);
  return { ...view, snapshot, graph, states: computeReadiness(graph, snapshot.now) };
}

/** How a command ended, in a few words. */
function endText(end: AttemptEnd): string {
  if (end.error) return end.error;
  if (end.timedOut) return 'timeout';
  return end.code === null ? `killed by ${end.signal}` : `exit ${end.code}`;
}

/** The attempt of a command that was never started (its setup failed). */
function notStarted(): RunningAttempt {
  const end: AttemptEnd = {
    code: null,
    signal: null,
    timedOut: false,
    stopped: false,
    leftovers: false,
    killed: false,
    error: null,
    tail: '',
    durationMs: 0,
  };
  return { pid: 0, done: Promise.resolve(end), stop: () => undefined };
}

function killGroup(pid: number): void {
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-pid, sig);
    } catch {
      return;
    }
  }
}

function lastLine(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > 200 ? `${last.slice(0, 197)}...` : last;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
