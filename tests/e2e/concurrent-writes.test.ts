/**
 * End-to-end: many baton processes writing one task at once. Every write takes the task's
 * lock and reads the file again under it, so writers take turns: none is refused for a
 * change another writer made, and no write that reported success is overwritten.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, type RunResult, runBatonAsync, taskFile } from '../helpers/git-repo.js';

const TASK = '.tasks/main/t-1.md';
const read = (dir: string) => readFileSync(join(dir, TASK), 'utf8');
const repo = () =>
  gitRepo({
    '.tasks/config.yaml': 'prefix: t\n',
    [TASK]: taskFile({ id: 't-1', title: 'Busy task', status: 'todo' }, 'Body.\n'),
  });

const logLines = (text: string, verb: string) =>
  text.split('\n').filter((l) => new RegExp(`^- \\S+ \\S+ ${verb}\\b`).test(l));

// Hundreds of processes on a machine that may have two busy cores: a safety net, not a target.
const LONG = 600_000;

const failed = (rs: readonly RunResult[]) =>
  rs.filter((r) => r.code !== 0).map((r) => `${r.code}: ${r.stderr.trim()}`);

describe('concurrent writers on one task', () => {
  it(
    '12 concurrent update --set, 20 rounds: every value is kept',
    async () => {
      const dir = repo();
      let kept = 0;
      for (let round = 0; round < 20; round++) {
        const runs = await Promise.all(
          Array.from({ length: 12 }, (_, n) =>
            runBatonAsync(dir, ['update', 't-1', '--set', `f${n}=r${round}v${n}`]),
          ),
        );
        expect(failed(runs)).toEqual([]);
        const text = read(dir);
        for (let n = 0; n < 12; n++) if (text.includes(`\nf${n}: r${round}v${n}\n`)) kept++;
      }
      expect(kept).toBe(240);
    },
    LONG,
  );

  it(
    'mixed writers (status verbs, share, sync, handoff, update), 10 rounds: nothing acknowledged is lost',
    async () => {
      const dir = repo();
      const changed = { start: 0, block: 0, reopen: 0 };
      for (let round = 0; round < 10; round++) {
        const commands: string[][] = [
          ['start', 't-1', '--agent', 'ann'],
          ['block', 't-1', '--reason', `wait-${round}`, '--agent', 'bea'],
          ['reopen', 't-1', '--agent', 'cid'],
          ['share', 't-1', `shared-${round}`, '--agent', 'dan'],
          ['sync', 't-1', `synced-${round}`, '--agent', 'eve'],
          ['handoff', 't-1', '--to', 'fay', '--note', `handed-${round}`, '--agent', 'gus'],
          ['update', 't-1', '--set', `round_${round}=yes`],
          ['share', 't-1', `more-${round}`, '--agent', 'hal'],
        ];
        const runs = await Promise.all(commands.map((c) => runBatonAsync(dir, c)));
        expect(failed(runs)).toEqual([]);
        const text = read(dir);
        for (const needle of [
          `share: shared-${round}`,
          `sync: synced-${round}`,
          `handoff -> fay: handed-${round}`,
          `share: more-${round}`,
          `\nround_${round}: yes\n`,
        ]) {
          expect(text).toContain(needle);
        }
        // A status verb that reported a change has its log line.
        for (const [k, verb] of [
          [0, 'start'],
          [1, 'block'],
          [2, 'reopen'],
        ] as const) {
          if (runs[k]!.stdout.includes(' -> ')) changed[verb]++;
          expect(logLines(text, verb)).toHaveLength(changed[verb]);
        }
        // Every round's values from earlier rounds are still there.
        for (let r = 0; r <= round; r++) expect(text).toContain(`share: shared-${r}`);
      }
    },
    LONG,
  );
});
