/**
 * End-to-end: eight claimers on one task, four through `baton mcp` servers and four through
 * the CLI, twenty rounds. Every round has exactly one winner, and every loser is told who
 * holds the task: MCP as a REFUSED error with `holder`, the CLI on stderr with exit 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gitRepo, runBatonAsync, taskFile } from '../helpers/git-repo.js';
import { type Mcp, startMcp } from '../helpers/mcp.js';

const ROUNDS = 20;
const servers: Mcp[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
});

describe('claim race: MCP servers and CLI processes', () => {
  it(`8 claimers x ${ROUNDS} rounds: exactly one winner, losers told the holder`, async () => {
    const tree: Record<string, string> = { '.tasks/config.yaml': 'prefix: t\n' };
    const ids = Array.from({ length: ROUNDS }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);
    for (const id of ids)
      tree[`.tasks/main/${id}.md`] = taskFile({ id, title: id, status: 'todo' });
    const dir = gitRepo(tree);
    for (const agent of ['m1', 'm2', 'm3', 'm4']) servers.push(await startMcp(dir, agent));

    const won: string[] = [];
    for (const [round, id] of ids.entries()) {
      const viaMcp = servers.map(async (s, k) => {
        // A CLI process takes a few hundred ms to start: in every other round it gets a
        // head start of about its start-up time, so either side can win (nothing asserts
        // who does: a loaded machine may shift the odds).
        const headStart = round % 2 === 1 ? 400 + Math.random() * 800 : Math.random() * 50;
        await new Promise((resolve) => setTimeout(resolve, headStart));
        const r = await s.call('baton_claim', { id });
        return { agent: `m${k + 1}`, won: !r.isError, r };
      });
      const viaCli = ['c1', 'c2', 'c3', 'c4'].map(async (agent) => {
        const r = await runBatonAsync(dir, ['claim', id, '--agent', agent]);
        return { agent, won: r.code === 0, r };
      });
      const all = await Promise.all([...viaMcp, ...viaCli]);
      const winners = all.filter((a) => a.won);
      expect(winners.length, `round ${id}`).toBe(1);
      const holder = winners[0]!.agent;
      won.push(holder);
      for (const loser of all.filter((a) => !a.won)) {
        const r = loser.r;
        if ('isError' in r) {
          expect(r.value).toMatchObject({ error: 'REFUSED', holder });
        } else {
          expect(r.code).toBe(1);
          expect(r.stderr).toContain(`claimed by ${holder}`);
        }
      }
    }
    expect(won.length).toBe(ROUNDS);
    console.log(`claim race winners: ${won.join(' ')}`);
  });
});
