import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

export async function initCommand(context: CommandContext): Promise<number> {
  const [repositoryId] = context.args.positionals as [string];
  const engine = await openEngine(context);
  const repository = engine.repository(repositoryId);
  const { chunkerFrom } = await engine.initRepository(repositoryId);
  if (context.args.json) printJson(context, { repository: repositoryId, initialized: true, ...(chunkerFrom ? { chunkerParamsFrom: chunkerFrom } : {}) });
  else {
    const chunker = chunkerFrom ? ` It has the chunker parameters of "${chunkerFrom}", so copies from there deduplicate.` : '';
    context.io.stdout(
      `✔ Initialised repository ${repository.name} (${repositoryId}).${chunker} Keep its password safe: without it the backups cannot be read.\n`,
    );
  }
  return EXIT.success;
}
