import { main } from '../../main/cli/main.ts';
import type { CliResult, Setup } from './lifeboat.ts';

/**
 * Runs one `lifeboat` command line in this process (the same `main` the binary runs), for
 * tests that make many snapshots: no Node start-up per command.
 */
export async function lifeboatHere(setup: Setup, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(setup.args(...args), {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    env: { ...process.env, ...setup.env },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
