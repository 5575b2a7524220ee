import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TRACER = `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ load(url, context, next) { appendFileSync(process.env.LIFEBOAT_TRACE_FILE, url + '\\n'); return next(url, context); } });
`;

/** Runs `node ENTRY args…` with a loader hook that lists every module it loads, in order; its exit code too. */
export async function loadedModules(
  root: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; modules: string[] }> {
  const tracer = join(root, 'tracer.mjs');
  const list = join(root, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(tracer, TRACER);
  await writeFile(list, '');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tracer, entry, ...args], {
      env: { ...process.env, ...env, LIFEBOAT_TRACE_FILE: list },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, modules: (await readFile(list, 'utf8')).split('\n').filter(Boolean) };
}
