/** The synthetic history behind the `baton stats` bench (tests/bench/history-generate.ts). */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats.js';
import { readHistory } from '../../src/store/history.js';
import { generateHistory, historySteps } from '../bench/history-generate.js';
import { git, tempDir } from '../helpers/git-repo.js';

const OPTS = { tasks: 30, commits: 300, seed: 7 };

describe('generateHistory', () => {
  it('is deterministic: the same options give the same commits', () => {
    expect(historySteps(OPTS)).toEqual(historySteps(OPTS));
    expect(historySteps({ ...OPTS, seed: 8 })).not.toEqual(historySteps(OPTS));
  });

  it('writes the asked number of commits and tasks, which stats reads back', async () => {
    const dir = tempDir();
    generateHistory(dir, OPTS);
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('300');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const history = await readHistory(dir);
    expect(history.tasks).toHaveLength(30);
    const stats = computeStats(history, { now: Date.UTC(2026, 11, 1) });
    expect(stats.tasks.done).toBeGreaterThan(0);
    expect(stats.cycleTime.count).toBeGreaterThan(0);
    expect(stats.handoffs.total + stats.blocked.count + stats.reopen.reopened).toBeGreaterThan(0);
  });
});
