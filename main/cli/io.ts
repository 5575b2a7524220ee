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
  // A reader that went away (`lifeboat … | head -1`) is not an error: what is left to print has
  // nobody to read it. Output stops, and the command ends as on Ctrl-C (a backup is cancelled
  // cleanly), quietly, as git and ls end on SIGPIPE.
  const readerGone = new AbortController();
  const gone = { stdout: false, stderr: false };
  whenReaderGone(process.stdout, () => {
    gone.stdout = true;
    readerGone.abort();
  });
  whenReaderGone(process.stderr, () => {
    gone.stderr = true;
  });
  return {
    stdout: (text) => {
      if (!gone.stdout) process.stdout.write(text);
    },
    stderr: (text) => {
      if (!gone.stderr) process.stderr.write(text);
    },
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    signal: AbortSignal.any([signal, readerGone.signal]),
  };
}

function whenReaderGone(stream: NodeJS.WriteStream, gone: () => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error; // any other trouble stays as loud as it was
    gone();
  });
}
