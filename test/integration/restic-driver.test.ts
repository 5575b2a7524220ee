import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { resticAccess } from '../../main/core/restic/credentials.ts';
import { locateRestic } from '../../main/core/restic/locate.ts';
import type { BackupProgress } from '../../main/core/restic/messages.ts';
import { Restic, ResticError } from '../../main/core/restic/restic.ts';
import { resticLocks } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

async function newRepository(root: string): Promise<Restic> {
  const binary = await locateRestic(null);
  const access = resticAccess({ id: 'r', name: 'r', url: join(root, 'repo'), passwordEnv: 'PW', env: {} }, { PW: 'driver-test-password' });
  const restic = new Restic({ binary: binary.path, access, processEnv: { ...process.env, RESTIC_CACHE_DIR: join(root, 'cache') }, graceMs: 5000 });
  await restic.init();
  return restic;
}

test('the driver streams typed progress and lists, browses and measures what it backed up', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(join(source, 'folder'), { recursive: true });
  await writeFile(join(source, 'folder', 'data.bin'), Buffer.alloc(30_000_000, 1));
  await writeFile(join(source, 'note.txt'), 'note\n');
  const restic = await newRepository(root);
  const progress: BackupProgress[] = [];
  const result = await restic.backup({ paths: [source], tags: ['lifeboat'], onProgress: (p) => progress.push(p) });
  assert.ok(progress.length > 0, 'progress events arrived');
  assert.ok(progress.every((p) => p.percent >= 0 && p.percent <= 1));
  assert.equal(result.summary?.total_files_processed, 2);
  assert.equal(result.unreadable.length, 0);

  const [snapshot] = await restic.snapshots({ tags: ['lifeboat'] });
  assert.match(result.snapshotId ?? '', /^[0-9a-f]{64}$/, 'the full id, whatever restic prints');
  assert.equal(snapshot?.id, result.snapshotId);
  assert.equal(snapshot?.shortId, result.snapshotId?.slice(0, 8));
  const entries = await restic.ls('latest', { path: join(source, 'folder') });
  const names = entries.map((entry) => entry.path);
  assert.ok(names.includes(join(source, 'folder', 'data.bin')), names.join(', '));
  assert.equal(entries.find((entry) => entry.name === 'data.bin')?.size, 30_000_000);
  const stats = await restic.stats();
  assert.ok((stats.total_size as number) >= 30_000_005, `restore size ${stats.total_size}`);
});

test('cancel sends SIGINT: restic stops, removes its lock, and the error says cancelled', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 6; i += 1) await writeFile(join(source, `f${i}.bin`), Buffer.alloc(60_000_000, i + 1));
  const restic = await newRepository(root);
  const controller = new AbortController();
  const started = restic.backup({
    paths: [source],
    signal: controller.signal,
    onProgress: (p) => {
      if (p.bytesDone > 0) controller.abort();
    },
  });
  await assert.rejects(started, (error: unknown) => error instanceof ResticError && error.failure.kind === 'cancelled');
  assert.deepEqual(await resticLocks(join(root, 'repo'), 'driver-test-password'), [], 'no lock left behind');
  assert.deepEqual(await restic.snapshots(), [], 'no snapshot from a cancelled backup');
});

test('a missing restic is a sentence that says how to install it', async () => {
  await assert.rejects(locateRestic(null, { PATH: '/nonexistent' }), /restic was not found on PATH\. Install it with/);
  await assert.rejects(locateRestic('/nonexistent/restic'), /settings\.resticPath is "\/nonexistent\/restic", but no executable restic is there/);
});
