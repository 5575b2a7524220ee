import { ConfigInvalidError, ConfigParseError } from '../core/config/store.ts';
import { Engine } from '../core/engine.ts';
import { resolveLocations } from '../core/util/paths.ts';
import type { ParsedArgs } from './args.ts';
import type { CliIo } from './io.ts';

export interface CommandContext {
  args: ParsedArgs;
  io: CliIo;
}

export function locations(context: CommandContext) {
  return resolveLocations({ config: context.args.config, dataDir: context.args.dataDir }, context.io.env);
}

export async function openEngine(context: CommandContext): Promise<Engine> {
  const { configFile, dataDir } = locations(context);
  return Engine.open({ configFile, dataDir, env: context.io.env, log: (line) => context.io.stderr(`${line}\n`) });
}

export function isConfigError(error: unknown): error is ConfigInvalidError | ConfigParseError {
  return error instanceof ConfigInvalidError || error instanceof ConfigParseError;
}

export function printJson(context: CommandContext, value: unknown): void {
  context.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
