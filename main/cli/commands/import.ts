import { IMPORT_TOOLS, importConfig } from '../../core/import/import-config.ts';
import { formatSummary } from '../../core/import/import-report.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, locations, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** `lifeboat import resticprofile|autorestic|backrest FILE [--dry-run] [--merge]` */
export async function importCommand(context: CommandContext): Promise<number> {
  const [tool, file] = context.args.positionals as [string, string];
  if (!Object.hasOwn(IMPORT_TOOLS, tool)) {
    throw new UsageError(
      `"${tool}" is not a tool Lifeboat imports from; use ${Object.keys(IMPORT_TOOLS).join(', ')}. Usage: lifeboat import <tool> FILE [--dry-run] [--merge]`,
    );
  }
  const { configFile, dataDir } = locations(context);
  const { summary, shownConfig } = await importConfig({ tool, file, configFile, dataDir, dryRun: context.args.dryRun, merge: context.args.merge });
  if (context.args.json) printJson(context, { ...summary, ...(summary.dryRun ? { config: shownConfig } : {}) });
  else if (summary.dryRun) {
    context.io.stdout(`${JSON.stringify(shownConfig, null, 2)}\n`);
    context.io.stderr(formatSummary(summary));
  } else context.io.stdout(formatSummary(summary));
  if (summary.plans.length === 0 && summary.alreadyImported.length > 0) {
    if (!context.args.json)
      context.io.stdout(`Everything in ${JSON.stringify(summary.file)} that could be imported is already in your config; nothing changed.\n`);
    return EXIT.success;
  }
  if (summary.plans.length === 0) {
    if (!context.args.json)
      context.io.stderr(`✘ Nothing in ${JSON.stringify(summary.file)} could become a plan; the list above says why. Your config was not changed.\n`);
    return EXIT.failure;
  }
  return EXIT.success;
}
