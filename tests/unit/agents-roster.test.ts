/** Agent profiles from front matter (core/agents.ts) and the `agents list` roster. */
import { describe, expect, it } from 'vitest';
import { type AgentProfile, profileFromData, roster } from '../../src/core/agents.js';

const PATH = '.tasks/agents/x.md';

describe('profileFromData', () => {
  it('reads the .claude/agents shape: tools as a comma-separated string, unknown keys ignored', () => {
    const p = profileFromData(
      { name: 'reviewer', description: ' Reviews code ', tools: 'Read, Grep,  Glob', model: 'x' },
      PATH,
      'x.md',
    );
    expect(p).toEqual({
      name: 'reviewer',
      description: 'Reviews code',
      tools: ['Read', 'Grep', 'Glob'],
      skills: [],
      capacity: 1,
      path: PATH,
    });
  });

  it('takes the name from the file when there is none; skills, capacity and backup', () => {
    const p = profileFromData({ skills: ['db', 'sql'], capacity: 3, backup: 'bob' }, PATH, 'x.md');
    expect(p).toMatchObject({ name: 'x', skills: ['db', 'sql'], capacity: 3, backup: 'bob' });
  });

  it('names the field of a bad value', () => {
    expect(profileFromData({ capacity: 1.5 }, PATH, 'x.md')).toMatchObject({ field: 'capacity' });
    expect(profileFromData({ capacity: -1 }, PATH, 'x.md')).toMatchObject({ field: 'capacity' });
    expect(profileFromData({ skills: { a: 1 } }, PATH, 'x.md')).toMatchObject({ field: 'skills' });
    expect(profileFromData({ tools: [{}] }, PATH, 'x.md')).toMatchObject({ field: 'tools' });
    expect(profileFromData({ name: 'a b' }, PATH, 'x.md')).toMatchObject({ field: 'name' });
    expect(profileFromData({ backup: 'a/b' }, PATH, 'x.md')).toMatchObject({ field: 'backup' });
  });
});

describe('roster', () => {
  const profile = (name: string, capacity = 1): AgentProfile => ({
    name,
    tools: [],
    skills: [],
    capacity,
    path: `.tasks/agents/${name}.md`,
  });

  it('profiles by name, then agents holding work without one; load and over capacity', () => {
    const load = new Map([
      ['zoe', ['t-1', 't-2']],
      ['carl', ['t-3']],
      ['amy', ['t-4', 't-5']],
    ]);
    const r = roster([profile('zoe', 2), profile('amy')], load);
    expect(r.map((e) => [e.name, e.profile, e.load.length, e.capacity, e.over])).toEqual([
      ['amy', true, 2, 1, true],
      ['zoe', true, 2, 2, false],
      ['carl', false, 1, 1, false],
    ]);
    expect(r[2]).toMatchObject({ path: null, skills: [], backup: null, description: null });
  });
});
