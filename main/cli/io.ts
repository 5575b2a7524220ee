/** Where a command writes: injected so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal that can redraw a progress line. */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    signal,
  };
}
