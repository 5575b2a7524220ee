import { type CommandShape, commandShapes } from './args.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What one positional word of a command can be, read from the command's usage line. */
export type Slot = { kind: 'plan' } | { kind: 'snapshot'; words: string[] } | { kind: 'file' } | { kind: 'words'; words: string[] } | { kind: 'none' };

interface CompletionCommand {
  name: string;
  options: string[];
  valueOptions: string[];
  optionValues: Record<string, Slot>;
  slots: Slot[];
}

const WORD = /^[a-z0-9][a-z0-9-]*$/;

/** The positional words of a usage line such as `lifeboat restore <plan> <snapshot|latest> --target DIR`. */
export function slotsOf(usage: string): Slot[] {
  const tokens = usage.split(/\s+/).slice(2);
  const slots: Slot[] = [];
  for (const raw of tokens) {
    const token = raw.replace(/[[\]]/g, '');
    if (token === '' || token.startsWith('-') || token === '|') break;
    if (token === '<plan>') slots.push({ kind: 'plan' });
    else if (token.startsWith('<snapshot'))
      slots.push({
        kind: 'snapshot',
        words: token
          .slice(1, -1)
          .split('|')
          .slice(1)
          .filter((w) => WORD.test(w)),
      });
    else if (token === 'FILE' || token === 'DIR' || token === '<path>') slots.push({ kind: 'file' });
    else if (token.split('|').every((word) => WORD.test(word))) slots.push({ kind: 'words', words: token.split('|') });
    else slots.push({ kind: 'none' });
  }
  return slots;
}

/** What follows each option that takes a value in a usage line: `--trigger manual|schedule` gives words, `--target DIR` files. */
export function optionValuesOf(usage: string): Record<string, Slot> {
  const tokens = usage.split(/\s+/).map((token) => token.replace(/[[\]]/g, ''));
  const values: Record<string, Slot> = {};
  tokens.forEach((token, index) => {
    const next = tokens[index + 1] ?? '';
    if (!token.startsWith('--') || next === '' || next.startsWith('-')) return;
    if (/^(FILE|DIR|PATH)$/.test(next)) values[token] = { kind: 'file' };
    else if (/^SNAPSHOT$/.test(next)) values[token] = { kind: 'snapshot', words: [] };
    else if (next.includes('|') && next.split('|').every((word) => WORD.test(word))) values[token] = { kind: 'words', words: next.split('|') };
  });
  return values;
}

function completionCommands(): { global: string[]; globalValue: string[]; commands: CompletionCommand[] } {
  const shapes = commandShapes();
  const flags = (options: CommandShape['options']) => options.map((option) => `--${option.name}`);
  const valued = (options: CommandShape['options']) => options.filter((option) => option.takesValue).map((option) => `--${option.name}`);
  const commands = shapes.commands.map((shape) => ({
    name: shape.name,
    options: flags(shape.options),
    valueOptions: valued(shape.options),
    optionValues: optionValuesOf(shape.usage),
    slots: slotsOf(shape.usage),
  }));
  // Everything spliced into a script is checked here: names from the table, never from a config.
  for (const word of [...commands.flatMap((c) => [c.name, ...c.options]), ...flags(shapes.global)]) {
    if (!/^-{0,2}[a-z0-9][a-z0-9-]*$/.test(word)) throw new Error(`cannot put ${JSON.stringify(word)} in a completion script`);
  }
  return { global: flags(shapes.global), globalValue: valued(shapes.global), commands };
}

function slotCode(slot: Slot): string {
  switch (slot.kind) {
    case 'plan':
      return '@plan';
    case 'snapshot':
      return ['@snapshot', ...slot.words].join(':');
    case 'file':
      return '@file';
    case 'words':
      return slot.words.join('|');
    case 'none':
      return '@none';
  }
}

/** The completion script for one shell; it completes ids only, never names (ids are plain words). */
export function completionScript(shell: Shell): string {
  if (shell === 'bash') return bashScript();
  if (shell === 'zsh') return zshScript();
  return fishScript();
}

function bashScript(): string {
  const { global, globalValue, commands } = completionCommands();
  const valueArms = commands
    .flatMap((c) => Object.entries(c.optionValues).map(([option, slot]) => `    '${c.name} ${option}') slot='${slotCode(slot)}' ;;`))
    .join('\n');
  const arms = commands
    .map((c) => `    ${c.name}) options='${c.options.join(' ')}'; values='${c.valueOptions.join(' ')}'; slots='${c.slots.map(slotCode).join(' ')}' ;;`)
    .join('\n');
  return `# lifeboat completion for bash: add to ~/.bashrc
#   source <(lifeboat completion bash)

# Removes one level of shell quoting from a word as typed, without evaluating it.
_lifeboat_dequote() {
  local w=$1
  case $w in
    \\'*\\') w=\${w:1:\${#w}-2} ;;
    \\"*\\") w=\${w:1:\${#w}-2} ;;
    *) w=\${w//\\\\/} ;;
  esac
  printf '%s' "$w"
}

# Runs lifeboat quietly with the --config/--data-dir words already on the line.
_lifeboat_query() {
  local -a words=()
  local i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case $w in
      --config|--data-dir)
        if ((i + 1 < COMP_CWORD)); then words+=("$w" "$(_lifeboat_dequote "\${COMP_WORDS[i+1]}")"); fi
        ((i++)) ;;
    esac
  done
  command lifeboat "\${words[@]}" "$@" 2>/dev/null </dev/null
}

# Prints the values of one JSON key at the top level of each object of a pretty-printed array.
_lifeboat_ids() {
  local key=$1 line
  while IFS= read -r line; do
    if [[ $line =~ ^\\ {4}\\"$key\\":\\ \\"([a-z0-9][a-z0-9_-]*)\\" ]]; then printf '%s\\n' "\${BASH_REMATCH[1]}"; fi
  done
}

_lifeboat() {
  # In zsh (through bashcompinit) the same code runs with bash's array and word-splitting rules.
  [[ -n \${ZSH_VERSION-} ]] && setopt localoptions ksharrays shwordsplit bashrematch
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=
  ((COMP_CWORD > 0)) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  local global='${global.join(' ')}' globalvalues='${globalValue.join(' ')}'
  local cmd= options= values= slots= i w skip=0 plan=
  local -a positional=()
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    case " $globalvalues $values " in *" $w "*) skip=1; continue ;; esac
    case $w in -*) continue ;; esac
    if [[ -z $cmd ]]; then
      cmd=$w
      case $cmd in
${arms}
        *) return 0 ;;
      esac
    else
      positional+=("$w")
    fi
  done
  local -a slotlist=($slots)
  local slot=
  for ((i = 0; i < \${#positional[@]}; i++)); do
    [[ \${slotlist[i]} == @plan ]] && plan=\${positional[i]}
  done
  if [[ -n $prev && " $globalvalues $values " == *" $prev "* ]]; then
    case "$cmd $prev" in
${valueArms}
      *' --config' | *' --data-dir') slot=@file ;;
      *) return 0 ;;
    esac
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
    return 0
  elif [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W '${commands.map((c) => c.name).join(' ')}' -- "$cur"))
    return 0
  else
    slot=\${slotlist[\${#positional[@]}]}
  fi
  case $slot in
    '' | @none) return 0 ;;
    @plan) COMPREPLY=($(compgen -W "$(_lifeboat_query plans --json | _lifeboat_ids id)" -- "$cur")) ;;
    @snapshot*)
      local extra=\${slot#@snapshot}
      extra=\${extra//:/ }
      if [[ $plan =~ ^[a-z0-9][a-z0-9_-]*$ ]]; then
        COMPREPLY=($(compgen -W "$extra $(_lifeboat_query snapshots "$plan" --json | _lifeboat_ids shortId)" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$extra" -- "$cur"))
      fi ;;
    @file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "\${slot//|/ }" -- "$cur")) ;;
  esac
  return 0
}

complete -F _lifeboat lifeboat
`;
}

function zshScript(): string {
  return `#compdef lifeboat
# lifeboat completion for zsh: add to ~/.zshrc
#   source <(lifeboat completion zsh)
# It runs the bash completion through zsh's bashcompinit, so both shells complete the same words.
autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }
autoload -U +X bashcompinit && bashcompinit

${bashScript()
  .split('\n')
  .filter((line) => !line.startsWith('# lifeboat completion for bash') && !line.startsWith('#   source <('))
  .join('\n')}`;
}

/** What fish offers after an option: its words, files, snapshot ids, or nothing (a value to type); no value at all for a flag. */
function fishValue(takesValue: boolean, slot: Slot | undefined): string {
  if (!takesValue) return '';
  if (slot?.kind === 'file') return ' -r -F';
  if (slot?.kind === 'words') return ` -x -a '${slot.words.join(' ')}'`;
  if (slot?.kind === 'snapshot') return " -x -a '(__lifeboat_snapshots)'";
  return ' -x';
}

function fishScript(): string {
  const { global, globalValue, commands } = completionCommands();
  const lines = [
    '# lifeboat completion for fish: save as ~/.config/fish/completions/lifeboat.fish',
    '#   lifeboat completion fish > ~/.config/fish/completions/lifeboat.fish',
    '',
    '# Runs lifeboat quietly with the --config/--data-dir words already on the line.',
    'function __lifeboat_query',
    '    set -l words (commandline -opc)',
    '    set -l pass',
    '    for i in (seq 2 (count $words))',
    '        if contains -- $words[$i] --config --data-dir',
    '            set -l next (math $i + 1)',
    '            if test $next -le (count $words)',
    '                set pass $pass $words[$i] $words[$next]',
    '            end',
    '        end',
    '    end',
    '    command lifeboat $pass $argv 2>/dev/null </dev/null',
    'end',
    '',
    'function __lifeboat_plans',
    '    __lifeboat_query plans --json | string match -r -g \'^    "id": "([a-z0-9][a-z0-9_-]*)"\'',
    'end',
    '',
    '# Whether a plan id is on the line after the command: the next word is then a snapshot, not a plan.',
    'function __lifeboat_has_plan',
    '    set -l words (commandline -opc)',
    '    set -l plans (__lifeboat_plans)',
    '    for word in $words[3..-1]',
    '        contains -- $word $plans; and return 0',
    '    end',
    '    return 1',
    'end',
    '',
    '# Snapshot ids of the plan named on the line (the first word after the command that is a plan id).',
    'function __lifeboat_snapshots',
    '    set -l words (commandline -opc)',
    '    set -l plans (__lifeboat_plans)',
    '    for word in $words[3..-1]',
    '        if contains -- $word $plans',
    '            __lifeboat_query snapshots $word --json | string match -r -g \'^    "shortId": "([a-z0-9]+)"\'',
    '            return',
    '        end',
    '    end',
    'end',
    '',
    'complete -c lifeboat -f',
    `complete -c lifeboat -n __fish_use_subcommand -a '${commands.map((c) => c.name).join(' ')}'`,
  ];
  for (const option of global) {
    lines.push(`complete -c lifeboat -l ${option.slice(2)}${globalValue.includes(option) ? ' -r -F' : ''}`);
  }
  for (const command of commands) {
    const when = `'__fish_seen_subcommand_from ${command.name}'`;
    for (const option of command.options) {
      lines.push(`complete -c lifeboat -n ${when} -l ${option.slice(2)}${fishValue(command.valueOptions.includes(option), command.optionValues[option])}`);
    }
    // Word slots in order: each offered after the one before it, and no longer once one of its words is there.
    command.slots.forEach((slot, index) => {
      if (slot.kind !== 'words') return;
      const before = command.slots[index - 1];
      if (index > 0 && before?.kind !== 'words') return;
      const after = before?.kind === 'words' ? `; and __fish_seen_subcommand_from ${before.words.join(' ')}` : '';
      lines.push(
        `complete -c lifeboat -n '__fish_seen_subcommand_from ${command.name}${after}; and not __fish_seen_subcommand_from ${slot.words.join(' ')}' -a '${slot.words.join(' ')}'`,
      );
    });
    // A plan until one is on the line; then its snapshots.
    const planWhen = `'__fish_seen_subcommand_from ${command.name}; and not __lifeboat_has_plan'`;
    if (command.slots.some((slot) => slot.kind === 'plan')) lines.push(`complete -c lifeboat -n ${planWhen} -a '(__lifeboat_plans)'`);
    const snapshot = command.slots.find((slot) => slot.kind === 'snapshot');
    if (snapshot?.kind === 'snapshot')
      lines.push(
        `complete -c lifeboat -n '__fish_seen_subcommand_from ${command.name}; and __lifeboat_has_plan' -a '(__lifeboat_snapshots) ${snapshot.words.join(' ')}'`,
      );
    if (command.slots.some((slot) => slot.kind === 'file')) lines.push(`complete -c lifeboat -n ${when} -F`);
  }
  return `${lines.join('\n')}\n`;
}
