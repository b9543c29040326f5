/** share|discover|sync|note take their message literally, even when it starts with `-`. */
import { describe, expect, it } from 'vitest';
import { literalMessage } from '../../src/cli/message-args.js';

describe('literalMessage', () => {
  it('moves a message that starts with a dash behind --, keeping baton options as options', () => {
    expect(literalMessage(['share', 'k3x9', '- fixed it'])).toEqual([
      'share',
      'k3x9',
      '--',
      '- fixed it',
    ]);
    expect(literalMessage(['--agent', 'ann', 'note', 'k3x9', '-x', '--json'])).toEqual([
      '--agent',
      'ann',
      'note',
      'k3x9',
      '--json',
      '--',
      '-x',
    ]);
    expect(literalMessage(['sync', '--commit', 'k3x9', '--agent', 'bo', '--- wip'])).toEqual([
      'sync',
      '--commit',
      'k3x9',
      '--agent',
      'bo',
      '--',
      '--- wip',
    ]);
  });

  it('takes everything after the id as the message, --force and all', () => {
    expect(literalMessage(['share', 'k3x9', '--force is bad'])).toEqual([
      'share',
      'k3x9',
      '--',
      '--force is bad',
    ]);
    expect(literalMessage(['share', 'k3x9', '-', 'JWT', '--json', 'auth'])).toEqual([
      'share',
      'k3x9',
      '--json',
      '--',
      '-',
      'JWT',
      'auth',
    ]);
    // several plain words need nothing: the command joins them
    const plain = ['sync', 'k3x9', 'half', 'done'];
    expect(literalMessage(plain)).toEqual(plain);
  });

  it('leaves everything else alone', () => {
    for (const argv of [
      ['share', 'k3x9', 'plain message'],
      ['share', 'k3x9', '--', '- already literal'],
      ['share', 'k3x9', '--json'],
      ['handoff', 'k3x9', '--to', 'bob', '--note', '- x'],
      ['list', '--status', 'todo'],
      [],
    ]) {
      expect(literalMessage(argv)).toEqual(argv);
    }
  });
});
