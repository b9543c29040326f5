/**
 * The command tree shell completion offers, read from the commander program itself (so it
 * never drifts from what the CLI accepts): every visible command with its aliases, options
 * and positional arguments, and subcommands in turn.
 */
import type { Command } from 'commander';

/** What a positional argument completes to: task ids, a fixed set of words, or anything. */
export type ArgKind = { kind: 'ids' } | { kind: 'words'; words: string[] } | { kind: 'any' };

export interface CompletionOption {
  /** Every spelling: `-p`, `--priority`. */
  flags: string[];
  description: string;
  /** The option takes a value (the next word is not a command or an option). */
  valued: boolean;
  choices: string[];
}

export interface CompletionNode {
  name: string;
  aliases: string[];
  description: string;
  options: CompletionOption[];
  args: { kind: ArgKind; variadic: boolean }[];
  children: CompletionNode[];
}

/** Positional arguments named like these complete to task ids. */
const ID_ARGS: ReadonlySet<string> = new Set(['id', 'ids', 'dep', 'parent']);

export function completionTree(program: Command): CompletionNode {
  const help = program.createHelp();
  const node = (cmd: Command): CompletionNode => ({
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    options: help.visibleOptions(cmd).map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => typeof f === 'string'),
      description: o.description,
      valued: o.required || o.optional,
      choices: o.argChoices ?? [],
    })),
    args: cmd.registeredArguments.map((a) => ({
      kind: a.argChoices
        ? { kind: 'words', words: a.argChoices }
        : ID_ARGS.has(a.name())
          ? { kind: 'ids' }
          : { kind: 'any' },
      variadic: a.variadic,
    })),
    children: help
      .visibleCommands(cmd)
      .filter((c) => c.name() !== 'help')
      .map(node),
  });
  return node(program);
}
