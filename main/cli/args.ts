import { parseArgs } from 'node:util';
import { UserError } from '../core/util/errors.ts';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends UserError {
  override name = 'UsageError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, kind: 'usage' });
  }
}

export const USAGE = `Usage: lifeboat [--config FILE] [--data-dir DIR] <command>

Commands:
  validate                         check the config; list every problem
  init <repository>                initialise a configured repository (restic init)
  plans [--json]                   list plans with last and next run
  run <plan> [--json] [--trigger manual|schedule]
                                   run once, print progress and result
  snapshots <plan> [--json]        list the plan's snapshots
  restore <plan> <snapshot|latest> --target DIR [--include PATH]
                                   restore into an empty DIR (the snapshot's absolute paths recreated under it)
  restore <plan> <snapshot|latest> --in-place --overwrite never|if-newer|always [--include PATH]
                                   back to the original location, existing files kept or replaced by the policy
  restore … --dry-run [--json]     what the restore would create, overwrite and keep, and which files on disk
                                   are newer than the snapshot; nothing is changed
  hooks test <plan> <hook> [--event E]
                                   run one hook with sample variables; print its output and verdict
  history [<plan>] [--json] [--limit N]
                                   past runs, newest first
  diff <plan> [<snapshot> [<snapshot>]] [--json]
                                   what changed (default: the last two snapshots), and where the growth is
  versions <plan> <path> [--json] [--restore SNAPSHOT [--in-place]]
                                   every stored version of one file, newest first; put one back beside it (or in its place)
  retention preview <plan> [--json]
                                   what the plan's retention would remove; nothing is removed
  verify <plan> [--sample N] [--json]
                                   restore N sampled files (default 20) to a scratch folder and compare them
  copy <plan> --to <repository> [--json]
                                   copy the plan's snapshots the repository lacks to it (a second copy)
  daemon [--textfile DIR]          the scheduler only, no UI (stop with Ctrl-C or SIGTERM); --textfile keeps DIR/lifeboat.prom current
  serve [--host 127.0.0.1] [--port N]
                                   scheduler + browser UI + API (default port 17878); prints its address
  open                             open the running UI in the browser (starts serve if needed)
  import resticprofile|autorestic|backrest FILE [--dry-run] [--merge] [--json]
                                   a config from another tool; imported hooks start off; --merge adds to an existing config
  completion bash|zsh|fish         shell completion script (commands, options, plan and snapshot ids)
  service install|uninstall|status daemon|serve [--system] [--user-name NAME] [--json]
                                   a systemd unit for it (--user unless --system; a system unit runs as NAME, default the sudo user)
  metrics [--textfile DIR] [--json]
                                   every plan's state in Prometheus' text format; --textfile writes DIR/lifeboat.prom

Exit codes: 0 success (including warning), 1 failure, 2 invalid usage or config, 75 skipped.
`;

const OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  trigger: { type: 'string' },
  target: { type: 'string' },
  to: { type: 'string' },
  'in-place': { type: 'boolean' },
  overwrite: { type: 'string' },
  include: { type: 'string', multiple: true },
  restore: { type: 'string' },
  limit: { type: 'string' },
  event: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'dry-run': { type: 'boolean' },
  merge: { type: 'boolean' },
  system: { type: 'boolean' },
  'user-name': { type: 'string' },
  textfile: { type: 'string' },
  sample: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Each option that takes a value (other than a number), as an example of one: said when the value is missing. */
const VALUE_EXAMPLES = {
  config: '--config ~/lifeboat.json',
  'data-dir': '--data-dir ~/.local/share/lifeboat',
  trigger: '--trigger manual (or schedule)',
  target: '--target ~/restored',
  to: '--to nas',
  overwrite: '--overwrite never (or if-newer, always)',
  include: '--include ~/Documents/letter.txt',
  restore: '--restore latest',
  event: '--event backup.before',
  host: '--host 127.0.0.1',
  'user-name': '--user-name alice',
  textfile: '--textfile /var/lib/prometheus/node-exporter',
} as const satisfies Partial<Record<OptionName, string>>;

/**
 * The argument parser's complaint about an option's value (none given, or one starting with a
 * dash), said as what the option takes; undefined for any other complaint.
 */
function missingValue(error: unknown, argv: string[]): string | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return undefined;
  const name = /Option '--([a-z-]+)/.exec((error as Error).message)?.[1];
  if (name === undefined || !Object.hasOwn(VALUE_EXAMPLES, name)) return undefined;
  const sentence = `--${name} needs a value after it, e.g. ${VALUE_EXAMPLES[name as keyof typeof VALUE_EXAMPLES]}.`;
  const next = argv[argv.indexOf(`--${name}`) + 1];
  // Another option after it: the value is missing. A word with a dash: a value the parser would not take alone.
  const isOption = (word: string) => word === '--' || word === '-h' || Object.hasOwn(OPTIONS, word.replace(/^--/, '').replace(/=.*$/s, ''));
  return next?.startsWith('-') && !isOption(next) ? `${sentence} A value that starts with "-" is written joined to it: --${name}=${next}.` : sentence;
}

/**
 * `--sample`'s range: VERIFY_SAMPLE_BOUNDS (core/config/limits.ts), written here so that `--help` and `--version` load
 * no module of the config; test/unit/cli-args.test.ts holds the two equal.
 */
export const SAMPLE_BOUNDS = [1, 1000] as const;

/**
 * The options that take a whole number: read here, once, with one sentence for a value that is not
 * one (missing, negative, a word) rather than the argument parser's own.
 */
const NUMBER_OPTIONS = {
  limit: {
    range: [1, Number.MAX_SAFE_INTEGER],
    missing: '--limit needs a whole number of runs after it, e.g. --limit 50.',
    refused: (value: string) => `--limit ${JSON.stringify(value)} is not a whole number of runs; use e.g. --limit 50.`,
  },
  sample: {
    range: SAMPLE_BOUNDS,
    missing: `--sample needs a number of files after it (a whole number from ${SAMPLE_BOUNDS[0]} to ${SAMPLE_BOUNDS[1]}), e.g. --sample 20.`,
    refused: (value: string) =>
      `--sample ${JSON.stringify(value)} is not a number of files; give a whole number from ${SAMPLE_BOUNDS[0]} to ${SAMPLE_BOUNDS[1]}, e.g. --sample 20.`,
  },
  port: {
    range: [0, 65535],
    missing: '--port needs a port number after it (0–65535; 0 picks a free one), e.g. --port 17878.',
    refused: (value: string) => `--port ${JSON.stringify(value)} is not a port number (0–65535; 0 picks a free one).`,
  },
} as const satisfies Partial<Record<OptionName, { range: readonly [number, number]; missing: string; refused: (value: string) => string }>>;

type NumberOption = keyof typeof NUMBER_OPTIONS;

const isNumberOption = (name: string): name is NumberOption => Object.hasOwn(NUMBER_OPTIONS, name);

/**
 * The command line with each number option's value joined to it (`--limit -1` → `--limit=-1`), so a
 * negative number reaches the check below instead of the parser's "ambiguous" complaint. A number
 * option with nothing after it (the end, or another option) is left out and named as `missing`,
 * to be told once the command is known to take it.
 */
function joinNumberValues(argv: string[]): { argv: string[]; missing?: NumberOption | undefined } {
  const joined: string[] = [];
  let missing: NumberOption | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') return { argv: [...joined, ...argv.slice(index)], missing };
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const value = argv[index + 1];
    if (isNumberOption(name)) {
      if (value === undefined || (value.startsWith('-') && !/^-\d/.test(value))) missing ??= name;
      else {
        joined.push(`--${name}=${value}`);
        index += 1;
      }
      continue;
    }
    joined.push(arg);
    // Another option's value is never read as an option (nor joined): the parser judges it.
    if (Object.hasOwn(OPTIONS, name) && OPTIONS[name as OptionName].type === 'string' && value !== undefined && !value.startsWith('-')) {
      joined.push(value);
      index += 1;
    }
  }
  return { argv: joined, missing };
}

/** A number option's value as a number, or the sentence that says what it takes. */
function wholeNumber(name: NumberOption, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const { range, refused } = NUMBER_OPTIONS[name];
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < range[0] || number > range[1]) throw new UsageError(refused(value));
  return number;
}

/** The options each command accepts besides the global ones. */
const COMMAND_OPTIONS: Record<string, { positionals: [number, number]; options: OptionName[]; usage: string }> = {
  validate: { positionals: [0, 0], options: ['json'], usage: 'lifeboat validate [--json]' },
  init: { positionals: [1, 1], options: ['json'], usage: 'lifeboat init <repository>' },
  plans: { positionals: [0, 0], options: ['json'], usage: 'lifeboat plans [--json]' },
  run: { positionals: [1, 1], options: ['json', 'trigger'], usage: 'lifeboat run <plan> [--json] [--trigger manual|schedule]' },
  snapshots: { positionals: [1, 1], options: ['json'], usage: 'lifeboat snapshots <plan> [--json]' },
  restore: {
    positionals: [2, 2],
    options: ['json', 'target', 'in-place', 'overwrite', 'include', 'dry-run'],
    usage: 'lifeboat restore <plan> <snapshot|latest> --target DIR | --in-place --overwrite never|if-newer|always [--include PATH] [--dry-run]',
  },
  history: { positionals: [0, 1], options: ['json', 'limit'], usage: 'lifeboat history [<plan>] [--json] [--limit N]' },
  daemon: { positionals: [0, 0], options: ['textfile'], usage: 'lifeboat daemon [--textfile DIR]' },
  serve: { positionals: [0, 0], options: ['host', 'port'], usage: 'lifeboat serve [--host 127.0.0.1] [--port N]' },
  hooks: { positionals: [3, 3], options: ['json', 'event'], usage: 'lifeboat hooks test <plan> <hook> [--event E]' },
  open: { positionals: [0, 0], options: [], usage: 'lifeboat open' },
  diff: { positionals: [1, 3], options: ['json'], usage: 'lifeboat diff <plan> [<snapshot> [<snapshot>]] [--json]' },
  versions: {
    positionals: [2, 2],
    options: ['json', 'restore', 'in-place'],
    usage: 'lifeboat versions <plan> <path> [--json] [--restore SNAPSHOT [--in-place]]',
  },
  retention: { positionals: [2, 2], options: ['json'], usage: 'lifeboat retention preview <plan> [--json]' },
  verify: { positionals: [1, 1], options: ['json', 'sample'], usage: 'lifeboat verify <plan> [--sample N] [--json]' },
  copy: { positionals: [1, 1], options: ['json', 'to'], usage: 'lifeboat copy <plan> --to <repository> [--json]' },
  import: {
    positionals: [2, 2],
    options: ['json', 'dry-run', 'merge'],
    usage: 'lifeboat import resticprofile|autorestic|backrest FILE [--dry-run] [--merge] [--json]',
  },
  completion: { positionals: [1, 1], options: [], usage: 'lifeboat completion bash|zsh|fish' },
  service: {
    positionals: [2, 2],
    options: ['json', 'system', 'user-name'],
    usage: 'lifeboat service install|uninstall|status daemon|serve [--system] [--user-name NAME] [--json]',
  },
  metrics: { positionals: [0, 0], options: ['json', 'textfile'], usage: 'lifeboat metrics [--textfile DIR] [--json]' },
};

const GLOBAL: OptionName[] = ['config', 'data-dir', 'help', 'version'];

export interface CommandShape {
  name: string;
  usage: string;
  /** Every option the command takes, with whether it is followed by a value. */
  options: Array<{ name: string; takesValue: boolean }>;
}

/** The command table as data, for shell completion: one list of commands and options, this file's. */
export function commandShapes(): { global: CommandShape['options']; commands: CommandShape[] } {
  const option = (name: OptionName) => ({ name, takesValue: OPTIONS[name].type === 'string' });
  return {
    global: GLOBAL.map(option),
    commands: Object.entries(COMMAND_OPTIONS).map(([name, spec]) => ({ name, usage: spec.usage, options: spec.options.map(option) })),
  };
}

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  config?: string | undefined;
  dataDir?: string | undefined;
  json: boolean;
  trigger?: string | undefined;
  target?: string | undefined;
  to?: string | undefined;
  inPlace: boolean;
  overwrite?: string | undefined;
  include: string[];
  restore?: string | undefined;
  /** `--limit`, `--sample` and `--port`: whole numbers, checked against their range. */
  limit?: number | undefined;
  event?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  dryRun: boolean;
  merge: boolean;
  system: boolean;
  userName?: string | undefined;
  textfile?: string | undefined;
  sample?: number | undefined;
  help: boolean;
  version: boolean;
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  const numbers = joinNumberValues(argv);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: numbers.argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const sentence = missingValue(error, numbers.argv);
    if (sentence) throw new UsageError(sentence);
    throw new UsageError(
      `${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}. Run "lifeboat --help" for the commands and their options.`,
    );
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const result: ParsedArgs = {
    command,
    positionals: rest,
    config: values.config,
    dataDir: values['data-dir'],
    json: values.json ?? false,
    trigger: values.trigger,
    target: values.target,
    to: values.to,
    inPlace: values['in-place'] ?? false,
    overwrite: values.overwrite,
    include: values.include ?? [],
    restore: values.restore,
    event: values.event,
    host: values.host,
    dryRun: values['dry-run'] ?? false,
    merge: values.merge ?? false,
    system: values.system ?? false,
    userName: values['user-name'],
    textfile: values.textfile,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (result.help || result.version || command === undefined) return result;
  const spec = COMMAND_OPTIONS[command];
  if (!spec) {
    throw new UsageError(`"${command}" is not a lifeboat command. Commands: ${Object.keys(COMMAND_OPTIONS).join(', ')}.`);
  }
  const given = [...(Object.keys(values) as OptionName[]), ...(numbers.missing ? [numbers.missing] : [])];
  for (const name of given) {
    if (!GLOBAL.includes(name) && !spec.options.includes(name)) {
      throw new UsageError(`"${command}" does not take --${name}. Usage: ${spec.usage}`);
    }
  }
  const [min, max] = spec.positionals;
  if (rest.length < min) throw new UsageError(`"${command}" is missing an argument. Usage: ${spec.usage}`);
  if (rest.length > max) throw new UsageError(`"${command}" got an extra argument ${JSON.stringify(rest[max])}. Usage: ${spec.usage}`);
  if (command === 'hooks' && rest[0] !== 'test') throw new UsageError(`"hooks ${rest[0]}" is not a command. Usage: ${spec.usage}`);
  if (command === 'retention' && rest[0] !== 'preview') throw new UsageError(`"retention ${rest[0]}" is not a command. Usage: ${spec.usage}`);
  if (numbers.missing) throw new UsageError(NUMBER_OPTIONS[numbers.missing].missing);
  return { ...result, limit: wholeNumber('limit', values.limit), sample: wholeNumber('sample', values.sample), port: wholeNumber('port', values.port) };
}
