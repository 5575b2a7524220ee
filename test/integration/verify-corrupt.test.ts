import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import type { DesktopNotification } from '../../main/core/notify/message.ts';
import { headlessPlatform } from '../../main/core/platform/headless.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';

/** Every file under `folder`, with its size. */
async function filesUnder(folder: string): Promise<Array<{ path: string; size: number }>> {
  const found: Array<{ path: string; size: number }> = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.push({ path, size: (await stat(path)).size });
  }
  return found;
}

/** Flips 8 bytes every 40 KB of a pack file's blobs (its header, at the end, is left alone). */
async function corrupt(pack: string, size: number): Promise<void> {
  await chmod(pack, 0o600); // restic writes packs read-only
  const file = await open(pack, 'r+');
  try {
    for (let offset = 64; offset < size - 4096; offset += 40_000) {
      const bytes = Buffer.alloc(8);
      await file.read(bytes, 0, 8, offset);
      for (let i = 0; i < 8; i++) bytes[i] = bytes[i]! ^ 0xff;
      await file.write(bytes, 0, 8, offset);
    }
  } finally {
    await file.close();
  }
}

describe('restore checks of a plan with verify.every, then of a damaged repository', () => {
  let root: string;
  let setup: Setup;
  let photos: string[];
  let now: Date;
  const shown: DesktopNotification[] = [];
  let engine: Engine;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-verify-corrupt-'));
    const source = join(root, 'photos');
    await mkdir(source);
    photos = ['beach.jpg', 'sunset "2".jpg', 'dog $(id).jpg'].map((name) => join(source, name));
    for (const photo of photos) await writeFile(photo, randomBytes(200_000));
    await writeFile(join(source, 'a.txt'), 'a\n');
    await writeFile(join(source, 'b.txt'), 'b\n');
    setup = await writeSetup(root, [{ id: 'photos', name: 'Holiday photos', sources: [source], verify: { every: '30d', sample: 20 } }]);
    assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
    now = new Date();
    engine = await Engine.open({
      configFile: setup.configFile,
      dataDir: setup.dataDir,
      env: { ...process.env, ...setup.env },
      now: () => now,
      platform: { ...headlessPlatform(), notifier: { notify: async (notification) => void shown.push(notification) } },
    });
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('a check follows the first successful backup once verify.every has passed, and not the next backup within it', async () => {
    const first = await engine.runPlan('photos', { trigger: 'schedule' });
    assert.equal(first.status, 'success', first.reason ?? '');
    await engine.flushMonitors(); // the check runs off the backup's clock
    let verifies = (await engine.history.list({ plan: 'photos' })).filter((run) => run.kind === 'verify');
    assert.equal(verifies.length, 1);
    assert.equal(verifies[0]?.status, 'success', verifies[0]?.reason ?? '');
    assert.equal(verifies[0]?.reason, 'restore verified 5/5');
    assert.equal(verifies[0]?.trigger, 'schedule', 'it carries the trigger of the backup it followed');
    assert.equal(verifies[0]?.snapshotId, first.snapshotId, 'the snapshot just made is the one checked');
    assert.equal((await engine.planState.get('photos')).lastVerify?.run, verifies[0]?.id);
    assert.deepEqual(shown, [], 'a successful check tells nobody');

    now = new Date(now.getTime() + 29 * 86_400_000);
    assert.equal((await engine.runPlan('photos', { trigger: 'schedule' })).status, 'success');
    await engine.flushMonitors();
    verifies = (await engine.history.list({ plan: 'photos' })).filter((run) => run.kind === 'verify');
    assert.equal(verifies.length, 1, 'within verify.every of the last check, a backup is not followed by another');
  });

  test('a repository with a damaged data pack: the check fails, names the files that cannot be restored, and is told like a failed backup', async () => {
    const packs = (await filesUnder(join(setup.repo, 'data'))).sort((a, b) => b.size - a.size);
    assert.ok(packs[0] && packs[0].size > 600_000, 'the photos are in one data pack');
    await corrupt(packs[0].path, packs[0].size);

    const run = await engine.verifyPlan('photos');
    assert.equal(run.kind, 'verify');
    assert.equal(run.status, 'failure');
    assert.match(run.reason ?? '', /^[3-5] of 5 files differ: /);
    const named = new Map(run.verify?.mismatches.map((mismatch) => [mismatch.path, mismatch.problem]));
    for (const photo of photos) {
      assert.match(named.get(photo) ?? '', /could not be restored|was not restored/, photo);
    }
    assert.ok((run.reason ?? '').includes(photos[0]!), 'the one-line reason names the first file');
    assert.equal(run.steps.find((step) => step.name === 'restore')?.status, 'failure');
    assert.equal((await engine.planState.get('photos')).lastVerify?.status, 'failure');

    assert.equal(shown.length, 1);
    assert.equal(shown[0]?.title, 'Restore check failed — Holiday photos');
    assert.equal(shown[0]?.body, run.reason);
    assert.equal(shown[0]?.urgency, 'critical');
    assert.equal(shown[0]?.runId, run.id);

    const cli = await lifeboatHere(setup, 'verify', 'photos');
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /^✘ Holiday photos: [3-5] of 5 files differ: /);
    for (const photo of photos) assert.ok(cli.stdout.includes(`✘ ${photo}: `), `${photo} on its own line`);
  });
});
