/**
 * `share|discover|sync|note ID MESSAGE`: everything after the id is the message, taken
 * literally, even when it starts with `-` (`baton share k3x9 "- fixed the flaky test"`,
 * `baton share k3x9 "--force is bad"`), as a message is free text and the issue reports and
 * log excerpts people paste often begin with a dash. Only baton's own options of these
 * commands are options; the message words are moved behind a `--` so the option parser
 * never reads one as an option. Several words are joined by the command with one space.
 *
 * `handoff ID --note TEXT` needs nothing here: `--note` takes the next argument as its
 * value whatever it starts with (`--note "- x"`), as does every option with a value.
 */
const MESSAGE_COMMANDS: ReadonlySet<string> = new Set(['share', 'discover', 'sync', 'note']);
/** Options of those commands (and the global ones) that take no value. */
const FLAGS: ReadonlySet<string> = new Set(['--commit', '--json', '--no-color', '-h', '--help']);
/** Options that take the next argument as their value. */
const VALUED: ReadonlySet<string> = new Set(['--agent', '-C']);

export function literalMessage(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += VALUED.has(argv[i]!) ? 2 : 1;
  if (i >= argv.length || !MESSAGE_COMMANDS.has(argv[i]!)) return [...argv];
  const kept: string[] = argv.slice(0, i + 1);
  const message: string[] = [];
  let positional = 0;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j]!;
    if (a === '--') {
      message.push(...argv.slice(j + 1));
      break;
    }
    if (FLAGS.has(a) || a.startsWith('--agent=')) {
      kept.push(a);
      continue;
    }
    if (VALUED.has(a)) {
      kept.push(a, ...argv.slice(j + 1, j + 2));
      j++;
      continue;
    }
    if (++positional < 2) kept.push(a);
    else message.push(a);
  }
  if (!message.some((m) => m.startsWith('-'))) return [...argv];
  return [...kept, '--', ...message];
}
