import { type ChildProcess, spawn } from 'node:child_process';
import type { TestContext } from 'node:test';
import { LIFEBOAT_BIN, type Setup } from './lifeboat.ts';
import { exited, waitFor } from './processes.ts';

export interface Served {
  child: ChildProcess;
  base: string;
  token: string;
  output: () => string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answers
  call: (name: string, input?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;
}

/** Starts `lifeboat serve` on a free port and reads the URL and token it prints. */
export async function startServe(t: TestContext, setup: Pick<Setup, 'env' | 'args'>, extraArgs: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('serve', '--port', '0', ...extraArgs)], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  await waitFor(() => /serving at (\S+)#token=(\S+)/.test(text) || child.exitCode !== null, 'lifeboat serve to print its URL', 20_000);
  const match = /serving at (\S+)#token=(\S+)/.exec(text);
  if (!match) throw new Error(`serve did not start:\n${text}`);
  const [, base, token] = match as unknown as [string, string, string];
  return {
    child,
    base: base!,
    token: token!,
    output: () => text,
    call: async (name, input = {}, headers = {}) => {
      const response = await fetch(`${base}api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}
