import { UsageError } from '../args.ts';
import { completionScript, SHELLS, type Shell } from '../completion.ts';
import type { CommandContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

export async function completionCommand(context: CommandContext): Promise<number> {
  const shell = context.args.positionals[0] ?? '';
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`"${shell}" is not a shell lifeboat completes; use ${SHELLS.join(', ')}. Usage: lifeboat completion bash|zsh|fish`);
  }
  context.io.stdout(completionScript(shell as Shell));
  return EXIT.success;
}
