/**
 * Shell completion scripts from the command tree (completion-tree.ts). bash and zsh share
 * one core written in the sh subset both run: a few `case` tables generated from the tree
 * and `_baton_candidates`, which walks the words typed so far and prints the candidates.
 * fish gets its own `complete` lines. Task ids come from `baton __complete-ids PREFIX`.
 */
import type { CompletionNode } from './completion-tree.js';

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Entry {
  /** The command path, canonical names: '' for baton itself, 'dep add'. */
  key: string;
  /** Every spelling of that path (aliases included), as case patterns. */
  spellings: string[];
  node: CompletionNode;
}

function entries(root: CompletionNode): Entry[] {
  const out: Entry[] = [];
  const walk = (node: CompletionNode, key: string, spellings: string[]) => {
    out.push({ key, spellings, node });
    for (const child of node.children) {
      const names = [child.name, ...child.aliases];
      walk(
        child,
        key ? `${key} ${child.name}` : child.name,
        spellings.flatMap((s) => names.map((n) => (s ? `${s} ${n}` : n))),
      );
    }
  };
  walk(root, '', ['']);
  return out;
}

/** `name() { case "$1" in <pattern>) echo <value>;; ... esac; }`, skipping empty values. */
function table(name: string, rows: [patterns: string[], value: string][]): string {
  const lines = rows
    .filter(([, value]) => value !== '')
    .map(([patterns, value]) => `    ${patterns.map(shq).join('|')}) echo ${shq(value)} ;;`);
  return [`${name}() {`, '  case "$1" in', ...lines, '  esac', '}'].join('\n');
}

function argWords(node: CompletionNode): string {
  return node.args
    .map((a) => {
      const kind = a.kind.kind === 'words' ? `w:${a.kind.words.join(',')}` : a.kind.kind;
      return a.variadic ? `${kind}...` : kind;
    })
    .join(' ');
}

/** The tables and the word walker, valid in bash and in zsh. */
function shCore(root: CompletionNode): string {
  const all = entries(root);
  const globals = root.options;
  const flags = (node: CompletionNode, valued?: boolean) =>
    node.options
      .filter((o) => valued === undefined || o.valued === valued)
      .flatMap((o) => o.flags)
      .join(' ');
  const childRows: [string[], string][] = all.flatMap(({ spellings, node, key }) =>
    node.children.flatMap((c) =>
      [c.name, ...c.aliases].map((n): [string[], string] => [
        spellings.map((s) => `${s}|${n}`),
        key ? `${key} ${c.name}` : c.name,
      ]),
    ),
  );
  const choiceRows: [string[], string][] = all.flatMap(({ spellings, node }) =>
    node.options
      .filter((o) => o.choices.length > 0)
      .flatMap((o) =>
        o.flags.map((f): [string[], string] => [
          spellings.map((s) => `${s}|${f}`),
          o.choices.join(' '),
        ]),
      ),
  );
  return [
    '# the names that may follow a command path',
    table(
      '_baton_subs',
      all.map(({ spellings, node }) => [
        spellings,
        node.children.flatMap((c) => [c.name, ...c.aliases]).join(' '),
      ]),
    ),
    '# "path|word": the canonical path that word leads to, if it names a subcommand',
    table('_baton_child', childRows),
    "# the options of a command path (baton's own are always offered too)",
    table(
      '_baton_opts',
      all.filter((e) => e.key !== '').map(({ spellings, node }) => [spellings, flags(node)]),
    ),
    '# the options that take a value',
    table(
      '_baton_valued',
      all.map(({ spellings, node }) => [spellings, flags(node, true)]),
    ),
    '# "path|option": the values an option accepts',
    table('_baton_choices', choiceRows),
    '# the positional arguments: ids, w:<words>, any; a trailing ... repeats',
    table(
      '_baton_args',
      all.map(({ spellings, node }) => [spellings, argWords(node)]),
    ),
    `_baton_global=${shq(flags(root))}`,
    `_baton_global_valued=${shq(
      globals
        .filter((o) => o.valued)
        .flatMap((o) => o.flags)
        .join(' '),
    )}`,
    SH_WALKER,
  ].join('\n');
}

/**
 * `_baton_candidates CWORD WORD...`: the candidates for word CWORD (0 is `baton`), one a
 * line. Status 1: complete file names instead; 2: directories.
 */
const SH_WALKER = String.raw`_baton_match() {
  # _baton_match PREFIX WORDS: the words that start with PREFIX
  local IFS=$' \t\n' pre=$1 w
  shift
  for w in $*; do
    case "$w" in "$pre"*) printf '%s\n' "$w" ;; esac
  done
}

_baton_candidates() {
  [ -n "$ZSH_VERSION" ] && emulate -L sh
  local IFS=$' \t\n'
  local n=$1 i=0 key= pos=0 dir= skip= cur= w next kinds kind
  shift
  for w in "$@"; do
    if [ "$i" -eq "$n" ]; then cur=$w; break; fi
    if [ "$i" -gt 0 ]; then
      if [ -n "$skip" ]; then
        [ "$skip" = -C ] && dir=$w
        skip=
      else
        case "$w" in
          --*=*|-) ;;
          -*)
            case " $_baton_global_valued $(_baton_valued "$key") " in
              *" $w "*) skip=$w ;;
            esac
            ;;
          *)
            next=
            [ "$pos" -eq 0 ] && next=$(_baton_child "$key|$w")
            if [ -n "$next" ]; then key=$next; else pos=$((pos + 1)); fi
            ;;
        esac
      fi
    fi
    i=$((i + 1))
  done
  if [ -n "$skip" ]; then
    next=$(_baton_choices "$key|$skip")
    [ -z "$next" ] && next=$(_baton_choices "|$skip")
    if [ -n "$next" ]; then _baton_match "$cur" $next; return 0; fi
    [ "$skip" = -C ] && return 2
    return 1
  fi
  case "$cur" in
    -*)
      _baton_match "$cur" $(_baton_opts "$key") $_baton_global
      return 0
      ;;
  esac
  next=$(_baton_subs "$key")
  if [ "$pos" -eq 0 ] && [ -n "$next" ]; then
    _baton_match "$cur" $next
    return 0
  fi
  kinds=$(_baton_args "$key")
  kind=
  i=0
  for w in $kinds; do
    kind=$w
    [ "$i" -eq "$pos" ] && break
    case "$w" in *...) ;; *) kind= ;; esac
    i=$((i + 1))
  done
  case "$kind" in
    ids*)
      if [ -n "$dir" ]; then
        baton -C "$dir" __complete-ids "$cur" 2>/dev/null
      else
        baton __complete-ids "$cur" 2>/dev/null
      fi
      return 0
      ;;
    w:*)
      kind=${'$'}{kind#w:}
      kind=${'$'}{kind%...}
      _baton_match "$cur" $(printf '%s' "$kind" | tr ',' ' ')
      return 0
      ;;
  esac
  return 1
}`;

export function bashScript(root: CompletionNode): string {
  return `# baton completion for bash. Load it with:
#   source <(baton completion bash)
# or save it as ~/.local/share/bash-completion/completions/baton
${shCore(root)}

_baton() {
  local out rc IFS=$'\\n'
  out=$(_baton_candidates "$COMP_CWORD" "\${COMP_WORDS[@]}")
  rc=$?
  COMPREPLY=()
  case $rc in
    1) COMPREPLY=($(compgen -f -- "\${COMP_WORDS[COMP_CWORD]}")) ;;
    2) COMPREPLY=($(compgen -d -- "\${COMP_WORDS[COMP_CWORD]}")) ;;
    *) [ -n "$out" ] && COMPREPLY=($out) ;;
  esac
  return 0
}
complete -o filenames -F _baton baton
`;
}

export function zshScript(root: CompletionNode): string {
  return `#compdef baton
# baton completion for zsh. Load it (after compinit) with:
#   source <(baton completion zsh)
# or save it as _baton in a folder of your $fpath
${shCore(root)}

_baton() {
  local out rc
  out=$(_baton_candidates $((CURRENT - 1)) "\${words[@]}")
  rc=$?
  case $rc in
    1) _files ;;
    2) _files -/ ;;
    *) [[ -n $out ]] && compadd -- \${(f)out} ;;
  esac
}

if [[ "\${funcstack[1]}" = _baton ]]; then
  _baton "$@"
else
  compdef _baton baton
fi
`;
}

/** fish: `complete` lines per command path; ids through `baton __complete-ids`. */
export function fishScript(root: CompletionNode): string {
  const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    '# baton completion for fish. Load it with:',
    '#   baton completion fish | source',
    '# or save it as ~/.config/fish/completions/baton.fish',
    'complete -c baton -f',
  ];
  const optionLine = (cond: string, o: CompletionNode['options'][number]) => {
    const parts = ['complete -c baton'];
    if (cond) parts.push('-n', fq(cond));
    for (const f of o.flags) {
      if (f.startsWith('--')) parts.push('-l', fq(f.slice(2)));
      else parts.push('-s', fq(f.slice(1)));
    }
    if (o.valued) parts.push('-r');
    if (o.choices.length > 0) parts.push('-x', '-a', fq(o.choices.join(' ')));
    else if (o.flags.includes('-C')) parts.push('-x', '-a', fq('(__fish_complete_directories)'));
    parts.push('-d', fq(o.description));
    return parts.join(' ');
  };
  for (const o of root.options) lines.push(optionLine('', o));
  const walk = (node: CompletionNode, path: CompletionNode[]) => {
    const seen = path.map((p) => `__fish_seen_subcommand_from ${[p.name, ...p.aliases].join(' ')}`);
    const names = node.children.flatMap((c) => [c.name, ...c.aliases]);
    const here = [...seen, ...(path.length === 0 ? ['__fish_use_subcommand'] : [])];
    if (path.length > 0 && names.length > 0) {
      here.push(`not __fish_seen_subcommand_from ${names.join(' ')}`);
    }
    const cond = here.join('; and ');
    for (const c of node.children) {
      for (const n of [c.name, ...c.aliases]) {
        lines.push(`complete -c baton -n ${fq(cond)} -a ${fq(n)} -d ${fq(c.description)}`);
      }
    }
    if (path.length > 0) {
      const inNode = seen.join('; and ');
      for (const o of node.options) lines.push(optionLine(inNode, o));
      for (const a of node.args) {
        if (a.kind.kind === 'ids') {
          lines.push(
            `complete -c baton -n ${fq(inNode)} -a ${fq('(baton __complete-ids (commandline -ct) 2>/dev/null)')}`,
          );
          break;
        }
        if (a.kind.kind === 'words') {
          lines.push(`complete -c baton -n ${fq(inNode)} -a ${fq(a.kind.words.join(' '))}`);
        }
      }
    }
    for (const c of node.children) walk(c, [...path, c]);
  };
  walk(root, []);
  return `${lines.join('\n')}\n`;
}
