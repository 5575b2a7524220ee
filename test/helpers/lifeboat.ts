import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LIFEBOAT_BIN = join(PROJECT_ROOT, 'bin', 'lifeboat.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Run under another command, e.g. ['setpriv', …] to drop capabilities. */
  prefix?: string[];
  /** The script Node runs instead of bin/lifeboat.js (the CLI bundle's or the sources' entry). */
  entry?: string;
}

/** Runs the real `lifeboat` command as a separate process. */
export function lifeboat(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const command = [...(options.prefix ?? []), process.execPath, options.entry ?? LIFEBOAT_BIN, ...args];
    const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export interface Setup {
  root: string;
  configFile: string;
  dataDir: string;
  repo: string;
  password: string;
  env: NodeJS.ProcessEnv;
  /** `--config … --data-dir …` followed by the given arguments. */
  args: (...rest: string[]) => string[];
}

/** A config with one local repository (password from LIFEBOAT_TEST_PASSWORD) and the given plans. */
export async function writeSetup(root: string, plans: Array<Record<string, unknown>>, repository: Record<string, unknown> = {}): Promise<Setup> {
  const configFile = join(root, 'config.json');
  const dataDir = join(root, 'data');
  const repo = join(root, 'repo');
  const password = 'correct horse battery staple';
  await mkdir(root, { recursive: true });
  const config = {
    version: 1,
    repositories: [{ id: 'local', name: 'Local disk', url: repo, passwordEnv: 'LIFEBOAT_TEST_PASSWORD', ...repository }],
    plans: plans.map((plan) => ({ repository: 'local', ...plan })),
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return {
    root,
    configFile,
    dataDir,
    repo,
    password,
    env: { LIFEBOAT_TEST_PASSWORD: password, RESTIC_CACHE_DIR: join(root, 'cache') },
    args: (...rest) => ['--config', configFile, '--data-dir', dataDir, ...rest],
  };
}
