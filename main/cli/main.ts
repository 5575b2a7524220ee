import type { Problem } from '../core/config/validate.ts';
import type { ResticFailure } from '../core/restic/classify.ts';
import { errorMessage, UserError } from '../core/util/errors.ts';
import { projectVersion } from '../core/util/project-root.ts';
import { type ParsedArgs, parseCommandLine, USAGE } from './args.ts';
import type { CommandContext } from './context.ts';
import { EXIT, EXIT_CODE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

type Command = (context: CommandContext) => Promise<number>;

/** Each command's module is loaded when that command runs, so a command pays only for what it uses. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  init: async () => (await import('./commands/init.ts')).initCommand,
  plans: async () => (await import('./commands/plans.ts')).plansCommand,
  run: async () => (await import('./commands/run.ts')).runCommand,
  snapshots: async () => (await import('./commands/snapshots.ts')).snapshotsCommand,
  restore: async () => (await import('./commands/restore.ts')).restoreCommand,
  history: async () => (await import('./commands/history.ts')).historyCommand,
  hooks: async () => (await import('./commands/hooks.ts')).hooksCommand,
  daemon: async () => (await import('./commands/daemon.ts')).daemonCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  open: async () => (await import('./commands/open.ts')).openCommand,
  diff: async () => (await import('./commands/diff.ts')).diffCommand,
  versions: async () => (await import('./commands/versions.ts')).versionsCommand,
  retention: async () => (await import('./commands/retention.ts')).retentionCommand,
  verify: async () => (await import('./commands/verify.ts')).verifyCommand,
  copy: async () => (await import('./commands/copy.ts')).copyCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
  completion: async () => (await import('./commands/completion.ts')).completionCommand,
  service: async () => (await import('./commands/service.ts')).serviceCommand,
  metrics: async () => (await import('./commands/metrics.ts')).metricsCommand,
};

/** The commands `lifeboat` knows, in the order its usage lists them. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

/** Loads one command's module; undefined for a name that is not a command. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!() : undefined;
}

/** Runs one `lifeboat` command line and returns its exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: ParsedArgs | undefined;
  try {
    args = parseCommandLine(argv);
    if (args.version) {
      io.stdout(`lifeboat ${projectVersion()}\n`);
      return EXIT.success;
    }
    if (args.help || args.command === undefined) {
      (args.help ? io.stdout : io.stderr)(USAGE);
      return args.help ? EXIT.success : EXIT.usage;
    }
    const command = await loadCommand(args.command);
    if (!command) throw new Error(`the command table has no "${args.command}"`);
    return await command({ args, io });
  } catch (error) {
    return reportError(error, args?.json ?? argv.includes('--json'), io);
  }
}

/** A config with problems (ConfigInvalidError), recognised without loading the config modules. */
function configProblems(error: unknown): Problem[] | undefined {
  if (!(error instanceof UserError) || error.kind !== 'config' || !('problems' in error)) return undefined;
  return Array.isArray(error.problems) ? (error.problems as Problem[]) : undefined;
}

async function reportError(error: unknown, json: boolean, io: CliIo): Promise<number> {
  const code = error instanceof UserError ? EXIT_CODE[error.kind] : EXIT.failure;
  if (!(error instanceof UserError)) {
    // A bug, not a person's mistake: keep the stack for the report.
    io.stderr(`Lifeboat hit an internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  const problems = configProblems(error);
  if (json) {
    const kind = error instanceof UserError && error.kind === 'restic' && 'failure' in error ? (error.failure as ResticFailure).kind : undefined;
    io.stdout(
      `${JSON.stringify({ error: { message: errorMessage(error), exitCode: code, ...(kind ? { kind } : {}), ...(problems ? { problems } : {}) } }, null, 2)}\n`,
    );
  } else if (error instanceof UserError) {
    if (problems) {
      const { formatProblem } = await import('../core/config/problem.ts');
      io.stderr(`✘ ${error.message.split('\n')[0]}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    } else {
      io.stderr(`✘ ${error.message}\n`);
    }
  }
  return code;
}
