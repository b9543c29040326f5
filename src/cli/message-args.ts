/**
 * `share|discover|sync|note ID MESSAGE`: the message is taken literally, even when it starts
 * with `-` (`baton share k3x9 "- fixed the flaky test"`), as a message is free text and the
 * issue reports and log excerpts people paste often begin with a dash. Only baton's own
 * options of these commands are options; the message is moved behind a `--` so the option
 * parser never reads it as one.
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
  let positional = 0;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j]!;
    if (a === '--') break;
    if (FLAGS.has(a) || a.startsWith('--agent=')) continue;
    if (VALUED.has(a)) {
      j++;
      continue;
    }
    if (++positional < 2) continue;
    if (!a.startsWith('-')) break;
    return [...argv.slice(0, j), ...argv.slice(j + 1), '--', a];
  }
  return [...argv];
}
