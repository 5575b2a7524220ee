import { main } from '../../main/cli/main.ts';
import type { CliResult, Setup } from './lifeboat.ts';

/**
 * Runs one `lifeboat` command line in this process (the same `main` the binary runs), for tests
 * that run many commands: no Node start-up per command. `LIFEBOAT_CONFIG` and
 * `LIFEBOAT_DATA_DIR` from the test's own environment never leak in; `env` may set them.
 */
export async function cliHere(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    env: { ...process.env, LIFEBOAT_CONFIG: undefined, LIFEBOAT_DATA_DIR: undefined, ...env },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** `cliHere` with a setup's config, data dir and environment. */
export function lifeboatHere(setup: Setup, ...args: string[]): Promise<CliResult> {
  return cliHere(setup.args(...args), setup.env);
}

/**
 * `lifeboat(args, { env })` from lifeboat.ts, run in this process: for tests of what a command
 * does rather than of the process that runs it (start-up, signals, exit on a crash).
 */
export function lifeboatInProcess(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return cliHere(args, options.env);
}
