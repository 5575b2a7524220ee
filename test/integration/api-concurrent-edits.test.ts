import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

/** serve on a data dir with no config yet: what a person sees the first time. */
async function freshServe(t: Parameters<typeof startServe>[0]) {
  const root = await tempDir(t);
  const dataDir = join(root, 'data');
  const setup = { env: { RESTIC_CACHE_DIR: join(root, 'cache') }, args: (...rest: string[]) => ['--data-dir', dataDir, ...rest] };
  return { root, dataDir, served: await startServe(t, setup) };
}

/** Whether restic opens the repository with this password, and its snapshots' paths. */
async function opens(repository: string, password: string, root: string): Promise<{ ok: boolean; paths: string[] }> {
  try {
    const { stdout } = await run('restic', ['snapshots', '--json', '--no-lock', '--repo', repository], {
      env: { ...process.env, RESTIC_PASSWORD: password, RESTIC_CACHE_DIR: join(root, 'cache-check') },
    });
    return { ok: true, paths: (JSON.parse(stdout) as Array<{ paths: string[] }>).flatMap((snapshot) => snapshot.paths).sort() };
  } catch {
    return { ok: false, paths: [] };
  }
}

test('two first setups at once (two tabs), each with its own password: one makes the repository, the other is refused for its password; no plan is lost and the repository opens', async (t) => {
  const { root, dataDir, served } = await freshServe(t);
  for (const name of ['A', 'B']) await mkdir(join(root, 'home', name), { recursive: true });
  const [first, second] = await Promise.all([
    served.call('onboarding.setup', { folder: join(root, 'home', 'A'), password: 'password one 111' }),
    served.call('onboarding.setup', { folder: join(root, 'home', 'B'), password: 'password two 222' }),
  ]);
  const answers = [first, second];
  const made = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status !== 200);
  assert.equal(made.length, 1, JSON.stringify(answers.map((answer) => answer.body)));
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.body.error.code, 'wrong-password', JSON.stringify(refused[0]!.body));
  const config = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'));
  assert.deepEqual(
    config.plans.map((plan: { id: string }) => plan.id),
    [made[0]!.body.plan],
    'the plan that was answered 200 is in the config',
  );
  assert.equal(config.repositories.length, 1);
  const password = made[0] === first ? 'password one 111' : 'password two 222';
  const repository = config.repositories[0].url;
  await served.call('plans.run', { plan: made[0]!.body.plan }); // coalesced with the first backup already asked for
  let state = await opens(repository, password, root);
  for (let tries = 0; tries < 100 && state.paths.length === 0; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    state = await opens(repository, password, root);
  }
  assert.ok(state.ok, 'the repository opens with the password that made it');
  assert.ok(state.paths.length > 0, 'the first backup made its snapshot');
  const runs = (await served.call('history.list', {})).body as Array<{ status: string; reason?: string }>;
  assert.deepEqual(
    runs.filter((entry) => entry.status === 'failure').map((entry) => entry.reason),
    [],
    'no backup failed',
  );
});

test('two first setups at once with the same password: both plans are kept, in one repository', async (t) => {
  const { root, dataDir, served } = await freshServe(t);
  for (const name of ['A', 'B']) await mkdir(join(root, 'home', name), { recursive: true });
  const answers = await Promise.all(
    ['A', 'B'].map((name) => served.call('onboarding.setup', { folder: join(root, 'home', name), password: 'the same password' })),
  );
  assert.deepEqual(
    answers.map((answer) => answer.status),
    [200, 200],
    JSON.stringify(answers.map((answer) => answer.body)),
  );
  const config = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'));
  assert.deepEqual(config.plans.map((plan: { id: string }) => plan.id).sort(), ['a', 'b']);
  assert.equal(config.repositories.length, 1);
  assert.ok((await opens(config.repositories[0].url, 'the same password', root)).ok);
});
