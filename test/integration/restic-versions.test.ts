import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { locateRestic } from '../../main/core/restic/locate.ts';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { serveRestic } from '../helpers/processes.ts';
import { testResticVersion } from '../helpers/restic.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const FULL_ID = /^[0-9a-f]{64}$/;

/** restic's own list of the repository's snapshot ids, read straight from restic. */
async function resticSnapshotIds(setup: Setup, repository = setup.repo): Promise<string[]> {
  const { stdout } = await promisify(execFile)('restic', ['snapshots', '--json', '--no-lock'], {
    env: { ...process.env, ...setup.env, RESTIC_REPOSITORY: repository, RESTIC_PASSWORD: setup.password },
  });
  return (JSON.parse(stdout) as Array<{ id: string }>).map((snapshot) => snapshot.id);
}

async function backedUp(t: Parameters<typeof tempDir>[0], repository: Record<string, unknown> = {}) {
  const root = await tempDir(t);
  const source = join(root, 'docs');
  await mkdir(source);
  await writeFile(join(source, 'letter.txt'), 'dear restic\n');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }], repository);
  const init = await lifeboat(setup.args('init', 'local'), { env: setup.env });
  assert.equal(init.code, 0, init.stderr);
  const run = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(run.code, 0, run.stderr);
  return { root, source, setup, record: JSON.parse(run.stdout) as { id: string; snapshotId: string } };
}

test('the restic under test is the one LIFEBOAT_TEST_RESTIC names, for lifeboat as for the tests', { skip: !process.env.LIFEBOAT_TEST_RESTIC }, async () => {
  const found = await locateRestic(null);
  assert.equal(found.path, resolve(process.env.LIFEBOAT_TEST_RESTIC!));
  assert.equal(found.version, testResticVersion().join('.'));
});

test(`a backup keeps restic's full 64-hex snapshot id in history; the CLI shows its 8-character short id (restic ${testResticVersion().join('.')})`, async (t) => {
  const { setup, record } = await backedUp(t);
  assert.match(record.snapshotId, FULL_ID);
  assert.deepEqual(await resticSnapshotIds(setup), [record.snapshotId]);
  const history = await lifeboat(setup.args('history', 'docs', '--json'), { env: setup.env });
  assert.equal((JSON.parse(history.stdout) as Array<{ snapshotId: string }>)[0]?.snapshotId, record.snapshotId);
  // The run record is the same whatever restic made it: one backup step, no step to look the id up.
  const steps = (JSON.parse(history.stdout) as Array<{ steps: Array<{ name: string }> }>)[0]?.steps.map((step) => step.name);
  assert.deepEqual(steps, ['backup']);

  const text = await lifeboat(setup.args('run', 'docs'), { env: setup.env });
  assert.equal(text.code, 0, text.stderr);
  const second = (await resticSnapshotIds(setup)).find((id) => id !== record.snapshotId)!;
  assert.match(text.stdout, new RegExp(`^  snapshot ${second.slice(0, 8)} \\(`, 'm'));
  assert.doesNotMatch(text.stdout, new RegExp(second.slice(8, 20)), 'the full id is not printed');
});

test('a backup to a REST repository (rclone serve restic) keeps the full snapshot id too', async (t) => {
  const root = await tempDir(t);
  const server = await serveRestic(join(root, 'served'));
  t.after(() => server.stop());
  const { setup, record } = await backedUp(t, { url: server.url });
  assert.match(record.snapshotId, FULL_ID);
  assert.deepEqual(await resticSnapshotIds(setup, server.url), [record.snapshotId]);
});

test('a run recorded with an 8-character id (as restic 0.14 left them) still shows, browses and restores by that id', async (t) => {
  const { root, setup, record } = await backedUp(t);
  const short = record.snapshotId.slice(0, 8);
  // An older run of the same plan, as history held it before ids were stored in full.
  const runs = join(setup.dataDir, 'history', 'runs.jsonl');
  const lines = (await readFile(runs, 'utf8')).trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
  await appendFile(runs, `${JSON.stringify({ ...last, id: ulid(Date.parse(String(last.startedAt)) - 60_000), snapshotId: short })}\n`);
  const history = await lifeboat(setup.args('history', 'docs', '--json'), { env: setup.env });
  assert.equal(history.code, 0, history.stderr);
  assert.deepEqual((JSON.parse(history.stdout) as Array<{ snapshotId: string }>).map((run) => run.snapshotId).sort(), [short, record.snapshotId]);

  const served = await startServe(t, setup);
  const browsed = await served.call('snapshots.browse', { plan: 'docs', snapshot: short });
  assert.equal(browsed.status, 200, JSON.stringify(browsed.body));
  assert.ok(
    (browsed.body as Array<{ name: string }>).some((entry) => entry.name === 'letter.txt'),
    JSON.stringify(browsed.body),
  );
  const target = join(root, 'restored');
  const restored = await served.call('snapshots.restore', { plan: 'docs', snapshot: short, target });
  assert.deepEqual(restored.body, { status: 'success', reason: null });
  assert.equal(await readFile(join(target, root, 'docs', 'letter.txt'), 'utf8'), 'dear restic\n');
});
