import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Starts `lifeboat serve` on a free port, waits for the address it prints and reads its token from the data dir. */
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
  await waitFor(() => /serving at (\S+)\s/.test(text) || child.exitCode !== null, 'lifeboat serve to print its address', 20_000);
  const base = /serving at (\S+)\s/.exec(text)?.[1];
  if (!base) throw new Error(`serve did not start:\n${text}`);
  assert.ok(!/#token=/.test(text), 'serve never prints its token');
  // The token is where `lifeboat open` finds it: the data dir's serve-token file (0600).
  const argv = setup.args();
  const dataDir = argv[argv.indexOf('--data-dir') + 1]!;
  const token = setup.env.LIFEBOAT_SERVE_TOKEN || (await readFile(join(dataDir, 'serve-token'), 'utf8')).trim();
  return {
    child,
    base,
    token,
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
