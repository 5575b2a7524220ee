import { formatProblem } from '../core/config/validate.ts';
import { ResticError } from '../core/restic/restic.ts';
import { errorMessage, UserError } from '../core/util/errors.ts';
import { projectVersion } from '../core/util/project-root.ts';
import { type ParsedArgs, parseCommandLine, USAGE } from './args.ts';
import { daemonCommand } from './commands/daemon.ts';
import { diffCommand } from './commands/diff.ts';
import { historyCommand } from './commands/history.ts';
import { hooksCommand } from './commands/hooks.ts';
import { initCommand } from './commands/init.ts';
import { openCommand } from './commands/open.ts';
import { plansCommand } from './commands/plans.ts';
import { restoreCommand } from './commands/restore.ts';
import { retentionCommand } from './commands/retention.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { snapshotsCommand } from './commands/snapshots.ts';
import { validateCommand } from './commands/validate.ts';
import { versionsCommand } from './commands/versions.ts';
import { type CommandContext, isConfigError, printJson } from './context.ts';
import { EXIT, EXIT_CODE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

const COMMANDS: Record<string, (context: CommandContext) => Promise<number>> = {
  validate: validateCommand,
  init: initCommand,
  plans: plansCommand,
  run: runCommand,
  snapshots: snapshotsCommand,
  restore: restoreCommand,
  history: historyCommand,
  hooks: hooksCommand,
  daemon: daemonCommand,
  serve: serveCommand,
  open: openCommand,
  diff: diffCommand,
  versions: versionsCommand,
  retention: retentionCommand,
  import: async (context) => (await import('./commands/import.ts')).importCommand(context),
  metrics: async (context) => (await import('./commands/metrics.ts')).metricsCommand(context),
};

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
    return await COMMANDS[args.command]!({ args, io });
  } catch (error) {
    return reportError(error, args?.json ?? argv.includes('--json'), io);
  }
}

function reportError(error: unknown, json: boolean, io: CliIo): number {
  const code = error instanceof UserError ? EXIT_CODE[error.kind] : EXIT.failure;
  if (!(error instanceof UserError)) {
    // A bug, not a person's mistake: keep the stack for the report.
    io.stderr(`Lifeboat hit an internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  if (json) {
    const problems = isConfigError(error) && 'problems' in error ? error.problems : undefined;
    const kind = error instanceof ResticError ? error.failure.kind : undefined;
    printJson(
      { args: { json } as ParsedArgs, io },
      { error: { message: errorMessage(error), exitCode: code, ...(kind ? { kind } : {}), ...(problems ? { problems } : {}) } },
    );
  } else if (error instanceof UserError) {
    io.stderr(
      `✘ ${isConfigError(error) && 'problems' in error ? `${error.message.split('\n')[0]}\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}` : error.message}\n`,
    );
  }
  return code;
}
