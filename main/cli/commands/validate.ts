import { ConfigInvalidError, ConfigParseError, loadConfig } from '../../core/config/store.ts';
import { formatProblem } from '../../core/config/validate.ts';
import { type CommandContext, locations, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

export async function validateCommand(context: CommandContext): Promise<number> {
  const { configFile } = locations(context);
  try {
    const loaded = await loadConfig(configFile);
    const { repositories, plans } = loaded.config;
    if (context.args.json) {
      printJson(context, { valid: true, file: configFile, exists: loaded.exists, repositories: repositories.length, plans: plans.length, problems: [] });
    } else if (!loaded.exists) {
      context.io.stdout(`No config at ${configFile} yet: an empty config is valid. Add repositories and plans to it.\n`);
    } else {
      context.io.stdout(
        `✔ ${configFile} is valid: ${repositories.length} repositor${repositories.length === 1 ? 'y' : 'ies'}, ${plans.length} plan${plans.length === 1 ? '' : 's'}.\n`,
      );
    }
    return EXIT.success;
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      if (context.args.json) printJson(context, { valid: false, file: configFile, problems: error.problems });
      else
        context.io.stderr(
          `✘ ${configFile} has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}:\n${error.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`,
        );
      return EXIT.usage;
    }
    if (error instanceof ConfigParseError) {
      if (context.args.json)
        printJson(context, { valid: false, file: configFile, problems: [{ path: '', message: error.message, line: error.line, column: error.column }] });
      else context.io.stderr(`✘ ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
