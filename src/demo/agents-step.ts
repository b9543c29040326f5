/**
 * Demo step 8: coding-agent profiles imported from `.claude/agents/`, `next` picking and
 * claiming for one agent, a failed attempt going into backoff, and the plan over the agents.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listJson, type Shell } from './script.js';

/** Coding-agent profiles, as an agent tool keeps them under `.claude/agents/`. */
const PROFILES: Record<string, string> = {
  'quant-agent':
    '---\nname: quant-agent\ndescription: Pricing models and research\ntools: Read, Edit, Bash\n' +
    'skills: [pricing, quant, research]\ncapacity: 2\n---\nYou build and test pricing models.\n',
  'infra-agent':
    '---\nname: infra-agent\ndescription: Build, CI and deployment\ntools: Read, Edit, Bash\n' +
    'skills: [ci, deploy]\ncapacity: 1\nbackup: alice\n---\nYou keep the build green.\n',
};

export async function agentsAtWork(sh: Shell): Promise<void> {
  sh.step('8. Agents take their next task');
  sh.say(
    'Coding agents keep their profiles as Markdown under .claude/agents/. baton reads the ' +
      'same files, plus skills and capacity, from .tasks/agents/:',
  );
  mkdirSync(join(sh.dir, '.claude', 'agents'), { recursive: true });
  for (const [name, text] of Object.entries(PROFILES)) {
    writeFileSync(join(sh.dir, '.claude', 'agents', `${name}.md`), text);
  }
  await sh.show(['agents', 'import', '.claude/agents']);
  await sh.show(['agents'], { cut: true });
  sh.say(
    'next walks the ready queue for one agent: its own tasks first, then unassigned ones, ' +
      'within its skills, its capacity and the shared resources. --explain says why ' +
      'better-ranked tasks were passed over; --claim takes the pick atomically:',
  );
  await sh.show(['next', '--agent', 'quant-agent', '--explain'], { maxLines: 14, cut: true });
  const holding = ['list', '--json', '--assignee', 'quant-agent', '--status', 'in_progress'];
  const before = new Set((await listJson(sh, holding)).map((t) => t.id));
  await sh.show(['next', '--agent', 'quant-agent', '--claim'], { maxLines: 8, cut: true });
  const id = (await listJson(sh, holding)).map((t) => t.id).find((t) => !before.has(t));
  if (!id) sh.fail('next --claim left quant-agent holding no new task');
  if (!id) return;
  sh.say(
    `quant-agent now holds ${id} under a lease. Its first try fails; fail counts the ` +
      'attempt and puts the task back after a backoff, until max_attempts makes it failed:',
  );
  await sh.show(['--agent', 'quant-agent', 'fail', id, '--reason', 'vendor API returned 503']);
  sh.say(
    'And the plan simulated over the two profiles (work assigned to people without one goes ' +
      "to whichever agent is free): an estimated finish and each agent's load:",
  );
  await sh.show(['plan', '--agent-profiles'], { maxLines: 12, cut: true });
  sh.git(['add', '-A']);
  sh.git(['commit', '-q', '--no-verify', '-m', 'Agents at work']);
}
