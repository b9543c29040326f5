/**
 * Demo steps 9 to 12, the team story: two clones of one bare remote (alice and bob) working
 * through git alone. A claim race with `--push`, a hand-off with a note and an artifact, a
 * discovery, the news the post-merge hook prints on pull, a cache made stale by that pull,
 * and concurrent edits to one task merged by the merge driver. The clones live under
 * `team/` in the demo repository, which git is told to ignore there.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clone, Shell } from './script.js';

/** The folder under the demo repository that holds the remote and the clones. */
export const TEAM_DIR = 'team';
/** The task both edit at once (done in the plan, with alice's discovery on it). */
export const SHARED_TASK = 'md-schema';

const CACHE_CONFIG = `
caches:
  features:
    inputs: [research/*.py]
    dir: cache/{name}
`;

export async function teamWork(sh: Shell): Promise<void> {
  const alice = await clones(sh);
  if (!alice) return;
  const bob: Clone = { who: 'bob', dir: join(sh.dir, TEAM_DIR, 'bob') };
  await cacheSetup(sh, alice, bob);
  if (sh.failed) return;
  const task = await claimRace(sh, alice, bob);
  if (!task) return;
  await handoffAndNews(sh, alice, bob, task);
  await concurrentEdits(sh, alice, bob);
}

/** The remote and alice's clone with the hooks; undefined after a failure. */
async function clones(sh: Shell): Promise<Clone | undefined> {
  sh.step('9. A team: two clones of one remote');
  sh.say(
    'So far everything happened in one repository. baton needs no server: a team shares ' +
      'its task files through any git remote. Here a bare remote and two clones, for alice ' +
      'and for bob, under team/ (which the demo repository ignores):',
  );
  sh.echo(`echo /${TEAM_DIR}/ >> .git/info/exclude`);
  appendFileSync(join(sh.dir, '.git', 'info', 'exclude'), `/${TEAM_DIR}/\n`);
  sh.git(['clone', '-q', '--bare', '.', `${TEAM_DIR}/remote.git`]);
  const alice: Clone = { who: 'alice', dir: join(sh.dir, TEAM_DIR, 'alice') };
  sh.git(cloneArgs('alice'));
  if (sh.failed) return undefined;
  sh.say(
    'Each clone installs baton once: the pre-commit check, the news after every pull or ' +
      'checkout, and the merge driver for task files (.gitattributes is committed):',
  );
  await sh.show(['hooks', 'install'], { as: alice });
  return sh.failed ? undefined : alice;
}

function cloneArgs(who: string): string[] {
  return [
    'clone',
    '-q',
    '-c',
    `user.name=${who}`,
    '-c',
    `user.email=${who}@example.com`,
    '-c',
    'pull.rebase=false',
    `${TEAM_DIR}/remote.git`,
    `${TEAM_DIR}/${who}`,
  ];
}

/** alice declares a cache and pushes; bob clones, installs the hooks, builds and stamps it. */
async function cacheSetup(sh: Shell, alice: Clone, bob: Clone): Promise<void> {
  sh.say(
    'alice also declares a cache for the feature tables the research code builds: its ' +
      'inputs are research/*.py, and baton keeps their fingerprint. She pushes it all:',
  );
  sh.echo('$EDITOR .tasks/config.yaml research/features.py .gitignore', alice);
  appendFileSync(join(alice.dir, '.tasks', 'config.yaml'), CACHE_CONFIG);
  mkdirSync(join(alice.dir, 'research'), { recursive: true });
  writeFileSync(join(alice.dir, 'research', 'features.py'), 'WINDOW = 20\n');
  writeFileSync(join(alice.dir, '.gitignore'), 'cache/\n');
  sh.git(['add', '-A'], alice);
  sh.git(['commit', '-q', '-m', 'Hooks and a features cache'], alice);
  sh.git(['push', '-q'], alice);
  sh.say('bob clones, installs the hooks, builds the cache and stamps it:');
  sh.git(cloneArgs('bob'));
  sh.echo('baton hooks install', bob);
  await sh.quiet(['hooks', 'install'], 0, bob);
  sh.echo('python research/build.py --out "$(baton cache path features)"', bob);
  await sh.quiet(['cache', 'path', 'features'], 0, bob);
  writeFileSync(join(bob.dir, 'cache', 'features', 'table.csv'), 'symbol,iv\nES,0.18\n');
  await sh.show(['cache', 'stamp', 'features'], { as: bob });
}

/** Both claim the top of the ready queue with --push: alice wins, bob is told. */
async function claimRace(sh: Shell, alice: Clone, bob: Clone): Promise<string | undefined> {
  const ready = await sh.quiet(['ready', '--json'], 0, alice);
  let task: string | undefined;
  try {
    task = (JSON.parse(ready.stdout) as { id?: string }[])[0]?.id;
  } catch {
    // reported below
  }
  if (!task) {
    sh.fail('baton ready --json in the clone gave no task');
    return undefined;
  }
  sh.step('10. A claim race');
  sh.say(
    `Both want ${task}, the top of the ready queue, and neither has seen the other's claim. ` +
      'claim --push commits the claim and pushes it: the first push to reach the remote ' +
      'wins, and the other learns who won, its own claim undone:',
  );
  await sh.show(['claim', task, '--push'], { as: alice });
  const lost = await sh.show(['claim', task, '--push'], {
    as: bob,
    expect: 1,
    why: 'bob lost the race',
  });
  if (!`${lost.stdout}${lost.stderr}`.includes(`lost: ${task} was claimed by alice`)) {
    sh.fail('the losing claim did not name the winner');
  }
  return task;
}

/** alice hands the task to bob and reports a discovery; bob's pull prints the news. */
async function handoffAndNews(sh: Shell, alice: Clone, bob: Clone, task: string) {
  sh.step('11. A hand-off, a discovery, and the news on pull');
  sh.say(
    `alice gets the decoder of ${task} working, writes notes for bob, tunes a feature ` +
      'input, and hands the task over. She also reports something everyone must know:',
  );
  sh.echo('$EDITOR docs/eurex-feed.md research/features.py', alice);
  mkdirSync(join(alice.dir, 'docs'), { recursive: true });
  writeFileSync(join(alice.dir, 'docs', 'eurex-feed.md'), '# Eurex feed\n\nReconnect: todo.\n');
  writeFileSync(join(alice.dir, 'research', 'features.py'), 'WINDOW = 30\n');
  sh.git(['add', '-A'], alice);
  sh.git(['commit', '-q', '-m', 'Eurex feed notes; a longer window'], alice);
  await sh.show(
    [
      'handoff',
      task,
      '--to',
      'bob',
      '--note',
      'decoder done; reconnect left',
      '--artifact',
      'docs/eurex-feed.md',
      '--commit',
    ],
    { as: alice },
  );
  await sh.show(['discover', SHARED_TASK, 'Eurex sends 128-bit order ids', '--commit'], {
    as: alice,
  });
  sh.git(['push', '-q'], alice);
  sh.say(
    "bob pulls. git's post-merge hook prints what arrived for him: the hand-off with its " +
      'note and artifact, the discovery, and the cache the pulled change made stale:',
  );
  const pull = sh.gitShow(['pull'], bob);
  for (const news of ['handed to you', 'new discovery', 'made stale']) {
    if (!pull.stdout.includes(news)) sh.fail(`the news on pull did not say "${news}"`);
  }
}

/** Both edit one task; bob's pull merges the two through the merge driver. */
async function concurrentEdits(sh: Shell, alice: Clone, bob: Clone): Promise<void> {
  sh.step('12. Concurrent edits to one task');
  sh.say(
    `Both change ${SHARED_TASK} before seeing each other's change: alice raises its ` +
      'priority and says why, bob acknowledges the discovery. The same lines changed on ' +
      'both sides; where git alone would stop on a conflict, the merge driver merges the ' +
      'fields and the two logs:',
  );
  await sh.show(['update', SHARED_TASK, '--set', 'priority=critical'], { as: alice });
  await sh.show(['share', SHARED_TASK, 'widening the order ids to 128 bits', '--commit'], {
    as: alice,
  });
  sh.git(['push', '-q'], alice);
  await sh.show(['ack', SHARED_TASK, '--commit'], { as: bob });
  sh.gitShow(['pull'], bob);
  await sh.show(['context', SHARED_TASK], { as: bob });
  const merged = readFileSync(join(bob.dir, '.tasks', 'main', `${SHARED_TASK}.md`), 'utf8');
  if (!/^priority: critical$/m.test(merged) || !/ bob ack/.test(merged)) {
    sh.fail(`the merged ${SHARED_TASK} lost one side's change`);
  }
  sh.git(['push', '-q'], bob);
}
