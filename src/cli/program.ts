/**
 * Declares every command and flag; each command's module is imported only when it runs, so
 * start-up stays fast. The only place errors become exit codes (main.ts sets exitCode).
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE } from '../errors.js';
import { type Ctx, type GlobalOptions, makeCtx } from './context.js';
import { literalMessage } from './message-args.js';
import { reportFailure } from './report-error.js';
import { flagWord, PRIORITY_HELP, SORT_HELP } from './words.js';

type Opts = Record<string, unknown>;
type Runner = (ctx: Ctx, args: string[], opts: Opts) => Promise<number>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function example(text: string): string {
  return `\nExample:\n${text
    .split('\n')
    .map((l) => `  $ ${l}`)
    .join('\n')}\n`;
}

/**
 * A command whose unknown-option error names baton's spelling of a flag other tools use
 * (`--tag` -> `--label`), else commander's own suggestion.
 */
class BatonCommand extends Command {
  override createCommand(name?: string): Command {
    return new BatonCommand(name);
  }

  unknownOption(flag: string): void {
    const known: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) {
      for (const o of c.options) if (o.long) known.push(o.long);
    }
    const word = flagWord(flag, known);
    if (word) {
      this.error(`error: unknown option '${flag}'\n(Did you mean ${word}?)`, {
        code: 'commander.unknownOption',
      });
    }
    const base = Command.prototype as unknown as { unknownOption(f: string): void };
    base.unknownOption.call(this, flag);
  }
}

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new BatonCommand();
  program
    .name('baton')
    .description('Git-native task coordination for teams of developers and coding agents.')
    .option('-C <dir>', 'run as if baton was started in <dir>')
    .option('--agent <name>', 'act as this agent (default: $BATON_AGENT, then git user.name)')
    .option('--no-color', 'disable colors (also: NO_COLOR=1, or output that is not a terminal)')
    .version('', '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    // every command's --help lists -C, --agent and --no-color too (they work after it)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });

  const command = (
    spec: string,
    description: string,
    load: () => Promise<Runner>,
    ex: string,
    setup?: (c: Command) => void,
  ): Command => {
    const c = program.command(spec).description(description).addHelpText('after', example(ex));
    setup?.(c);
    c.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const args = cmd.args;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const ctx = makeCtx(opts);
      const run = await load();
      exitCode = await run(ctx, args, opts);
    });
    return c;
  };

  command(
    'init',
    'create .tasks/, config.yaml, templates and the .local ignore',
    async () => (await import('./commands/init.js')).runInit,
    'baton init',
    (c) =>
      c
        .option('--no-hooks', 'do not install git hooks')
        .option('--namespace <ns>', 'default namespace for new tasks')
        .addOption(
          new Option(
            '--ci <provider>',
            'also write a CI workflow running baton check (.github/workflows/baton.yml)',
          ).choices(['github']),
        ),
  );
  command(
    'new <title>',
    'create a task and print its id (also: add, create)',
    async () => (await import('./commands/new.js')).runNew,
    'X=$(baton new "Design the users table" -p high --estimate 4h --label db,schema)',
    (c) =>
      c
        .aliases(['add', 'create'])
        .option('-p, --priority <p>', PRIORITY_HELP)
        .option(
          '--depends-on <ids>',
          'tasks this one waits for (repeatable; a,b for several)',
          collect,
        )
        .option('--assignee <name>', 'who does it')
        .option('--label <labels>', 'a label (repeatable; a,b for several)', collect)
        .option('--tag <labels>', 'same as --label', collect)
        .option('--estimate <e>', 'how long: 30m, 4h, 2d, 1w')
        .option('--due <date>', 'due date (2026-12-01) or date-time')
        .option('--parent <id>', 'parent task')
        .option('--template <name>', 'a template from .tasks/.templates/ (default: task)')
        .option('--namespace <ns>', 'namespace folder (default: the current branch)')
        .option('--id <id>', 'use this id instead of a generated one')
        .option('--body <text>', 'Markdown body (default: the template body)')
        .option('-d, --description <text>', 'same as --body')
        .option('--json', 'print the result as one JSON object'),
  );
  const listOptions = (c: Command, grep: boolean) => {
    c.option('--status <s>', 'only this status; or "ready" / "blocked" (repeatable)', collect)
      .option('--assignee <name>', 'only tasks assigned to this agent ("none" for unassigned)')
      .option('--label <label>', 'only tasks with this label (repeatable: all must match)', collect)
      .option('-p, --priority <p>', 'only this priority (repeatable; P0..P3, H/M/L too)', collect)
      .option('--namespace <ns>', 'only this namespace');
    if (grep) {
      c.option('--grep <text>', 'only tasks whose title or body contains the text (any case)');
    }
    c.option('--sort <field>', `order by ${SORT_HELP}; -field for descending`)
      .option('--reverse', 'reverse the order')
      .option('--limit <n>', 'at most n tasks')
      .option('--group-by <field>', 'status | assignee | priority | namespace | label | state')
      .option('--all-branches', 'read every local and remote-tracking branch from git objects')
      .option('--json', 'print JSON');
  };
  command(
    'list',
    'list tasks',
    async () => (await import('./commands/list.js')).runList,
    'baton list --status todo --label backend --sort -priority',
    (c) => listOptions(c, true),
  );
  command(
    'export',
    'every task with its derived state, or as a Taskwarrior or beads file',
    async () => (await import('./commands/export.js')).runExport,
    'baton export --format csv -o tasks.csv',
    (c) =>
      c
        .option('--format <f>', 'json | jsonl | csv | taskwarrior | beads', 'json')
        .option('--all-branches', 'read every local and remote-tracking branch from git objects')
        .option('-o, --output <file>', 'write to this file instead of stdout'),
  );
  command(
    'search <text>',
    'tasks whose title or body contains the text, any case (list --grep TEXT)',
    async () => async (ctx, args, opts) =>
      (await import('./commands/list.js')).runList(ctx, [], { ...opts, grep: args[0] }),
    'baton search "login" --status todo',
    (c) => listOptions(c, false),
  );
  command(
    'show <ids...>',
    'tasks with their dependencies, dependents and readiness (several ids: each in turn)',
    async () => (await import('./commands/show.js')).runShow,
    'baton show k3x9 2x9q',
    (c) => c.option('--json', 'print JSON (an array when several ids are given)'),
  );
  command(
    'ready',
    'the ready queue, best first',
    async () => (await import('./commands/ready.js')).runReady,
    'baton ready --agent alice --limit 5 --json',
    (c) =>
      c
        .option('--limit <n>', 'at most n tasks')
        .option('--all-branches', 'read every local and remote-tracking branch from git objects')
        .option('--json', 'print JSON')
        .addHelpText('before', 'With --agent A: only tasks assigned to A or to nobody.\n'),
  );
  command(
    'blocked',
    'blocked tasks and what blocks them, down to what can be done now',
    async () => (await import('./commands/blocked.js')).runBlocked,
    'baton blocked',
    (c) => c.option('--json', 'print JSON'),
  );
  for (const [verb, what] of [
    ['start', 'in_progress'],
    ['review', 'review'],
    ['done', 'done'],
    ['block', 'blocked'],
    ['cancel', 'cancelled'],
    ['reopen', 'todo'],
  ] as const) {
    command(
      verb === 'reopen' ? 'reopen [id]' : `${verb} <id>`,
      `set status ${what} and log it${verb === 'reopen' ? ' (--stale: every task whose result is stale)' : ''}${verb === 'done' ? ' (also: close, complete)' : ''}`,
      async () => (await import('./commands/status.js')).statusRunner(verb),
      `baton ${verb} k3x9${verb === 'block' ? ' --reason "waiting for the vendor API key"' : ''}`,
      (c) => {
        if (verb === 'done') c.aliases(['close', 'complete']);
        c.option('--reason <text>', 'why; written to the log')
          .option('--commit', 'commit the task file with a Baton-Task trailer')
          .option('--json', 'print what changed as one JSON object');
        if (verb === 'reopen') c.option('--stale', 'reopen every done task whose result is stale');
        if (verb === 'review' || verb === 'done') {
          c.option('--force', 'pass the gates (unticked boxes, missing approvals); logged');
        }
      },
    );
  }
  command(
    'fail <id>',
    'record a failed attempt: back to todo after a backoff, or failed after max_attempts',
    async () => (await import('./commands/fail.js')).runFail,
    'baton fail k3x9 --reason "vendor API returned 503"',
    (c) =>
      c
        .requiredOption('--reason <text>', 'what went wrong; written to the log')
        .option('--commit', 'commit the task file with a Baton-Task trailer')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'failed',
    'the dead-letter list: failed tasks with every failure reason',
    async () => (await import('./commands/fail.js')).runFailed,
    'baton failed --json',
    (c) => c.option('--json', 'print JSON'),
  );
  command(
    'approve <id>',
    'approve a task as one of its reviewers',
    async () => (await import('./commands/approve.js')).runApprove,
    'baton approve k3x9 --agent carol --note "looks good"',
    (c) =>
      c
        .option('--note <text>', 'a remark written to the log')
        .option('--commit', 'commit the task file with a Baton-Task trailer')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'next',
    'the best ready task for an agent; exit 1: nothing fits now, 3: no open work left',
    async () => (await import('./commands/next.js')).runNext,
    'baton next --agent alice --claim --lease 2h',
    (c) =>
      c
        .option('--claim', 'claim it atomically (as baton claim)')
        .option('--lease <duration>', 'with --claim: how long the claim holds', '2h')
        .option('--wait', 'block until a task fits (exit 3 at once when no open work is left)')
        .option('--timeout <duration>', 'with --wait: give up after this long (30s, 5m, 2h)')
        .option('--explain', 'say why each better-ranked ready task was skipped')
        .option('--json', 'print JSON'),
  );
  const agents = program
    .command('agents')
    .description('agent profiles in .tasks/agents/: skills, capacity, current load');
  for (const [spec, verb, what, ex] of [
    ['list', 'list', 'every agent with its skills, capacity and load', 'baton agents --json'],
    [
      'import <dir>',
      'import',
      'copy agent profiles (such as .claude/agents/*.md) into .tasks/agents/',
      'baton agents import .claude/agents',
    ],
  ] as const) {
    const c = agents
      .command(spec, verb === 'list' ? { isDefault: true } : {})
      .description(what)
      .addHelpText('after', example(ex));
    if (verb === 'list') c.option('--json', 'print JSON');
    if (verb === 'import') c.option('--force', 'overwrite profiles that already exist');
    c.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/agents.js');
      exitCode = await m.runAgents(makeCtx(opts), [verb, ...cmd.args], opts);
    });
  }
  command(
    'update <id>',
    'change front-matter fields (logged); at least one --set or field flag',
    async () => (await import('./commands/update.js')).runUpdate,
    'baton update k3x9 -p high --add-label db --add-dep 2x9q --set reviewers=[carol]',
    (c) =>
      c
        .option(
          '--set <key=value>',
          'a field to set, as YAML; empty removes it (repeatable)',
          collect,
        )
        .option('--title <text>', 'a new title')
        .option(
          '--status <s>',
          'todo | in_progress | review | blocked | done | ... (or pending, ...)',
        )
        .option('-p, --priority <p>', PRIORITY_HELP)
        .option('--assignee <name>', 'who does it ("" to unassign)')
        .option('--add-label <labels>', 'add a label (repeatable; a,b for several)', collect)
        .option('--remove-label <labels>', 'remove a label (repeatable)', collect)
        .option('--add-dep <ids>', 'wait for this task too, as dep add (repeatable)', collect)
        .option('--remove-dep <ids>', 'stop waiting for it, as dep rm (repeatable)', collect)
        .option('--estimate <e>', 'how long: 30m, 4h, 2d, 1w ("" removes it)')
        .option('--due <date>', 'due date (2026-12-01) or date-time ("" removes it)')
        .option('--parent <id>', 'parent task ("" removes it)')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'edit <id>',
    'open the task file in $EDITOR, then validate it',
    async () => (await import('./commands/edit.js')).runEdit,
    'EDITOR=vim baton edit k3x9',
  );
  const dep = program.command('dep').description('edit and view dependencies');
  const depCommand = (
    spec: string,
    description: string,
    verb: 'add' | 'rm' | 'tree',
    ex: string,
  ) => {
    const c = dep.command(spec).description(description).addHelpText('after', example(ex));
    if (verb === 'tree') c.option('--json', 'print JSON');
    else c.option('--json', 'print the result as one JSON object');
    c.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/dep.js');
      exitCode = await m.runDep(makeCtx(opts), [verb, ...cmd.args], opts);
    });
  };
  depCommand(
    'add <id> <dep>',
    'make <id> wait for <dep> (refuses a cycle)',
    'add',
    'baton dep add k3x9 2x9q',
  );
  depCommand('rm <id> <dep>', 'remove a dependency', 'rm', 'baton dep rm k3x9 2x9q');
  depCommand('tree <id>', 'the dependencies of <id>, as a tree', 'tree', 'baton dep tree k3x9');
  command(
    'graph',
    'the dependency graph as Mermaid, Graphviz dot or JSON',
    async () => (await import('./commands/graph.js')).runGraph,
    'baton graph --format mermaid --critical-path > plan.mmd',
    (c) =>
      c
        .addOption(
          new Option('--format <f>', 'output format')
            .choices(['mermaid', 'dot', 'json'])
            .default('mermaid'),
        )
        .option('--critical-path', 'highlight the critical path')
        .option('--all', 'include done and cancelled tasks')
        .option('--json', 'same as --format json'),
  );
  command(
    'plan',
    'critical path, waves, and a simulated schedule over the agents',
    async () => (await import('./commands/plan.js')).runPlan,
    'baton plan --agents 3 --assign',
    (c) =>
      c
        .option('--agents <n>', 'schedule over n identical agents (capacity 1, every skill)')
        .option('--agent-profiles', 'schedule over the profiles in .tasks/agents/')
        .option('--assign', 'propose assignees that balance load within skills')
        .option('--write', 'with --assign: write the proposed assignees to the task files')
        .option('--json', 'print JSON'),
  );
  command(
    'stats',
    'metrics from the git history of .tasks/: throughput, cycle and lead time, blocked time',
    async () => (await import('./commands/stats.js')).runStats,
    'baton stats --since 2026-10-01 --json',
    (c) =>
      c
        .option(
          '--since <date>',
          'only tasks done from this date (2026-10-01) or git date (4.weeks)',
        )
        .option('--json', 'print JSON'),
  );
  command(
    'check',
    'validate task files: schema, ids, dependencies, cycles, conflict markers',
    async () => (await import('./commands/check.js')).runCheck,
    'baton check --staged --format github',
    (c) =>
      c
        .option('--staged', "check the snapshot in git's index (what the commit will contain)")
        .option('--base <rev>', 'also report what the change since <rev> made worse (for CI)')
        .addOption(
          new Option('--format <f>', 'output format')
            .choices(['text', 'json', 'github'])
            .default('text'),
        )
        .option('--json', 'same as --format json'),
  );
  command(
    'claim <id>',
    'take a task: in_progress, assigned to you, with a lease',
    async () => (await import('./commands/claim.js')).runClaim,
    'baton claim k3x9 --lease 2h --push',
    (c) =>
      c
        .option('--lease <duration>', 'how long the claim holds (30m, 2h, 1d)', '2h')
        .option('--push', 'commit and push; on a lost race, report the winner (exit 1)')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'release <id>',
    'give a claimed task back: todo, unassigned, no lease',
    async () => (await import('./commands/claim.js')).runRelease,
    'baton release k3x9',
    (c) =>
      c
        .option('--commit', 'commit the task file with a Baton-Task trailer')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'handoff <id>',
    'pass the baton: a new assignee, the lease cleared, a hand-off in the log',
    async () => (await import('./commands/handoff.js')).runHandoff,
    'baton handoff k3x9 --to bob --note "schema ready" --artifact db/schema.sql --commit',
    (c) =>
      c
        .requiredOption('--to <agent>', 'who takes it over')
        .option('--note <text>', 'what the receiver should know')
        .option('--artifact <path>', 'a file the work produced (repeatable)', collect)
        .option('--criteria <text>', 'a success criterion for the receiver (repeatable)', collect)
        .option('--commit', 'commit with Baton-Task and Baton-Handoff trailers')
        .option('--json', 'print the result as one JSON object'),
  );
  for (const [verb, what] of [
    ['share', 'say something on a task, for everyone once committed'],
    ['discover', 'report a discovery: an alert in status and news until acknowledged'],
    ['sync', 'record a checkpoint of where the work stands'],
  ] as const) {
    command(
      `${verb} <id> <message...>`,
      what,
      async () => (await import('./commands/channel.js')).channelRunner(verb),
      `baton ${verb} k3x9 "${verb === 'discover' ? 'the vendor feed drops ticks on reconnect' : 'draft ready for review'}"`,
      (c) =>
        c
          .option('--commit', 'commit the task file with a Baton-Task trailer')
          .option('--json', 'print the result as one JSON object'),
    );
  }
  command(
    'ack <id>',
    "acknowledge a task's open discoveries",
    async () => (await import('./commands/channel.js')).runAck,
    'baton ack k3x9',
    (c) =>
      c
        .option('--commit', 'commit the task file with a Baton-Task trailer')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'note <id> <message...>',
    'a private note, kept under .tasks/.local/notes/<agent>/, never committed',
    async () => (await import('./commands/note.js')).runNote,
    'baton note k3x9 "ask bob about the retry policy"',
    (c) => c.option('--json', 'print the result as one JSON object'),
  );
  command(
    'context <id>',
    'everything said on a task, in time order: log, hand-offs, discoveries, your notes',
    async () => (await import('./commands/note.js')).runContext,
    'baton context k3x9 --json',
    (c) => c.option('--json', 'print JSON'),
  );
  command(
    'news',
    'what arrived for you since the news you last saw: hand-offs, newly ready tasks, discoveries, claims',
    async () => (await import('./commands/news.js')).runNews,
    'baton news',
    (c) =>
      c
        .option(
          '--since <rev>',
          'compare with this revision instead (default: where the news last shown stopped, else ORIG_HEAD)',
        )
        .option('--hook <name>', 'the git hook calling (quiet when there is no news)')
        .option('--json', 'print JSON'),
  );
  const hooks = program
    .command('hooks')
    .description('install or remove the git hooks and merge driver');
  for (const verb of ['install', 'uninstall'] as const) {
    hooks
      .command(verb)
      .description(
        verb === 'install'
          ? 'install pre-commit, post-merge, post-checkout, post-rewrite, post-commit and the merge driver (idempotent; chains existing hooks)'
          : 'remove what install added, restoring chained hooks',
      )
      .addHelpText('after', example(`baton hooks ${verb}`))
      .action(async (...params: unknown[]) => {
        const cmd = params[params.length - 1] as Command;
        const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
        const m = await import('./commands/hooks.js');
        exitCode = await m.runHooks(makeCtx(opts), [verb], opts);
      });
  }
  program
    .command('merge-driver <base> <ours> <theirs> [path]', { hidden: true })
    .description('git merge driver for task files (configured by baton hooks install)')
    .action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/merge-driver.js');
      exitCode = await m.runMergeDriver(makeCtx(opts), cmd.args, opts);
    });
  const cache = program.command('cache').description('namespaced caches and their staleness');
  for (const [spec, verb, what, ex] of [
    [
      'path <name>',
      'path',
      'print (and create) the folder of a cache',
      'baton cache path features',
    ],
    [
      'stamp <name>',
      'stamp',
      "record the inputs' fingerprint after a build",
      'baton cache stamp features',
    ],
    [
      'status',
      'status',
      'each cache: fresh, stale (with the changed inputs) or missing',
      'baton cache status --json',
    ],
    [
      'clear [name]',
      'clear',
      'empty a cache (or every stale one with --stale)',
      'baton cache clear --stale',
    ],
  ] as const) {
    const c = cache.command(spec).description(what).addHelpText('after', example(ex));
    if (verb === 'status') c.option('--json', 'print JSON');
    if (verb === 'clear') c.option('--stale', 'clear every stale cache');
    c.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/cache.js');
      exitCode = await m.runCache(makeCtx(opts), [verb, ...cmd.args], opts);
    });
  }
  command(
    'watch',
    'live: recompute on every task-file change and HEAD move, and print what changed',
    async () => (await import('./commands/watch.js')).runWatch,
    'baton watch --json | my-agent-loop',
    (c) => c.option('--json', 'one JSON object per line, with a "type" field'),
  );
  command(
    'status',
    'dashboard: counts, per-agent load, blocked, critical path, discoveries, stale caches, leases',
    async () => (await import('./commands/status-board.js')).runStatusBoard,
    'baton status',
    (c) => c.option('--json', 'print JSON'),
  );
  command(
    'run [action] [id]',
    'run agents over the ready queue, each task in its own worktree (action: log ID, gc)',
    async () => (await import('./commands/run.js')).runRun,
    "baton run -j 4 --cmd 'claude -p \"$(cat)\"' --timeout 30m --check 'npm test'",
    (c) =>
      c
        .option('-j, --jobs <n>', 'at most n attempts at once (1 to 64)', '1')
        .option('--cmd <command>', 'the shell command for every task (the task file on stdin)')
        .option('--agent-profiles', 'run as the agents in .tasks/agents/, each with its command:')
        .option('--timeout <duration>', 'stop an attempt after this long (30s, 5m, 2h)')
        .option('--grace <duration>', 'after SIGTERM, SIGKILL this much later (default 5s)')
        .option('--into <branch>', 'merge results into this branch (default: the current one)')
        .option('--check <command>', 'run in the worktree after a successful attempt; must pass')
        .option('--setup <command>', 'run in each new worktree before the agent (npm ci, ...)')
        .option('--max-tasks <k>', 'start at most k attempts in all')
        .option('--dry-run', 'say what would start, in order, and why; run nothing')
        .option('--attempt <n>', 'with log: this attempt (default: the last)')
        .option('--json', 'JSON lines: one event per line (with --dry-run: one object)'),
  );
  command(
    'board',
    'the board in a browser: tasks by status, live, with the dependency graph and the team',
    async () => (await import('./commands/board.js')).runBoard,
    'baton board --port 7070',
    (c) =>
      c
        .option('--port <port>', 'listen on this port of 127.0.0.1 (0: any free port)', '0')
        .option('--no-open', 'print the URL only; do not open a browser')
        .addHelpText(
          'before',
          'Serves on 127.0.0.1 only; the printed URL carries the access token. Writes act as --agent, else $BATON_AGENT, else git user.name.\n',
        ),
  );
  command(
    'mcp',
    'serve baton to coding agents: an MCP server on stdin/stdout, acting as one agent',
    async () => (await import('./commands/mcp.js')).runMcp,
    'baton mcp --agent claude-1',
    (c) =>
      c.addHelpText(
        'before',
        'The agent is fixed at start: --agent, else $BATON_AGENT, else git user.name.\n',
      ),
  );
  program
    .command('completion')
    .description('print a shell completion script: commands, options and task ids')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', example('source <(baton completion bash)   # in ~/.bashrc'))
    .action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/completion.js');
      exitCode = await m.runCompletion(makeCtx(opts), cmd.args, opts, program);
    });
  program
    .command('__complete-ids [prefix]', { hidden: true })
    .description('task ids starting with prefix, one a line (for the completion scripts)')
    .action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as Opts & GlobalOptions;
      const m = await import('./commands/completion.js');
      exitCode = await m.runCompleteIds(makeCtx(opts), cmd.args);
    });
  command(
    'import <format> <path>',
    'import tasks from backlog (Backlog.md), taskmaster (Task Master), beads or taskwarrior',
    async () => (await import('./commands/import.js')).runImport,
    'baton import taskmaster . --dry-run',
    (c) =>
      c
        .option('--namespace <ns>', 'put every task in this namespace (default: per format)')
        .option('--dry-run', 'write nothing; report what would be written')
        .option('--json', 'print the result as one JSON object'),
  );
  command(
    'demo',
    'build a throw-away repo with a team plan, walk through the main flows and two clones at work',
    async () => (await import('./commands/demo.js')).runDemo,
    'baton demo',
    (c) => c.option('--dir <dir>', 'build the demo repo here instead of a temp dir'),
  );

  try {
    await program.parseAsync(literalMessage(argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return 0;
    }
    return EXIT_USAGE;
  }
  return reportFailure(error);
}
