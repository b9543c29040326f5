/**
 * A deterministic synthetic task history for the `baton stats` bench: the same (tasks,
 * commits, seed) gives the same commits, byte for byte. A small team of agents works through
 * the tasks over months: tasks are created (some with a `due`), claimed or started, blocked
 * and unblocked, handed off, sent to review, done, sometimes reopened or cancelled; each step
 * is one commit that changes `status`, `assignee` and `updated` in the front matter and
 * appends a `## Log` line (a few status changes are hand edits, without a log line). The
 * first commit writes `.tasks/config.yaml`; when nobody has work, a commit edits an agent
 * profile under `.tasks/agents/`; now and then a commit also changes a file outside `.tasks/`.
 *
 * Built with one `git fast-import` process (inline blobs, one branch), not a `git commit`
 * per step. Bump HISTORY_GENERATOR_VERSION whenever the output changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mulberry32 } from './generate.js';

export const HISTORY_GENERATOR_VERSION = 1;

export interface HistoryOptions {
  tasks: number;
  commits: number;
  seed: number;
}

export const AGENTS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
/** Monday 2026-01-05 09:00 UTC; commits are spread over the following 40 weeks. */
const START = Date.UTC(2026, 0, 5, 9);
const SPAN_MS = 40 * 7 * 86_400_000;
/** Tasks are all created within this share of the commits; the rest only finish work. */
const CREATION_SHARE = 0.85;

const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const WORDS =
  'schema migration users table index cache retry webhook billing export login audit queue report search invoice'.split(
    ' ',
  );
const FILLER =
  'Keep the change small and reviewed. Write the tests first, then the code, then update the docs. '.repeat(
    7,
  );

/** One task file as the team edits it. */
class Task {
  status = 'todo';
  assignee: string | undefined;
  updated: number;
  readonly lines: string[] = [];
  readonly title: string;
  readonly created: string | undefined;
  readonly due: string | undefined;

  constructor(
    rng: Rng,
    readonly id: string,
    readonly path: string,
    readonly creator: string,
    time: number,
  ) {
    this.title = `${pick(rng, WORDS)} ${pick(rng, WORDS)} ${pick(rng, WORDS)}`;
    this.updated = time;
    // Most files say when they were created; a few (hand-written) leave it to the history.
    this.created = rng() < 0.95 ? iso(time - Math.floor(rng() * 20) * 60_000) : undefined;
    const days = 7 + Math.floor(rng() * 60);
    this.due = rng() < 0.4 ? iso(time + days * 86_400_000).slice(0, 10) : undefined;
    if (rng() < 0.3) this.assignee = pick(rng, AGENTS);
  }

  log(at: number, agent: string, text: string): void {
    this.lines.push(`- ${iso(at)} ${agent} ${text}`);
  }

  /** A status change, logged by baton, or (3% of them) a hand edit without a log line. */
  setStatus(status: string, at: number, agent: string, verb: string, rng: Rng, why?: string) {
    this.status = status;
    if (rng() >= 0.03) this.log(at, agent, why ? `${verb}: ${why}` : verb);
  }

  render(): string {
    const fm = [
      `id: ${this.id}`,
      `title: ${this.title}`,
      `status: ${this.status}`,
      'priority: medium',
    ];
    fm.push('depends_on: []');
    if (this.assignee) fm.push(`assignee: ${this.assignee}`);
    fm.push('labels: [backend]', 'estimate: 4h');
    if (this.due) fm.push(`due: ${this.due}`);
    if (this.created) fm.push(`created: ${this.created}`);
    fm.push(`updated: ${iso(this.updated)}`);
    const log = this.lines.length > 0 ? `\n## Log\n${this.lines.join('\n')}\n` : '';
    return `---\n${fm.join('\n')}\n---\n${FILLER}\n\n- [ ] it works\n${log}`;
  }
}

/** One commit: its time, author and the files it writes. */
interface Step {
  time: number;
  agent: string;
  message: string;
  files: [path: string, content: string][];
}

/** Tasks in progress, blocked or in review at once: about two per agent. */
const WIP = 2 * AGENTS.length;

/**
 * The simulation: new tasks join the backlog at an even pace; whenever fewer than WIP tasks
 * are active the oldest backlog task is claimed (or, now and then, cancelled); otherwise a
 * random active task moves on. Some done tasks are reopened later and rejoin the backlog.
 */
class Team {
  readonly backlog: Task[] = [];
  readonly active: Task[] = [];
  readonly reopenable: Task[] = [];
  created = 0;

  constructor(
    private readonly rng: Rng,
    private readonly opts: HistoryOptions,
  ) {}

  step(i: number, time: number): Step {
    const { rng, opts } = this;
    const due = Math.floor(((this.created + 1) * opts.commits * CREATION_SHARE) / opts.tasks);
    if (this.created < opts.tasks && i >= due) return this.create(time);
    if (this.reopenable.length > 0 && rng() < 0.012) {
      const task = this.reopenable.splice(Math.floor(rng() * this.reopenable.length), 1)[0]!;
      this.backlog.push(task);
      return this.act(task, time, 'reopen');
    }
    if (this.active.length < WIP && this.backlog.length > 0) {
      const task = this.backlog.shift()!;
      if (rng() < 0.04) return this.act(task, time, 'cancel');
      this.active.push(task);
      return this.act(task, time, rng() < 0.5 ? 'claim' : 'start');
    }
    if (this.active.length === 0) return this.chatter(time);
    return this.act(pick(rng, this.active), time, undefined);
  }

  private create(time: number): Step {
    const { rng } = this;
    const n = this.created++;
    const id = `t-${n.toString(36).padStart(4, '0')}`;
    // Half the tasks are planned on feature branches; each feature gets its own folder.
    const ns = rng() < 0.5 ? 'main' : `feature-${Math.floor(n / 150) + 1}`;
    const task = new Task(rng, id, `.tasks/${ns}/${id}.md`, pick(rng, AGENTS), time);
    this.backlog.push(task);
    return step(time, task.creator, `baton: new ${task.id}`, task);
  }

  private act(task: Task, time: number, forced: string | undefined): Step {
    const { rng } = this;
    const verb = forced ?? nextVerb(rng, task.status);
    const agent = task.assignee ?? pick(rng, AGENTS);
    const at = Math.min(
      time,
      Math.max(task.updated + 60_000, time - Math.floor(rng() * 5 + 1) * 60_000),
    );
    task.updated = at;
    switch (verb) {
      case 'claim':
      case 'start':
        if (verb === 'claim' || task.assignee === undefined) task.assignee = agent;
        task.setStatus('in_progress', at, task.assignee, verb, rng);
        break;
      case 'block':
        task.setStatus('blocked', at, agent, verb, rng, 'waiting on the vendor API key');
        break;
      case 'review':
        task.setStatus('review', at, agent, verb, rng);
        break;
      case 'done':
        task.setStatus('done', at, agent, verb, rng);
        break;
      case 'cancel':
        task.setStatus('cancelled', at, agent, verb, rng, 'no longer needed');
        break;
      case 'reopen':
        task.setStatus('todo', at, agent, verb, rng, 'regression found');
        break;
      case 'handoff': {
        const to = pick(
          rng,
          AGENTS.filter((a) => a !== agent),
        );
        task.assignee = to;
        task.log(at, agent, `handoff -> ${to}: draft ready, tests pending`);
        break;
      }
      default:
        task.log(at, agent, `${verb}: progress noted on ${task.id}`);
    }
    if (task.status === 'done' || task.status === 'cancelled') {
      const k = this.active.indexOf(task);
      if (k >= 0) this.active.splice(k, 1);
      if (task.status === 'done' && rng() < 0.08) this.reopenable.push(task);
    }
    return step(time, agent, `baton: ${verb} ${task.id}`, task);
  }

  private chatter(time: number): Step {
    const content = `name: ${pick(this.rng, AGENTS)}\ncapacity: 2\nupdated: ${iso(time)}\n`;
    return {
      time,
      agent: 'alice',
      message: 'agents: update',
      files: [['.tasks/agents/team.md', `---\n${content}---\n`]],
    };
  }
}

function step(time: number, agent: string, message: string, task: Task): Step {
  return { time, agent, message, files: [[task.path, task.render()]] };
}

/** What happens next to an active task in `status`. */
function nextVerb(rng: Rng, status: string): string {
  const r = rng();
  switch (status) {
    case 'in_progress':
      if (r < 0.66) return rng() < 0.5 ? 'share' : 'sync';
      if (r < 0.72) return 'block';
      if (r < 0.8) return 'handoff';
      if (r < 0.91) return 'review';
      return 'done';
    case 'blocked':
      return r < 0.25 ? 'share' : 'start';
    case 'review':
      return r < 0.7 ? 'done' : 'start';
    default:
      return 'start';
  }
}

/** The fast-import stream of `steps`, as one buffer (the team's commits on `main`). */
function importStream(steps: Step[]): Buffer {
  const parts: Buffer[] = [];
  const data = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    parts.push(Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n'));
  };
  steps.forEach((s, i) => {
    const who = `${s.agent} <${s.agent}@example.com> ${Math.floor(s.time / 1000)} +0000`;
    parts.push(
      Buffer.from(`commit refs/heads/main\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\n`),
    );
    data(s.message);
    for (const [path, content] of s.files) {
      parts.push(Buffer.from(`M 100644 inline ${path}\n`));
      data(content);
    }
  });
  return Buffer.concat(parts);
}

/** The commits of a generated history, without writing anything. */
export function historySteps(opts: HistoryOptions): Step[] {
  const rng = mulberry32(opts.seed);
  const team = new Team(rng, opts);
  const gap = SPAN_MS / opts.commits;
  const steps: Step[] = [
    {
      time: START - 86_400_000,
      agent: 'alice',
      message: 'baton init',
      files: [
        ['.tasks/config.yaml', 'default_namespace: main\nid_prefix: t\n'],
        ['README.md', '# generated history\n'],
      ],
    },
  ];
  for (let i = 1; i < opts.commits; i++) {
    const time = START + Math.floor(((i + rng() * 0.8) * gap) / 1000) * 1000;
    const s = team.step(i, time);
    if (i % 997 === 0) s.files.push(['src/notes.txt', `build ${i}\n`]);
    steps.push(s);
  }
  return steps;
}

/** A git repository at `dir` (created) holding the generated history, checked out on `main`. */
export function generateHistory(dir: string, opts: HistoryOptions): void {
  mkdirSync(dir, { recursive: true });
  const git = (args: string[], input?: Buffer) =>
    execFileSync('git', args, {
      cwd: dir,
      env: ENV,
      input,
      stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  git(['init', '-q', '-b', 'main']);
  git(['fast-import', '--quiet'], importStream(historySteps(opts)));
  git(['reset', '-q', '--hard', 'main']);
}
